"""Time `score` on 10,000 units × 20 criteria (the issue asks for < 1 s).

Builds a synthetic definition that mixes every rule kind (thresholds with bonuses, bands
with formulas and an ineligible floor, ratios, per-increment, yes/no, manual) and penalties,
then unit values typed the way offices type them ("68,13", "61/91", "1.500", "x").
Prints the time to score in memory, and the time to read the same data from a CSV file.

    .venv/bin/python scripts/bench_score.py [UNITS] [CRITERIA]
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

from planparse.campaign import Campaign
from planparse.score import score_sheet, score_units
from planparse.units import UnitRecord

GROUPS = ["Các xã, thị trấn", "Các phòng, ban, ngành huyện"]


def build_campaign(n_criteria: int) -> Campaign:
    kinds = [
        {"kind": "threshold", "threshold": 0.6, "below": "ineligible",
         "bonus": {"from": 0.6, "step": 0.1, "points": 2, "cap": 6}},
        {"kind": "bands", "bands": [{"min": 0.4, "points": 20}, {"min": 0.2, "max": 0.4, "formula": "rate*10/0.4",
                                                                   "max_points": 10}, {"max": 0.2, "points": 0}]},
        {"kind": "ratio", "threshold": 1.0},
        {"kind": "per_increment", "bonus": {"from": 0, "step": 100, "points": 5, "cap": 50}},
        {"kind": "boolean", "below": -5},
    ]
    units = {"threshold": "%", "bands": "%", "ratio": "%", "per_increment": "tài khoản", "boolean": "có/không"}
    criteria = []
    for i in range(n_criteria):
        rule = kinds[i % len(kinds)]
        criteria.append({"id": str(i + 1), "group": None, "name": f"Tiêu chí {i + 1}", "max_points": 20,
                         "unit": units[rule["kind"]], "rule": rule})
    awards = [{"group": g, "rank": r, "label": label, "count": c, "amount_vnd": 1_000_000 * (4 - r)}
              for g in GROUPS for r, label, c in ((1, "Giải nhất", 1), (2, "Giải nhì", 2), (3, "Giải ba", 3))]
    penalties = [{"id": "P1", "when": "Báo cáo trễ hạn", "points": -2, "per": "lần", "cap": -6}]
    return Campaign.model_validate({"criteria": criteria, "awards": awards, "penalties": penalties,
                                    "eligibility": {"min_total_points": 50}})


def make_values(campaign: Campaign, n_units: int, seed: int = 7, places: int = 2) -> list[UnitRecord]:
    rng = random.Random(seed)
    records = []
    for u in range(n_units):
        group = GROUPS[u % 2]
        values: dict[str, str] = {}
        for c in campaign.criteria:
            kind = c.rule.kind
            if kind == "boolean":
                values[c.id] = rng.choice(["x", "", "có", "không"])
            elif kind == "per_increment":
                values[c.id] = f"{rng.randint(0, 3000):,}".replace(",", ".")
            elif rng.random() < 0.2:
                total = rng.randint(10, 200)
                values[c.id] = f"{rng.randint(0, total)}/{total}"
            else:
                values[c.id] = f"{rng.uniform(30, 100):.{places}f}".replace(".", ",")
        values["P1"] = str(rng.choice([0, 0, 0, 1, 2, 5]))
        records.append(UnitRecord(unit=f"Đơn vị {u + 1}", group=group, values=values, row=u + 2))
    return records


def main() -> None:
    n_units = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    n_criteria = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    campaign = build_campaign(n_criteria)
    records = make_values(campaign, n_units)
    score_units(campaign, records[:100])  # warm up (formula cache, rapidfuzz import)
    for label, data in (("values as typed (2 decimals, some repeats)", records),
                        ("every value distinct (4 decimals; no memo hits)", make_values(campaign, n_units, 11, 4))):
        wall = cpu = float("inf")
        for _ in range(3):
            start, start_cpu = time.perf_counter(), time.process_time()
            result = score_units(campaign, data)
            wall = min(wall, time.perf_counter() - start)
            cpu = min(cpu, time.process_time() - start_cpu)
        cells = sum(len(u.points) for u in result.units)
        print(f"score_units, {label}: {n_units} units x {n_criteria} criteria ({cells} cells): "
              f"{wall:.3f} s wall, {cpu:.3f} s CPU (best of 3)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "units.csv"
        ids = [c.id for c in campaign.criteria] + ["P1"]
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["unit", "group", *ids])
            for r in records:
                writer.writerow([r.unit, r.group, *(r.values.get(i, "") for i in ids)])
        start = time.perf_counter()
        result = score_sheet(campaign, str(path))
        read_and_score = time.perf_counter() - start
        start = time.perf_counter()
        result.to_csv()
        to_csv = time.perf_counter() - start
    print(f"score_sheet (read CSV + score): {read_and_score:.3f} s; results to CSV: {to_csv:.3f} s")
    eligible = sum(u.eligible for u in result.units)
    print(f"{eligible} eligible, {sum(u.award is not None for u in result.units)} awarded")


if __name__ == "__main__":
    main()
