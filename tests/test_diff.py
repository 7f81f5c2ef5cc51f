"""diff: criteria matched across years, field changes, renderers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planparse.campaign import Campaign, load_definition
from planparse.diff import criterion_similarity, diff_campaigns, render, to_html, to_json, to_text

DATA = Path(__file__).parent / "data"


def definition(name: str) -> Campaign:
    return load_definition(DATA / "definitions" / f"{name}.json")


def changed(result, section: str | None = None) -> list[tuple[str, str, str | None]]:
    return [(c.kind, c.subject, c.field) for c in result.changes if section is None or c.section == section]


def test_same_definition_has_no_changes() -> None:
    for name in ("000", "001", "003", "points_1000", "bands_prizes"):
        result = diff_campaigns(definition(name), definition(name))
        assert result.same and result.changes == []
        assert "Không có thay đổi" in to_text(result)


def test_2020_report_to_2021_plan() -> None:
    result = diff_campaigns(definition("000"), definition("001"), "000.json", "001.json")
    # level-4 criteria carried over to the district departments; level-3 dropped; communes new
    assert result.matched == [("II.2", "I.1"), ("II.1", "I.2")]
    crit = changed(result, "criteria")
    assert ("removed", "I.1 Tỷ lệ TTHC cung cấp trực tuyến mức 3 có phát sinh hồ sơ trong năm", None) in crit
    assert ("removed", "I.2 Tỷ lệ hồ sơ TTHC được xử lý trực tuyến mức độ 3", None) in crit
    assert sum(k == "added" for k, _, _ in crit) == 2
    kinds = [c for c in result.changes if c.field == "rule.kind"]
    assert [(c.old, c.new) for c in kinds] == [("bands", "threshold"), ("bands", "threshold")]
    period = {c.field: c.new_text for c in result.changes if c.section == "campaign" and c.field.startswith("period")}
    assert period == {"period.start": "01/01/2021", "period.end": "30/11/2021"}
    assert sum(c.kind == "added" for c in result.changes if c.section == "awards") == 7
    text = to_text(result)
    assert "--- 000.json" in text and "+++ 001.json" in text
    assert "~ II.2 → I.1 Tỷ lệ hồ sơ TTHC được xử lý trực tuyến mức 4 trong năm" in text
    assert "+ Giải nhất — Tập thể Ủy ban nhân dân các xã, thị trấn\n      1 đơn vị, 2.500.000 đồng" in text
    assert "\033[" not in text


def test_numbers_in_names_keep_criteria_apart() -> None:
    old, new = definition("000").criteria[0], definition("000").criteria[2]  # mức 3 / mức 4, same wording
    assert criterion_similarity(old, new) == 0


def edited(name: str, change) -> Campaign:
    data = definition(name).to_data()
    change(data)
    return Campaign.model_validate(data)


def test_points_thresholds_bonus_formula_and_awards() -> None:
    def change(d):
        d["criteria"][1]["rule"]["threshold"] = 0.4
        d["criteria"][1]["rule"]["bonus"]["cap"] = 12
        d["criteria"][0]["rule"]["bands"][1]["formula"] = "rate*50/0.75"
        d["criteria"][2]["max_points"] = 25
        d["criteria"][2]["id"] = "4"
        d["awards"][1]["amount_vnd"] = 2_000_000
        d["awards"][1]["count"] = 3
        d["penalties"][0]["cap"] = -10
        d["eligibility"]["min_total_points"] = 60
        d["campaign"]["period"]["end"] = "2024-12-15"

    result = diff_campaigns(definition("bands_prizes"), edited("bands_prizes", change))
    got = {(c.subject.split()[0], c.field): (c.old_text, c.new_text) for c in result.changes}
    assert got[("2", "rule.threshold")] == ("30 %", "40 %")
    assert got[("2", "rule.bonus.cap")] == ("10", "12")
    assert got[("1", "rule.bands[1].formula")] == ("rate*50/0.8", "rate*50/0.75")
    assert got[("3", "max_points")] == ("20", "25")  # matched by name although renumbered 3 -> 4
    assert got[("Tốt", "amount_vnd")] == ("1.500.000 đồng", "2.000.000 đồng")
    assert got[("Tốt", "count")] == ("2", "3")
    assert got[("P1", "cap")] == ("-6", "-10")
    assert got[("Điểm", "min_total_points")] == ("50", "60")
    assert got[("Thời", "period.end")] == ("30/11/2024", "15/12/2024")
    assert any(c.subject.startswith("3 → 4") for c in result.changes)


def test_added_and_removed_criteria_and_tiers() -> None:
    def change(d):
        d["criteria"].pop(2)
        d["criteria"].append({"id": "4", "group": "Các xã, thị trấn", "name": "Số bài viết tuyên truyền", "max_points": 10,
                              "unit": "bài", "rule": {"kind": "per_increment", "bonus": {"from": 0, "step": 1, "points": 2, "cap": 10}}})
        d["awards"].pop(0)

    result = diff_campaigns(definition("bands_prizes"), edited("bands_prizes", change))
    assert ("added", "4 Số bài viết tuyên truyền", None) in changed(result)
    assert ("removed", "3 Có bộ phận một cửa hiện đại", None) in changed(result)
    assert ("removed", "Xuất sắc — Các xã, thị trấn", None) in changed(result)


def test_json_and_html() -> None:
    result = diff_campaigns(definition("000"), definition("001"), "000.json", "001.json")
    data = json.loads(to_json(result))
    assert data["same"] is False and data["old"]["path"] == "000.json"
    assert {c["kind"] for c in data["changes"]} == {"added", "removed", "changed"}
    page = to_html(result)
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page and "Giải nhất" in page
    assert "<script" not in page
    assert render(result, "text", color=True).count("\033[") > 0


def test_html_escapes_document_text() -> None:
    def change(d):
        d["campaign"]["name"] = "<b>Thi đua</b> & khen thưởng"

    page = to_html(diff_campaigns(definition("003"), edited("003", change)))
    assert "&lt;b&gt;Thi đua&lt;/b&gt; &amp; khen thưởng" in page


@pytest.mark.parametrize("name", ["000", "001", "003"])
def test_diff_against_an_empty_definition_lists_everything(name: str) -> None:
    result = diff_campaigns(Campaign(), definition(name))
    assert sum(c.kind == "added" for c in result.changes if c.section == "criteria") == len(definition(name).criteria)
