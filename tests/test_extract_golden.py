"""Golden-file tests of extraction: every fact of the hand-made definitions, per input path.

Seeds: samples/<case>/input.txt (the text PDF extraction gave) against the human gold copied
to tests/data/extract/gold/<case>.json; when the samples directory also holds the born-digital
PDF, the .docx or the 300-dpi scan of the same plan, each must give the same facts.
Generalisation documents: tests/data/extract/<name>.txt against <name>.expected.json, written
by hand before the extractor ran on them.  Facts are compared by planparse.extract.facts
(metadata, each criterion's max points and the points its rule gives at probe values,
eligibility, penalties, each award's fields, indicator values), not as whole JSON.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from planparse.document import PlanDocument
from planparse.extract import extract_campaign
from planparse.extract.facts import compare, score

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "extract"
CASES = ("000", "001", "003")
SEEDS = Path("/work/shared/seeds")


def _seed_text(case: str) -> str:
    path = ROOT / "samples" / case / "input.txt"
    if not path.exists():
        path = next(SEEDS.glob(f"{case}_*.txt"))
    return path.read_text(encoding="utf-8")


def _gold(case: str) -> dict:
    return json.loads((DATA / "gold" / f"{case}.json").read_text(encoding="utf-8"))


def _report(facts) -> str:
    return "\n".join(f"{f.name}: expected {f.expected!r}, got {f.got!r}" for f in facts if not f.ok)


def _key_facts(facts):
    """Facts the issue requires in full: criteria (max points, rule behaviour) and awards."""
    return [f for f in facts if f.name.startswith(("criterion", "award", "eligibility", "penalty", "document.kind",
                                                   "document.year", "document.number", "document.date",
                                                   "signer", "campaign.period"))]


@pytest.mark.parametrize("case", CASES)
def test_seed_text(case):
    campaign = extract_campaign(PlanDocument.from_text(_seed_text(case), path=f"{case}/input.txt"))
    facts = compare(_gold(case), campaign)
    key = _key_facts(facts)
    assert all(f.ok for f in key), _report(key)
    assert score(facts) >= 0.95, _report(facts)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name", ["born-digital.pdf", "input.docx", "tcvn3.pdf", "vni.pdf", "garbled-layer.pdf", "scan-300.pdf"])
def test_seed_other_paths(case, name):
    path = ROOT / "samples" / case / name
    if not path.exists():
        pytest.skip(f"samples/{case}/{name} not generated")
    from planparse.pipeline import read

    campaign = extract_campaign(read(path))
    facts = compare(_gold(case), campaign)
    key = [f for f in _key_facts(facts) if not f.name.startswith("indicator")]
    assert score(key) >= (0.9 if name in ("scan-300.pdf", "garbled-layer.pdf") else 1.0), _report(key)


def _generalisation_docs() -> list[Path]:
    return sorted(DATA.glob("*.expected.json"))


@pytest.mark.parametrize("expected", _generalisation_docs(), ids=lambda p: p.name.split(".")[0])
def test_generalisation(expected):
    text = expected.with_name(expected.name.replace(".expected.json", ".txt")).read_text(encoding="utf-8")
    campaign = extract_campaign(PlanDocument.from_text(text))
    facts = compare(json.loads(expected.read_text(encoding="utf-8")), campaign)
    assert score(facts) >= 0.95, _report(facts)


def test_at_least_six_generalisation_documents():
    assert len(_generalisation_docs()) >= 6


def test_extraction_is_fast():
    texts = [_seed_text(c) for c in CASES] + [p.read_text(encoding="utf-8") for p in DATA.glob("*.txt")]
    for text in texts:
        doc = PlanDocument.from_text(text)
        start = time.perf_counter()
        extract_campaign(doc)
        assert time.perf_counter() - start < 1.0


def test_no_model_loaded_at_import():
    import subprocess
    import sys

    code = "import sys, planparse.extract; print('underthesea' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
