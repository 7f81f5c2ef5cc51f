"""The repair stage: Unicode normalisation on every line, diacritics restoration where needed.

Repairs never overwrite silently: `Line.raw` keeps what was read and every change is appended
to `Line.edits`.  Edits are recorded in the order they were applied; each one's offsets refer
to the text as it was just before that step (the first step's text is `raw`).
"""

from __future__ import annotations

from planparse.document import Issue, Line, Page, PlanDocument
from planparse.errors import W_TEXT_RESTORED


def _normalize_line(line: Line) -> None:
    from planparse.repair.unicode import normalize

    text, edits = normalize(line.text)
    if line.cells is not None:
        line.cells = [normalize(cell)[0] for cell in line.cells]
        text = "\t".join(line.cells)
    if text != line.text:
        line.set_text(text, edits)


def page_verdict(page: Page) -> str:
    from planparse.repair.syllables import text_quality

    return text_quality(page.text).verdict


# The restorer's channel for each verdict: diacritics dropped, or English-model OCR look-alikes.
RESTORE_MODE = {"stripped": "stripped", "garbled": "ocr"}


def _restore_page(page: Page, verdict: str) -> int:
    """Restore diacritics on the page's lines, decoded together; returns the tokens changed."""
    from planparse.repair.diacritics import restore_lines

    lines = [line for line in page.lines if line.text.strip()]
    changed = 0
    for line, result in zip(lines, restore_lines([line.text for line in lines], mode=RESTORE_MODE[verdict])):
        if result.text == line.text:
            continue
        changed += len(result.edits)
        line.set_text(result.text, list(result.edits))
        if line.cells is not None:
            line.cells = result.text.split("\t")
    return changed


def repair_document(doc: PlanDocument, *, restore: bool = True) -> PlanDocument:
    """Normalise every line; restore diacritics on pages that are stripped or garbled."""
    for page in doc.pages:
        for line in page.lines:
            _normalize_line(line)
        if not restore:
            continue
        verdict = page_verdict(page)
        if verdict not in RESTORE_MODE:
            continue
        changed = _restore_page(page, verdict)
        if changed:
            page.issues.append(Issue.of(W_TEXT_RESTORED, page.number, f"{verdict} text, {changed} token(s) restored"))
            if doc.producer is not None:
                from planparse.repair.diacritics import model_version

                doc.producer.restorer_model = model_version()
    return doc
