"""The document's structure as the extractor sees it: lines, paragraphs and sections.

Every later step reads these views, never the raw pages, so that text from a PDF text layer,
a scan or a .docx looks the same: blank lines dropped, NFC, a folded copy for matching, table
rows kept with their cells, and every piece traceable to its page and line numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from planparse.campaign import Provenance
from planparse.document import PlanDocument
from planparse.extract.lexicon import fold, nfc, rx

ROMAN_RE = re.compile(r"^\s*([IVX]{1,5})\s*[.)/:]?\s+(?=\S)|^\s*([IVX]{1,5})\s*[.)]?\s*$")
ARABIC_RE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,2})\s*[.)]\s*(?=\S)|^\s*(\d{1,2}(?:\.\d{1,2}){0,2})\s*[.)]?\s*$")
LETTER_RE = re.compile(r"^\s*([a-zđ])\s*\)\s*")
BULLET_RE = re.compile(r"^\s*[-–+*•]\s*")
PIPE_ROW_RE = re.compile(r"^\s*\|(?:[^|\n]*\|){2,}\s*$")
PIPE_RULE_RE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")
PIPE_TABLE_BASE = 10_000  # table ids for pipe tables, apart from the page's own tables


@dataclass
class TL:
    """One non-blank line: text (NFC, squeezed), its folded twin, cells when a table row."""

    index: int
    page: int
    number: int
    text: str
    fold: str
    cells: list[str] | None = None
    table: int | None = None
    columns: list[str] | None = None  # a prose line laid out in columns by runs of spaces


    @property
    def upper_ratio(self) -> float:
        letters = [c for c in self.text if c.isalpha()]
        if not letters:
            return 0.0
        return sum(c.isupper() for c in letters) / len(letters)


@dataclass
class Heading:
    level: int  # 1 roman, 2 arabic, 3 arabic.arabic, 4 letter
    label: str
    title: str
    line: TL


@dataclass
class Para:
    """Consecutive prose lines read as one sentence or list item."""

    lines: list[TL]
    text: str = ""
    fold: str = ""

    def __post_init__(self) -> None:
        if not self.text:
            self.text = join_lines(ln.text for ln in self.lines)
            self.fold = fold(self.text)


@dataclass
class Doc:
    """The extractor's view of a PlanDocument."""

    lines: list[TL]
    headings: list[Heading] = field(default_factory=list)
    full: str = ""
    full_fold: str = ""
    offsets: list[int] = field(default_factory=list)

    def line_at(self, pos: int) -> TL:
        return self.lines[max(0, bisect_right(self.offsets, pos) - 1)]

    def span_lines(self, start: int, end: int) -> list[TL]:
        a = max(0, bisect_right(self.offsets, start) - 1)
        b = max(0, bisect_right(self.offsets, max(start, end - 1)) - 1)
        return self.lines[a : b + 1]


