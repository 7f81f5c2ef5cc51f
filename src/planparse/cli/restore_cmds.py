"""`planparse restore`: put diacritics back into stripped or English-OCR'd Vietnamese text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from planparse.cli.common import app, say, write_output


@app.command("restore")
def restore_command(
    file: str = typer.Argument("-", help="Text file to restore, or '-' for standard input."),
    mode: str = typer.Option(
        "auto", "--mode", "-m",
        help="auto (judge the text), stripped (marks removed), ocr (English-model OCR) or good (leave as is).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Write JSON: text, mode, edits and per-token confidence."),
    min_confidence: float = typer.Option(
        0.0, "--flag-below", help="Report on stderr the restored tokens whose confidence is below this.",
    ),
) -> None:
    """Restore Vietnamese diacritics line for line; case, digits, punctuation and spacing are kept."""
    from planparse.errors import MissingFileError
    from planparse.repair.diacritics import model_version, restore

    if file == "-":
        text = sys.stdin.read()
    else:
        path = Path(file)
        if not path.exists():
            raise MissingFileError("no such file", path=file)
        text = path.read_text(encoding="utf-8", errors="replace")
    result = restore(text, mode=mode)
    say(f"restore: {result.mode} text, {len(result.edits)} token(s) changed (model {model_version() if result.edits else 'not needed'})")
    if min_confidence > 0:
        for t in result.tokens:
            if t.before != t.after and t.confidence < min_confidence:
                say(f"  low confidence {t.confidence:.2f} at {t.start}: {t.before!r} -> {t.after!r}")
    if as_json:
        data = {
            "mode": result.mode,
            "text": result.text,
            "edits": [{"start": e.start, "end": e.end, "before": e.before, "after": e.after,
                       "confidence": e.confidence} for e in result.edits],
            "tokens": [{"start": t.start, "end": t.end, "before": t.before, "after": t.after,
                        "confidence": t.confidence} for t in result.tokens],
        }
        write_output(json.dumps(data, ensure_ascii=False, indent=1), None)
    else:
        sys.stdout.write(result.text)
        sys.stdout.flush()
