"""Ruled tables on scanned pages: find the grid, describe its cells, erase its lines.

Why this exists: Tesseract reads a ruled table column-wise or mixes its columns, and the
ruling lines themselves come out as `|`, `_` or junk.  So before OCR we find the grid with
OpenCV morphology (an opening with a long thin kernel keeps only long horizontal or vertical
runs of ink, which text does not have), erase those lines, OCR the page once, and then put
every word back into the cell that contains its centre (see ocr.py).

Merged cells are found from the lines themselves: where the separator between two grid
units is missing, the units are one cell.  A merged cell is reported once, at its top-left
unit; the units it covers read as empty cells, so columns stay aligned row after row.

All detection runs on a half-size copy of a 300-dpi page (tens of milliseconds); coordinates
are returned in the full-size image's pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Analysis copy: long side at most this many pixels.
ANALYSIS_SIDE = 1800
# A line must cover this share of a unit's side to count as a separator there.
SEPARATOR_COVER = 0.8


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
        return self._by_unit.get((r, c)) if hasattr(self, "_by_unit") else None

    def index_cells(self) -> None:
        self._by_unit: dict[tuple[int, int], Cell] = {}
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
    return max(15, w // 25), max(15, h // 70)


def _line_masks(img: np.ndarray, hk: int, vk: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Otsu threshold, ink, horizontal-rule and vertical-rule masks.

    A short closing along each direction first bridges the small breaks that noise and
    binarisation leave in a rule, so the long opening keeps it whole.
    """
    import cv2

    thr, ink = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    rect = cv2.getStructuringElement
    horiz = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, rect(cv2.MORPH_RECT, (5, 1)))
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (hk, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, rect(cv2.MORPH_RECT, (1, 5)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (1, vk)))
    return int(thr), ink, horiz, vert


def find_grids(grey: np.ndarray) -> list[Grid]:
    """Every ruled table on the page (at least two rows or two columns of cells), top to bottom."""
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
        hrows = _positions(hm.any(axis=1), tol)
        vcols = _positions(vm.any(axis=0), tol)
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
        grid.index_cells()
        grids.append(grid)
    grids.sort(key=lambda g: g.box[1])
    return grids


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
        _, ink, horiz, vert = _line_masks(region, hk, vk)
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
        region[mask > 0] = 255
    return out
