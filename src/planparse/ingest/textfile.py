"""Plain text files (.txt, .md): UTF-8, UTF-16, Windows-1258 or TCVN3 bytes."""

from __future__ import annotations

from pathlib import Path

from planparse.document import Issue, Origin, PlanDocument
from planparse.errors import W_TEXT_ENCODING, EmptyDocumentError


def read_text_file(path: Path, doc: PlanDocument) -> None:
    from planparse.repair.legacy import decode_bytes

    data = path.read_bytes()
    if not data.strip():
        raise EmptyDocumentError("the file is empty", path=str(path))
    text, encoding = decode_bytes(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parsed = PlanDocument.from_text(text, path=str(path), origin=Origin.TEXT_FILE)
    doc.pages = parsed.pages
    for page in doc.pages:
        page.reason = f"text file ({encoding})"
    if encoding.lower().replace("-", "") not in {"utf8", "utf8sig", "ascii", "utf16"}:
        doc.issues.append(Issue.of(W_TEXT_ENCODING, detail=encoding))
