#!/usr/bin/env python3
"""Benchmark ingestion (issue 2): accuracy and speed of `planparse text` against plain Tesseract.

Renders the held-out plans (samples/heldout/*/source.md, never used to tune the code) as an
office scan at 300 and 200 dpi, a PDF with an English-OCR text layer, a phone photo, a
born-digital PDF and a TCVN3 PDF, then measures, in one run and on the same page images:

- character error rate (CER) of planparse and of plain `tesseract IMAGE - -l vie`;
- whether table rows survive as rows (one output line per truth row, within 10 % edits), and
  how many come out with every cell exact;
- seconds per scanned page for both (`--jobs 1`), and the speed-up of `--jobs 2`;
- born-digital pages per second.

CER compares text after NFC, one tone placement (hòa, thủy: planparse's convention, applied
to both sides) and collapsing all whitespace (tabs between cells included).

Usage: .venv/bin/python scripts/bench_ingest.py [--cases h1,h2] [--seeds] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
os.environ["OMP_THREAD_LIMIT"] = "1"

from rapidfuzz.distance import Levenshtein  # noqa: E402

from planparse.ingest import ReadOptions  # noqa: E402
from planparse.pipeline import read  # noqa: E402
from planparse.repair.unicode import normalize  # noqa: E402


def norm(text: str) -> str:
    """NFC, planparse's one tone placement (hòa, thủy) and single spaces, on both sides."""
    return " ".join(normalize(unicodedata.normalize("NFC", text))[0].split())


def cer(hyp: str, ref: str) -> tuple[int, int]:
    ref_n, hyp_n = norm(ref), norm(hyp)
    return Levenshtein.distance(hyp_n, ref_n), len(ref_n)


def truth_rows(page_truth: str) -> list[list[str]]:
    return [[norm(c) for c in line.split("\t")] for line in page_truth.splitlines() if "\t" in line]


def rows_kept(rows: list[list[str]], text: str, exact: bool) -> int:
    """Truth table rows that come out as one line.

    exact: the row's non-empty cells appear in order on one output line, letter for letter.
    Otherwise (structure): one output line equals the row's text within 10 % edits, so a row
    survives as a row even with an OCR slip, while cells mixed with other rows do not.
    """
    lines = [norm(line.replace("\t", " ")) for line in text.splitlines()]
    kept = 0
    for row in rows:
        cells = [c for c in row if c]
        if exact:
            kept += any(_in_order(cells, line) for line in lines)
        else:
            target = " ".join(cells)
            kept += any(Levenshtein.distance(line, target) <= 0.1 * len(target) for line in lines)
    return kept


def _in_order(cells: list[str], line: str) -> bool:
    pos = 0
    for cell in cells:
        found = line.find(cell, pos)
        if found < 0:
            return False
        pos = found + len(cell)
    return True


def plain_tesseract(image_path: Path) -> tuple[str, float]:
    start = time.perf_counter()
    out = subprocess.run(
        ["tesseract", str(image_path), "-", "-l", "vie"], capture_output=True, text=True, check=True
    ).stdout
    return out, time.perf_counter() - start


def page_images(pdf_path: Path, out_dir: Path) -> list[Path]:
    """The scan's page images, rendered exactly as planparse renders them for OCR."""
    import pymupdf

    from planparse.ingest.pdf import effective_dpi, render_page

    paths = []
    with pymupdf.open(pdf_path) as pdf:
        for i, page in enumerate(pdf):
            path = out_dir / f"{pdf_path.stem}-{i + 1}.png"
            render_page(page, effective_dpi(page)).save(path)
            paths.append(path)
    return paths


class Tally:
    def __init__(self) -> None:
        self.errors = self.chars = self.rows = self.rows_kept = self.rows_exact = 0
        self.seconds = 0.0
        self.pages = 0

    def add(self, hyp: str, ref: str, seconds: float = 0.0) -> None:
        e, n = cer(hyp, ref)
        self.errors += e
        self.chars += n
        self.seconds += seconds
        self.pages += 1
        rows = truth_rows(ref)
        self.rows += len(rows)
        self.rows_kept += rows_kept(rows, hyp, exact=False)
        self.rows_exact += rows_kept(rows, hyp, exact=True)

    @property
    def cer(self) -> float:
        return 100.0 * self.errors / max(1, self.chars)

    def as_dict(self) -> dict:
        return {
            "cer_percent": round(self.cer, 3),
            "pages": self.pages,
            "seconds_per_page": round(self.seconds / max(1, self.pages), 3),
            "table_rows_kept": f"{self.rows_kept}/{self.rows}",
            "table_rows_exact": f"{self.rows_exact}/{self.rows}",
        }


