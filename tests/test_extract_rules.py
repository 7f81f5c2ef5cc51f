"""Rules read from scoring text, and the small pieces of extraction, on hand-built inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from planparse.campaign import Criterion
from planparse.document import PlanDocument
from planparse.extract import extract_campaign
from planparse.extract.rules import build_formula, parse_condition, parse_rule
from planparse.formula import parse_formula
from planparse.score import compile_criterion


def points(name, lines, max_points, values, unit=None):
    """The points the extracted rule gives at each value (via the scorer)."""
    rr = parse_rule(name, lines, max_points)
    c = Criterion(id="1", name=name, max_points=rr.max_points, unit=unit or rr.unit, rule=rr.rule)
    fn = compile_criterion(c).evaluate
    out = []
    for v in values:
        value = v if isinstance(v, bool) else Decimal(str(v))
        pts, inel, _ = fn(value)
        out.append("ineligible" if inel else float(pts))
    return out


def test_condition_forms():
    assert (parse_condition("Từ 40% số TTHC trở lên 20").min, parse_condition("Từ 40% số TTHC trở lên").max) == (0.4, None)
    c = parse_condition("Từ 20% - dưới 40% số TTHC")
    assert (c.min, c.max) == (0.2, 0.4)
    assert parse_condition("Dưới 5% số hồ sơ TTHC 0").max == 0.05
    assert parse_condition("+ Tỷ lệ < 70%: không xét điểm thi đua.").max == 0.7
    assert parse_condition("+ Tỷ lệ 100%: Điểm tối đa;").min == 1.0
    assert parse_condition("Đạt 1.500 tài khoản trở lên").min == 1500
    assert parse_condition("Cấp huyện đạt 61/91") is None
    assert parse_condition("Tỷ lệ = a/b") is None


def test_formula_split_over_lines_is_one_fraction():
    formula, cap = build_formula(["Tỷ lệ % số hồ sơ x 10", "50%", "10"], 20)
    assert (formula, cap) == ("rate*10/0.5", 10)
    parse_formula(formula)


def test_formula_in_one_cell_is_one_fraction():
    formula, _ = build_formula(["Tỷ lệ % số hồ sơ x 10 30%"], 20)
    assert formula == "rate*10/0.3"


def test_bands_with_formula_and_overlapping_bottom_band():
    lines = ["Từ 30% số hồ sơ TTHC trở lên 20", "7314/1187", "5 hồ sơ", "61,59% 20 5", "Từ 10% - dưới 30% số hồ sơ",
             "TTHC được tính theo công thức:", "Tỷ lệ % số hồ sơ x 10", "30%", "10", "Dưới 20% số hồ sơ TTHC 0"]
    rr = parse_rule("Tỷ lệ hồ sơ TTHC được xử lý trực tuyến mức độ 3", lines, 20)
    assert rr.rule.kind == "bands" and any("chồng" in w for w in rr.warnings)
    assert points("x", lines, 20, [0.05, 0.15, 0.3, 0.9]) == [0.0, 5.0, 20.0, 20.0]


def test_ratio_with_floor():
    lines = ["- Tỷ lệ = a/b", "- Điểm =", "+ Tỷ lệ 100%: Điểm tối đa;", "+ Tỷ lệ < 100%: Tỷ lệ * điểm tối đa",
             "+ Tỷ lệ < 70%: không xét điểm thi đua."]
    assert points("Tỷ lệ hồ sơ", lines, 60, [1.0, 0.85, 0.5]) == [60.0, 51.0, "ineligible"]


def test_threshold_with_unlimited_bonus():
    lines = ["Đạt 1.500 tài khoản được 30 điểm, dưới 1.500 tài khoản không tính điểm; cứ tăng 100 tài khoản "
             "cộng 5 điểm, không giới hạn điểm cộng"]
    rr = parse_rule("Số tài khoản định danh mức 2", lines, 30)
    assert rr.rule.bonus is not None and rr.rule.bonus.cap is None
    assert points("Số tài khoản", lines, 30, [1000, 1500, 1750, 3500]) == [0.0, 30.0, 40.0, 130.0]


def test_bonus_with_cap_on_a_lower_base():
    lines = ["Đạt 500 người: 20 điểm; cứ tăng 100 người cộng 2 điểm, tối đa 10 điểm; dưới 500 người: 0 điểm"]
    assert points("Số người", lines, 30, [400, 500, 700, 5000]) == [0.0, 20.0, 24.0, 30.0]


@pytest.mark.parametrize("lines,no_points", [
    (["Xây dựng Kế hoạch: 10 điểm; không xây dựng: không tính điểm"], 0.0),
    (["Không đăng ký trừ 5 điểm"], -5.0),
])
def test_yes_no_items(lines, no_points):
    rr = parse_rule("Đăng ký", lines, 10)
    assert rr.rule.kind == "boolean"
    assert points("Đăng ký", lines, 10, [True, False]) == [10.0, no_points]


def test_target_without_points_is_a_floor():
    rr = parse_rule("Tỷ lệ hồ sơ TTHC được xử lý trực tuyến mức 4 trong năm (từ 60% số hồ sơ TTHC trở lên)", [], None)
    assert (rr.rule.kind, rr.rule.threshold, rr.rule.below) == ("threshold", 0.6, "ineligible")


def test_prose_plan_end_to_end():
    text = "\n".join([
        "ỦY BAN NHÂN DÂN", "HUYỆN TÂN HIỆP", "Số: 12/KH-UBND", "Tân Hiệp, ngày 3 tháng 2 năm 2025", "KẾ HOẠCH",
        "Phát động phong trào thi đua “Dịch vụ công trực tuyến” năm 2025",
        "I. ĐỐI TƯỢNG", "1. Đối tượng thi đua: Các xã, thị trấn.",
        "II. TIÊU CHÍ",
        "1. Tỷ lệ hồ sơ trực tuyến (50 điểm): từ 60% trở lên: 50 điểm; dưới 60%: 20 điểm.",
        "2. Tuyên truyền (50 điểm): có: 50 điểm; không thực hiện: trừ 10 điểm.",
        "III. KHEN THƯỞNG",
        "- 01 Giải Nhất: Giấy khen và 3.000.000 đồng.",
        "- Báo cáo trễ hạn trừ 3 điểm/lần, tối đa trừ 9 điểm.",
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn An",
    ])
    c = extract_campaign(PlanDocument.from_text(text))
    assert (c.document.number, c.document.date, c.document.place) == ("12/KH-UBND", "2025-02-03", "Tân Hiệp")
    assert c.document.signer.name == "Lê Văn An" and c.document.signer.title == "Chủ tịch"
    assert [(x.id, x.max_points, x.rule.kind) for x in c.criteria] == [("1", 50, "threshold"), ("2", 50, "boolean")]
    assert c.criteria[1].rule.below == -10
    assert [(a.rank, a.count, a.amount_vnd) for a in c.awards] == [(1, 1, 3_000_000)]
    assert [(p.id, p.points, p.per, p.cap) for p in c.penalties] == [("P1", -3, "lần", -9)]
    assert all(x.provenance and x.provenance.line_start for x in c.criteria + c.awards)


def test_every_extracted_formula_parses():
    from pathlib import Path

    root = Path(__file__).resolve().parent / "data" / "extract"
    for path in sorted(root.glob("*.txt")):
        c = extract_campaign(PlanDocument.from_text(path.read_text(encoding="utf-8")))
        for crit in c.criteria:
            for band in crit.rule.bands or []:
                if band.formula:
                    parse_formula(band.formula)
