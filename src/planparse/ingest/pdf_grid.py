"""Ruled tables in born-digital PDFs, found from the vector lines that draw their grid.

Office documents draw table borders as thin lines or thin rectangles.  We collect the
horizontal and vertical segments, group the ones that touch into tables, and cut each table
into row bands (between consecutive horizontal rules) and, per band, into cells (between the
vertical rules that cross that band), so horizontally merged cells stay one cell.  This is
cheaper and more faithful than guessing columns from text positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TOL = 1.5  # points: rules closer than this are the same rule
THIN = 2.5  # points: a rectangle thinner than this is a rule


@dataclass
class Segment:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= TOL and self.x1 - self.x0 > TOL

    @property
    def vertical(self) -> bool:
        return abs(self.x1 - self.x0) <= TOL and self.y1 - self.y0 > TOL


@dataclass
class Grid:
    """A table: row bands top to bottom, each with its cell boxes left to right."""

    bbox: tuple[float, float, float, float]
    rows: list[list[tuple[float, float, float, float]]] = field(default_factory=list)
    # A cell with no rule above it is the lower part of a cell spanning rows: it maps to the top part.
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    columns: list[float] = field(default_factory=list)  # x of every vertical rule of the table

    def width(self, r: int, c: int) -> int:
        """How many of the table's columns cell (r, c) spans."""
        x0, _, x1, _ = self.rows[r][c]
        return 1 + sum(1 for x in self.columns if x0 + TOL < x < x1 - TOL)

    def locate(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, column) of the cell containing the point, or None."""
        x0, y0, x1, y1 = self.bbox
        if not (x0 - TOL <= x <= x1 + TOL and y0 - TOL <= y <= y1 + TOL):
            return None
        for r, cells in enumerate(self.rows):
            if cells and cells[0][1] - TOL <= y <= cells[0][3] + TOL:
                for c, (cx0, _, cx1, _) in enumerate(cells):
                    if cx0 - TOL <= x <= cx1 + TOL:
                        return self.spans.get((r, c), (r, c))
        return None

    def link_row_spans(self, rules: list[Segment]) -> None:
        """Record cells that continue the cell above them (no horizontal rule between the two)."""
        for r in range(1, len(self.rows)):
            for c, (x0, top, x1, _) in enumerate(self.rows[r]):
                mid = (x0 + x1) / 2
                ruled = any(abs(h.y0 - top) <= TOL and h.x0 - TOL <= mid <= h.x1 + TOL for h in rules)
                if ruled:
                    continue
                above = next(
                    (k for k, (a0, _, a1, _) in enumerate(self.rows[r - 1]) if a0 - TOL <= mid <= a1 + TOL), None
                )
                if above is not None:
                    self.spans[(r, c)] = self.spans.get((r - 1, above), (r - 1, above))


def _segments(page) -> list[Segment]:
    segments: list[Segment] = []
    for path in page.get_drawings():
        for item in path.get("items", ()):
            op = item[0]
            if op == "l":
                p, q = item[1], item[2]
                segments.append(Segment(min(p.x, q.x), min(p.y, q.y), max(p.x, q.x), max(p.y, q.y)))
            elif op == "re":
                r = item[1]
                if r.width <= THIN or r.height <= THIN:
                    cy, cx = (r.y0 + r.y1) / 2, (r.x0 + r.x1) / 2
                    if r.width <= THIN:
                        segments.append(Segment(cx, r.y0, cx, r.y1))
                    else:
                        segments.append(Segment(r.x0, cy, r.x1, cy))
                else:  # a bordered box: its four edges
                    segments += [
                        Segment(r.x0, r.y0, r.x1, r.y0),
                        Segment(r.x0, r.y1, r.x1, r.y1),
                        Segment(r.x0, r.y0, r.x0, r.y1),
                        Segment(r.x1, r.y0, r.x1, r.y1),
                    ]
    return [s for s in segments if s.horizontal or s.vertical]


def _touch(h: Segment, v: Segment) -> bool:
    return h.x0 - TOL <= v.x0 <= h.x1 + TOL and v.y0 - TOL <= h.y0 <= v.y1 + TOL


def _components(hs: list[Segment], vs: list[Segment]) -> list[tuple[list[Segment], list[Segment]]]:
    """Groups of horizontal and vertical rules that touch each other (union-find)."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _touch(h, v):
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return list(groups.values())


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > TOL:
            out.append(v)
    return out


def find_grids(page) -> list[Grid]:
    """The ruled tables of a PyMuPDF page, top to bottom."""
    segments = _segments(page)
    hs = [s for s in segments if s.horizontal]
    vs = [s for s in segments if s.vertical]
    if len(hs) < 2 or len(vs) < 2:
        return []
    grids = []
    for g_hs, g_vs in _components(hs, vs):
        ys = _cluster([h.y0 for h in g_hs])
        if len(ys) < 2 or len(g_vs) < 2:
            continue
        x0 = min(h.x0 for h in g_hs)
        x1 = max(h.x1 for h in g_hs)
        grid = Grid((x0, ys[0], x1, ys[-1]), columns=_cluster([v.x0 for v in g_vs]))
        for top, bottom in zip(ys, ys[1:]):
            mid = (top + bottom) / 2
            xs = _cluster([v.x0 for v in g_vs if v.y0 - TOL <= mid <= v.y1 + TOL])
            if len(xs) < 2:
                continue
            grid.rows.append([(a, top, b, bottom) for a, b in zip(xs, xs[1:])])
        if grid.rows and (len(grid.rows) > 1 or len(grid.rows[0]) > 1):
            grid.link_row_spans(g_hs)
            grids.append(grid)
    grids.sort(key=lambda g: g.bbox[1])
    return grids