def read_pages(path: Path, jobs: int = 1) -> tuple[list[str], float]:
    start = time.perf_counter()
    doc = read(path, ReadOptions(jobs=jobs))
    return [p.text for p in doc.pages], time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", default="", help="held-out cases to use (default: all in samples/heldout)")
    parser.add_argument("--seeds", action="store_true", help="also measure the seed samples (tuned on; for reference)")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()

    from make_samples import render_case

    heldout = ROOT / "samples" / "heldout"
    names = [c for c in args.cases.split(",") if c] or sorted(p.name for p in heldout.iterdir() if p.is_dir())
    sources = [heldout / n / "source.md" for n in names]
    if args.seeds:
        sources += sorted((ROOT / "samples").glob("[0-9]*/source.md"))

    kinds = {"born-digital", "scan-300", "scan-200", "garbled-layer", "photo", "tcvn3", "vni", "truth"}
    tallies: dict[str, Tally] = {}

    def tally(name: str) -> Tally:
        return tallies.setdefault(name, Tally())

    jobs2_seconds = jobs1_seconds = 0.0
    worse: list[tuple[str, bool]] = []  # per scanned page: is planparse's CER above plain Tesseract's?
    born_pages, born_seconds = 0, 0.0
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for source in sources:
            case = source.parent.name
            out = tmp / case
            out.mkdir()
            print(f"[{case}] rendering", file=sys.stderr)
            files = render_case(source, out, kinds)
            truth = files["truth"].read_text(encoding="utf-8").split("\f")

            for kind in ("scan-300", "scan-200"):
                images = page_images(files[kind], out)
                plain_pages = []
                for image, ref in zip(images, truth):
                    hyp, seconds = plain_tesseract(image)
                    plain_pages.append(hyp)
                    tally(f"{kind} plain tesseract").add(hyp, ref, seconds)
                pages, seconds = read_pages(files[kind], jobs=1)
                for hyp, plain, ref in zip(pages, plain_pages, truth):
                    tally(f"{kind} planparse").add(hyp, ref, seconds / len(pages))
                    ours, theirs = cer(hyp, ref)[0], cer(plain, ref)[0]
                    worse.append((f"{case} {kind} p{len(worse) + 1}", ours > theirs))
                jobs1_seconds += seconds
                _, seconds2 = read_pages(files[kind], jobs=2)
                jobs2_seconds += seconds2
                print(f"[{case}] {kind}: done", file=sys.stderr)

            pages, seconds = read_pages(files["garbled-layer"])
            for hyp, ref in zip(pages, truth):
                tally("garbled-layer planparse").add(hyp, ref, seconds / len(pages))
            # The photo shows the first page with a ruled table (scripts/samplegen: table_pages[0]).
            photo_ref = next((page for page in truth if "\t" in page), truth[0])
            hyp, seconds = plain_tesseract(files["photo"])
            tally("photo plain tesseract").add(hyp, photo_ref, seconds)
            pages, seconds = read_pages(files["photo"])
            tally("photo planparse").add("\n".join(pages), photo_ref, seconds)

            for kind in ("born-digital", "tcvn3", "vni"):
                pages, seconds = read_pages(files[kind])
                for hyp, ref in zip(pages, truth):
                    tally(f"{kind} planparse").add(hyp, ref, seconds / len(pages))
                if kind == "born-digital":
                    for _ in range(3):
                        pages, seconds = read_pages(files[kind])
                        born_pages += len(pages)
                        born_seconds += seconds
            print(f"[{case}] done", file=sys.stderr)

    figures = {name: t.as_dict() for name, t in tallies.items()}
    figures["jobs-2 speed-up on scans"] = round(jobs1_seconds / max(1e-9, jobs2_seconds), 2)
    figures["born-digital pages per second"] = round(born_pages / max(1e-9, born_seconds), 1)
    figures["scanned pages worse than plain tesseract"] = f"{sum(w for _, w in worse)}/{len(worse)}"
    print(f"documents: {', '.join(s.parent.name for s in sources)}\n")
    print("| input | CER % | s/page | table rows kept as rows | rows with every cell exact |")
    print("|---|---|---|---|---|")
    for name, t in tallies.items():
        d = t.as_dict()
        print(
            f"| {name} | {d['cer_percent']:.2f} | {d['seconds_per_page']:.2f} | {d['table_rows_kept']} "
            f"| {d['table_rows_exact']} |"
        )
    print(f"\n--jobs 2 speed-up on scans: {figures['jobs-2 speed-up on scans']}x")
    print(f"born-digital: {figures['born-digital pages per second']} pages/s")
    print(f"scanned pages where planparse's CER is above plain Tesseract's: {figures['scanned pages worse than plain tesseract']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
