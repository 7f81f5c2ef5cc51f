"""Checks that a rendered case is what it claims to be (used by `--check` and the tests)."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pymupdf

from . import legacy


def squash(text: str) -> str:
    """Text with all whitespace removed (layout-independent comparison)."""
    return re.sub(r"\s+", "", text)


def truth_pages(case: Path) -> list[str]:
    return (case / "truth.txt").read_text(encoding="utf-8").split("\f")


def legacy_layer(page: pymupdf.Page) -> tuple[str, str, set[str]]:
    """(raw extracted text, text mapped back from TCVN3/VNI, font names) of one page."""
    from planparse.repair.legacy import encoding_for_font

    raw, back, fonts = [], [], set()
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                raw.append(span["text"])
                encoding = encoding_for_font(span["font"])
                if encoding == "vni":
                    back.append(legacy.vni_decode(span["text"]))
                elif encoding == "tcvn3":
                    back.append(legacy.decode(span["text"], span["font"]))
                else:
                    back.append(span["text"])
                fonts.add(span["font"])
    return "".join(raw), "".join(back), fonts


def _first_difference(a: str, b: str) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"at {i}: {a[max(0, i - 20):i + 20]!r} vs {b[max(0, i - 20):i + 20]!r}"
    return f"lengths {len(a)} vs {len(b)}"


def check_case(case: Path) -> list[str]:
    """Problems found in a rendered case directory (empty list: all good)."""
    problems: list[str] = []
    truth = truth_pages(case) if (case / "truth.txt").exists() else None
    n_pages = len(truth) if truth else None
    born = case / "born-digital.pdf"
    if born.exists() and truth is not None:
        with pymupdf.open(born) as doc:
            if len(doc) != n_pages:
                problems.append(f"born-digital has {len(doc)} pages, truth {n_pages}")
            for number, (page, expected) in enumerate(zip(doc, truth), start=1):
                got = squash(page.get_text())
                if got != squash(expected):
                    problems.append(f"born-digital page {number} differs from truth "
                                    + _first_difference(got, squash(expected)))
    for name in ("scan-300.pdf", "scan-200.pdf"):
        if (case / name).exists():
            with pymupdf.open(case / name) as doc:
                if n_pages is not None and len(doc) != n_pages:
                    problems.append(f"{name} has {len(doc)} pages, truth {n_pages}")
                if any(page.get_text().strip() for page in doc):
                    problems.append(f"{name} has a text layer")
    if (case / "garbled-layer.pdf").exists():
        from planparse.repair.syllables import valid_ratio
        with pymupdf.open(case / "garbled-layer.pdf") as doc:
            text = "\n".join(page.get_text() for page in doc)
            if n_pages is not None and len(doc) != n_pages:
                problems.append(f"garbled-layer has {len(doc)} pages, truth {n_pages}")
        ratio = valid_ratio(text)
        if len(text) < 200 or ratio > 0.85:
            problems.append(f"garbled-layer text is not garbled (valid syllables {ratio:.0%})")
    for name, font in (("tcvn3", ".VnTime"), ("vni", "VNI-Times")):
        if not (case / f"{name}.pdf").exists() or truth is None:
            continue
        with pymupdf.open(case / f"{name}.pdf") as doc:
            if len(doc) != n_pages:
                problems.append(f"{name}.pdf has {len(doc)} pages, truth {n_pages}")
            for number, (page, expected) in enumerate(zip(doc, truth), start=1):
                raw, back, fonts = legacy_layer(page)
                if not any(font in f for f in fonts):
                    problems.append(f"{name} page {number}: no {font} font ({sorted(fonts)})")
                if squash(back) != squash(expected):
                    problems.append(f"{name} page {number} does not map back to the truth "
                                    + _first_difference(squash(back), squash(expected)))
                if squash(raw) == squash(expected):
                    problems.append(f"{name} page {number} extracts as clean Unicode")
    if (case / "input.docx").exists():
        with zipfile.ZipFile(case / "input.docx") as z:
            if "<w:tbl>" not in z.read("word/document.xml").decode("utf-8"):
                problems.append("input.docx has no tables")
    return problems
