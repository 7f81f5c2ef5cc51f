"""Parser for the tiny `source.md` markup (the format is documented in make_samples.py).

The parser turns a source file into a flat list of `Block`s; inline markup inside a block's
text is parsed on demand into `Run`s by `parse_inline`, and `plain` gives the printed text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# Block kinds produced by the parser.
TITLE, CENTER, RIGHT, LEFT, SMALL, HEADING, SUBHEADING, PARA = (
    "title", "center", "right", "left", "small", "heading", "subheading", "para")
LETTERHEAD, SIGNATURE, TABLE, NEWPAGE = "letterhead", "signature", "table", "newpage"
GRID_KINDS = (LETTERHEAD, SIGNATURE, TABLE)

RULE = "---"          # a cell line (or `:s` line) that is a short horizontal rule
COLSPAN = ">"         # a cell merged into its left neighbour
ROWSPAN = "^"         # a cell merged into the cell above

_LINE_PREFIXES = [
    ("### ", SUBHEADING), ("## ", HEADING), ("# ", TITLE),
    (":c ", CENTER), (":r ", RIGHT), (":l ", LEFT), (":s ", SMALL),
]


@dataclass
class Cell:
    """One table cell: its lines (inline markup kept), and its span if it is an origin."""

    lines: list[str]
    colspan: int = 1
    rowspan: int = 1
    covered: bool = False  # True for the `>`/`^` positions a span covers

    @property
    def is_empty(self) -> bool:
        return not any(line.strip() and line.strip() != RULE for line in self.lines)


@dataclass
class Block:
    """One unit of the document: a line-level block, a grid (table) or a page break."""

    kind: str
    text: str = ""
    rows: list[list[Cell]] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)

    def column_widths(self) -> list[float]:
        """Relative column widths (fractions summing to 1)."""
        ncols = len(self.rows[0]) if self.rows else 0
        raw = self.options.get("widths")
        values = [float(v) for v in raw.split(",")] if raw else [1.0] * ncols
        if len(values) != ncols:
            raise ValueError(f"table widths {raw!r} do not match {ncols} columns")
        total = sum(values)
        return [v / total for v in values]

    def alignments(self) -> list[str]:
        ncols = len(self.rows[0]) if self.rows else 0
        raw = self.options.get("align")
        return raw.split(",") if raw else ["l"] * ncols

    @property
    def header_rows(self) -> int:
        return int(self.options.get("header", "1" if self.kind == TABLE else "0"))


@dataclass
class Run:
    """A piece of inline text with its formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    sup: bool = False


_INLINE = re.compile(r"\*\*|(?<![\w])_(?=\S)|(?<=\S)_(?![\w])|\^\[|\]")


def parse_inline(text: str) -> list[Run]:
    """Split `text` into runs: `**bold**`, `_italic_`, `^[superscript]`."""
    runs: list[Run] = []
    bold = italic = sup = False
    pos = 0
    for match in _INLINE.finditer(text):
        token = match.group()
        if token == "]" and not sup:
            continue  # a literal bracket
        if match.start() > pos:
            runs.append(Run(text[pos:match.start()], bold, italic, sup))
        if token == "**":
            bold = not bold
        elif token == "_":
            italic = not italic
        elif token == "^[":
            sup = True
        else:
            sup = False
        pos = match.end()
    if pos < len(text):
        runs.append(Run(text[pos:], bold, italic, sup))
    return runs


def plain(text: str) -> str:
    """The printed text of an inline-marked line, whitespace runs collapsed."""
    joined = "".join(run.text for run in parse_inline(text))
    return re.sub(r"\s+", " ", joined).strip()


def cell_plain_lines(cell: Cell) -> list[str]:
    """The printed, non-empty lines of a cell (rules dropped)."""
    out = []
    for line in cell.lines:
        if line.strip() == RULE:
            continue
        text = plain(line)
        if text:
            out.append(text)
    return out


def _parse_row(line: str) -> list[str]:
    body = line.strip()
    if not (body.startswith("|") and body.endswith("|")):
        raise ValueError(f"table row must start and end with '|': {line!r}")
    return [cell.strip() for cell in body[1:-1].split("|")]


def _resolve_spans(raw_rows: list[list[str]]) -> list[list[Cell]]:
    """Turn raw cell strings with `>`/`^` markers into Cells with spans."""
    ncols = len(raw_rows[0])
    rows: list[list[Cell]] = []
    for r, raw in enumerate(raw_rows):
        if len(raw) != ncols:
            raise ValueError(f"row {r + 1} has {len(raw)} cells, expected {ncols}: {raw}")
        rows.append([Cell(lines=c.split("<br>")) for c in raw])
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            marker = raw_rows[r][c]
            if marker == COLSPAN and c > 0:
                target = origin[(r, c - 1)]
            elif marker == ROWSPAN and r > 0:
                target = origin[(r - 1, c)]
            else:
                origin[(r, c)] = (r, c)
                continue
            origin[(r, c)] = target
            cell.covered, cell.lines = True, []
            host = rows[target[0]][target[1]]
            host.colspan = max(host.colspan, c - target[1] + 1)
            host.rowspan = max(host.rowspan, r - target[0] + 1)
    return rows


def parse(text: str) -> list[Block]:
    """Parse a source.md text into blocks."""
    text = unicodedata.normalize("NFC", text)
    blocks: list[Block] = []
    grid: Block | None = None
    raw_rows: list[list[str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if grid is not None:
            if stripped == ":::":
                grid.rows = _resolve_spans(raw_rows)
                blocks.append(grid)
                grid, raw_rows = None, []
            elif stripped:
                raw_rows.append(_parse_row(stripped))
            continue
        if not stripped or stripped.startswith("%"):
            continue
        if stripped.startswith("::: "):
            words = stripped[4:].split()
            if words[0] not in GRID_KINDS:
                raise ValueError(f"line {number}: unknown block {words[0]!r}")
            options = dict(w.split("=", 1) for w in words[1:])
            grid = Block(kind=words[0], options=options)
            continue
        if stripped.startswith("==="):
            words = stripped[3:].split()
            if not words or words[0] != "newpage":
                raise ValueError(f"line {number}: expected '=== newpage'")
            orientation = words[1] if len(words) > 1 else "portrait"
            blocks.append(Block(kind=NEWPAGE, options={"orientation": orientation}))
            continue
        for prefix, kind in _LINE_PREFIXES:
            if stripped.startswith(prefix):
                blocks.append(Block(kind=kind, text=stripped[len(prefix):].strip()))
                break
        else:
            blocks.append(Block(kind=PARA, text=stripped))
    if grid is not None:
        raise ValueError("unterminated ':::' block")
    return blocks


def parse_file(path: Path) -> list[Block]:
    return parse(Path(path).read_text(encoding="utf-8"))


def block_truth_lines(block: Block) -> list[str]:
    """Ground-truth lines of a whole block (the truth of a table is computed per row)."""
    if block.kind in GRID_KINDS:
        return [line for row in block.rows for line in row_truth(block, row)]
    if block.kind == NEWPAGE or block.text.strip() == RULE:
        return []
    text = plain(block.text)
    return [text] if text else []


def row_truth(block: Block, row: list[Cell]) -> list[str]:
    """Truth lines of one grid row.

    Data tables: one line, cells joined by TAB, a cell's lines joined by a space, covered
    (merged) positions empty. Layout grids (letterhead, signature): every printed line of the
    left cell, then every line of the right cell.
    """
    if block.kind == TABLE:
        return ["\t".join(" ".join(cell_plain_lines(c)) for c in row)]
    return [line for c in row for line in cell_plain_lines(c)]
