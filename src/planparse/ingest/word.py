"""Word documents (.docx): paragraphs and tables in body order; tables stay tables."""

from __future__ import annotations

from pathlib import Path

from planparse.document import Line, Origin, Page, PlanDocument
from planparse.errors import CorruptInputError, EmptyDocumentError


def _cell_text(cell) -> str:
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def _row_cells(row) -> list[str]:
    """Cells of a row, a horizontally merged cell counted once."""
    cells, seen = [], set()
    for cell in row.cells:
        key = id(cell._tc)
        if key in seen:
            continue
        seen.add(key)
        cells.append(_cell_text(cell))
    return cells


def read_docx(path: Path, doc: PlanDocument) -> None:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for broken files
        raise CorruptInputError(f"not a readable .docx file ({type(exc).__name__})", path=str(path)) from None
    page = Page(number=1, origin=Origin.TEXT_FILE, reason="docx")
    table_index = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            for part in block.text.split("\n"):
                page.lines.append(Line(part, 1, origin=Origin.TEXT_FILE))
        elif isinstance(block, DocxTable):
            for r, row in enumerate(block.rows):
                cells = _row_cells(row)
                page.lines.append(
                    Line("\t".join(cells), 1, origin=Origin.TEXT_FILE, table=table_index, row=r, cells=cells)
                )
            table_index += 1
    if not any(line.text.strip() for line in page.lines):
        raise EmptyDocumentError("the document has no text", path=str(path))
    page.renumber()
    doc.pages.append(page)
