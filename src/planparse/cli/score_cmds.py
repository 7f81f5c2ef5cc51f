"""`planparse template | score | config | diff | schema`: thin commands over score/config/diff.

DEF may be a definition (.json), a scoring config or definition in YAML, or a document; a
document is extracted first (the pipeline is imported here only, lazily, so scoring a saved
definition never loads OCR).  stdout carries data only; messages go to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer

from planparse.cli.common import app, say, write_output
from planparse.errors import ExitCode, InputError, MissingFileError, PlanparseError

DEFINITION_SUFFIXES = {".json", ".yaml", ".yml"}


class SheetFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


class ResultFormat(str, Enum):
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


@contextmanager
def _unreadable_is_fatal(minimum: int = ExitCode.NOTHING_READ) -> Iterator[None]:
    """A command with one job: an input that cannot be read means nothing was done (exit 3)."""
    try:
        yield
    except InputError as exc:
        exc.exit_code = ExitCode(max(int(exc.exit_code), minimum))
        raise


def load_def(path: Path):  # -> Campaign
    """A definition from .json/.yaml, or extracted from a document."""
    from planparse.config import load_scoring, validate

    if not path.exists():
        raise MissingFileError("file not found", path=str(path))
    if path.suffix.lower() in DEFINITION_SUFFIXES:
        return load_scoring(path)
    from planparse.pipeline import extract_path

    say(f"{path}: not a definition (.json/.yaml); extracting it first")
    return validate(extract_path(path), str(path))


def _format(out: Optional[Path], given: Optional[Enum], default: str, allowed: set[str]) -> str:
    if given is not None:
        return given.value
    if out is not None and str(out) != "-":
        suffix = out.suffix.lower().lstrip(".")
        if suffix in allowed:
            return suffix
        raise typer.BadParameter(f"cannot tell the format from '{out.name}'; use one of: "
                                 + ", ".join(sorted(allowed)), param_hint="-o/--output")
    return default


@app.command()
def template(
    definition: Path = typer.Argument(..., help="Definition (.json/.yaml) or document."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="units.csv or units.xlsx ('-' = stdout)."),
    fmt: Optional[SheetFormat] = typer.Option(None, "--format", help="csv or xlsx (default: from -o, else csv)."),
) -> None:
    """A blank unit-data sheet: unit, group, a column per criterion and per penalty."""
    from planparse.template import template_csv, template_xlsx

    with _unreadable_is_fatal():
        campaign = load_def(definition)
    kind = _format(output, fmt, "csv", {"csv", "xlsx"})
    to_file = output is not None and str(output) != "-"
    data = template_xlsx(campaign) if kind == "xlsx" else template_csv(campaign, bom=to_file)
    write_output(data, output, [definition])
    if to_file:
        say(f"wrote {output}: {len(campaign.criteria)} criteria, {len(campaign.penalties)} penalties, "
            f"{len(campaign.campaign.units)} units pre-filled")


@app.command()
def score(
    definition: Path = typer.Argument(..., help="Definition (.json), scoring config (.yaml) or document."),
    units: Path = typer.Argument(..., help="Unit sheet (.csv or .xlsx; '-' = CSV on stdin)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="results.csv, .json or .xlsx ('-' = stdout)."),
    fmt: Optional[ResultFormat] = typer.Option(None, "--format", help="csv, json or xlsx (default: from -o, else csv)."),
    decimals: int = typer.Option(2, "--decimals", min=0, max=6, help="Round each criterion's points to N places."),
) -> None:
    """Points per criterion, total, eligibility, rank and award for every unit."""
    from planparse.score import ScoreOptions, score_sheet

    with _unreadable_is_fatal():
        campaign = load_def(definition)
        result = score_sheet(campaign, str(units), ScoreOptions(decimals=decimals))
    kind = _format(output, fmt, "csv", {"csv", "json", "xlsx"})
    if kind == "xlsx" and output is None and sys.stdout.isatty():
        raise typer.BadParameter("a workbook is binary; write it to a file with -o results.xlsx")
    data = {"csv": result.to_csv, "json": result.to_json, "xlsx": result.to_xlsx}[kind]()
    write_output(data, output, [definition, units])
    for warning in result.warnings:
        say(f"warning: {warning}")
    eligible = sum(u.eligible for u in result.units)
    awarded = sum(u.award is not None for u in result.units)
    say(f"scored {len(result.units)} units: {eligible} eligible, {awarded} awarded")


@app.command()
def config(
    definition: Path = typer.Argument(..., help="Definition (.json/.yaml) or document."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="scoring.yaml ('-' = stdout)."),
) -> None:
    """An editable, commented scoring config (YAML) that `score` accepts in place of DEF."""
    from planparse.config import to_yaml

    with _unreadable_is_fatal():
        campaign = load_def(definition)
    write_output(to_yaml(campaign), output, [definition])
    if output is not None and str(output) != "-":
        say(f"wrote {output}; edit it, then: planparse score {output} units.csv")


@app.command()
def diff(
    old: Path = typer.Argument(..., help="Older definition or document."),
    new: Path = typer.Argument(..., help="Newer definition or document."),
    fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", help="text (readable), json or html (printable)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour the text (default: on a terminal)."),
) -> None:
    """What changed between two definitions; exit 0 when the same, 1 when they differ (as diff(1))."""
    from planparse.diff import diff_campaigns, render

    try:
        with _unreadable_is_fatal():
            before, after = load_def(old), load_def(new)
    except PlanparseError as exc:  # diff(1): trouble is 2 or more, 1 means "they differ"
        exc.exit_code = ExitCode(max(int(exc.exit_code), ExitCode.USAGE))
        raise
    result = diff_campaigns(before, after, str(old), str(new))
    to_terminal = output is None or str(output) == "-"
    if color is None:
        color = to_terminal and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    write_output(render(result, fmt.value, color=bool(color)), output, [old, new])
    raise typer.Exit(0 if result.same else 1)


@app.command()
def schema(
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
) -> None:
    """The JSON Schema of the campaign definition (every field described)."""
    from planparse.campaign import json_schema

    write_output(json.dumps(json_schema(), ensure_ascii=False, indent=2), output)
