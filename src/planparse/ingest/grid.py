"""Ruled tables on scanned pages: find the grid, describe its cells, erase its lines.

Why this exists: Tesseract reads a ruled table column-wise or mixes its columns, and the
ruling lines themselves come out as `|`, `_` or junk.  So before OCR we find the grid with
OpenCV morphology (an opening with a long thin kernel keeps only long horizontal or vertical
runs of ink, which text does not have), erase those lines, and lay the cells out, cropped to
their ink, in a strip under the page (`lay_out_cells`), so that the page is still OCR'd once
and every word found in the strip goes back to its cell (see ocr.py).

Merged cells are found from the lines themselves: where the separator between two grid
units is missing, the units are one cell.  A merged cell is reported once, at its top-left
unit; the units it covers read as empty cells, so columns stay aligned row after row.

All detection runs on a copy about 1400 pixels tall (~30 ms; the same grids as at 1800 on
every sample page); coordinates are returned in the full-size image's pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Analysis copy: long side at most this many pixels.
ANALYSIS_SIDE = 1400
# A line must cover this share of a unit's side to count as a separator there.
SEPARATOR_COVER = 0.8
# Space between the cells of one table row in the strip under the page (share of page width).
CELL_GAP = 0.04
# Space between the shelves (table rows) of that strip.
ROW_GAP = 0.03


@dataclass
class Cell:
    row: int
    col: int
    row_span: int
    col_span: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in full-size pixels


@dataclass
class Grid:
    """One ruled table: its outline, the positions of its rules, and its (merged) cells."""

    box: tuple[int, int, int, int]
    rows: list[int]  # y of every horizontal rule, top to bottom (len = number of rows + 1)
    cols: list[int]  # x of every vertical rule, left to right (len = number of columns + 1)
    cells: list[Cell] = field(default_factory=list)
    scale: float = 1.0  # analysis size / full size
    kernels: tuple[int, int] = (15, 15)  # rule-finding kernel lengths (analysis pixels)
    _by_unit: dict[tuple[int, int], Cell] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.index_cells()

    @property
    def n_rows(self) -> int:
        return len(self.rows) - 1

    @property
    def n_cols(self) -> int:
        return len(self.cols) - 1

    def contains(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.box
        return x0 <= x < x1 and y0 <= y < y1

    def cell_at(self, x: float, y: float) -> Cell | None:
        """The cell whose box contains the point, or None (on a rule or outside)."""
        r = int(np.searchsorted(self.rows, y, side="right")) - 1
        c = int(np.searchsorted(self.cols, x, side="right")) - 1
        if not (0 <= r < self.n_rows and 0 <= c < self.n_cols):
            return None
        return self._by_unit.get((r, c))

    def index_cells(self) -> None:
        """Map every grid unit to the (merged) cell covering it; call again after editing cells."""
        self._by_unit = {}
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    self._by_unit[(r, c)] = cell


def _positions(profile: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of True in a 1-D profile, joined across gaps shorter than `gap`: (start, end)."""
    idx = np.flatnonzero(profile)
    if idx.size == 0:
        return []
    runs = []
    start = prev = int(idx[0])
    for i in idx[1:]:
        i = int(i)
        if i - prev > gap:
            runs.append((start, prev + 1))
            start = i
        prev = i
    runs.append((start, prev + 1))
    return runs


