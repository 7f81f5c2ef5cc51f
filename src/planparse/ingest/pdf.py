"""PDFs page by page: the text layer when it can be trusted, OCR of the page image when not.

Per page we read the text layer with PyMuPDF (spans with their fonts and boxes, tables from
the ruled grid), convert legacy font encodings (the font name says which), and score how
Vietnamese the text is.  Empty or garbled layers (English-model OCR, unknown mojibake) are
re-read by OCR from the rendered page image.  Every page records where its text came from
and why.  PyMuPDF is not thread-safe, so pages are rendered here, in one thread, and only
the OCR runs in parallel.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from planparse.document import Edit, Issue, Line, Origin, Page, PlanDocument
from planparse.errors import (
    W_LAYER_GARBLED,
    W_LAYER_LEGACY,
    W_NO_OCR,
    CorruptInputError,
    EmptyDocumentError,
    EncryptedPdfError,
)
from planparse.ingest.pdf_grid import Grid, find_grids

if TYPE_CHECKING:
    from planparse.ingest import Progress, ReadOptions

MIN_LAYER_CHARS = 20  # fewer letters than this on a page: treat the layer as empty
DEFAULT_DPI = 300


@dataclass
class Layer:
    lines: list[Line] = field(default_factory=list)
    legacy: str | None = None  # encoding converted, if any
    legacy_font: str | None = None
    verdict: str = "empty"
    valid_ratio: float = 0.0


def open_pdf(path: Path, password: str | None):
    import pymupdf

    try:
        pdf = pymupdf.open(path)
    except Exception as exc:  # PyMuPDF raises FileDataError, RuntimeError, ValueError ...
        raise CorruptInputError(f"not a readable PDF ({exc})", path=str(path)) from None
    if pdf.needs_pass:
        if not password:
            pdf.close()
            raise EncryptedPdfError("the PDF is encrypted; give its password with --password", path=str(path))
        if not pdf.authenticate(password):
            pdf.close()
            raise EncryptedPdfError("the password given does not open this encrypted PDF", path=str(path))
    if pdf.page_count == 0:
        pdf.close()
        raise EmptyDocumentError("the PDF has no pages", path=str(path))
    return pdf


def _span_text(span: dict, edits: list[Edit], offset: int) -> tuple[str, str, str | None]:
    """(raw, converted, encoding) of one span, converting a legacy font encoding."""
    from planparse.repair.legacy import encoding_for_font, is_upper_font, to_unicode

    raw = span["text"]
    font = span.get("font", "")
    encoding = encoding_for_font(font)
    if not encoding or not raw:
        return raw, raw, None
    text, _ = to_unicode(raw, encoding, upper=is_upper_font(font))
    if text == raw:  # the span was all digits/ASCII punctuation: nothing to convert
        return raw, text, encoding
    edits.append(Edit(f"legacy-{encoding}", offset, offset + len(raw), raw, text))
    return raw, text, encoding


def _layer_line(spans: list[dict], page_no: int, bbox, layer: Layer) -> Line:
    raw_parts, text_parts, edits = [], [], []
    offset = 0
    for span in spans:
        raw, text, encoding = _span_text(span, edits, offset)
        if encoding and layer.legacy is None:
            layer.legacy, layer.legacy_font = encoding, span.get("font")
        raw_parts.append(raw)
        text_parts.append(text)
        offset += len(raw)
    line = Line("".join(text_parts), page_no, raw="".join(raw_parts), origin=Origin.TEXT_LAYER, bbox=tuple(bbox))
    line.edits.extend(edits)
    return line


def read_text_layer(pdf_page, page_no: int) -> Layer:
    """The page's text layer as lines in reading order, with ruled tables as rows of cells."""
    from planparse.repair.syllables import text_quality

    layer = Layer()
    grids = find_grids(pdf_page)
    # cell contents per grid: {(row, col): [lines]}
    cells: list[dict[tuple[int, int], list[Line]]] = [{} for _ in grids]
    flow: list[Line] = []
    data = pdf_page.get_text("dict", flags=0)
    for block in reading_order(data.get("blocks", [])):
        for raw_line in block.get("lines", ()):
            spans = [s for s in raw_line.get("spans", ()) if s.get("text")]
            if not spans:
                continue
            if grids and any(_grid_cell(grids, span) for span in spans):
                # Spans of one PDF line may fall into different cells: place each separately.
                for span in spans:
                    found = _grid_cell(grids, span)
                    line = _layer_line([span], page_no, span["bbox"], layer)
                    if found:
                        cells[found[0]].setdefault(found[1], []).append(line)
                    elif line.text.strip():
                        flow.append(line)
                continue
            line = _layer_line(spans, page_no, raw_line["bbox"], layer)
            if line.text.strip():
                flow.append(line)
    layer.lines = _insert_tables(flow, grids, cells, page_no)
    text = "\n".join(line.text for line in layer.lines)
    quality = text_quality(text)
    layer.verdict = quality.verdict if sum(ch.isalpha() for ch in text) >= MIN_LAYER_CHARS else "empty"
    layer.valid_ratio = quality.valid_ratio
    return layer


