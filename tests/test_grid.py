"""Ruled-table detection on page images (no Tesseract): grid, merged cells, erasure."""

from __future__ import annotations

import time

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from planparse.ingest.grid import erase_lines, find_grids

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
W, H = 2480, 3508  # A4 at 300 dpi


def blank() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("L", (W, H), 255)
    return img, ImageDraw.Draw(img)


def rule_table(d: ImageDraw.ImageDraw, x0: int, y0: int, cols: list[int], rows: list[int], width: int = 3) -> None:
    """Full rules at the given offsets from (x0, y0)."""
    for r in rows:
        d.line((x0 + cols[0], y0 + r, x0 + cols[-1], y0 + r), fill=0, width=width)
    for c in cols:
        d.line((x0 + c, y0 + rows[0], x0 + c, y0 + rows[-1]), fill=0, width=width)


def test_simple_grid_found_with_its_rows_and_columns() -> None:
    img, d = blank()
    rule_table(d, 300, 1000, [0, 200, 1300, 1600, 1900], [0, 110, 290, 470, 580])
    grids = find_grids(np.asarray(img))
    assert len(grids) == 1
    g = grids[0]
    assert (g.n_rows, g.n_cols) == (4, 4)
    assert all(abs(a - b) <= 4 for a, b in zip(g.cols, [300, 500, 1600, 1900, 2200]))
    assert all(abs(a - b) <= 4 for a, b in zip(g.rows, [1000, 1110, 1290, 1470, 1580]))
    assert len(g.cells) == 16 and all(c.row_span == c.col_span == 1 for c in g.cells)
    assert g.cell_at(1000, 1200).col == 1 and g.cell_at(1000, 1200).row == 1
    assert g.cell_at(100, 100) is None


def test_merged_cells_follow_the_missing_rules() -> None:
    img, d = blank()
    x0, y0 = 300, 800
    cols, rows = [0, 200, 1300, 1600, 1900], [0, 110, 220, 330, 440]
    # Outer frame and the header rule.
    for r in (rows[0], rows[1], rows[-1]):
        d.line((x0, y0 + r, x0 + cols[-1], y0 + r), fill=0, width=3)
    for c in (cols[0], cols[-1]):
        d.line((x0 + c, y0, x0 + c, y0 + rows[-1]), fill=0, width=3)
    # Row 1 is a section header spanning all columns but the first; rows 2-3 have all rules,
    # except that column 0 of rows 2 and 3 is one cell (a shared STT).
    d.line((x0 + cols[1], y0, x0 + cols[1], y0 + rows[-1]), fill=0, width=3)
    for c in cols[2:4]:
        d.line((x0 + c, y0, x0 + c, y0 + rows[1]), fill=0, width=3)
        d.line((x0 + c, y0 + rows[2], x0 + c, y0 + rows[-1]), fill=0, width=3)
    d.line((x0, y0 + rows[2], x0 + cols[-1], y0 + rows[2]), fill=0, width=3)
    d.line((x0 + cols[1], y0 + rows[3], x0 + cols[-1], y0 + rows[3]), fill=0, width=3)
    grids = find_grids(np.asarray(img))
    assert len(grids) == 1
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in grids[0].cells}
    assert spans[(1, 1)] == (1, 3)  # section header
    assert spans[(2, 0)] == (2, 1)  # shared STT
    assert spans[(0, 0)] == (1, 1) and spans[(3, 3)] == (1, 1)
    assert grids[0].cell_at(x0 + 1700, y0 + 160) is grids[0].cell_at(x0 + 400, y0 + 160)


