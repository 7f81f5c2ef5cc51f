#!/usr/bin/env python3
"""Render the bundled sample documents from their hand-typed `source.md`.

    .venv/bin/python scripts/make_samples.py [--only CASE] [--out samples] [--heldout]
                                             [--kinds born-digital,scan-300,...] [--check]

Every case directory holds a `source.md`: the document as the office typed it, in clean
Unicode Vietnamese. From it we render, deterministically (fixed seeds derived from the case
name), the files listed in KINDS. Importable: `render_case(source_md, out_dir, kinds)`.

The source.md markup
--------------------
One line is one block; blank lines are ignored (use them freely for readability).

    % comment                  ignored
    # text                     title line: centred, bold, 14 pt (one printed line per `#` line,
                               wrapped only if too long)
    ## text                    heading: bold, first-line indent ("I. MỤC ĐÍCH, YÊU CẦU")
    ### text                   sub-heading: bold, first-line indent ("1. Mục đích")
    :c text                    centred line        :r text   right-aligned line
    :l text                    left line, no indent
    :s text                    small (10 pt) paragraph, e.g. footnotes; `:s ---` a short rule
    any other line             a justified body paragraph with first-line indent
    === newpage [landscape|portrait]
                               page break; the following pages take that orientation (A4)

Inline, anywhere: `**bold**`, `_italic_` (underscores at word edges), `^[1]` superscript.
Runs of two or more spaces are printed as a visible gap ("Số:         /KH-UBND").

Grids, between `::: KIND [options]` and a line `:::`, one row per line:

    ::: letterhead             borderless two-column header: issuer left, national motto
    | ỦY BAN NHÂN DÂN<br>**HUYỆN X**<br>--- | **CỘNG HÒA ...**<br>**Độc lập - ...**<br>--- |
    | Số:    /KH-UBND | _X, ngày   tháng   năm 2023_ |
    :::
    ::: signature [align=c,c]  borderless: "Nơi nhận" list left, signer block right (with
                               `align`: every cell a centred signer block)
    ::: table widths=7,40,10 header=2 align=c,l,c
                               a ruled table (GRID borders); widths are relative; `header` rows
                               repeat on every page the table continues on; align per column
                               (l, c, r, j); header cells are centred

Cells are separated by `|`; `<br>` breaks a line inside a cell; an empty line in a cell is
vertical space; a cell line `---` is a short rule (letterhead underlines). A cell holding
only `>` merges into its left neighbour (column span), only `^` into the cell above (row
span): "| Kết quả thực hiện | > |" spans two columns, "| ^ |" continues a row span.

Files rendered per case (KINDS)
-------------------------------
born-digital.pdf  A4, Liberation Serif 13 pt, ruled tables, letterhead as a borderless table
scan-300.pdf      image-only, greyscale 300 dpi, skew, noise, blur, paper tint, JPEG q60-66
scan-200.pdf      the same at 200 dpi
garbled-layer.pdf the scan-300 images with an invisible text layer from `tesseract -l eng`
photo.jpg         a phone photo of the page holding the first table
tcvn3.pdf         born-digital layout drawn with .VnTime/.VnTimeH look-alike fonts: looks right,
                  its text layer extracts as TCVN3 mojibake ("ñY BAN NH¢N D¢N")
vni.pdf           the same with a VNI-Times look-alike: extracts as VNI ("nhaân daân")
input.docx        Word document, tables as real Word tables
truth.txt         ground-truth text of the born-digital pages (conventions below)

truth.txt conventions
---------------------
Pages in PDF order, separated by a form feed; every page's text ends with a newline. Each
page: its page number (printed top centre from page 2 on) first, then blocks in reading
order. One line per title line / heading / paragraph (printed wrapping is not kept).
Letterhead and signature rows: for each row, every line of the left cell, then every line of
the right cell (empty lines and rules skipped). Data tables: one line per table row, as
printed on that page (header rows repeated where the table continues), cells separated by a
TAB, a cell's lines joined by a space, merged positions (`>`/`^`) empty. Whitespace runs
collapse to one space; superscripts are inline ("THƯỞNG3"). Inline markup is removed.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from samplegen import degrade, docx_out, markup, pdf  # noqa: E402

SEED_CASES = ("000", "001", "003")
HELDOUT_CASES = ("h1", "h2")
FILES = {
    "born-digital": "born-digital.pdf",
    "scan-300": "scan-300.pdf",
    "scan-200": "scan-200.pdf",
    "garbled-layer": "garbled-layer.pdf",
    "photo": "photo.jpg",
    "tcvn3": "tcvn3.pdf",
    "vni": "vni.pdf",
    "docx": "input.docx",
    "truth": "truth.txt",
}
KINDS = frozenset(FILES)
NEEDS_BORN_DIGITAL = {"scan-300", "scan-200", "garbled-layer", "photo", "truth"}


def render_case(source_md: Path, out_dir: Path, kinds: set[str] | frozenset[str] = KINDS,
                label: str | None = None) -> dict[str, Path]:
    """Render the requested kinds of one source.md into out_dir; return {kind: path}.

    `label` seeds the random degradations (default: the source's directory name), so a
    case renders identically wherever out_dir is.
    """
    unknown = set(kinds) - KINDS
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}; choose from {sorted(KINDS)}")
    source_md, out_dir = Path(source_md), Path(out_dir)
    label = label or source_md.parent.name
    out_dir.mkdir(parents=True, exist_ok=True)
    blocks = markup.parse_file(source_md)
    title = next((markup.plain(b.text) for b in blocks if b.kind == markup.TITLE), "")
    made: dict[str, Path] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if "born-digital" in kinds or kinds & NEEDS_BORN_DIGITAL:
            target = out_dir if "born-digital" in kinds else Path(tmp)
            rendered = pdf.render_pdf(blocks, target / FILES["born-digital"], title=title)
            born = rendered.path
            if "born-digital" in kinds:
                made["born-digital"] = born
            if "truth" in kinds:
                path = out_dir / FILES["truth"]
                path.write_text("\f".join(rendered.pages), encoding="utf-8")
                made["truth"] = path
            for dpi in (300, 200):
                if f"scan-{dpi}" in kinds:
                    made[f"scan-{dpi}"] = degrade.scan_pdf(
                        born, out_dir / FILES[f"scan-{dpi}"], dpi, label)
            if "garbled-layer" in kinds:
                made["garbled-layer"] = degrade.garbled_pdf(
                    born, out_dir / FILES["garbled-layer"], label)
            if "photo" in kinds:
                page = rendered.table_pages[0] if rendered.table_pages else 1
                made["photo"] = degrade.phone_photo(born, out_dir / FILES["photo"], page, label)
        if "tcvn3" in kinds:
            made["tcvn3"] = pdf.render_pdf(blocks, out_dir / FILES["tcvn3"], encoding="tcvn3",
                                           title=title).path
        if "vni" in kinds:
            made["vni"] = pdf.render_pdf(blocks, out_dir / FILES["vni"], encoding="vni",
                                         title=title).path
        if "docx" in kinds:
            made["docx"] = docx_out.write_docx(blocks, out_dir / FILES["docx"])
    return made


def _cases(out: Path, only: list[str] | None, heldout: bool) -> list[Path]:
    names = only or (list(HELDOUT_CASES) if heldout else list(SEED_CASES))
    dirs = []
    for name in names:
        case = out / ("heldout" if name in HELDOUT_CASES else "") / name
        if not (case / "source.md").exists():
            raise SystemExit(f"{case / 'source.md'} does not exist")
        dirs.append(case)
    return dirs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", metavar="CASE",
                        help="render only this case (000, 001, 003, h1, h2); repeatable")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent
                        / "samples", help="samples directory holding <case>/source.md")
    parser.add_argument("--heldout", action="store_true",
                        help="render the held-out cases (heldout/h1, heldout/h2) instead")
    parser.add_argument("--kinds", default=",".join(FILES),
                        help=f"comma-separated subset of {','.join(FILES)}")
    parser.add_argument("--check", action="store_true",
                        help="after rendering, verify truth, text layers and round trips")
    args = parser.parse_args(argv)
    kinds = {k.strip() for k in args.kinds.split(",") if k.strip()}
    if shutil.which("tesseract") is None and "garbled-layer" in kinds:
        parser.error("garbled-layer needs tesseract on PATH; drop it from --kinds")
    failures = 0
    for case in _cases(args.out, args.only, args.heldout):
        made = render_case(case / "source.md", case, kinds)
        sizes = ", ".join(f"{p.name} {p.stat().st_size // 1024} KB" for p in made.values())
        print(f"{case.name}: {sizes}", file=sys.stderr)
        if args.check:
            from samplegen import verify
            problems = verify.check_case(case)
            for problem in problems:
                print(f"{case.name}: {problem}", file=sys.stderr)
            failures += bool(problems)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
