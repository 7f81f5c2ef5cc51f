#!/usr/bin/env python3
"""Extraction benchmark: time per document and the share of expected facts matched.

For each seed (samples/<case>/input.txt, else shared/seeds) with its gold definition, and each
generalisation document in tests/data/extract (<name>.txt with <name>.expected.json), run
`extract_campaign` on the text and compare fact by fact (planparse.extract.facts).  Timing
covers extraction only (the text is already a PlanDocument), best of --repeat runs, plus the
first run (cold: lexicon load and regex compilation).

    .venv/bin/python scripts/bench_extract.py [--verbose] [--repeat 3] [--inputs born-digital.pdf,input.docx,scan-300.pdf]

--inputs also reads each seed's other renderings from samples/<case>/ through ingestion
(time for reading is reported apart from extraction).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from planparse.document import PlanDocument  # noqa: E402
from planparse.extract import extract_campaign  # noqa: E402
from planparse.extract.facts import compare, score  # noqa: E402


def _golds() -> list[Path]:
    """The seeds' gold definitions (copied into tests/data/extract/gold, else shared/gold)."""
    local = sorted((ROOT / "tests" / "data" / "extract" / "gold").glob("*.json"))
    return local or sorted((SHARED / "gold").glob("*.json"))


def cases() -> list[tuple[str, Path, Path]]:
    out = []
    for gold in _golds():
        case = gold.stem.split("_")[0]
        text = ROOT / "samples" / case / "input.txt"
        if not text.exists():
            text = next((SHARED / "seeds").glob(f"{case}_*.txt"))
        out.append((f"seed {case}", text, gold))
    for exp in sorted((ROOT / "tests" / "data" / "extract").glob("*.expected.json")):
        text = exp.with_name(exp.name.replace(".expected.json", ".txt"))
        if text.exists():
            out.append((f"gen {text.stem}", text, exp))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", "-v", action="store_true", help="list the facts that do not match")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--inputs", default="", help="comma-separated sample files to read too (e.g. scan-300.pdf)")
    args = ap.parse_args()
    rows = []
    total_ok = total = 0
    for label, text_path, gold_path in cases():
        text = text_path.read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        times = []
        campaign = None
        for _ in range(max(1, args.repeat)):
            doc = PlanDocument.from_text(text, path=str(text_path))
            t0 = time.perf_counter()
            campaign = extract_campaign(doc)
            times.append(time.perf_counter() - t0)
        facts = compare(gold, campaign)
        ok = sum(f.ok for f in facts)
        total_ok += ok
        total += len(facts)
        rows.append((label, ok, len(facts), score(facts), times[0], min(times)))
        if args.verbose:
            for f in facts:
                if not f.ok:
                    print(f"  {label}: {f.name}: expected {f.expected!r}, got {f.got!r}")
    for name in [n for n in args.inputs.split(",") if n]:
        from planparse.pipeline import read

        for gold_path in _golds():
            case = gold_path.stem.split("_")[0]
            path = ROOT / "samples" / case / name
            if not path.exists():
                continue
            t0 = time.perf_counter()
            doc = read(path)
            t1 = time.perf_counter()
            campaign = extract_campaign(doc)
            t2 = time.perf_counter()
            facts = compare(json.loads(gold_path.read_text(encoding="utf-8")), campaign)
            ok = sum(f.ok for f in facts)
            total_ok += ok
            total += len(facts)
            rows.append((f"seed {case} {name} (read {t1 - t0:.1f}s)", ok, len(facts), score(facts), t2 - t1, t2 - t1))
            if args.verbose:
                for f in facts:
                    if not f.ok:
                        print(f"  {case} {name}: {f.name}: expected {f.expected!r}, got {f.got!r}")
    print(f"{'document':<44} {'facts':>9} {'match':>7} {'first s':>8} {'best s':>8}")
    for label, ok, n, sc, first, best in rows:
        print(f"{label:<44} {ok:>4}/{n:<4} {sc:>6.1%} {first:>8.3f} {best:>8.3f}")
    print(f"{'all':<44} {total_ok:>4}/{total:<4} {total_ok / max(1, total):>6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
