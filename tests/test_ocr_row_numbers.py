"""Row numbers in a table's first column survive OCR (they become the criteria's ids).

Bug: Tesseract's page read dropped lone numerals opening a row and read bold "II" as "H",
so scanned plans lost their criterion ids; the short first-column cells are now re-read.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from planparse.ingest.ocr import ocr_image

FONTS = Path("/usr/share/fonts/truetype/liberation2")
ROWS = [
    ("STT", "Tiêu chí", "Điểm"),
    ("I", "Nhóm tiêu chí về dịch vụ công trực tuyến", "60"),
    ("1", "Tỷ lệ hồ sơ nộp trực tuyến toàn trình", "30"),
    ("II", "Nhóm tiêu chí về tài khoản định danh", "40"),
    ("3", "Số tài khoản được kích hoạt mới", "25"),
    ("III", "Điểm thưởng", "10"),
]


def _table_page() -> Image.Image:
    page = Image.new("L", (2480, 1400), 235)
    draw = ImageDraw.Draw(page)
    regular = ImageFont.truetype(str(FONTS / "LiberationSerif-Regular.ttf"), 50)
    bold = ImageFont.truetype(str(FONTS / "LiberationSerif-Bold.ttf"), 50)
    xs, top, height = [200, 360, 1900, 2200], 200, 150
    for r, row in enumerate(ROWS):
        y = top + r * height
        for c, text in enumerate(row):
            face = bold if r == 0 or row[0] in {"I", "II", "III"} else regular
            draw.text((xs[c] + 30, y + 45), text, font=face, fill=20)
    for r in range(len(ROWS) + 1):
        draw.line([(xs[0], top + r * height), (xs[-1], top + r * height)], fill=20, width=4)
    for x in xs:
        draw.line([(x, top), (x, top + len(ROWS) * height)], fill=20, width=4)
    return page


def test_first_column_numbers_are_read() -> None:
    lines = [line for line in ocr_image(_table_page(), 1).lines if line.cells]
    assert [line.cells[0] for line in lines] == [row[0] for row in ROWS]
    assert [line.cells[2] for line in lines[1:]] == [row[2] for row in ROWS[1:]]
