"""PDFs: text layers trusted or not, ruled tables, OCR fallback, and every bad-input path."""

from __future__ import annotations

from pathlib import Path

import pytest

from planparse.document import Origin
from planparse.errors import CorruptInputError, EmptyDocumentError, EncryptedPdfError
from planparse.ingest import ReadOptions, read_document
from planparse.pipeline import read

PROSE = [
    "ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH",
    "Thực hiện dịch vụ công trực tuyến mức độ 4 năm 2021",
    "Đối tượng thi đua là các cơ quan chuyên môn và các xã, thị trấn.",
]
TABLE = [["STT", "Nội dung", "Điểm chuẩn"], ["1", "Tỷ lệ hồ sơ trực tuyến", "20"], ["2", "Cấp tài khoản", "10"]]


def _born_digital(path: Path, font: Path, *, encrypt: str | None = None) -> Path:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_font(fontname="lib", fontfile=str(font))
    y = 72
    for text in PROSE:
        page.insert_text((72, y), text, fontname="lib", fontsize=12)
        y += 20
    top, xs, height = 150, [72, 120, 400, 500], 24
    for r, row in enumerate(TABLE):
        for c, cell in enumerate(row):
            page.insert_text((xs[c] + 4, top + r * height + 16), cell, fontname="lib", fontsize=11)
    for r in range(len(TABLE) + 1):
        page.draw_line((xs[0], top + r * height), (xs[-1], top + r * height))
    for x in xs:
        page.draw_line((x, top), (x, top + len(TABLE) * height))
    page.insert_text((72, top + len(TABLE) * height + 30), "Nơi nhận:", fontname="lib", fontsize=12)
    kwargs = {}
    if encrypt:
        kwargs = {"encryption": pymupdf.PDF_ENCRYPT_AES_256, "user_pw": encrypt, "owner_pw": encrypt + "o"}
    doc.save(path, **kwargs)
    return path


def _page_image(font: Path, lines: list[str], size=(1700, 900)):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(font), 40)
    for i, text in enumerate(lines):
        draw.text((80, 80 + i * 70), text, font=face, fill=0)
    return image


def _scanned(path: Path, image, invisible_text: str | None = None) -> Path:
    import io

    import pymupdf

    buf = io.BytesIO()
    image.save(buf, format="PNG")
    doc = pymupdf.open()
    page = doc.new_page(width=image.width * 72 / 200, height=image.height * 72 / 200)
    page.insert_image(page.rect, stream=buf.getvalue())
    if invisible_text:
        page.insert_text((20, 40), invisible_text, fontsize=10, render_mode=3)
    doc.save(path)
    return path


def test_born_digital_text_layer_with_ruled_table(tmp_path: Path, font: Path) -> None:
    doc = read(_born_digital(tmp_path / "plan.pdf", font))
    page = doc.pages[0]
    assert page.origin is Origin.TEXT_LAYER
    assert [line.text for line in page.lines[:3]] == PROSE
    assert page.tables[0].rows == TABLE
    assert page.lines[-1].text == "Nơi nhận:", "the table sits where it is on the page"
    assert "text layer" in page.reason


def test_scanned_page_is_ocrd(tmp_path: Path, font: Path) -> None:
    doc = read(_scanned(tmp_path / "scan.pdf", _page_image(font, PROSE)))
    assert doc.pages[0].origin is Origin.OCR
    assert "Thực hiện dịch vụ công trực tuyến" in doc.text
    assert doc.pages[0].lines[0].confidence is not None


def test_garbled_text_layer_is_reocrd(tmp_path: Path, font: Path) -> None:
    garbage = "Poc lap - Tw do - Hanh phiic hwéng din gidi quyet thi tuc S6: ndp ho so Uy ban nhan dan huyén"
    doc = read(_scanned(tmp_path / "garbled.pdf", _page_image(font, PROSE), invisible_text=garbage))
    page = doc.pages[0]
    assert page.origin is Origin.OCR
    assert "garbled" in page.reason
    assert any(issue.code == "W102" for issue in page.issues)
    assert "ỦY BAN NHÂN DÂN" in doc.text


def test_ocr_off_keeps_the_layer_and_says_so(tmp_path: Path, font: Path) -> None:
    path = _scanned(tmp_path / "garbled.pdf", _page_image(font, PROSE), invisible_text="Poc lap Tw do Hanh phiic " * 3)
    doc = read_document(path, ReadOptions(ocr="off"))
    assert doc.pages[0].origin is Origin.TEXT_LAYER
    assert any(issue.code == "W107" for issue in doc.pages[0].issues)


def test_blank_scan_reports_nothing_found(tmp_path: Path, font: Path) -> None:
    path = _scanned(tmp_path / "blank.pdf", _page_image(font, []))
    doc = read_document(path)
    assert any(issue.code == "W104" for issue in doc.pages[0].issues)
    with pytest.raises(EmptyDocumentError, match="no text could be read"):
        read(path)


def test_encrypted_pdf_needs_password(tmp_path: Path, font: Path) -> None:
    path = _born_digital(tmp_path / "locked.pdf", font, encrypt="secret")
    with pytest.raises(EncryptedPdfError, match="--password"):
        read_document(path)
    with pytest.raises(EncryptedPdfError, match="does not open"):
        read_document(path, ReadOptions(password="wrong"))
    assert read(path, ReadOptions(password="secret")).pages[0].tables[0].rows == TABLE


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n this is not a pdf at all")
    with pytest.raises(CorruptInputError, match="not a readable PDF"):
        read_document(path)


def test_empty_file_with_pdf_extension(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(CorruptInputError):
        read_document(path)


def test_pdf_with_zero_pages(tmp_path: Path) -> None:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    xref = len(body)
    body += b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    body += b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n" + str(xref).encode() + b"\n%%EOF\n"
    path = tmp_path / "zero.pdf"
    path.write_bytes(body)
    with pytest.raises((EmptyDocumentError, CorruptInputError)):
        read_document(path)