def squeeze(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def join_lines(parts) -> str:
    """Join broken lines into one text, mending words split by a hyphen at the line end."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out.endswith("-") and not out.endswith(" -") and p[:1].isupper():
            out += p  # '211/KH-' + 'UBND'
        else:
            out = f"{out} {p}" if out else p
    return out


def build(doc: PlanDocument) -> Doc:
    lines: list[TL] = []
    pipe_tables = 0
    for page in doc.pages:
        in_pipe = False
        filled = [ln for ln in page.lines if ln.text.strip()]
        folio = {id(ln) for ln in filled[:1] + filled[-1:]
                 if ln.cells is None and re.fullmatch(r"\s*-?\s*\d{1,3}\s*-?\s*", ln.text) and len(doc.pages) > 1}
        for line in page.lines:
            if id(line) in folio:
                continue  # a page number
            cells, table = None, line.table
            if line.cells is None and PIPE_RULE_RE.match(line.text) and "-" in line.text:
                continue  # the '|---|---|' rule under a pipe table's header
            if line.cells is None and PIPE_ROW_RE.match(line.text):
                # a pipe table ('| 1 | Tỷ lệ … | 40 |'), as Markdown converters write one
                if not in_pipe:
                    pipe_tables += 1
                in_pipe = True
                cells = [squeeze(nfc(c)) for c in line.text.strip().strip("|").split("|")]
                text = " ".join(c for c in cells if c)
                table = PIPE_TABLE_BASE + pipe_tables
            elif line.cells is not None:
                in_pipe = False
                cells = [squeeze(nfc(c)) for c in line.cells]
                text = " ".join(c for c in cells if c)
            else:
                in_pipe = False
                text = squeeze(nfc(line.text))
            if not text:
                continue
            tl = TL(len(lines), page.number, line.number, text, fold(text), cells, table)
            if cells is None:
                parts = [squeeze(nfc(x)) for x in re.split(r"(?<=\S)[ \u00a0]{4,}(?=\S)", line.text)]
                tl.columns = parts if len(parts) > 1 else None
            lines.append(tl)
    d = Doc(lines)
    d.full = "\n".join(ln.text for ln in lines)
    d.full_fold = fold(d.full)
    pos = 0
    for ln in lines:
        d.offsets.append(pos)
        pos += len(ln.text) + 1
    d.headings = find_headings(lines)
    return d


def heading_of(line: TL) -> Heading | None:
    """The heading a line opens, if any (roman, arabic, arabic.arabic or letter)."""
    text = line.cells[0] if line.cells and line.cells[0] else line.text
    m = ROMAN_RE.match(text)
    if m:
        label = m.group(1) or m.group(2)
        return Heading(1, label, text[m.end():].strip(" .:"), line)
    m = ARABIC_RE.match(text)
    if m:
        label = m.group(1) or m.group(2)
        level = 2 + min(label.count("."), 1)
        return Heading(level, label, text[m.end():].strip(" .:"), line)
    m = LETTER_RE.match(line.text)
    if m:
        return Heading(4, m.group(1), line.text[m.end():].strip(), line)
    return None


def find_headings(lines: list[TL]) -> list[Heading]:
    """Section headings in prose: roman headings in capitals, numbered and lettered items."""
    out = []
    for ln in lines:
        if ln.cells is not None:
            continue
        h = heading_of(ln)
        if h is None:
            continue
        if h.level == 1 and (not h.title or ln.upper_ratio < 0.6):
            continue  # 'I.' or 'I. Cung cấp ...' inside a broken table, not a section
        out.append(h)
    return out


def paragraphs(lines: list[TL]) -> list[Para]:
    """Prose lines grouped into paragraphs: a new one at a bullet, a number, or after '.', ';', ':'."""
    paras: list[Para] = []
    cur: list[TL] = []
    for ln in lines:
        starts = ln.cells is not None or BULLET_RE.match(ln.text) or heading_of(ln) is not None
        if cur and (starts or cur[-1].text.rstrip().endswith((".", ";", ":", "./.")) or cur[-1].cells is not None
                    or (len(cur) == 1 and _short_heading(cur[0]))):
            paras.append(Para(cur))
            cur = []
        cur.append(ln)
    if cur:
        paras.append(Para(cur))
    return paras


def _short_heading(line: TL) -> bool:
    """A numbered heading line with a few words and no sentence after it ('1. Cách xếp hạng')."""
    h = heading_of(line)
    if h is None or h.level >= 4 or line.text.rstrip().endswith(","):
        return False
    if h.level == 1 and line.upper_ratio > 0.7 and line.cells is None:
        return True  # 'I. ĐỐI TƯỢNG VÀ THỜI GIAN THI ĐUA', however many words
    return 0 < len(h.title.split()) <= 6


def section_ranges(d: Doc, level: int = 1) -> list[tuple[Heading, int, int]]:
    """(heading, first line index, end index) for each heading of the level, in order."""
    hs = [h for h in d.headings if h.level == level]
    out = []
    for i, h in enumerate(hs):
        end = hs[i + 1].line.index if i + 1 < len(hs) else len(d.lines)
        out.append((h, h.line.index, end))
    return out


def find_section(d: Doc, keys: str, level: int | None = None) -> tuple[int, int] | None:
    """Line range of the first heading whose title matches lexicon keys ('sections.awards')."""
    pattern = rx("{" + keys + "}")
    for lvl in ([level] if level else [1, 2, 3]):
        for h, start, end in section_ranges(d, lvl):
            if pattern.search(fold(h.title)):
                if lvl > 1:
                    end = _end_of_sub(d, h, start)
                return start, end
    return None


def _end_of_sub(d: Doc, h: Heading, start: int) -> int:
    for other in d.headings:
        if other.line.index > start and other.level <= h.level:
            return other.line.index
    return len(d.lines)


def provenance(lines: list[TL], confidence: float = 1.0) -> Provenance | None:
    if not lines:
        return None
    first, last = lines[0], lines[-1]
    end = last.number if last.page == first.page else first.number
    return Provenance(page=first.page, line_start=first.number, line_end=end, confidence=round(confidence, 2))