def _columns(blocks: list[dict]) -> list[list[float]]:
    """x-ranges of the columns that a set of blocks forms (blocks overlapping horizontally share one)."""
    columns: list[list[float]] = []
    for block in sorted(blocks, key=lambda b: b["bbox"][0]):
        x0, x1 = block["bbox"][0], block["bbox"][2]
        if columns and x0 < columns[-1][1] - 1:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return columns


def _column_of(block: dict, columns: list[list[float]]) -> int | None:
    """The one column the block sits in, or None when it spans several or none."""
    x0, x1 = block["bbox"][0], block["bbox"][2]
    hits = [i for i, (c0, c1) in enumerate(columns) if x0 < c1 - 1 and x1 > c0 + 1]
    return hits[0] if len(hits) == 1 else None


def reading_order(blocks: list[dict]) -> list[dict]:
    """Blocks top to bottom; side-by-side regions (letterhead, signature block) column by column.

    Blocks whose vertical extents overlap form a band.  A band of two or more columns opens a
    multi-column region, which goes on while the following bands' blocks each fit one of its
    columns; a region is read column by column, each column top to bottom.
    """
    bands: list[tuple[float, list[dict]]] = []
    for block in sorted(blocks, key=lambda b: b["bbox"][1]):
        if bands and block["bbox"][1] < bands[-1][0] - 1:
            bottom, members = bands[-1]
            members.append(block)
            bands[-1] = (max(bottom, block["bbox"][3]), members)
        else:
            bands.append((block["bbox"][3], [block]))
    regions: list[tuple[list[list[float]], list[dict]]] = []
    for _, members in bands:
        if regions and len(regions[-1][0]) > 1 and all(_column_of(b, regions[-1][0]) is not None for b in members):
            columns, region = regions[-1]
            for block in members:
                col = columns[_column_of(block, columns)]
                col[0], col[1] = min(col[0], block["bbox"][0]), max(col[1], block["bbox"][2])
            region.extend(members)
        else:
            regions.append((_columns(members), list(members)))
    ordered: list[dict] = []
    for columns, region in regions:
        by_column: dict[int, list[dict]] = {}
        for block in region:
            by_column.setdefault(_column_of(block, columns) or 0, []).append(block)
        for index in sorted(by_column):
            ordered.extend(sorted(by_column[index], key=lambda b: b["bbox"][1]))
    return ordered


def _grid_cell(grids: list[Grid], span: dict) -> tuple[int, tuple[int, int]] | None:
    """(grid index, (row, column)) of the cell holding the span's centre, or None."""
    x0, y0, x1, y1 = span["bbox"]
    for g, grid in enumerate(grids):
        where = grid.locate((x0 + x1) / 2, (y0 + y1) / 2)
        if where is not None:
            return g, where
    return None


def _join_cell(lines: list[Line]) -> tuple[str, str]:
    ordered = sorted(lines, key=lambda ln: (round(ln.bbox[1] / 3) if ln.bbox else 0, ln.bbox[0] if ln.bbox else 0))
    text = " ".join(" ".join(ln.text.split()) for ln in ordered if ln.text.strip())
    raw = " ".join(" ".join((ln.raw or "").split()) for ln in ordered if (ln.raw or "").strip())
    return text, raw


def _insert_tables(flow: list[Line], grids: list[Grid], cells, page_no: int) -> list[Line]:
    """Place each table's rows in the flow of lines at the table's vertical position."""
    out = list(flow)
    for index, grid in enumerate(grids):
        rows: list[Line] = []
        for r, boxes in enumerate(grid.rows):
            texts, raws, kinds = [], [], []
            for c in range(len(boxes)):
                content = cells[index].get((r, c), [])
                text, raw = _join_cell(content)
                # A cell spanning k columns is followed by k-1 empty cells, so columns stay aligned.
                pad = grid.width(r, c) - 1
                texts += [text] + [""] * pad
                raws += [raw] + [""] * pad
                kinds += [next((e.kind for ln in content for e in ln.edits), None)] + [None] * pad
            if not any(texts):
                continue
            bbox = (boxes[0][0], boxes[0][1], boxes[-1][2], boxes[-1][3])
            line = Line("\t".join(texts), page_no, raw="\t".join(raws), origin=Origin.TEXT_LAYER, bbox=bbox,
                        table=index, row=len(rows), cells=texts)
            # One edit per converted cell, with the cell's span in the row's raw text.
            start = 0
            for raw, text, kind in zip(raws, texts, kinds):
                if kind and raw != text:
                    line.edits.append(Edit(kind, start, start + len(raw), raw, text))
                start += len(raw) + 1
            rows.append(line)
        top = grid.bbox[1]
        at = next((i for i, ln in enumerate(out) if ln.bbox and ln.table is None and ln.bbox[1] >= top), len(out))
        out[at:at] = rows
    return out


