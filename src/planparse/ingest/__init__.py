"""Ingestion: any file a district office receives -> one PlanDocument of pages and lines.

Dispatch by file type (by content where the extension lies); each reader fills pages with
lines that keep their provenance (page, position, origin, OCR confidence).  Repairs happen
later, in `planparse.repair.stage`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Literal

from pydantic import BaseModel, ConfigDict, Field

from planparse import __version__
from planparse.document import PlanDocument, Producer
from planparse.errors import MissingFileError, UnsupportedInputError

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
TEXT_SUFFIXES = {".txt", ".md", ".text"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED = sorted(PDF_SUFFIXES | IMAGE_SUFFIXES | TEXT_SUFFIXES | DOCX_SUFFIXES)

Progress = Callable[[int], None]


class ReadOptions(BaseModel):
    """How to read a document; the CLI and the API build the same object."""

    model_config = ConfigDict(extra="forbid")

    ocr: Literal["auto", "off", "force"] = Field(
        "auto",
        description="auto: OCR pages without a usable text layer; off: never OCR; force: OCR every PDF page.",
    )
    lang: str = Field("vie", description="Tesseract language model for OCR.")
    jobs: int = Field(1, ge=1, le=64, description="Pages OCR'd in parallel.")
    password: str | None = Field(None, description="Password of an encrypted PDF.")
    restore: bool = Field(True, description="Restore diacritics on pages judged stripped or garbled.")
    max_pixels: int = Field(
        150_000_000, description="Largest image (in pixels) accepted; larger ones are refused as decompression bombs."
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sniff_kind(path: Path) -> str:
    """'pdf', 'image', 'docx' or 'text', by content first and extension second."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"RIFF")):
        return "image"
    suffix = path.suffix.lower()
    if suffix in DOCX_SUFFIXES and head.startswith(b"PK"):
        return "docx"
    if suffix in PDF_SUFFIXES:
        return "pdf"  # let the PDF reader say it is corrupt
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise UnsupportedInputError(
        f"unsupported file type '{suffix or 'no extension'}'; planparse reads {', '.join(SUPPORTED)}",
        path=str(path),
    )


def read_document(
    path: str | Path, options: ReadOptions | None = None, progress: Progress | None = None
) -> PlanDocument:
    """Read one input into a PlanDocument (raw text; not yet repaired)."""
    options = options or ReadOptions()
    path = Path(path)
    if not path.exists():
        raise MissingFileError("file not found", path=str(path))
    if path.is_dir():
        raise UnsupportedInputError("is a folder, not a document", path=str(path))
    kind = sniff_kind(path)
    doc = PlanDocument(path=str(path), sha256=sha256_of(path), producer=Producer(planparse=__version__))
    if kind == "pdf":
        from planparse.ingest.pdf import read_pdf

        read_pdf(path, doc, options, progress)
    elif kind == "image":
        from planparse.ingest.images import read_image

        read_image(path, doc, options, progress)
    elif kind == "docx":
        from planparse.ingest.word import read_docx

        read_docx(path, doc)
    else:
        from planparse.ingest.textfile import read_text_file

        read_text_file(path, doc)
    return doc


def count_pages(path: str | Path) -> int | None:
    """Pages a document will have, cheaply, for progress bars (None when unknown)."""
    path = Path(path)
    try:
        kind = sniff_kind(path)
        if kind == "pdf":
            import pymupdf

            with pymupdf.open(path) as pdf:
                return pdf.page_count
        if kind == "image":
            from PIL import Image

            with Image.open(path) as img:
                return getattr(img, "n_frames", 1)
    except Exception:  # a bad file is reported by read_document, not here
        return None
    return None
