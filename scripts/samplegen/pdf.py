"""Born-digital PDF rendering (reportlab platypus) and the page-by-page ground truth.

The same layout is drawn either with Liberation Serif and Unicode text, or with the
.VnTime/.VnTimeH look-alike fonts and TCVN3-encoded text (`legacy=True`). While the document
is built, every flowable reports the page it landed on, so the truth follows the real
pagination, including tables split over pages (their repeated header rows included).
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab.platypus.paragraph as _rl_paragraph
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, HRFlowable, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle)

from . import legacy
from .markup import (CENTER, GRID_KINDS, HEADING, LEFT, LETTERHEAD, NEWPAGE, PARA, RIGHT, RULE,
                     SIGNATURE, SMALL, SUBHEADING, TABLE, TITLE, Block, Cell, parse_inline,
                     plain, row_truth)

# TCVN3 stores "ư" as byte 0xAD, which Latin-1 reads as a soft hyphen; reportlab's paragraph
# code would treat it as a hyphenation point and drop it. Nothing in our text is a real soft
# hyphen, so point reportlab's soft-hyphen marker at an unused private-use character.
_rl_paragraph._shy = "\ue000"

BODY_SIZE = 13
TABLE_SIZE = 12
LANDSCAPE_MARGINS = (20 * mm, 15 * mm, 15 * mm, 17 * mm)  # left, right, bottom, top
MARGINS = dict(leftMargin=30 * mm, rightMargin=15 * mm, topMargin=20 * mm, bottomMargin=20 * mm)
FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
UNICODE_FAMILY = "LiberationSerif"


def register_fonts(encoding: str | None) -> None:
    """Register Liberation Serif (and the legacy look-alikes) with reportlab, once."""
    from reportlab.lib.fonts import addMapping

    if UNICODE_FAMILY not in pdfmetrics.getRegisteredFontNames():
        for style, suffix in legacy.STYLES.items():
            pdfmetrics.registerFont(TTFont(UNICODE_FAMILY + style,
                                           str(FONT_DIR / f"LiberationSerif-{suffix}.ttf")))
        _map_family(UNICODE_FAMILY, addMapping)
    cache = Path(tempfile.gettempdir()) / "planparse-samplegen-fonts"
    if encoding == "vni" and legacy.VNI_FAMILY not in pdfmetrics.getRegisteredFontNames():
        for style in legacy.STYLES:
            path = legacy.build_vni_font(style, str(cache))
            pdfmetrics.registerFont(TTFont(legacy.vni_font_name(style), str(path)))
        _map_family(legacy.VNI_FAMILY, addMapping)
    if encoding == "tcvn3" and ".VnTime" not in pdfmetrics.getRegisteredFontNames():
        for capital in (False, True):
            for style in legacy.STYLES:
                path = legacy.build_font(capital, style, str(cache))
                pdfmetrics.registerFont(TTFont(legacy.font_name(capital, style), str(path)))
            _map_family(legacy.font_name(capital), addMapping)


def _map_family(family: str, add_mapping) -> None:
    add_mapping(family, 0, 0, family)
    add_mapping(family, 1, 0, family + "-Bold")
    add_mapping(family, 0, 1, family + "-Italic")
    add_mapping(family, 1, 1, family + "-BoldItalic")


_FACE_SUFFIX = {(False, False): "", (True, False): "-Bold", (False, True): "-Italic",
                (True, True): "-BoldItalic"}


def to_xml(text: str, encoding: str | None) -> str:
    """reportlab paragraph markup for an inline-marked line."""
    parts = []
    for run in parse_inline(text):
        body = _encode_text(run.text, encoding, _FACE_SUFFIX[(run.bold, run.italic)])
        if run.sup:
            body = f"<super>{body}</super>"
        if run.italic:
            body = f"<i>{body}</i>"
        if run.bold:
            body = f"<b>{body}</b>"
        parts.append(body)
    return "".join(parts)


def _encode_text(text: str, encoding: str | None, style: str = "") -> str:
    """Escape text; keep runs of spaces visible (as no-break spaces); encode TCVN3/VNI."""
    text = _keep_gaps(text)
    if encoding is None:
        return escape(text)
    if encoding == "vni":
        return escape(legacy.vni_encode(text))
    out = []
    for chunk, capital in legacy.segments(text):
        body = escape(chunk)
        face = legacy.font_name(True, style)
        out.append(f'<font name="{face}">{body}</font>' if capital else body)
    return "".join(out)


def _keep_gaps(text: str) -> str:
    return re.sub(r" {2,}", lambda m: " " + "\u00a0" * (len(m.group()) - 1), text)


class WholeParagraph(Paragraph):
    """A paragraph that never splits across pages (keeps the truth one line per paragraph)."""

    def split(self, availWidth, availHeight):  # noqa: N803 (reportlab's signature)
        return []


class SampleTable(Table):
    """A Table that keeps its source block when reportlab splits it over pages."""

    _sample_block: Block | None = None

    def split(self, availWidth, availHeight):  # noqa: N803 (reportlab's signature)
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part._sample_block = self._sample_block
        return parts


def _source_cell(value) -> Cell:
    """The source Cell of a table cell value (its flowables are tagged with it)."""
    if isinstance(value, (list, tuple)):
        for item in value:
            cell = getattr(item, "_sample_cell", None)
            if cell is not None:
                return cell
    return Cell(lines=[])


@dataclass
class Styles:
    """Paragraph styles for one rendering (Unicode or TCVN3 fonts)."""

    family: str
    by_name: dict[str, ParagraphStyle] = field(default_factory=dict)

    def __post_init__(self) -> None:
        f = self.family
        base = dict(fontName=f, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.22)
        self.by_name = {
            PARA: ParagraphStyle("para", **base, alignment=TA_JUSTIFY, firstLineIndent=10 * mm,
                                 spaceAfter=3),
            HEADING: ParagraphStyle("heading", **base, alignment=TA_JUSTIFY,
                                    firstLineIndent=10 * mm, spaceBefore=4, spaceAfter=4,
                                    keepWithNext=1),
            SUBHEADING: ParagraphStyle("subheading", **base, alignment=TA_JUSTIFY,
                                       firstLineIndent=10 * mm, spaceAfter=4, keepWithNext=1),
            TITLE: ParagraphStyle("title", fontName=f, fontSize=14, leading=17,
                                  alignment=TA_CENTER, keepWithNext=1),
            CENTER: ParagraphStyle("center", **base, alignment=TA_CENTER, spaceBefore=2,
                                   spaceAfter=6),
            RIGHT: ParagraphStyle("right", **base, alignment=TA_RIGHT, spaceAfter=6),
            LEFT: ParagraphStyle("left", **base, alignment=TA_LEFT, spaceAfter=4),
            SMALL: ParagraphStyle("small", fontName=f, fontSize=10, leading=12,
                                  alignment=TA_JUSTIFY, firstLineIndent=6 * mm, spaceAfter=2),
            "cell": ParagraphStyle("cell", fontName=f, fontSize=TABLE_SIZE,
                                   leading=TABLE_SIZE * 1.2),
            "letterhead": ParagraphStyle("letterhead", fontName=f, fontSize=12.5, leading=15,
                                         alignment=TA_CENTER),
            "sign-left": ParagraphStyle("sign-left", fontName=f, fontSize=11, leading=12.5),
            "sign-left-head": ParagraphStyle("sign-left-head", fontName=f, fontSize=12,
                                             leading=15),
            "sign-right": ParagraphStyle("sign-right", fontName=f, fontSize=BODY_SIZE,
                                         leading=16, alignment=TA_CENTER),
        }


def _cell_flowables(cell: Cell, style: ParagraphStyle, encoding: str | None,
                    first_style: ParagraphStyle | None = None) -> list[Flowable]:
    content: list[Flowable] = []
    for i, line in enumerate(cell.lines):
        if line.strip() == RULE:
            content.append(HRFlowable(width="35%", thickness=0.7, color=colors.black,
                                      spaceBefore=3, spaceAfter=3))
        elif not line.strip():
            content.append(Spacer(1, style.leading))
        else:
            use = first_style if (first_style is not None and i == 0) else style
            content.append(Paragraph(to_xml(line, encoding), use))
    for flowable in content:
        flowable._sample_cell = cell
    return content


def _aligned(style: ParagraphStyle, align: str) -> ParagraphStyle:
    mapping = {"c": TA_CENTER, "l": TA_LEFT, "r": TA_RIGHT, "j": TA_JUSTIFY}
    return ParagraphStyle(f"{style.name}-{align}", parent=style, alignment=mapping[align])


def grid_table(block: Block, styles: Styles, width: float, encoding: str | None) -> Table:
    """A reportlab Table for a letterhead, signature or ruled data table."""
    widths = [w * width for w in block.column_widths()]
    data = []
    if block.kind == TABLE:
        aligns = block.alignments()
        header_style = _aligned(styles.by_name["cell"], "c")
        for r, row in enumerate(block.rows):
            cells = []
            for c, cell in enumerate(row):
                style = header_style if r < block.header_rows else _aligned(
                    styles.by_name["cell"], aligns[c])
                cells.append(_cell_flowables(cell, style, encoding))
            data.append(cells)
    elif block.kind == LETTERHEAD:
        for row in block.rows:
            data.append([_cell_flowables(cell, styles.by_name["letterhead"], encoding)
                         for cell in row])
    elif "align" in block.options:  # a signature grid of centred signer blocks
        for row in block.rows:
            data.append([_cell_flowables(cell, styles.by_name["sign-right"], encoding)
                         for cell in row])
    else:  # SIGNATURE: "Nơi nhận" list left, signer right
        for row in block.rows:
            left, right = row[0], row[1]
            data.append([
                _cell_flowables(left, styles.by_name["sign-left"], encoding,
                                styles.by_name["sign-left-head"]),
                _cell_flowables(right, styles.by_name["sign-right"], encoding)])
    commands: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if block.kind == LETTERHEAD:
        commands.append(("ALIGN", (0, 0), (-1, -1), "CENTER"))
    if block.kind == TABLE:
        commands += [("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                     ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    else:
        commands += [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
    for r, row in enumerate(block.rows):
        for c, cell in enumerate(row):
            if not cell.covered and (cell.colspan > 1 or cell.rowspan > 1):
                commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    table = SampleTable(data, colWidths=widths, repeatRows=block.header_rows if block.kind == TABLE
                  else 0, style=TableStyle(commands), hAlign="CENTER")
    table._sample_block = block
    return table


def _default_widths(block: Block) -> None:
    if block.kind == LETTERHEAD and "widths" not in block.options:
        block.options["widths"] = "40,60"
    if block.kind == SIGNATURE and "widths" not in block.options:
        block.options["widths"] = "50,50"


class TruthDoc(BaseDocTemplate):
    """A doc template that records, page by page, the truth lines of what it draws."""

    def __init__(self, filename: str, encoding: str | None, **kwargs) -> None:
        self.encoding = encoding
        super().__init__(filename, pagesize=A4, invariant=1, **MARGINS, **kwargs)
        self.truth: dict[int, list[str]] = {}
        self.table_pages: list[int] = []
        portrait_frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                               id="portrait", leftPadding=0, rightPadding=0, topPadding=0,
                               bottomPadding=0)
        lw, lh = landscape(A4)
        left, right, bottom, top = LANDSCAPE_MARGINS
        land_frame = Frame(left, bottom, lw - left - right, lh - bottom - top, id="landscape",
                           leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("portrait", [portrait_frame], onPage=self._page_number, pagesize=A4),
            PageTemplate("landscape", [land_frame], onPage=self._page_number,
                         pagesize=landscape(A4)),
        ])

    def _page_number(self, canvas, doc) -> None:
        page = canvas.getPageNumber()
        self.truth.setdefault(page, [])
        if page < 2:
            return
        width, height = canvas._pagesize
        canvas.setFont(self.family(), BODY_SIZE)
        canvas.drawCentredString(width / 2, height - 12 * mm, str(page))
        self.truth[page].append(str(page))

    def family(self) -> str:
        return {"tcvn3": legacy.font_name(False), "vni": legacy.VNI_FAMILY}.get(
            self.encoding, UNICODE_FAMILY)

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab hook)
        page = self.canv.getPageNumber()
        lines = self.truth.setdefault(page, [])
        block = getattr(flowable, "_sample_block", None)
        if isinstance(flowable, Table) and block is not None:
            if block.kind == TABLE:
                self.table_pages.append(page)
            for row in flowable._cellvalues:
                lines.extend(row_truth(block, [_source_cell(v) for v in row]))
        elif block is not None:
            text = plain(block.text)
            if text and text != RULE:
                lines.append(text)


def build_story(blocks: list[Block], doc: TruthDoc) -> list[Flowable]:
    """Flowables for the blocks, each tagged with the block it renders."""
    styles = Styles(doc.family())
    story: list[Flowable] = []
    width = doc.width
    for index, block in enumerate(blocks):
        previous = blocks[index - 1].kind if index else None
        if previous == TITLE and block.kind != TITLE:
            story.append(Spacer(1, 8))
        if block.kind == NEWPAGE:
            orientation = block.options.get("orientation", "portrait")
            story.append(NextPageTemplate(orientation))
            story.append(PageBreak())
            landscape_width = landscape(A4)[0] - LANDSCAPE_MARGINS[0] - LANDSCAPE_MARGINS[1]
            width = landscape_width if orientation == "landscape" else doc.width
            continue
        if block.kind in GRID_KINDS:
            _default_widths(block)
            if block.kind == SIGNATURE:
                story.append(Spacer(1, 6))
            story.append(grid_table(block, styles, width, doc.encoding))
            story.append(Spacer(1, 8 if block.kind != LETTERHEAD else 14))
            continue
        if block.kind == SMALL and block.text.strip() == RULE:
            flowable = HRFlowable(width="30%", thickness=0.6, color=colors.black,
                                  hAlign="LEFT", spaceBefore=10, spaceAfter=3)
        else:
            style = styles.by_name[block.kind]
            text = block.text
            if block.kind in (HEADING, SUBHEADING, TITLE):
                text = f"**{text}**"
            flowable = WholeParagraph(to_xml(text, doc.encoding), style)
        flowable._sample_block = block
        story.append(flowable)
    return story


@dataclass
class Rendered:
    """A rendered PDF with its truth pages and the pages holding data tables."""

    path: Path
    pages: list[str]
    table_pages: list[int]


def render_pdf(blocks: list[Block], path: Path, encoding: str | None = None,
               title: str = "") -> Rendered:
    """Render blocks to `path` (text in Unicode, or "tcvn3"/"vni" with look-alike fonts);
    return the truth (one string per page)."""
    register_fonts(encoding)
    doc = TruthDoc(str(path), encoding, title=title, author="planparse samples",
                   creator="planparse scripts/make_samples.py")
    doc.build(build_story(blocks, doc))
    pages = ["\n".join(doc.truth[p]) + "\n" for p in sorted(doc.truth)]
    return Rendered(path=path, pages=pages, table_pages=doc.table_pages)