def effective_dpi(pdf_page) -> int:
    """The resolution of a scanned page's image, so we OCR it at its own pixels."""
    try:
        infos = pdf_page.get_image_info()
    except Exception:
        return DEFAULT_DPI
    page_w = pdf_page.rect.width or 1
    best = None
    for info in infos:
        x0, y0, x1, y1 = info.get("bbox", (0, 0, 0, 0))
        if (x1 - x0) >= 0.6 * page_w and info.get("width"):
            dpi = info["width"] / ((x1 - x0) / 72)
            best = max(best or 0, dpi)
    if best is None:
        return DEFAULT_DPI
    return int(min(400, max(150, round(best))))


def render_page(pdf_page, dpi: int):
    import pymupdf
    from PIL import Image

    pix = pdf_page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    return Image.frombytes("L", (pix.width, pix.height), pix.samples)


def _decide(layer: Layer, options: "ReadOptions") -> tuple[bool, str, Issue | None]:
    """(needs OCR, reason, issue) for a page's text layer."""
    if options.ocr == "force":
        return True, "OCR forced (--ocr force)", None
    if layer.verdict == "empty":  # a scan: OCR is the normal path, not worth a warning
        return True, "no usable text layer: read by OCR", None
    if layer.legacy:
        reason = f"text layer in {layer.legacy.upper()} font encoding ({layer.legacy_font}), converted to Unicode"
        return False, reason, Issue.of(W_LAYER_LEGACY, detail=f"{layer.legacy.upper()}, font {layer.legacy_font}")
    if layer.verdict in {"garbled", "legacy"}:
        reason = f"text layer is garbled ({layer.valid_ratio:.0%} valid Vietnamese syllables): re-read by OCR"
        return True, reason, Issue.of(W_LAYER_GARBLED, detail=f"{layer.valid_ratio:.0%} valid syllables")
    return False, f"text layer ({layer.verdict}, {layer.valid_ratio:.0%} valid Vietnamese syllables)", None


def read_pdf(path: Path, doc: PlanDocument, options: "ReadOptions", progress: "Progress | None" = None) -> None:
    advance = progress or (lambda n=1: None)
    pdf = open_pdf(path, options.password)
    ocr_jobs: list[tuple[Page, object]] = []
    with pdf:
        for index in range(pdf.page_count):
            pdf_page = pdf[index]
            page = Page(number=index + 1, width=pdf_page.rect.width, height=pdf_page.rect.height)
            doc.pages.append(page)
            layer = read_text_layer(pdf_page, page.number) if options.ocr != "force" else Layer()
            needs_ocr, reason, issue = _decide(layer, options)
            if needs_ocr and options.ocr == "off":
                page.lines, page.origin = layer.lines, Origin.TEXT_LAYER
                page.reason = f"needed OCR ({reason}) but OCR is off; text layer used as it is"
                page.issues.append(Issue.of(W_NO_OCR, page.number))
                advance(1)
                continue
            if issue is not None:
                page.issues.append(Issue(issue.code, issue.message, page.number))
            page.reason = reason
            if needs_ocr:
                ocr_jobs.append((page, (index, effective_dpi(pdf_page))))
            else:
                page.lines, page.origin = layer.lines, Origin.TEXT_LAYER
                page.renumber()
                advance(1)
        if ocr_jobs:
            _ocr_pages(pdf, ocr_jobs, options, advance, doc)
    for page in doc.pages:
        page.renumber()


def _ocr_pages(pdf, jobs, options: "ReadOptions", advance, doc: PlanDocument) -> None:
    """Render pages here (PyMuPDF is single-threaded) and OCR them on `options.jobs` threads."""
    from planparse.ingest.ocr import check_tesseract, ocr_image, tesseract_version

    check_tesseract(options.lang)
    if doc.producer is not None:
        doc.producer.tesseract = tesseract_version()
        doc.producer.tesseract_lang = options.lang
    limit = max(1, options.jobs)
    with ThreadPoolExecutor(max_workers=limit) as pool:
        pending: dict[Future, Page] = {}
        for page, (index, dpi) in jobs:
            image = render_page(pdf[index], dpi)
            pending[pool.submit(ocr_image, image, page.number, lang=options.lang, photo=False)] = page
            while len(pending) >= 2 * limit:
                _collect(pending, wait(pending, return_when=FIRST_COMPLETED).done, advance)
        _collect(pending, list(pending), advance)


def _collect(pending: dict, done, advance) -> None:
    for future in done:
        page = pending.pop(future)
        result = future.result()
        page.lines = result.lines
        page.origin = Origin.OCR
        page.issues.extend(result.issues)
        page.renumber()
        advance(1)
