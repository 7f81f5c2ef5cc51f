"""Golden tests of reading on the bundled samples: every ingest path against the printed text.

`truth.txt` is what is printed on each page (scripts/make_samples.py); the character error
rate (CER) compares texts after NFC, our tone-placement convention and collapsing whitespace.
Born-digital, TCVN3 and VNI PDFs and .docx are also compared exactly with golden files
(`expected.<kind>.txt`, regenerated with PLANPARSE_REGEN=1).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from golden import check_text
from rapidfuzz.distance import Levenshtein

from planparse.document import Origin
from planparse.ingest import ReadOptions
from planparse.pipeline import read
from planparse.repair.unicode import normalize

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CASES = ["000", "001", "003"]


def _norm(text: str) -> str:
    return " ".join(normalize(unicodedata.normalize("NFC", text))[0].split())


def cer(hyp: str, ref: str) -> float:
    ref_n = _norm(ref)
    return Levenshtein.distance(_norm(hyp), ref_n) / max(1, len(ref_n))


def truth(case: str) -> list[str]:
    return (SAMPLES / case / "truth.txt").read_text(encoding="utf-8").split("\f")


def table_rows(pages: list[str]) -> list[list[str]]:
    return [[" ".join(c.split()) for c in line.split("\t")] for page in pages for line in page.splitlines() if "\t" in line]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("kind", ["born-digital", "tcvn3", "vni"])
def test_text_layer_pdfs_read_exactly(case: str, kind: str) -> None:
    doc = read(SAMPLES / case / f"{kind}.pdf")
    assert doc.origin is Origin.TEXT_LAYER
    pages = [p.text for p in doc.pages]
    assert len(pages) == len(truth(case))
    assert cer("\f".join(pages), "\f".join(truth(case))) <= 0.002
    assert table_rows(pages) == table_rows(truth(case)), "every table row comes out as a row of cells"
    check_text(SAMPLES / case / f"expected.{kind}.txt", doc.text)


@pytest.mark.parametrize("case", CASES)
def test_docx_reads_with_tables(case: str) -> None:
    doc = read(SAMPLES / case / "input.docx")
    assert any(page.tables for page in doc.pages)
    check_text(SAMPLES / case / "expected.docx.txt", doc.text)


@pytest.mark.parametrize("case", CASES)
def test_seed_text_file_reads_as_is(case: str) -> None:
    path = SAMPLES / case / "input.txt"
    doc = read(path)
    assert doc.origin is Origin.TEXT_FILE
    assert not any(i.code == "W106" for i in doc.all_issues), "good text is never 'restored'"
    assert _norm(doc.text) == _norm(path.read_text(encoding="utf-8"))


def test_scan_300_dpi_reads_accurately_and_keeps_table_rows() -> None:
    doc = read(SAMPLES / "003" / "scan-300.pdf", ReadOptions(jobs=2))
    assert doc.origin is Origin.OCR
    pages = [p.text for p in doc.pages]
    assert cer("\f".join(pages), "\f".join(truth("003"))) <= 0.02
    rows = table_rows(pages)
    assert len(rows) >= 0.8 * len(table_rows(truth("003")))


def test_scan_200_dpi_reads_accurately() -> None:
    doc = read(SAMPLES / "000" / "scan-200.pdf", ReadOptions(jobs=2))
    assert cer("\f".join(p.text for p in doc.pages), "\f".join(truth("000"))) <= 0.03


def test_garbled_text_layer_is_reread_by_ocr() -> None:
    doc = read(SAMPLES / "000" / "garbled-layer.pdf", ReadOptions(jobs=2))
    assert all(p.origin is Origin.OCR for p in doc.pages)
    assert all("garbled" in p.reason for p in doc.pages)
    assert cer("\f".join(p.text for p in doc.pages), "\f".join(truth("000"))) <= 0.03
