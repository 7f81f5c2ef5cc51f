"""The one typed document that flows through every stage: pages of lines with provenance.

Ingestion fills it, repair rewrites `Line.text` (keeping `Line.raw` and a list of `Edit`s),
extraction reads it.  Table rows are lines too, in reading order, carrying their cells, so a
scoring table survives as rows of cells and prose around it keeps its order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterator

from planparse.errors import WarningCode

PAGE_BREAK = "\f"


class Origin(str, Enum):
    TEXT_LAYER = "text-layer"
    OCR = "ocr"
    TEXT_FILE = "text-file"
    MIXED = "mixed"


class Status(str, Enum):
    SUCCESS = "success"
    PARTIAL = "partial"
    FAILURE = "failure"


@dataclass(frozen=True)
class Edit:
    """One change made by a repair: `before` at [start, end) of the text before it became `after`."""

    kind: str  # "nfc", "tone-placement", "legacy-tcvn3", "legacy-vni", "diacritics", "ocr-eth" ...
    start: int
    end: int
    before: str
    after: str
    confidence: float | None = None


@dataclass(frozen=True)
class Issue:
    """A warning attached to a page or a document, as data (code from errors.py)."""

    code: str
    message: str
    page: int | None = None

    @classmethod
    def of(cls, warning: WarningCode, page: int | None = None, detail: str = "") -> "Issue":
        message = f"{warning.text} ({detail})" if detail else warning.text
        return cls(warning.code, message, page)

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page is not None else ""
        return f"{self.code} {where}{self.message}"


BBox = tuple[float, float, float, float]  # x0, y0, x1, y1 in points (PDF) or pixels (images)


@dataclass
class Line:
    """A line of text in reading order.  `text` is repaired; `raw` is as it was read."""

    text: str
    page: int  # 1-based
    number: int = 0  # 1-based within the page, set by Page.renumber()
    raw: str | None = None
    origin: Origin = Origin.TEXT_FILE
    bbox: BBox | None = None
    confidence: float | None = None  # OCR confidence 0..1, None when not OCR
    edits: list[Edit] = field(default_factory=list)
    table: int | None = None  # index of the table on the page this line is a row of
    row: int | None = None
    cells: list[str] | None = None  # the row's cells (repaired), when this line is a table row

    def __post_init__(self) -> None:
        if self.raw is None:
            self.raw = self.text

    def set_text(self, text: str, edits: list[Edit]) -> None:
        """Replace the repaired text, appending the edits that produced it."""
        self.text = text
        self.edits.extend(edits)


@dataclass
class Table:
    """A derived view: the rows of one table, as lists of cell strings."""

    page: int
    index: int
    rows: list[list[str]]
    line_start: int
    line_end: int


@dataclass
class Page:
    number: int  # 1-based
    lines: list[Line] = field(default_factory=list)
    origin: Origin = Origin.TEXT_FILE
    reason: str = ""  # why the text came from where it came from
    width: float | None = None
    height: float | None = None
    issues: list[Issue] = field(default_factory=list)

    def renumber(self) -> None:
        for i, line in enumerate(self.lines, start=1):
            line.number = i
            line.page = self.number

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def raw_text(self) -> str:
        return "\n".join(line.raw or "" for line in self.lines)

    @property
    def tables(self) -> list[Table]:
        tables: dict[int, Table] = {}
        for line in self.lines:
            if line.table is None:
                continue
            t = tables.setdefault(
                line.table, Table(self.number, line.table, [], line.number, line.number)
            )
            t.rows.append(list(line.cells or [line.text]))
            t.line_end = line.number
        return list(tables.values())


@dataclass
class Producer:
    """What produced a document: recorded in every definition."""

    planparse: str
    tesseract: str | None = None
    tesseract_lang: str | None = None
    restorer_model: str | None = None


@dataclass
class PlanDocument:
    path: str
    sha256: str
    pages: list[Page] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    producer: Producer | None = None

    @classmethod
    def from_text(cls, text: str, path: str = "<text>", origin: Origin = Origin.TEXT_FILE) -> "PlanDocument":
        """Build a document from plain text: pages split on form feeds, lines on newlines.

        A line containing tabs is read as a table row whose cells are the tab-separated parts
        (as .docx tables and `planparse text` output write them).
        """
        import hashlib

        doc = cls(path=path, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
        for number, page_text in enumerate(text.split(PAGE_BREAK), start=1):
            page = Page(number=number, origin=origin)
            table: int | None = None
            tables = 0
            row = 0
            for raw in page_text.split("\n"):
                cells = raw.split("\t") if "\t" in raw else None
                if cells is not None:
                    if table is None:
                        table, row = tables, 0
                        tables += 1
                    line = Line(raw, number, origin=origin, table=table, row=row, cells=cells)
                    row += 1
                else:
                    table = None
                    line = Line(raw, number, origin=origin)
                page.lines.append(line)
            page.renumber()
            doc.pages.append(page)
        return doc

    @property
    def origin(self) -> Origin:
        origins = {p.origin for p in self.pages}
        if len(origins) == 1:
            return origins.pop()
        return Origin.MIXED if origins else Origin.TEXT_FILE

    @property
    def status(self) -> Status:
        if not self.pages or not any(p.lines for p in self.pages):
            return Status.FAILURE
        if any(p.issues for p in self.pages) or self.issues:
            return Status.PARTIAL
        return Status.SUCCESS

    @property
    def text(self) -> str:
        """Repaired text, pages separated by a form feed."""
        return PAGE_BREAK.join(p.text for p in self.pages)

    @property
    def raw_text(self) -> str:
        return PAGE_BREAK.join(p.raw_text for p in self.pages)

    def lines(self) -> Iterator[Line]:
        for page in self.pages:
            yield from page.lines

    @property
    def all_issues(self) -> list[Issue]:
        return [*self.issues, *(i for p in self.pages for i in p.issues)]

    def to_data(self) -> dict:
        """The whole model as plain data (for `planparse text --json` and reviewers)."""
        from dataclasses import asdict

        data = asdict(self)
        data["origin"] = self.origin.value
        data["status"] = self.status.value
        for page in data["pages"]:
            page["origin"] = page["origin"].value
            for line in page["lines"]:
                line["origin"] = line["origin"].value
        return data
