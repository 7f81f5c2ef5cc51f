"""Text files and .docx: encodings detected, tables kept as tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from planparse.document import Origin
from planparse.errors import EmptyDocumentError, MissingFileError, UnsupportedInputError
from planparse.ingest import read_document
from planparse.pipeline import read

TEXT = "ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH\nKẾ HOẠCH phát động phong trào thi đua năm 2021\nĐiểm chuẩn: 20 điểm"


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with vowel marks precomposed, tones split off."""
    import unicodedata

    out = bytearray()
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        out += (base + tones).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_text_file_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(_cp1258(TEXT) if encoding == "cp1258" else TEXT.encode(encoding))
    doc = read(path)
    assert doc.text == TEXT
    assert doc.origin is Origin.TEXT_FILE


def test_tcvn3_text_file_is_converted(tmp_path: Path) -> None:
    from planparse.repair.legacy import from_unicode

    path = tmp_path / "old.txt"
    path.write_bytes(from_unicode(TEXT.lower(), "tcvn3").encode("latin-1"))
    assert read(path).text == TEXT.lower()


def test_decomposed_and_old_tone_placement_are_normalised(tmp_path: Path) -> None:
    import unicodedata

    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", "hoà thuỷ Ðiểm"), encoding="utf-8")
    doc = read(path)
    assert doc.text == "hòa thủy Điểm"
    line = next(doc.lines())
    assert line.raw == unicodedata.normalize("NFD", "hoà thuỷ Ðiểm")
    assert line.edits, "every repair is recorded"


def test_tab_separated_lines_are_table_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("Bảng điểm\nSTT\tNội dung\tĐiểm\n1\tTỷ lệ hồ sơ\t20\n", encoding="utf-8")
    tables = read(path).pages[0].tables
    assert tables[0].rows == [["STT", "Nội dung", "Điểm"], ["1", "Tỷ lệ hồ sơ", "20"]]


def test_docx_keeps_tables_and_order(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["STT", "Nội dung", "Điểm chuẩn"], ["1", "Tỷ lệ hồ sơ trực tuyến", "20"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("Nơi nhận:")
    path = tmp_path / "plan.docx"
    d.save(str(path))
    doc = read(path)
    texts = [line.text for line in doc.lines()]
    assert texts[0] == "KẾ HOẠCH" and texts[-1] == "Nơi nhận:"
    assert doc.pages[0].tables[0].rows[1] == ["1", "Tỷ lệ hồ sơ trực tuyến", "20"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError) as info:
        read_document(tmp_path / "nope.pdf")
    assert "nope.pdf" in str(info.value) and "not found" in str(info.value)


def test_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "data.xyz"
    path.write_text("hello")
    with pytest.raises(UnsupportedInputError, match="unsupported file type"):
        read_document(path)


def test_empty_text_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    with pytest.raises(EmptyDocumentError):
        read_document(path)


def test_corrupt_docx(tmp_path: Path) -> None:
    from planparse.errors import CorruptInputError

    path = tmp_path / "bad.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CorruptInputError):
        read_document(path)


def test_stripped_text_file_is_restored_with_edits(tmp_path: Path) -> None:
    path = tmp_path / "stripped.txt"
    path.write_text("Ke hoach phat dong phong trao thi dua nam 2021\nDiem toi da: 20 diem\n", encoding="utf-8")
    doc = read(path)
    assert doc.text.splitlines() == ["Kế hoạch phát động phong trào thi đua năm 2021", "Điểm tối đa: 20 điểm"]
    line = next(doc.lines())
    assert line.raw == "Ke hoach phat dong phong trao thi dua nam 2021"
    assert any(edit.kind == "diacritics" and edit.confidence is not None for edit in line.edits)
    assert any(issue.code == "W106" for issue in doc.all_issues)


def test_english_ocr_text_file_is_restored(tmp_path: Path) -> None:
    path = tmp_path / "garbled.txt"
    path.write_text("CONG HOA XA HOI CHU NGHIA VIET NAM\nPoc lap - Tw do - Hanh phiic\nhwéng din gidi quyet thi tuc\n", encoding="utf-8")
    assert "Độc lập - Tự do - Hạnh phúc" in read(path).text


def test_restoration_can_be_turned_off(tmp_path: Path) -> None:
    from planparse.ingest import ReadOptions

    path = tmp_path / "stripped.txt"
    path.write_text("Ke hoach phat dong phong trao thi dua nam 2021\n", encoding="utf-8")
    assert read(path, ReadOptions(restore=False)).text.strip() == "Ke hoach phat dong phong trao thi dua nam 2021"
