"""Shared pieces of the CLI: the app, the one error handler, output writing, progress."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import typer

from planparse import __version__
from planparse.errors import ExitCode, OutputError, PlanparseError

app = typer.Typer(
    name="planparse",
    help=(
        "Read Vietnamese emulation plans (Kế hoạch phát động phong trào thi đua) and reports, "
        "from PDFs, scans, photos, .docx or text, into campaign definitions you can score, "
        "diff and edit."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"planparse {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    _state["debug"] = debug or bool(os.environ.get("PLANPARSE_DEBUG"))


def debug_enabled() -> bool:
    return _state["debug"]


def say(message: str) -> None:
    """A message for the user, on stderr."""
    typer.echo(message, err=True)


def report_failure(exc: BaseException) -> None:
    """One plain line for a failure; the traceback only under --debug."""
    if debug_enabled():
        import traceback  # ~10 ms to import: only when asked for

        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, PlanparseError):
        say(f"planparse: {exc}")
    else:
        say(f"planparse: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)")


def main() -> None:
    """Entry point of the console script: one handler for all commands."""
    try:
        # Without standalone mode click returns the code a command exits with, instead of exiting.
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as exc:  # raised by commands that finish with a code
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        say("planparse: interrupted")
        sys.exit(130)
    except typer.Abort:
        say("planparse: aborted")
        sys.exit(ExitCode.SOME_FAILED)
    except Exception as exc:  # usage errors (click's, vendored or not) and everything else
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()  # click-style exceptions print "Usage: ..." and the reason themselves
            sys.exit(exc.exit_code)
        report_failure(exc)
        code = exc.exit_code if isinstance(exc, PlanparseError) else ExitCode.SOME_FAILED
        sys.exit(int(code))


def write_output(data: str | bytes, out: Path | None, inputs: list[Path] = ()) -> None:
    """Write to `out` (or stdout when None or '-'), never over one of the inputs."""
    if out is None or str(out) == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
            if not data.endswith("\n"):
                sys.stdout.write("\n")
        sys.stdout.flush()
        return
    target = out.resolve()
    for p in inputs:
        if Path(p).exists() and Path(p).resolve() == target:
            raise OutputError("refusing to overwrite the input; choose another output name", path=str(out))
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    if isinstance(data, bytes):
        tmp.write_bytes(data)
    else:
        tmp.write_text(data if data.endswith("\n") else data + "\n", encoding="utf-8")
    tmp.replace(target)


@contextmanager
def page_progress(description: str, total: int | None = None, enabled: bool | None = None) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr (off when stderr is not a terminal); yields `advance(n)`."""
    show = sys.stderr.isatty() if enabled is None else enabled
    if not show:
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with progress:
        task = progress.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            progress.advance(task, n)

        yield advance
