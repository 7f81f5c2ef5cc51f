"""The document as a Word file (python-docx): same blocks, tables as real Word tables."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .markup import (CENTER, GRID_KINDS, HEADING, LEFT, LETTERHEAD, NEWPAGE, RIGHT, RULE,
                     SIGNATURE, SMALL, SUBHEADING, TABLE, TITLE, Block, parse_inline)

FONT = "Times New Roman"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)
_ALIGN = {"c": WD_ALIGN_PARAGRAPH.CENTER, "l": WD_ALIGN_PARAGRAPH.LEFT,
          "r": WD_ALIGN_PARAGRAPH.RIGHT, "j": WD_ALIGN_PARAGRAPH.JUSTIFY}


def _add_runs(paragraph, text: str, size: float | None = None, bold: bool = False) -> None:
    for run in parse_inline(text):
        r = paragraph.add_run(run.text)
        r.bold = run.bold or bold or None
        r.italic = run.italic or None
        r.font.superscript = run.sup or None
        if size:
            r.font.size = Pt(size)


def _fill_cell(cell, lines: list[str], align, size: float, bold: bool = False) -> None:
    cell.paragraphs[0].text = ""
    first = True
    for line in lines:
        if line.strip() == RULE:
            continue
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        _add_runs(paragraph, line, size, bold)


def _add_grid(doc, block: Block) -> None:
    rows, ncols = len(block.rows), len(block.rows[0])
    table = doc.add_table(rows=rows, cols=ncols)
    if block.kind == TABLE:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    aligns = block.alignments() if block.kind == TABLE else ["c"] * ncols
    for r, row in enumerate(block.rows):
        for c, cell in enumerate(row):
            if cell.covered:
                continue
            target = table.cell(r, c)
            if cell.colspan > 1 or cell.rowspan > 1:
                target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            if block.kind == TABLE:
                align = _ALIGN["c"] if r < block.header_rows else _ALIGN[aligns[c]]
                size = 12
            elif block.kind == SIGNATURE and c == 0 and "align" not in block.options:
                align, size = _ALIGN["l"], 11
            else:
                align, size = _ALIGN["c"], 12.5 if block.kind == LETTERHEAD else 13
            _fill_cell(target, cell.lines, align, size)
    doc.add_paragraph()


def write_docx(blocks: list[Block], out: Path) -> Path:
    """Write the blocks as a .docx with real Word tables; byte-identical on re-runs."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    core = doc.core_properties
    core.author = core.last_modified_by = "planparse samples"
    core.created = core.modified = datetime(2024, 1, 1)
    core.revision = 1
    for block in blocks:
        if block.kind == NEWPAGE:
            new = doc.add_section(WD_SECTION.NEW_PAGE)
            if block.options.get("orientation") == "landscape":
                new.orientation = WD_ORIENT.LANDSCAPE
                new.page_width, new.page_height = Cm(29.7), Cm(21)
            else:
                new.orientation = WD_ORIENT.PORTRAIT
                new.page_width, new.page_height = Cm(21), Cm(29.7)
            continue
        if block.kind in GRID_KINDS:
            _add_grid(doc, block)
            continue
        if block.text.strip() == RULE:
            continue
        paragraph = doc.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(3)
        bold = block.kind in (TITLE, HEADING, SUBHEADING)
        size = {TITLE: 14, SMALL: 10}.get(block.kind)
        if block.kind in (TITLE, CENTER):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == RIGHT:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif block.kind == LEFT:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = Cm(1)
        _add_runs(paragraph, block.text, size, bold)
    buffer = io.BytesIO()
    doc.save(buffer)
    _write_stable_zip(buffer.getvalue(), out)
    return out


def _write_stable_zip(data: bytes, out: Path) -> None:
    """Rewrite the docx zip with fixed timestamps so re-runs are byte-identical."""
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
