"""Extraction never crashes and stays fast on damaged or odd text: partial results as data."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planparse.document import PlanDocument
from planparse.extract import extract_campaign

ROOT = Path(__file__).resolve().parents[1]
TEXTS = sorted((ROOT / "tests" / "data" / "extract").glob("*.txt")) + sorted(ROOT.glob("samples/*/input.txt"))


def _variants(text: str) -> list[str]:
    rnd = random.Random(7)
    lines = text.split("\n")
    return [text.upper(), text.replace("\n", " "), "\n".join(rnd.sample(lines, len(lines))), text[: len(text) // 3],
            text.replace("\t", "  "), "\f".join(text.split("\n\n"))]


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem if p.parent.name == "extract" else p.parent.name)
def test_damaged_variants_never_crash(path):
    for variant in _variants(path.read_text(encoding="utf-8")):
        start = time.perf_counter()
        campaign = extract_campaign(PlanDocument.from_text(variant))
        assert not [w for w in campaign.warnings if "could not be read" in w]
        assert time.perf_counter() - start < 2.5  # < 1 s unless the NER fallback loads its model


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("0123456789 .,:;%/-()\n\tabcđêôơưĐỦẠTừdướitrênđiểmgiảiNhấtHạng")),
               max_size=400))
def test_arbitrary_text_gives_a_definition(text):
    campaign = extract_campaign(PlanDocument.from_text(text))
    assert campaign.schema_version == "1"
    assert not [w for w in campaign.warnings if "could not be read" in w]