def _kernels(shape: tuple[int, ...]) -> tuple[int, int]:
    """Rule kernel lengths: longer than any stroke of body text, shorter than one table cell."""
    h, w = shape[:2]
    # The vertical kernel follows the page's width too: a landscape or half page has lines of
    # text as tall as a portrait A4 page's, on a smaller height.
    return max(15, w // 25), max(15, round(max(h, w * 1.41) / 70))


def _line_masks(
    img: np.ndarray, hk: int, vk: int, bridge: int = 0
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Otsu threshold, ink, horizontal-rule and vertical-rule masks.

    `bridge` > 0 first closes small breaks along each direction, so that the long opening keeps
    a broken rule whole.  Only for erasure, inside known rule bands: during detection it joins
    the serifs of bold words into false rules.
    """
    import cv2

    thr, ink = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    rect = cv2.getStructuringElement
    horiz = vert = ink
    if bridge:
        horiz = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, rect(cv2.MORPH_RECT, (bridge, 1)))
        vert = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, rect(cv2.MORPH_RECT, (1, bridge)))
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (hk, 1)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (1, vk)))
    return int(thr), ink, horiz, vert


def _is_rule(profile: np.ndarray, rules: list[tuple[int, int]], length: int, tol: int) -> bool:
    """Whether a vertical candidate has a stretch that runs from one horizontal rule to
    another, as a column separator does.  Strokes of text, even stacked over several lines,
    start and end between the rules."""
    ends = np.array([(a + b) / 2 for a, b in rules])
    if ends.size < 2:
        return False
    for a, b in _positions(profile, 1):
        if b - a >= 1.2 * length and np.abs(ends - a).min() <= 3 * tol and np.abs(ends - (b - 1)).min() <= 3 * tol:
            return True
    return False


def find_grids(grey: np.ndarray) -> list[Grid]:
    """Every ruled table on the page (at least two rows or two columns of cells), top to bottom."""
    return find_layout(grey)[0]


def find_layout(grey: np.ndarray) -> tuple[list[Grid], list[tuple[int, int, int, int]]]:
    """The page's ruled tables, and its other horizontal rules (x0, y0, x1, y1).

    The short rules under a letterhead's two cells ("---") separate its rows; ocr.py uses
    them to read "Số: …" after, not inside, the issuer's name.
    """
    import cv2

    full_h, full_w = grey.shape[:2]
    scale = min(1.0, ANALYSIS_SIDE / max(full_h, full_w, 1))
    if scale < 1.0:
        small = cv2.resize(grey, (round(full_w * scale), round(full_h * scale)), interpolation=cv2.INTER_AREA)
    else:
        small = grey
    kernels = _kernels(small.shape)
    _, ink, horiz, vert = _line_masks(small, *kernels)
    h, w = small.shape
    joints = cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joints, connectivity=8)
    grids: list[Grid] = []
    tol = 3  # analysis pixels (~0.5 mm): a rule's thickness plus slack
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if bw < w * 0.1 or bh < h * 0.02:
            continue
        comp = labels[y : y + bh, x : x + bw] == i
        hm = (horiz[y : y + bh, x : x + bw] > 0) & comp
        vm = (vert[y : y + bh, x : x + bw] > 0) & comp
        # A rule is long: a horizontal one spans at least a narrow column, a vertical one at
        # least one row.  Shorter runs are text (a bold word's underline, a tall glyph).
        hrows = [r for r in _positions(hm.any(axis=1), tol) if hm[r[0] : r[1]].any(axis=0).sum() >= max(1.5 * kernels[0], 0.08 * bw)]
        vcols = [c for c in _positions(vm.any(axis=0), tol) if _is_rule(vm[:, c[0] : c[1]].any(axis=1), hrows, kernels[1], tol)]
        if len(hrows) < 2 or len(vcols) < 2 or (len(hrows) < 3 and len(vcols) < 3):
            continue
        ys = [y + (a + b) // 2 for a, b in hrows]
        xs = [x + (a + b) // 2 for a, b in vcols]
        cells = _cells(ink, ys, xs, tol)
        inv = 1.0 / scale
        grid = Grid(
            box=(round(xs[0] * inv), round(ys[0] * inv), round(xs[-1] * inv), round(ys[-1] * inv)),
            rows=[round(v * inv) for v in ys],
            cols=[round(v * inv) for v in xs],
            cells=[
                Cell(r, c, rs, cs, tuple(round(v * inv) for v in (xs[c], ys[r], xs[c + cs], ys[r + rs])))
                for r, c, rs, cs in cells
            ],
            scale=scale,
            kernels=kernels,
        )
        grids.append(grid)
    grids.sort(key=lambda g: g.box[1])
    rules: list[tuple[int, int, int, int]] = []
    n, _, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    inv = 1.0 / scale
    for x, y, bw, bh, _ in stats[1:]:
        if bh > 4 * tol:  # a thick bar or a blob, not a rule
            continue
        box = (round(x * inv), round(y * inv), round((x + bw) * inv), round((y + bh) * inv))
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        if not any(g.box[0] - 10 <= cx <= g.box[2] + 10 and g.box[1] - 10 <= cy <= g.box[3] + 10 for g in grids):
            rules.append(box)
    rules.sort(key=lambda r: r[1])
    return grids, rules


def _cells(ink: np.ndarray, ys: list[int], xs: list[int], tol: int) -> list[tuple[int, int, int, int]]:
    """Merge grid units across missing separators: (row, col, row_span, col_span) per cell."""
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(nr):
        y0, y1 = ys[r] + tol, ys[r + 1] - tol
        for c in range(nc):
            x0, x1 = xs[c] + tol, xs[c + 1] - tol
            if c + 1 < nc and y1 > y0:  # separator to the right: vertical rule at xs[c+1]
                band = ink[y0:y1, max(0, xs[c + 1] - tol) : xs[c + 1] + tol + 1]
                if band.size and band.any(axis=1).mean() < SEPARATOR_COVER:
                    union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and x1 > x0:  # separator below: horizontal rule at ys[r+1]
                band = ink[max(0, ys[r + 1] - tol) : ys[r + 1] + tol + 1, x0:x1]
                if band.size and band.any(axis=0).mean() < SEPARATOR_COVER:
                    union(r * nc + c, (r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    cells = []
    for units in groups.values():
        rs = [u[0] for u in units]
        cs = [u[1] for u in units]
        cells.append((min(rs), min(cs), max(rs) - min(rs) + 1, max(cs) - min(cs) + 1))
    cells.sort()
    return cells


def erase_lines(grey: np.ndarray, grids: list[Grid]) -> np.ndarray:
    """A copy of the page with the grids' rules painted white (they hurt OCR).

    The rules are found again at full size inside each table's box (cheap: one region), so the
    erasure follows their real thickness instead of an upscaled analysis mask.
    """
    import cv2

    if not grids:
        return grey
    out = grey.copy()
    full_h, full_w = grey.shape[:2]
    for grid in grids:
        pad = max(6, round(4 / grid.scale))
        x0, y0 = max(0, grid.box[0] - pad), max(0, grid.box[1] - pad)
        x1, y1 = min(full_w, grid.box[2] + pad + 1), min(full_h, grid.box[3] + pad + 1)
        region = out[y0:y1, x0:x1]
        if region.size == 0:
            continue
        hk, vk = (max(9, round(k / grid.scale)) for k in grid.kernels)
        _, ink, horiz, vert = _line_masks(region, hk, vk, bridge=max(3, round(2 / grid.scale)))
        # Only what lies on a known rule: a bold "TT" in a header can pass for a short rule.
        band = max(4, round(4 / grid.scale))
        rows = np.zeros(region.shape[0], bool)
        for y in grid.rows:
            rows[max(0, y - y0 - band) : max(0, y - y0 + band + 1)] = True
        cols = np.zeros(region.shape[1], bool)
        for x in grid.cols:
            cols[max(0, x - x0 - band) : max(0, x - x0 + band + 1)] = True
        horiz[~rows, :] = 0
        vert[:, ~cols] = 0
        mask = cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8), iterations=2 if grid.scale < 0.9 else 1)
        # Paint with the paper's own shade: white strokes on tinted paper read as edges.
        paper = int(np.median(region[::4, ::4]))  # mostly paper
        region[mask > 0] = paper
    return out


@dataclass
class Placement:
    """Where one cell's crop sits in the composed image, and how to map it back to the page."""

    grid: int
    cell: Cell
    rect: tuple[int, int, int, int]  # x0, y0, x1, y1 in the composed image
    dx: int  # page x = composed x + dx
    dy: int


def lay_out_cells(clean: np.ndarray, grids: list[Grid]) -> tuple[np.ndarray, list[Placement]]:
    """The page with its tables blanked and, below it, every non-empty cell cropped to its ink.

    Why: Tesseract's page layout joins words of neighbouring cells into one text line whenever
    they are roughly level, and a line whose parts sit on different baselines (a header cell
    centred over two rows next to a two-line cell) is read as garbage.  Cropped to their ink,
    top-aligned and set apart by wide gaps, the cells read like ordinary text, and the page is
    still OCR'd in one call.  The crops keep their full resolution and inner line breaks.
    """
    import cv2

    h, w = clean.shape[:2]
    sample = clean[::4, ::4]
    paper = int(np.median(sample))  # the paper: crops must not stand out as boxes
    thr, _ = cv2.threshold(np.ascontiguousarray(sample), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    page = clean.copy()
    margin = max(4, round(w * 0.008))
    crops: list[tuple[int, Cell, tuple[int, int, int, int], float]] = []
    for gi, grid in enumerate(grids):
        band = max(3, round(3 / grid.scale))
        gx0, gy0, gx1, gy1 = grid.box
        # Ink of the whole table once; a 2x2 opening drops the specks of scan noise, which
        # would otherwise make an empty cell look written on.
        ink = (clean[gy0:gy1, gx0:gx1] <= thr).astype(np.uint8)  # <=: Otsu gives 0 on binary pages
        ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
        for cell in grid.cells:
            x0, y0, x1, y1 = cell.box
            ix0, iy0, ix1, iy1 = x0 + band, y0 + band, x1 - band, y1 - band
            if ix1 - ix0 < 3 or iy1 - iy0 < 3:
                continue
            mask = ink[iy0 - gy0 : iy1 - gy0, ix0 - gx0 : ix1 - gx0]
            cols = np.flatnonzero(mask.any(axis=0))
            if cols.size == 0:
                continue
            rows = np.flatnonzero(mask.any(axis=1))
            bx0, bx1 = int(cols[0]), int(cols[-1]) + 1
            by0, by1 = int(rows[0]), int(rows[-1]) + 1
            box = (
                max(ix0, ix0 + bx0 - margin),
                max(iy0, iy0 + by0 - margin),
                min(ix1, ix0 + bx1 + margin),
                min(iy1, iy0 + by1 + margin),
            )
            # Middle of the first text line, from the crop's top: crops of one table row are
            # lined up on it, so that Tesseract reads them as one line of separate words.
            rows = rows + iy0 - box[1]
            breaks = np.flatnonzero(np.diff(rows) > 1)
            first_end = rows[breaks[0]] if breaks.size else rows[-1]
            crops.append((gi, cell, box, (rows[0] + first_end) / 2))
        pad = band * 2
        page[max(0, gy0 - pad) : gy1 + pad + 1, max(0, gx0 - pad) : gx1 + pad + 1] = paper
    if not crops:
        return page, []
    # One shelf per table row (wrapped when too wide), cells a few spaces apart: a short cell
    # ("2.", "I.", "40") read alone is often misread; on a line with its row it reads well.
    gap_x = max(12, round(w * CELL_GAP))
    gap_y = max(20, round(w * ROW_GAP))
    placements: list[Placement] = []
    pastes: list[tuple[tuple[int, int, int, int], tuple[int, int, int, int]]] = []
    y = h + gap_y
    shelves: list[list[tuple[int, Cell, tuple[int, int, int, int], float]]] = []
    for item in crops:
        gi, cell, box, _ = item
        width = box[2] - box[0]
        last = shelves[-1] if shelves else None
        same_row = last is not None and (last[0][0], last[0][1].row) == (gi, cell.row)
        used = sum(b[2] - b[0] + gap_x for _, _, b, _ in last) if last else 0
        if same_row and gap_x + used + width <= w:
            last.append(item)
        else:
            shelves.append([item])
    for shelf in shelves:
        mid = max(m for _, _, _, m in shelf)
        x = gap_x
        bottom = y
        for gi, cell, (cx0, cy0, cx1, cy1), m in shelf:
            top = y + int(round(mid - m))
            rect = (x, top, x + cx1 - cx0, top + cy1 - cy0)
            placements.append(Placement(gi, cell, rect, cx0 - x, cy0 - top))
            pastes.append((rect, (cx0, cy0, cx1, cy1)))
            x = rect[2] + gap_x
            bottom = max(bottom, rect[3])
        y = bottom + gap_y
    total_w = max(w, max(p.rect[2] for p in placements) + gap_x)
    out = np.full((y, total_w), paper, np.uint8)
    out[:h, :w] = page
    for (x0, y0, x1, y1), (cx0, cy0, cx1, cy1) in pastes:
        out[y0:y1, x0:x1] = clean[cy0:cy1, cx0:cx1]
    return out, placements
