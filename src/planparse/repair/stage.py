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


def _restore_page(page: Page) -> int:
    """Restore diacritics on every line of the page; returns the number of tokens changed."""
    from planparse.repair.diacritics import restore

    changed = 0
    for line in page.lines:
        if not line.text.strip():
            continue
        result = restore(line.text)
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
        if verdict not in {"stripped", "garbled"}:
            continue
        changed = _restore_page(page)
        if changed:
            page.issues.append(Issue.of(W_TEXT_RESTORED, page.number, f"{verdict} text, {changed} token(s) restored"))
            if doc.producer is not None:
                from planparse.repair.diacritics import model_version

                doc.producer.restorer_model = model_version()
    return doc