def test_no_grid_in_prose_or_under_a_letterhead() -> None:
    img, d = blank()
    font = ImageFont.truetype(FONT, 54)
    for i in range(30):
        d.text((300, 300 + i * 75), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — TT HH ||| llll IIII", font=font, fill=0)
    d.line((1500, 2700, 2100, 2700), fill=0, width=3)  # letterhead underlines: rules without a grid
    d.line((300, 2800, 800, 2800), fill=0, width=3)
    d.rectangle((300, 3000, 900, 3200), outline=0, width=3)  # a single framed box is not a table
    assert find_grids(np.asarray(img)) == []


def test_two_tables_top_to_bottom() -> None:
    img, d = blank()
    rule_table(d, 300, 2200, [0, 900, 1800], [0, 100, 200, 300])
    rule_table(d, 300, 600, [0, 600, 1200, 1800], [0, 100, 200])
    grids = find_grids(np.asarray(img))
    assert [(g.n_rows, g.n_cols) for g in grids] == [(2, 3), (3, 2)]


def test_erasing_removes_rules_and_keeps_text() -> None:
    img, d = blank()
    rule_table(d, 300, 1000, [0, 200, 1300, 1900], [0, 110, 220])
    font = ImageFont.truetype(FONT, 54)
    d.text((330, 1025), "STT", font=font, fill=0)  # bold TT: a short horizontal run of ink
    d.text((530, 1025), "Nội dung", font=font, fill=0)
    d.text((330, 1135), "1", font=font, fill=0)
    grey = np.asarray(img)
    grids = find_grids(grey)
    clean = erase_lines(grey, grids)
    assert grey is not clean and (grey < 128).sum() > (clean < 128).sum()
    # The rules are gone ...
    assert (clean[995:1006, 300:2200] < 128).sum() == 0
    assert (clean[1000:1220, 495:506] < 128).sum() == 0
    # ... and the text inside the cells is untouched.
    inside = (slice(1015, 1100), slice(310, 495))
    assert np.array_equal(grey[inside], clean[inside])
    inside = (slice(1015, 1100), slice(510, 1290))
    assert np.array_equal(grey[inside], clean[inside])


def test_rotated_and_noisy_table_still_found() -> None:
    img, d = blank()
    rule_table(d, 300, 1000, [0, 200, 1300, 1900], [0, 110, 220, 330], width=4)
    rng = np.random.default_rng(0)
    noisy = np.asarray(img.rotate(0.3, fillcolor=255), dtype=np.float32) + rng.normal(0, 10, (H, W))
    grids = find_grids(np.clip(noisy, 0, 255).astype(np.uint8))
    assert len(grids) == 1 and (grids[0].n_rows, grids[0].n_cols) == (3, 3)


def test_detection_is_cheap() -> None:
    img, d = blank()
    rule_table(d, 300, 1000, [0, 200, 1300, 1600, 1900], [0, 110, 290, 470, 580])
    grey = np.asarray(img)
    find_grids(grey)  # warm up OpenCV
    start = time.perf_counter()
    erase_lines(grey, find_grids(grey))
    assert time.perf_counter() - start < 0.5  # ~40 ms measured; generous for a shared machine


def test_cells_are_laid_out_under_the_page_and_map_back() -> None:
    from planparse.ingest.grid import lay_out_cells

    img, d = blank()
    rule_table(d, 300, 1000, [0, 200, 1300, 1900], [0, 110, 220])
    font = ImageFont.truetype(FONT, 54)
    d.text((330, 1025), "STT", font=font, fill=0)
    d.text((530, 1025), "Nội dung", font=font, fill=0)
    d.text((330, 1135), "1", font=font, fill=0)
    d.text((330, 400), "Văn bản ngoài bảng", font=font, fill=0)
    grey = np.asarray(img)
    grids = find_grids(grey)
    composed, placements = lay_out_cells(erase_lines(grey, grids), grids)
    assert composed.shape[0] > H and composed.shape[1] == W
    # The table is blanked on the page, the text outside it is not.
    assert (composed[1000:1220, 300:2200] < 128).sum() == 0
    assert np.array_equal(composed[380:480, 300:1000], grey[380:480, 300:1000])
    # Only the three written cells are laid out; each crop is its cell's ink, moved.
    assert sorted((p.cell.row, p.cell.col) for p in placements) == [(0, 0), (0, 1), (1, 0)]
    for p in placements:
        x0, y0, x1, y1 = p.rect
        assert y0 >= H
        assert np.array_equal(composed[y0:y1, x0:x1], grey[y0 + p.dy : y1 + p.dy, x0 + p.dx : x1 + p.dx])
        assert grids[0].cell_at(x0 + p.dx + 5, y0 + p.dy + 5) is p.cell
    # One shelf per table row: the first row's cells side by side, the second row below.
    first = [p for p in placements if p.cell.row == 0]
    second = [p for p in placements if p.cell.row == 1]
    assert abs(first[0].rect[1] - first[1].rect[1]) < 40
    assert second[0].rect[1] > max(p.rect[3] for p in first)


def test_no_grids_leaves_the_page_alone() -> None:
    from planparse.ingest.grid import lay_out_cells

    img, _ = blank()
    grey = np.asarray(img)
    assert erase_lines(grey, []) is grey
    composed, placements = lay_out_cells(grey, [])
    assert placements == [] and np.array_equal(composed, grey)
