"""`planparse text` and `planparse extract`: documents in, text or definitions out."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Callable, Optional

import typer

from planparse.cli.common import app, page_progress, report_failure, say, write_output
from planparse.errors import ExitCode, PlanparseError


class OcrMode(str, Enum):
    auto = "auto"
    off = "off"
    force = "force"


class OutFormat(str, Enum):
    json = "json"
    yaml = "yaml"


JOBS = typer.Option(1, "--jobs", "-j", min=1, max=64, help="OCR this many pages in parallel (use the number of cores).")
OCR = typer.Option(
    OcrMode.auto, "--ocr", help="auto: OCR pages with no usable text layer; off: never OCR; force: OCR every page."
)
PASSWORD = typer.Option(None, "--password", help="Password of an encrypted PDF.")
NO_RESTORE = typer.Option(False, "--no-restore", help="Do not restore missing or garbled diacritics.")
LANG = typer.Option("vie", "--lang", help="Tesseract language model.")


def _options(jobs: int, ocr: OcrMode, password: Optional[str], no_restore: bool, lang: str):
    from planparse.ingest import ReadOptions

    return ReadOptions(jobs=jobs, ocr=ocr.value, password=password, restore=not no_restore, lang=lang)


def _read_with_progress(path: Path, options):
    from planparse.ingest import count_pages
    from planparse.pipeline import read

    if str(path) == "-":
        return _read_stdin(options)
    with page_progress(f"{path.name}", total=count_pages(path)) as advance:
        return read(path, options, progress=advance)


# What standard input holds, by its first bytes (a name is needed to read .docx and text).
STDIN_SUFFIXES = {b"%PDF": ".pdf", b"PK\x03\x04": ".docx", b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg",
                  b"II*\x00": ".tif", b"MM\x00*": ".tif"}


def _read_stdin(options):
    """`-`: the document comes on standard input; it is read from a private temporary copy."""
    import sys
    import tempfile

    from planparse.pipeline import read

    data = sys.stdin.buffer.read()
    suffix = next((sfx for head, sfx in STDIN_SUFFIXES.items() if data.startswith(head)), ".txt")
    with tempfile.TemporaryDirectory(prefix="planparse-") as tmp:
        copy = Path(tmp) / f"stdin{suffix}"
        copy.write_bytes(data)
        doc = read(copy, options)
    doc.path = "-"
    return doc


def _warn(doc) -> None:
    for issue in doc.all_issues:
        say(f"planparse: {doc.path}: {issue}")


def _run_batch(inputs: list[Path], handle: Callable[[Path], None]) -> ExitCode:
    """Run `handle` on every input, going on past failures; the exit code of CONTRACT.md."""
    failed = 0
    for path in inputs:
        try:
            handle(path)
        except PlanparseError as exc:
            failed += 1
            if exc.path is None:
                exc.path = str(path)
            report_failure(exc)
        except Exception as exc:  # an unexpected bug must not stop the batch
            failed += 1
            say(f"planparse: {path}: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)")
            from planparse.cli.common import debug_enabled

            if debug_enabled():
                import traceback

                traceback.print_exc()
    if failed == 0:
        return ExitCode.OK
    return ExitCode.NOTHING_READ if failed == len(inputs) else ExitCode.SOME_FAILED


@app.command()
def text(
    input: Path = typer.Argument(..., help="Document: .pdf (text layer or scanned), image, .docx or .txt; '-' reads standard input."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Write the text here (default: stdout)."),
    jobs: int = JOBS,
    ocr: OcrMode = OCR,
    password: Optional[str] = PASSWORD,
    no_restore: bool = NO_RESTORE,
    lang: str = LANG,
    raw: bool = typer.Option(False, "--raw", help="Print the text as read, before any repair."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the document model: pages with origin and reason, lines with raw text, edits, boxes."
    ),
) -> None:
    """Document -> repaired plain text; pages separated by a form feed, table rows as tab-separated cells."""
    options = _options(jobs, ocr, password, no_restore, lang)

    def handle(path: Path) -> None:
        doc = _read_with_progress(path, options)
        _warn(doc)
        if as_json:
            import json

            data = json.dumps(doc.to_data(), ensure_ascii=False, indent=1)
        else:
            data = doc.raw_text if raw else doc.text
        write_output(data, out, [path])

    raise typer.Exit(int(_run_batch([input], handle)))


def _output_path(path: Path, out_dir: Path, suffix: str, used: set[Path]) -> Path:
    target = out_dir / f"{path.stem}{suffix}"
    n = 2
    while target in used:
        target = out_dir / f"{path.stem}-{n}{suffix}"
        n += 1
    used.add(target)
    return target


@app.command()
def extract(
    inputs: list[Path] = typer.Argument(..., help="One or more documents (.pdf, image, .docx, .txt); '-' reads standard input."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Write the definition here (one input only)."),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Write one definition per input into this folder."),
    fmt: OutFormat = typer.Option(OutFormat.json, "--format", help="json or yaml."),
    jobs: int = JOBS,
    ocr: OcrMode = OCR,
    password: Optional[str] = PASSWORD,
    no_restore: bool = NO_RESTORE,
    lang: str = LANG,
) -> None:
    """Document(s) -> campaign definition(s): criteria, rules, eligibility, penalties, awards.

    With one input and no -o, the JSON goes to stdout.  A batch goes on past a bad file:
    exit 1 when some inputs failed, 3 when none could be read.
    """
    if out is not None and out_dir is not None:
        raise typer.BadParameter("give either -o or --out-dir, not both", param_hint="-o")
    if len(inputs) > 1 and out is not None:
        raise typer.BadParameter("-o takes one input; use --out-dir for several", param_hint="-o")
    if len(inputs) > 1 and out_dir is None:
        raise typer.BadParameter("several inputs need --out-dir DIR", param_hint="--out-dir")
    options = _options(jobs, ocr, password, no_restore, lang)
    suffix = ".yaml" if fmt is OutFormat.yaml else ".json"
    used: set[Path] = set()

    def handle(path: Path) -> None:
        from planparse.pipeline import extract as extract_doc

        doc = _read_with_progress(path, options)
        _warn(doc)
        campaign = extract_doc(doc)
        data = campaign.to_json() if fmt is OutFormat.json else _yaml(campaign.to_data())
        target = out if out_dir is None else _output_path(path, out_dir, suffix, used)
        write_output(data, target, inputs)
        if target is not None:
            say(f"planparse: {path} -> {target}")

    raise typer.Exit(int(_run_batch(list(inputs), handle)))


def _yaml(data) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
