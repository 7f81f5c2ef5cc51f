"""The OCR stage with the real Tesseract: tables come back as rows of cells, skewed scans and
phone photos read, blank pages give W104, odd image modes work, missing pieces are named."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from planparse.document import Origin
from planparse.errors import DependencyError
from planparse.ingest import ocr
from planparse.ingest.grid import Cell, Grid
from planparse.ingest.ocr import Word, build_lines, check_tesseract, ocr_image, parse_tsv, tesseract_version

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
BOLD = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
DPI = 300

PROSE = [
    "Thực hiện Kế hoạch số 276/KH-UBND ngày 21 tháng 12 năm 2020 của Ủy ban",
    "nhân dân huyện Châu Thành về cải cách hành chính huyện Châu Thành năm 2021.",
]
AFTER = ["Kinh phí khen thưởng trích từ ngân sách Huyện năm 2021."]
TABLE = [
    ["STT", "Nội dung", "Tiêu chí", "Điểm chuẩn"],
    ["1", "Số tài khoản định danh điện tử mức độ 2 được kích hoạt trên địa bàn", "Tài khoản", "30"],
    ["2", "Tỷ lệ hồ sơ trực tuyến toàn trình trên tổng số hồ sơ tiếp nhận", "Tỷ lệ %", "40"],
    ["3", "Báo cáo trễ 01-03 ngày trừ 02 điểm/lần", "Điểm trừ", "-2"],
]


def pt(p: float) -> int:
    return round(p * DPI / 72)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if draw.textlength(trial, font=font) <= width:
            cur = trial
        else:
            lines.append(cur)
            cur = word
    return [*lines, cur] if cur else lines


def render_page(table: bool = True) -> tuple[Image.Image, str]:
    """A half A4 page at 300 dpi: prose, a ruled table (with wrapped cells), prose; and its text."""
    width, height = pt(595), pt(470)
    img = Image.new("L", (width, height), 255)
    d = ImageDraw.Draw(img)
    font, bold = ImageFont.truetype(FONT, pt(13)), ImageFont.truetype(BOLD, pt(13))
    left, lh, y = pt(72), pt(17.5), pt(40)
    ref: list[str] = []
    for line in PROSE:
        d.text((left, y), line, font=font)
        ref.append(line)
        y += lh
    if table:
        y += lh // 2
        xs = [left]
        for share in (0.08, 0.57, 0.18, 0.17):
            xs.append(xs[-1] + round(share * (width - 2 * left)))
        pad, rules = pt(4), [y]
        for r, row in enumerate(TABLE):
            f = bold if r == 0 else font
            cells = [_wrap(d, c, f, xs[i + 1] - xs[i] - 2 * pad) for i, c in enumerate(row)]
            for i, cell in enumerate(cells):
                for k, text in enumerate(cell):
                    d.text((xs[i] + pad, y + pad + k * lh), text, font=f)
            ref.append("\t".join(row))
            y += max(len(c) for c in cells) * lh + 2 * pad
            rules.append(y)
        for yy in rules:
            d.line((xs[0], yy, xs[-1], yy), fill=0, width=3)
        for xx in xs:
            d.line((xx, rules[0], xx, rules[-1]), fill=0, width=3)
        y += lh
    for line in AFTER:
        d.text((left, y), line, font=font)
        ref.append(line)
        y += lh
    return img, "\n".join(ref)


def cer(ref: str, hyp: str) -> float:
    norm = lambda s: " ".join(unicodedata.normalize("NFC", s).split())  # noqa: E731
    return Levenshtein.distance(norm(ref), norm(hyp)) / max(1, len(norm(ref)))


def text_of(result: ocr.OcrPage) -> str:
    return "\n".join(line.text for line in result.lines)


@pytest.fixture(scope="module")
def page() -> tuple[Image.Image, str]:
    return render_page()


@pytest.fixture(scope="module")
def table_result(page) -> ocr.OcrPage:
    return ocr_image(page[0], 3)


def test_version_and_check() -> None:
    version = tesseract_version()
    assert version is not None and version[0].isdigit()
    check_tesseract("vie")


def test_missing_language_raises_dependency_error() -> None:
    with pytest.raises(DependencyError, match="apt-get install tesseract-ocr-xyzmissing"):
        check_tesseract("xyzmissing")


def test_missing_tesseract_raises_dependency_error(monkeypatch) -> None:
    monkeypatch.setenv("PLANPARSE_TESSERACT", "/nonexistent/tesseract")
    with pytest.raises(DependencyError, match="apt-get install tesseract-ocr tesseract-ocr-vie"):
        check_tesseract("vie")
    with pytest.raises(DependencyError):
        ocr_image(Image.new("L", (50, 50), 255), 1)


def test_table_rows_come_back_as_rows_of_cells(table_result) -> None:
    rows = [line for line in table_result.lines if line.table is not None]
    assert len(rows) == len(TABLE)
    for line, expected in zip(rows, TABLE):
        assert line.cells is not None and len(line.cells) == 4
        assert line.text == "\t".join(line.cells)
        for got, want in zip(line.cells, expected):
            assert cer(want, got) <= 0.1, (got, want)
    assert [line.row for line in rows] == list(range(len(TABLE)))
    assert {line.table for line in rows} == {0}
    assert table_result.tables == 1


def test_table_sits_between_the_prose_around_it(table_result) -> None:
    lines = table_result.lines
    first_row = next(i for i, line in enumerate(lines) if line.table is not None)
    last_row = max(i for i, line in enumerate(lines) if line.table is not None)
    assert "Thực hiện" in lines[0].text
    assert first_row == len(PROSE)
    assert "Kinh phí" in lines[last_row + 1].text


def test_lines_carry_provenance(table_result) -> None:
    assert table_result.mean_confidence > 0.8
    assert table_result.issues == []
    assert table_result.seconds > 0
    for n, line in enumerate(table_result.lines, start=1):
        assert line.origin is Origin.OCR and line.page == 3 and line.number == n
        assert line.bbox is not None and 0 <= line.confidence <= 1


def test_whole_page_reads_well(page, table_result) -> None:
    assert cer(page[1], text_of(table_result)) < 0.01


def test_skewed_scan_reads() -> None:
    img, ref = render_page(table=False)
    skewed = img.rotate(2.0, resample=Image.BICUBIC, fillcolor=255)
    noisy = np.asarray(skewed, dtype=np.float32) + np.random.default_rng(1).normal(0, 8, skewed.size[::-1])
    result = ocr_image(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)), 1, photo=False)
    assert cer(ref, text_of(result)) < 0.02


def test_photo_is_flattened_and_reads() -> None:
    import cv2

    img, ref = render_page()
    src = np.asarray(img)
    h, w = src.shape
    out_w, out_h = 2400, 2000
    corners = np.float32([[230, 180], [2150, 260], [2230, 1850], [160, 1760]])
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), corners)
    warped = cv2.warpPerspective(src, m, (out_w, out_h), borderValue=0)
    mask = cv2.warpPerspective(np.full_like(src, 255), m, (out_w, out_h))
    photo = np.where(mask > 127, warped, 80).astype(np.float32)
    xx = np.linspace(0.7, 1.0, out_w, dtype=np.float32)[None, :]
    photo = cv2.GaussianBlur(photo * xx, (0, 0), 1.0) + np.random.default_rng(2).normal(0, 4, photo.shape)
    rgb = np.clip(np.stack([photo, photo * 0.97, photo * 0.9], axis=-1), 0, 255).astype(np.uint8)
    result = ocr_image(Image.fromarray(rgb, "RGB"), 1)
    assert result.photo
    assert cer(ref, text_of(result)) < 0.03
    assert len([line for line in result.lines if line.table is not None]) == len(TABLE)


def test_blank_page_gives_w104() -> None:
    result = ocr_image(Image.new("L", (1200, 1600), 255), 7)
    assert result.lines == []
    assert [issue.code for issue in result.issues] == ["W104"]
    assert result.issues[0].page == 7


def test_tiny_image_gives_w104() -> None:
    result = ocr_image(Image.new("RGB", (3, 2), "white"), 1)
    assert result.lines == [] and result.issues[0].code == "W104"


@pytest.fixture(scope="module")
def line_image() -> Image.Image:
    img = Image.new("L", (1400, 160), 255)
    ImageDraw.Draw(img).text((40, 40), "Độc lập - Tự do - Hạnh phúc", font=ImageFont.truetype(FONT, 64), fill=0)
    return img


@pytest.mark.parametrize("mode", ["1", "P", "RGBA", "LA", "CMYK", "I;16", "I", "F", "RGB"])
def test_odd_image_modes_work(line_image, mode) -> None:
    grey = np.asarray(line_image)
    if mode == "I;16":
        img = Image.fromarray(grey.astype(np.uint16) * 257)
    elif mode == "I":
        img = Image.fromarray(grey.astype(np.int32) * 257, "I")
    elif mode == "F":
        img = Image.fromarray(grey.astype(np.float32) / 255.0, "F")
    elif mode == "RGBA":  # text on a transparent background
        rgba = np.zeros((*grey.shape, 4), np.uint8)
        rgba[..., 3] = 255 - grey
        img = Image.fromarray(rgba, "RGBA")
    else:
        img = line_image.convert(mode)
    result = ocr_image(img, 1, photo=False)
    assert cer("Độc lập - Tự do - Hạnh phúc", text_of(result)) < 0.1, (mode, text_of(result))


def test_tsv_text_is_kept_as_tesseract_wrote_it() -> None:
    # U+00D0 (eth) for Đ is the repair stage's to fix, with an edit trail; OCR keeps it.
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t91.5\tÐộc\n"
        "5\t1\t1\t1\t1\t2\t50\t20\t30\t40\t-1\t \n"
        "5\t1\t1\t1\t1\t3\t90\t20\t30\t40\t88\t\"lập\n"
    )
    words = parse_tsv(tsv)
    assert [w.text for w in words] == ["Ðộc", '"lập']
    assert words[0].box == (10, 20, 40, 60) and words[0].key == (1, 1, 1)


def _word(text: str, x: int, y: int, key: tuple[int, int, int], order: int) -> Word:
    return Word(text, 90.0, (x, y, x + 10 * len(text), y + 20), key, order)


def test_words_go_to_cells_and_merged_cells_keep_columns_aligned() -> None:
    # 2 x 3 grid; the second row's last two units are one merged cell.
    grid = Grid(
        box=(0, 100, 300, 200),
        rows=[100, 150, 200],
        cols=[0, 100, 200, 300],
        cells=[
            Cell(0, 0, 1, 1, (0, 100, 100, 150)),
            Cell(0, 1, 1, 1, (100, 100, 200, 150)),
            Cell(0, 2, 1, 1, (200, 100, 300, 150)),
            Cell(1, 0, 1, 1, (0, 150, 100, 200)),
            Cell(1, 1, 1, 2, (100, 150, 300, 200)),
        ],
    )
    words = [
        _word("Trước", 10, 10, (1, 1, 1), 0),
        # Tesseract's line runs across the cells; the cell's second line comes later.
        _word("Nội", 110, 105, (2, 1, 1), 1),
        _word("A", 210, 105, (2, 1, 1), 2),
        _word("dung", 110, 125, (2, 1, 2), 3),
        _word("1", 10, 160, (3, 1, 1), 4),
        _word("gộp", 150, 160, (3, 1, 1), 5),
        _word("hai", 230, 160, (3, 1, 1), 6),
        _word("Sau", 10, 250, (4, 1, 1), 7),
    ]
    lines = build_lines(words, [grid], 1)
    assert lines[0].text == "Trước" and lines[-1].text == "Sau"
    assert lines[1].cells == ["", "Nội dung", "A"]
    assert lines[2].cells == ["1", "gộp hai", ""]
    assert lines[1].table == lines[2].table == 0 and (lines[1].row, lines[2].row) == (0, 1)


def test_letterhead_reads_left_cell_then_right_cell() -> None:
    from planparse.ingest.ocr import order_columns

    def line(y: int, *pieces: tuple[int, str], block: int = 1) -> list[Word]:
        words, n = [], 0
        for x, text in pieces:
            for word in text.split():
                words.append(Word(word, 95.0, (x, y, x + 20 * len(word), y + 40), (block, 1, y), y * 100 + n))
                x += 20 * len(word) + 15
                n += 1
        return words

    lines = [
        line(100, (300, "ỦY BAN NHÂN DÂN"), (1200, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        line(160, (280, "HUYỆN CHÂU THÀNH"), (1300, "Độc lập - Tự do - Hạnh phúc")),
        line(290, (300, "Số: 211/KH-UBND"), (1250, "Châu Thành, ngày 08 tháng 6 năm 2021")),
        line(400, (1100, "KẾ HOẠCH")),  # centred title: ends the zone
        *(line(480 + 60 * n, (200, "Thực hiện Kế hoạch số 276/KH-UBND ngày 21 tháng 12 năm 2020 của Ủy")) for n in range(5)),
    ]
    got = [" ".join(w.text for w in ws) for ws in order_columns(lines)]
    assert got == [
        "ỦY BAN NHÂN DÂN",
        "HUYỆN CHÂU THÀNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 211/KH-UBND",
        "Châu Thành, ngày 08 tháng 6 năm 2021",
        "KẾ HOẠCH",
        *["Thực hiện Kế hoạch số 276/KH-UBND ngày 21 tháng 12 năm 2020 của Ủy"] * 5,
    ]


def test_prose_keeps_tesseract_order() -> None:
    from planparse.ingest.ocr import order_columns

    lines = [
        [Word(t, 90.0, (100 + 200 * i, y, 280 + 200 * i, y + 40), (1, 1, y), y + i) for i, t in enumerate(text.split())]
        for y, text in ((100, "một hai ba bốn năm sáu bảy tám"), (160, "chín mười"), (220, "mười một hai ba bốn năm sáu"))
    ]
    assert order_columns(lines) == lines


def test_letterhead_rows_are_cut_at_the_rules_under_its_cells() -> None:
    from planparse.ingest.ocr import order_columns

    def line(y: int, left: str, right: str) -> list[Word]:
        words = []
        for x0, text in ((300, left), (1300, right)):
            for i, word in enumerate(text.split()):
                x = x0 + 120 * i
                words.append(Word(word, 95.0, (x, y, x + 100, y + 40), (1, 1, y), y * 10 + len(words)))
        return words

    # Evenly spaced lines: only the rules (y = 235) tell the two rows apart.
    lines = [line(100, "ỦY BAN", "CỘNG HÒA"), line(170, "HUYỆN X", "Độc lập"), line(240, "Số: 1/KH", "ngày 2")]
    lines += [[Word(f"w{n}", 95.0, (300, 310 + 70 * n, 2000, 350 + 70 * n), (2, 1, n), 1000 + n)] for n in range(6)]
    rules = [(350, 225, 700, 228), (1350, 225, 1800, 228)]
    got = [" ".join(w.text for w in ws) for ws in order_columns(lines, rules)][:6]
    assert got == ["ỦY BAN", "HUYỆN X", "CỘNG HÒA", "Độc lập", "Số: 1/KH", "ngày 2"]
    got = [" ".join(w.text for w in ws) for ws in order_columns(lines)][:6]
    assert got[:3] == ["ỦY BAN", "HUYỆN X", "Số: 1/KH"]  # without the rules: one row
