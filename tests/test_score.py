"""Scoring: rule kinds, edges, eligibility, ranks and prizes; golden results on the seed plans."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planparse.campaign import Campaign, Criterion, load_definition
from planparse.score import ScoreResult, compile_criterion, score_sheet, score_units, vn_number
from planparse.units import UnitRecord

DATA = Path(__file__).parent / "data"
SRC = Path(__file__).parent.parent / "src" / "planparse"


def definition(name: str) -> Campaign:
    return load_definition(DATA / "definitions" / f"{name}.json")


def scored(name: str, units: str) -> ScoreResult:
    return score_sheet(definition(name), str(DATA / "units" / units))


def table(result: ScoreResult) -> dict[str, tuple]:
    """unit -> (total, eligible, rank, award label)."""
    return {u.unit: (float(u.total), u.eligible, u.rank, u.award.label if u.award else None) for u in result.units}


def criterion(**fields) -> Criterion:
    base = {"id": "c", "name": "test", "max_points": 20, "unit": "%"}
    base.update(fields)
    return Criterion.model_validate(base)


def points(c: Criterion, value: str | Decimal | bool | None) -> Decimal:
    if isinstance(value, str):
        value = Decimal(value)
    return compile_criterion(c).evaluate(value)[0]


# --- golden results on the seed plans (unit data made for them) ------------------------------


def test_000_report_bands_and_formulas() -> None:
    result = scored("000", "000_units.csv")
    assert table(result) == {
        "Huyện Châu Thành": (80.0, True, 1, None),  # the report's own figures: 80 điểm chuẩn
        "Huyện Lai Vung": (80.0, True, 1, None),  # every value exactly on a band's lower edge
        "Huyện Lấp Vò": (24.33, True, 3, None),  # 0.3*10/0.5 = 6; 0.1*10/0.3 = 3.33; 10; 0.05*10/0.1 = 5
        "Thành phố Sa Đéc": (18.0, True, 4, None),  # just under the edges: 8.00 and 9.9967 -> 10.00
        "Huyện Tháp Mười": (0.0, True, 5, None),
    }
    lap_vo = next(u for u in result.units if u.unit == "Huyện Lấp Vò")
    assert {k: float(v) for k, v in lap_vo.points.items()} == {"I.1": 6.0, "I.2": 3.33, "II.1": 10.0, "II.2": 5.0}
    assert any("Thiếu số liệu tiêu chí I.2" in r for r in result.units[-1].reasons)
    assert any("0,5" in w for w in result.warnings)  # 0,5 in a % column: probably meant 50 %


def test_001_plan_without_points_ranks_by_rate_and_fills_prizes_per_group() -> None:
    result = scored("001", "001_units.csv")
    got = table(result)
    assert got["Phòng Tư pháp"] == (0.0, True, 1, "Giải nhất")  # 82 % + 15/21
    assert got["Phòng Nội vụ"] == (0.0, True, 2, "Giải nhì")
    assert got["Phòng Nông nghiệp & PTNT"] == (0.0, True, 3, "Giải ba")
    assert got["Cái Tàu Hạ"] == (0.0, True, 1, "Giải nhất")
    assert got["Tân Phú Trung"] == (0.0, True, 2, "Giải nhì")
    assert got["Hòa Tân"] == (0.0, True, 3, "Giải ba")
    assert got["Phòng Kinh tế - Hạ tầng"][1] is False
    # no data at all: a plan with a floor cannot consider the unit
    assert got["Phòng Tài nguyên và Môi trường"][1] is False
    units = {u.unit: u for u in result.units}
    assert "Tỷ lệ 58 % < 60 %: không xét thi đua (tiêu chí I.1)" in units["Phòng Kinh tế - Hạ tầng"].reasons
    assert units["Hòa Tân"].group == "Ủy ban nhân dân các xã, thị trấn (cấp xã)"  # typed "cấp xã"
    assert sum(u.award is not None for u in result.units) == 6  # 3 + 3; the individual award is not a unit prize
    assert any("không cho điểm" in w for w in result.warnings)


def test_003_ratio_floor_and_prize_tiers() -> None:
    result = scored("003", "003_units.csv")
    assert table(result) == {
        "Thị trấn Cây Dương": (97.3, True, 1, "Hạng Nhất"),
        "Thị trấn Kinh Cùng": (94.0, True, 2, "Hạng Nhì"),
        "Thị trấn Búng Tàu": (82.0, True, 5, "Hạng Khuyến Khích"),  # 70 % exactly: 0.7*60 = 42
        "Xã Long Thạnh": (40.0, False, None, None),
        "Xã Tân Bình": (48.36, True, 6, None),
        "Xã Hòa An": (88.0, True, 4, "Hạng Khuyến Khích"),
        "Xã Phương Bình": (88.75, True, 3, "Hạng Ba"),
        "Xã Hiệp Hưng": (40.0, False, None, None),
    }
    units = {u.unit: u for u in result.units}
    assert "Tỷ lệ 65 % < 70 %: không xét thi đua (tiêu chí 1)" in units["Xã Long Thạnh"].reasons
    assert units["Thị trấn Cây Dương"].award.amount_vnd == 6_000_000


def test_points_1000_every_kind_penalties_and_empty_slots() -> None:
    result = scored("points_1000", "points_1000_units.csv")
    assert table(result) == {
        "Xã An Bình": (905.0, True, 2, "Giải nhì"),
        "Xã Tân Hòa": (110.0, False, None, None),
        "Thị trấn Mỹ Lợi": (1090.0, True, 1, "Giải nhất"),
        "Xã Phú Thạnh": (680.0, True, 4, "Giải ba"),
        "Xã Hòa Bình": (825.0, True, 3, "Giải ba"),  # Giải ba has count 2
        "Phòng Tư pháp": (815.0, True, 1, "Giải nhất"),
        "Phòng Nội vụ": (800.0, True, 2, "Giải khuyến khích"),
        "Phòng Tài chính - Kế hoạch": (470.0, False, None, None),
    }
    units = {u.unit: u for u in result.units}
    my_loi = units["Thị trấn Mỹ Lợi"].points
    assert my_loi["1"] == 500  # 400 + 20 steps × 5, no cap
    assert units["Xã Tân Hòa"].points == {"1": 0, "2": 300, "3": -50, "4": -20}
    assert units["Xã Tân Hòa"].penalties == {"P1": -100, "P2": -20}  # 6 × -20 capped at -100
    assert units["Phòng Nội vụ"].points["7"] == 300  # manual points capped at the maximum
    assert "Tổng điểm 470 < 600: không đủ điều kiện xét khen thưởng" in units["Phòng Tài chính - Kế hoạch"].reasons
    assert any("2 đơn vị đủ điều kiện cho 4 giải" in w for w in result.warnings)


def test_prizes_by_score_band_with_counts() -> None:
    result = scored("bands_prizes", "bands_prizes_units.xlsx")
    assert table(result) == {
        "Xã A": (108.0, True, 1, "Xuất sắc"),  # 70 % with "mỗi 10 %" from 30 %: 4 steps = 8
        "Xã B": (105.0, True, 2, "Xuất sắc"),  # formula capped at 45; bonus capped at 10
        "Xã C": (75.25, True, 5, None),  # two "Tốt" already given to higher totals
        "Xã D": (57.5, True, 6, None),
        "Xã E": (60.0, False, None, None),  # 49.99 % is under the floor
        "Xã F": (84.0, False, None, None),  # no one-stop desk: not considered
        "Xã G": (88.75, True, 3, "Tốt"),
        "Xã K": (85.0, True, 4, "Tốt"),
    }
    units = {u.unit: u for u in result.units}
    assert units["Xã A"].points["2"] == 38
    assert units["Xã C"].penalties["P1"] == -6


def test_ties_share_a_rank_and_say_so() -> None:
    campaign = definition("003")
    records = [UnitRecord(unit=name, values={"1": "100", "2": "95"}, row=i + 2) for i, name in enumerate("ABC")]
    result = score_units(campaign, records)
    assert [u.rank for u in result.units] == [1, 1, 1]
    assert [u.award.label for u in result.units] == ["Hạng Nhất", "Hạng Nhì", "Hạng Ba"]
    assert all(any(r.startswith("Đồng điểm với") and "tài khoản" in r for r in u.reasons) for u in result.units)


def test_results_render_as_csv_json_and_xlsx() -> None:
    import io
    import json

    from openpyxl import load_workbook

    result = scored("points_1000", "points_1000_units.csv")
    data = json.loads(result.to_json())
    assert set(data) == {"definition", "units", "warnings"}
    first = data["units"][0]
    assert set(first) == {"unit", "group", "points", "penalties", "total", "eligible", "reasons", "rank", "award"}
    assert first["award"] == {"label": "Giải nhì", "amount_vnd": 7000000}
    assert result.to_csv().splitlines()[0] == "unit,group,1,2,3,4,5,6,7,P1,P2,total,eligible,rank,award,amount_vnd,reasons"
    book = load_workbook(io.BytesIO(result.to_xlsx()))
    assert book.sheetnames == ["Các xã, thị trấn", "Các phòng, ban, ngành huyện", "Quy tắc áp dụng", "Lưu ý"]
    sheet = book["Các xã, thị trấn"]
    assert sheet["A4"].value == "Thị trấn Mỹ Lợi"  # sorted by rank
    assert [c.value for c in sheet[2]][:5] == ["Đơn vị", "1", "2", "3", "4"]
    rules = [row[3] for row in book["Quy tắc áp dụng"].iter_rows(values_only=True) if len(row) > 3 and row[3]]
    assert any("mỗi 100 tài khoản" in str(r) for r in rules)


# --- rule properties ------------------------------------------------------------------------

rates = st.decimals(min_value=0, max_value=Decimal("1.5"), places=4, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=0, max_value=100_000).map(Decimal)

MONOTONE = [
    criterion(rule={"kind": "threshold", "threshold": 0.6}),
    criterion(rule={"kind": "threshold", "threshold": 0.6, "below": -5, "bonus": {"from": 0.6, "step": 0.1, "points": 2}}),
    criterion(rule={"kind": "ratio", "threshold": 1.0}),
    criterion(rule={"kind": "ratio", "bands": [{"min": 1.0, "points": 60}, {"min": 0.7, "max": 1.0, "formula": "rate*60"},
                                               {"max": 0.7, "points": 0}]}, max_points=60),
    criterion(rule={"kind": "bands", "bands": [{"min": 0.4, "points": 20}, {"min": 0.2, "max": 0.4, "formula": "rate*10/0.4",
                                                                            "max_points": 10}, {"max": 0.2, "points": 0}]}),
    criterion(rule={"kind": "per_increment", "bonus": {"from": 0.1, "step": 0.05, "points": 1, "cap": 7}}),
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(MONOTONE), rates, rates)
def test_monotone_where_the_plan_is_monotone(c: Criterion, a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert points(c, low) <= points(c, high)


@settings(max_examples=150, deadline=None)
@given(counts, st.integers(min_value=1, max_value=500), st.integers(min_value=1, max_value=50),
       st.one_of(st.none(), st.integers(min_value=0, max_value=400)))
def test_per_increment_counts_whole_steps_and_respects_its_cap(value, step, per, cap) -> None:
    c = criterion(unit="tài khoản", rule={"kind": "per_increment", "bonus": {"from": 0, "step": step, "points": per, "cap": cap}})
    got = points(c, value)
    expected = (value // step) * per
    assert got == (min(expected, cap) if cap is not None else expected)
    if cap is not None:
        assert got <= cap


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=20), st.integers(min_value=1, max_value=10))
def test_values_on_a_step_edge_count_the_full_step(steps: int, tenth: int) -> None:
    step = Decimal(tenth) / 100  # 1 % .. 10 %
    c = criterion(rule={"kind": "threshold", "threshold": 0.3, "bonus": {"from": 0.3, "step": float(step), "points": 2}})
    value = Decimal("0.3") + steps * step
    assert points(c, value) == 20 + 2 * steps


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([0.05, 0.1, 0.2, 0.3, 0.4, 0.7, 0.9]))
def test_band_edges_belong_to_the_upper_band(edge: float) -> None:
    c = criterion(rule={"kind": "bands", "bands": [{"min": edge, "points": 20}, {"max": edge, "points": 5}]})
    at = Decimal(str(edge))
    assert points(c, at) == 20
    assert points(c, at - Decimal("0.0001")) == 5


def test_seventy_percent_is_four_steps_not_three_point_nine() -> None:
    c = criterion(rule={"kind": "per_increment", "bonus": {"from": 0.3, "step": 0.1, "points": 1}})
    assert points(c, Decimal("0.7")) == 4
    assert points(c, Decimal("0.6999")) == 3


def test_negative_below_boolean_and_ineligible() -> None:
    assert points(criterion(rule={"kind": "threshold", "threshold": 0.5, "below": -5}), Decimal("0.4")) == -5
    yes_no = criterion(unit="có/không", rule={"kind": "boolean", "below": -5})
    assert points(yes_no, True) == 20 and points(yes_no, False) == -5
    out = compile_criterion(criterion(rule={"kind": "threshold", "threshold": 0.7, "below": "ineligible"}))
    assert out.evaluate(Decimal("0.65")) == (0, True, "Tỷ lệ 65 % < 70 %: không xét thi đua (tiêu chí c)")


def test_vietnamese_numbers() -> None:
    assert vn_number(1500) == "1.500"
    assert vn_number(Decimal("68.125")) == "68,13"
    assert vn_number(-20.0) == "-20"
    assert vn_number(Decimal("1234567.5")) == "1.234.567,5"


# --- no OCR or NLP behind scoring -----------------------------------------------------------

FORBIDDEN = ("planparse.ingest", "planparse.extract", "planparse.cli", "planparse.pipeline", "planparse.repair")
LIGHT = ["score", "diff", "config", "campaign", "formula", "units", "template"]


def _imports(module: str) -> set[str]:
    path = SRC / (module.replace("planparse.", "").replace(".", "/") + ".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return {m for m in found if m.startswith("planparse")}


@pytest.mark.parametrize("name", LIGHT)
def test_scoring_modules_import_nothing_from_ocr_or_nlp(name: str) -> None:
    seen: set[str] = set()
    todo = [f"planparse.{name}"]
    while todo:
        module = todo.pop()
        if module in seen or module == "planparse":
            continue
        seen.add(module)
        assert not module.startswith(FORBIDDEN), f"planparse.{name} reaches {module}"
        todo.extend(_imports(module))


def test_tie_break_by_a_criterion_id() -> None:
    data = definition("003").to_data()
    data["campaign"]["tie_break"] = ["2", "Đơn vị có nhiều tài khoản phát sinh hồ sơ hơn xếp trên."]
    campaign = Campaign.model_validate(data)
    # Same total (100 = 60 + 40), but B reached 97 % on criterion 2 and A only 92 %.
    records = [UnitRecord(unit="A", values={"1": "100", "2": "92"}, row=2),
               UnitRecord(unit="B", values={"1": "100", "2": "97"}, row=3)]
    result = score_units(campaign, records)
    assert [(u.unit, u.rank, u.award.label) for u in result.units] == [("A", 2, "Hạng Nhì"), ("B", 1, "Hạng Nhất")]
    assert not any(r.startswith("Đồng điểm") for u in result.units for r in u.reasons)


@settings(max_examples=150, deadline=None)
@given(rates, st.integers(min_value=0, max_value=15))
def test_points_never_pass_the_caps(value: Decimal, cap: int) -> None:
    with_bonus = criterion(rule={"kind": "threshold", "threshold": 0.5, "bonus": {"from": 0.5, "step": 0.01, "points": 1, "cap": cap}})
    assert points(with_bonus, value) <= 20 + cap
    banded = criterion(rule={"kind": "bands", "bands": [{"min": 0.5, "points": 20},
                                                        {"max": 0.5, "formula": "rate*100", "max_points": cap}]})
    got = points(banded, value)
    assert got <= (20 if value >= Decimal("0.5") else cap)
