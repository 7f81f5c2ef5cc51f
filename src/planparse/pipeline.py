"""The whole job, as a table of contents: ingest -> repair -> extract."""

from __future__ import annotations

from pathlib import Path

from planparse.campaign import Campaign, Producer, Source
from planparse.document import PlanDocument
from planparse.errors import EmptyDocumentError
from planparse.ingest import Progress, ReadOptions, read_document
from planparse.repair.stage import repair_document


def read(path: str | Path, options: ReadOptions | None = None, progress: Progress | None = None) -> PlanDocument:
    """Ingest a document and repair its text (Unicode, legacy encodings, diacritics)."""
    options = options or ReadOptions()
    doc = read_document(path, options, progress)
    repair_document(doc, restore=options.restore)
    if not any(line.text.strip() for line in doc.lines()):
        reasons = "; ".join(sorted({str(i) for i in doc.all_issues})) or "the pages are blank"
        raise EmptyDocumentError(f"no text could be read ({reasons})", path=str(path))
    return doc


def extract(doc: PlanDocument) -> Campaign:
    """A campaign definition from a repaired document, with its source recorded."""
    from planparse.extract import extract_campaign

    campaign = extract_campaign(doc)
    producer = doc.producer
    campaign.source = Source(
        path=doc.path,
        sha256=doc.sha256,
        pages=len(doc.pages),
        text_origin=doc.origin.value,
        producer=Producer(**vars(producer)) if producer else None,
    )
    campaign.warnings.extend(str(issue) for issue in doc.all_issues)
    return campaign


def extract_path(path: str | Path, options: ReadOptions | None = None, progress: Progress | None = None) -> Campaign:
    return extract(read(path, options, progress))
