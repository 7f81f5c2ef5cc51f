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


# --- bugs found on the way, each kept as a test -------------------------------------------------

def _rows(*rows: str) -> PlanDocument:
    return PlanDocument.from_text("\n".join(rows))


def test_bug_scoring_column_named_cach_cham_diem_is_not_the_points_column():
    doc = _rows("STT\tTiêu chí\tCách chấm điểm\tĐiểm tối đa",
                "1\tTỷ lệ hồ sơ trực tuyến\tTừ 80% trở lên: 30 điểm; dưới 80%: 0 điểm\t30")
    c = extract_campaign(doc).criteria
    assert [(x.id, x.max_points, x.rule.threshold) for x in c] == [("1", 30, 0.8)]


def test_bug_ocr_reads_roman_two_as_H_in_the_number_column():
    doc = _rows("STT\tTiêu chí\tĐiểm tối đa\tCách chấm",
                "I\tNhóm A\t50\t", "1\tTiêu chí một\t50\tCó: 50 điểm; không: 0 điểm",
                "H\tNhóm B\t50\t", "2\tTiêu chí hai\t50\tCó: 50 điểm; không: 0 điểm")
    assert [x.id for x in extract_campaign(doc).criteria] == ["1", "2"]


def test_bug_parent_row_of_sub_criteria_is_a_section_not_a_criterion():
    doc = _rows("TT\tTiêu chí\tĐiểm tối đa\tPhương pháp chấm", "1\tHạ tầng số\t30\t",
                "1.1\tChữ ký số\t15\tCó: 15 điểm; không có: 0 điểm", "1.2\tWifi\t15\tCó: 15 điểm; không có: 0 điểm")
    c = extract_campaign(doc).criteria
    assert [(x.id, x.section) for x in c] == [("1.1", "1. Hạ tầng số"), ("1.2", "1. Hạ tầng số")]


def test_bug_table_after_a_heading_on_the_next_page_is_not_a_continuation():
    doc = PlanDocument.from_text("\n".join([
        "STT\tNội dung tiêu chí\tĐiểm chuẩn\tGhi chú", "1\tXây dựng kế hoạch\t10\tKhông xây dựng: không tính điểm",
    ]) + "\f" + "\n".join(["2. Các trường hợp trừ điểm", "STT\tTrường hợp\tMức trừ",
                           "1\tBáo cáo trễ hạn\tTrừ 02 điểm/lần"]))
    c = extract_campaign(doc)
    assert [x.id for x in c.criteria] == ["1"]
    assert [(p.when, p.points, p.per) for p in c.penalties] == [("Báo cáo trễ hạn", -2, "lần")]


def test_bug_flattened_signature_cell_still_names_the_signer():
    doc = _rows("ỦY BAN NHÂN DÂN HUYỆN A\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Nơi nhận: - Lưu: VT.\tTM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn Bình")
    signer = extract_campaign(doc).document.signer
    assert (signer.name, signer.title) == ("Trần Văn Bình", "Phó Chủ tịch")


def test_bug_signature_scribble_over_the_name():
    doc = _rows("TM. ỦY BAN NHÂN DÂN", "CHỦ TICH", "l", "Lê ^ Văn xưv Phước „")
    assert extract_campaign(doc).document.signer.name == "Lê Văn Phước"


def test_bug_tinh_in_don_vi_tinh_is_not_a_province():
    doc = _rows("STT\tChỉ tiêu\tĐơn vị tính\tKết quả", "1\tSố hồ sơ\thồ sơ\t25", "- UBND tỉnh Đắk Lắk;")
    assert extract_campaign(doc).document.province == "Đắk Lắk"


def test_bug_so_for_number_is_not_so_for_department():
    doc = _rows("ỦY BAN NHÂN DÂN", "HUYỆN ĐỨC HÒA", "Số: 128/KH-UBND", "Đức Hòa, ngày 05 tháng 3 năm 2024")
    d = extract_campaign(doc).document
    assert (d.issuer, d.number, d.place, d.date) == ("Ủy ban nhân dân huyện Đức Hòa", "128/KH-UBND", "Đức Hòa", "2024-03-05")


def test_units_listed_per_group_in_an_annex():
    doc = _rows("I. CẤP HUYỆN:", "STT Đơn vị", "1 Phòng Nội vụ (09 thủ tục)", "2 Phòng Tư pháp (21 thủ tục)",
                "II. CẤP XÃ:", "STT\tĐơn vị\tGhi chú", "1\tHòa Tân\t", "2\tAn Khánh\t")
    units = extract_campaign(doc).campaign.units
    assert [(u.name, u.group) for u in units] == [("Phòng Nội vụ", "Cấp huyện"), ("Phòng Tư pháp", "Cấp huyện"),
                                                  ("Hòa Tân", "Cấp xã"), ("An Khánh", "Cấp xã")]


def test_bug_ocr_reads_50_percent_as_S0_percent():
    rr = parse_rule("Tỷ lệ", ["Từ 20% - dưới 40% số TTHC được tính theo công thức: Tỷ lệ % số hồ sơ x 10 S0%", "10"], 20)
    assert rr.rule.bands[0].formula == "rate*10/0.5"


def test_signer_name_found_by_ner_when_patterns_fail():
    pytest.importorskip("underthesea")
    doc = _rows("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(đã ký)", "ông LÊ VĂN PHƯỚC, 123")
    assert extract_campaign(doc).document.signer.name == "Lê Văn Phước"


def test_prose_criteria_per_group_numbered_afresh():
    doc = _rows("II. TIÊU CHÍ CHẤM ĐIỂM", "1. Đối với khối xã:",
                "a) Tỷ lệ hồ sơ trực tuyến (50 điểm): từ 50% trở lên: 50 điểm; dưới 50%: 0 điểm.",
                "b) Tuyên truyền (50 điểm): có: 50 điểm; không: 0 điểm.", "2. Đối với khối cơ quan:",
                "a) Tỷ lệ thủ tục phát sinh hồ sơ (100 điểm): từ 40% trở lên: 100 điểm; dưới 40%: 0 điểm.",
                "III. KHEN THƯỞNG")
    c = extract_campaign(doc)
    assert [(x.id, x.group, x.rule.kind) for x in c.criteria] == [
        ("1.a", "Khối xã", "threshold"), ("1.b", "Khối xã", "boolean"), ("2.a", "Khối cơ quan", "threshold")]
    assert c.campaign.max_total_points == 100


def test_a_misread_number_between_two_numbers_is_mended() -> None:
    """Bug: OCR read row number 5 as 'D' and the criterion kept the id 'D'."""
    from planparse.campaign import Criterion, Rule
    from planparse.extract.criteria import _mend_ids

    rule = Rule(kind="manual")
    criteria = [Criterion(id=i, name=f"tiêu chí {i}", rule=rule) for i in ("4", "D", "6", "A", "B")]
    warnings: list[str] = []
    _mend_ids(criteria, warnings)
    assert [c.id for c in criteria] == ["4", "5", "6", "A", "B"]
    assert len(warnings) == 1 and "'D'" in warnings[0]


def test_bug_pipe_table_rows_read_as_cells():
    text = ("KẾ HOẠCH\nThi đua năm 2023\nIII. TIÊU CHÍ VÀ THANG ĐIỂM\n"
            "| STT | Tiêu chí | Điểm chuẩn | Cách chấm |\n|---|---|---|---|\n"
            "| 1 | Tỷ lệ hộ gia đình có tài khoản thanh toán | 40 | Từ 70% trở lên: 40 điểm; dưới 70%: 10 điểm |\n"
            "| 2 | Tỷ lệ chi trả qua tài khoản | 60 | Điểm = tỷ lệ x 60 |\n"
            "|   | Tổng cộng | 100 |   |\n")
    c = extract_campaign(PlanDocument.from_text(text))
    assert [(x.id, x.max_points) for x in c.criteria] == [("1", 40), ("2", 60)]
    assert c.criteria[0].rule.threshold == 0.7 and c.criteria[0].rule.below == 10


def test_bug_bonus_written_points_first():
    got = points("Số hộ kinh doanh dùng mã QR", ["Đạt 150 hộ trở lên: 30 điểm; dưới 150 hộ: 0 điểm; cộng 1 điểm cho mỗi 10 hộ "
                                                 "vượt chỉ tiêu, tối đa 5 điểm"], 30, [100, 150, 170, 500])
    assert got == [0, 30, 32, 35]


def test_bug_khong_dat_floor_keeps_the_ratio_formula():
    got = points("Tỷ lệ chi trả qua tài khoản", ["Điểm = tỷ lệ × 30; không đạt 30% thì không được xét thi đua"], 30,
                 [0.2, 0.5, 1.0])
    assert got == ["ineligible", 15, 30]


def test_bug_penalty_written_deduction_first():
    text = ("KẾ HOẠCH\nThi đua năm 2023\nIV. ĐIỂM TRỪ\n- Trừ 2 điểm/lần đối với đơn vị chậm gửi báo cáo tháng.\n"
            "- Trừ 5 điểm/vụ khi để xảy ra khiếu nại kéo dài, tối đa trừ 10 điểm.\n"
            "- Để xảy ra sự cố mất an toàn thông tin bị trừ 5 điểm/lần nhưng không quá 15 điểm.\n")
    c = extract_campaign(PlanDocument.from_text(text))
    got = [(p.when, p.points, p.per, p.cap) for p in c.penalties]
    assert got == [("Chậm gửi báo cáo tháng", -2, "lần", None), ("Để xảy ra khiếu nại kéo dài", -5, "vụ", -10),
                   ("Để xảy ra sự cố mất an toàn thông tin", -5, "lần", -15)]


_LABELLED = ("KẾ HOẠCH\nThi đua năm 2025\nI. ĐỐI TƯỢNG VÀ THỜI GIAN THI ĐUA\n"
             "Đối tượng: Ủy ban nhân dân các huyện, thị xã, thành phố.\nThời gian: từ ngày 01/3/2025 đến ngày 30/11/2025.\n"
             "II. NỘI DUNG VÀ TIÊU CHÍ CHẤM ĐIỂM\n"
             "Tiêu chí 1: Tỷ lệ hồ sơ tiếp nhận trực tuyến (tối đa 40 điểm). Đạt từ 60% trở lên được 40 điểm; dưới 60% được 0 điểm.\n"
             "Tiêu chí 2: Tỷ lệ văn bản được ký số (tối đa 60 điểm). Điểm chấm bằng tỷ lệ đạt được nhân với 60. "
             "Đơn vị không đạt 50% thì không được xét khen thưởng.\n"
             "III. ĐIỂM TRỪ\n2. Điểm trừ: đơn vị chậm gửi báo cáo định kỳ bị trừ 2 điểm/lần.\n"
             "IV. KHEN THƯỞNG\n2. Hình thức và mức thưởng:\n"
             "- Chủ tịch UBND tỉnh tặng Bằng khen cho 02 đơn vị xếp hạng cao nhất, mức thưởng 3,5 triệu đồng/đơn vị.\n")


def test_bug_criteria_labelled_tieu_chi_n():
    c = extract_campaign(PlanDocument.from_text(_LABELLED))
    assert [(x.id, x.max_points) for x in c.criteria] == [("1", 40), ("2", 60)]


def test_bug_sentence_opening_with_a_floor_splits_from_the_formula():
    c = extract_campaign(PlanDocument.from_text(_LABELLED))
    fn = compile_criterion(c.criteria[1]).evaluate
    assert [(float(fn(Decimal(v))[0]), fn(Decimal(v))[1]) for v in ("0.4", "0.5", "1")] == [(0, True), (30, False), (60, False)]


def test_bug_bonus_cap_is_not_read_as_the_bonus_points():
    got = points("Số lượt cài đặt ứng dụng", ["Đạt 10.000 lượt trở lên được 20 điểm, dưới 10.000 lượt không được điểm; "
                                             "cộng 2 điểm cho mỗi 1.000 lượt vượt chỉ tiêu, tối đa cộng 10 điểm"], 20,
                 [5000, 10000, 12000, 50000])
    assert got == [0, 20, 24, 30]


def test_bug_long_roman_heading_is_not_merged_with_the_next_line():
    c = extract_campaign(PlanDocument.from_text(_LABELLED))
    assert c.campaign.participants == ["Ủy ban nhân dân các huyện, thị xã, thành phố"]


def test_bug_penalty_label_and_award_subheading_are_not_taken_as_names():
    c = extract_campaign(PlanDocument.from_text(_LABELLED))
    assert [p.when for p in c.penalties] == ["Đơn vị chậm gửi báo cáo định kỳ"]
    assert [(a.group, a.count, a.amount_vnd) for a in c.awards] == [("Ủy ban nhân dân các huyện, thị xã, thành phố", 2, 3500000)]


def test_bug_labelled_bullets_under_objects_and_time_heading():
    text = ("KẾ HOẠCH\nThi đua năm 2023\nII. ĐỐI TƯỢNG, THỜI GIAN\n- Đối tượng: Ủy ban nhân dân các phường, xã thuộc thị xã.\n"
            "- Thời gian: từ ngày 10/4/2023 đến ngày 31/12/2023.\n")
    c = extract_campaign(PlanDocument.from_text(text))
    assert c.campaign.participants == ["Ủy ban nhân dân các phường, xã thuộc thị xã"]


_REPORT = ("ỦY BAN NHÂN DÂN                          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
           "HUYỆN NGHI LỘC                                 Độc lập - Tự do - Hạnh phúc\n"
           "Số: 327/BC-UBND                              Nghi Lộc, ngày 15/12/2024\nBÁO CÁO\n"
           "Kết quả thực hiện phong trào thi đua năm 2024\nII. KẾT QUẢ CỦA CÁC XÃ, THỊ TRẤN\n"
           "STT\tĐơn vị\tHồ sơ tiếp nhận\tTỷ lệ (%)\tTổng điểm\tXếp hạng\n1\tXã Nghi Thạch\t2.104\t85,31\t94,5\t1\n"
           "2\tXã Nghi Long\t1.987\t80,62\t91,0\t2\n"
           "Nơi nhận:                                         KT. CHỦ TỊCH\n"
           "- UBND tỉnh Nghệ An;                               PHÓ CHỦ TỊCH\n- Lưu: VT.\n"
           "                                               Nguyễn Hữu Phúc\n")


def test_bug_signer_title_in_a_block_laid_out_with_spaces():
    c = extract_campaign(PlanDocument.from_text(_REPORT))
    assert (c.document.signer.name, c.document.signer.title) == ("Nguyễn Hữu Phúc", "Phó Chủ tịch")


def test_bug_results_table_of_units_is_not_a_scoring_table():
    c = extract_campaign(PlanDocument.from_text(_REPORT))
    assert c.criteria == [] and c.campaign.max_total_points is None
    assert c.eligibility.other == []  # its header row ('… Xếp hạng') is no condition


def test_worded_label_after_a_bare_roman_number_names_that_item():
    from planparse.extract.criteria import _items_with_ids
    from planparse.extract.structure import build

    d = build(PlanDocument.from_text("II\nNội dung 2: Cung cấp dịch vụ\ncông trực tuyến\n20\nTừ 20% trở lên 20\n"))
    items = _items_with_ids(d.lines)
    assert [(it.id, it.name) for it in items] == [("II", "Nội dung 2: Cung cấp dịch vụ công trực tuyến")]


def test_bug_indicator_named_after_its_scope_word():
    text = ("BÁO CÁO\nKết quả phong trào thi đua năm 2024\nI. KẾT QUẢ CHUNG\n"
            "Năm 2024, toàn huyện tiếp nhận 38.415 hồ sơ thủ tục hành chính, trong đó có 27.662 hồ sơ nộp trực tuyến.\n")
    c = extract_campaign(PlanDocument.from_text(text))
    assert [(i.name, i.value) for i in c.indicators][:2] == [("Hồ sơ thủ tục hành chính tiếp nhận", 38415),
                                                            ("Hồ sơ nộp trực tuyến", 27662)]


def test_bug_points_written_after_a_lead_word_in_brackets():
    text = ("KẾ HOẠCH\nThi đua năm 2025\nII. TIÊU CHÍ CHẤM ĐIỂM\n"
            "Tiêu chí thứ 1. Tỷ lệ hồ sơ trực tuyến (điểm tối đa 60 điểm): từ 50% trở lên được 60 điểm; dưới 50% được 20 điểm.\n"
            "Chỉ tiêu 2: Số tài khoản kích hoạt (thang điểm 40): đạt 1.000 tài khoản trở lên được 40 điểm, dưới 1.000 tài khoản "
            "không tính điểm.\nIII. KHEN THƯỞNG\n")
    c = extract_campaign(PlanDocument.from_text(text))
    assert [(x.id, x.max_points, x.rule.threshold) for x in c.criteria] == [("1", 60, 0.5), ("2", 40, 1000)]


def test_bug_several_prizes_in_one_sentence_after_a_lead():
    text = ("KẾ HOẠCH\nThi đua năm 2025\nIV. KHEN THƯỞNG\n"
            "Khen thưởng mỗi quý 01 lần: Giải Nhất 01 giải x 5.000.000 đồng; Giải Nhì 01 giải x 3.000.000 đồng.\n"
            "Khen thưởng cuối năm: Giải Nhất 01 giải 10.000.000 đồng; Giải Nhì 02 giải, mỗi giải 6.000.000 đồng.\n")
    c = extract_campaign(PlanDocument.from_text(text))
    assert [(a.rank, a.count, a.amount_vnd, a.frequency) for a in c.awards] == [
        (1, 1, 5000000, "quarterly"), (2, 1, 3000000, "quarterly"), (1, 1, 10000000, "year-end"), (2, 2, 6000000, "year-end")]


def test_bug_penalty_unit_written_just_before_the_deduction():
    text = "KẾ HOẠCH\nThi đua năm 2025\nIII. ĐIỂM TRỪ\nĐơn vị để hồ sơ trễ hạn: mỗi hồ sơ trừ 0,5 điểm, tối đa trừ 5 điểm.\n"
    c = extract_campaign(PlanDocument.from_text(text))
    assert [(p.when, p.points, p.per, p.cap) for p in c.penalties] == [("Đơn vị để hồ sơ trễ hạn", -0.5, "hồ sơ", -5)]


def test_bug_province_name_ends_with_its_line():
    text = ("UBND TỈNH QUẢNG NINH\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 05/KH-STTTT\n"
            "Quảng Ninh, ngày 15/12/2024\nKẾ HOẠCH\nPhát động phong trào thi đua năm 2025\n")
    assert extract_campaign(PlanDocument.from_text(text)).document.province == "Quảng Ninh"


def test_bug_rate_written_as_its_fraction_of_counts():
    assert points("Tỷ lệ hồ sơ", ["Điểm đạt = (Số hồ sơ trực tuyến / Tổng số hồ sơ) x 20"], 20, [0.5, 1.0]) == [10, 20]


def test_bug_penalty_per_written_with_a_count():
    text = "KẾ HOẠCH\nThi đua năm 2025\nIII. ĐIỂM TRỪ\n- Chậm báo cáo: trừ 2 điểm/01 lần.\n"
    c = extract_campaign(PlanDocument.from_text(text))
    assert [(p.when, p.points, p.per) for p in c.penalties] == [("Chậm báo cáo", -2, "lần")]


def test_bug_condition_after_a_short_verb_and_a_bare_percentage_range():
    assert points("Số cuộc họp trực tuyến", ["Tổ chức từ 12 cuộc trở lên: 10 điểm; từ 6 đến dưới 12 cuộc: 5 điểm; "
                                             "dưới 6 cuộc: 0 điểm"], 10, [3, 8, 15]) == [0, 5, 10]
    assert points("Tỷ lệ hồ sơ", [">= 80%: 20 điểm", "60% - < 80%: 10 điểm", "< 60%: 0 điểm"], 20,
                  [0.5, 0.7, 0.9]) == [0, 10, 20]


def test_bug_group_lead_and_two_forms_in_one_sentence():
    text = ("KẾ HOẠCH\nThi đua năm 2025\nIV. KHEN THƯỞNG\n"
            "1. Khối huyện: Tặng Bằng khen của Chủ tịch UBND tỉnh cho 01 đơn vị dẫn đầu kèm tiền thưởng 10 triệu đồng; "
            "Giấy khen cho 02 đơn vị kèm tiền thưởng 5 triệu đồng.\n"
            "2. Khối sở, ngành: Tặng Bằng khen cho 01 đơn vị dẫn đầu, tiền thưởng 8.000.000 đồng.\n")
    c = extract_campaign(PlanDocument.from_text(text))
    assert [(a.group, a.count, a.amount_vnd, a.form.split()[0]) for a in c.awards] == [
        ("Khối huyện", 1, 10000000, "Bằng"), ("Khối huyện", 2, 5000000, "Giấy"), ("Khối sở, ngành", 1, 8000000, "Bằng")]


def test_bug_participants_as_numbered_items_under_the_heading():
    text = ("KẾ HOẠCH\nThi đua năm 2025\nI. ĐỐI TƯỢNG THI ĐUA\n1. Khối huyện: Ủy ban nhân dân các huyện, thị xã, thành phố.\n"
            "2. Khối sở, ngành: các sở, ban, ngành tỉnh.\n3. Thời gian thi đua: từ ngày 15/01/2025 đến ngày 15/12/2025.\n")
    c = extract_campaign(PlanDocument.from_text(text))
    assert c.campaign.participants == ["Khối huyện: Ủy ban nhân dân các huyện, thị xã, thành phố",
                                       "Khối sở, ngành: các sở, ban, ngành tỉnh"]


def test_bug_points_taken_off_per_step_below_the_target():
    got = points("Tỷ lệ văn bản ký số", ["đạt 100% được 50 điểm; dưới 100% mỗi 1% giảm trừ 1 điểm"], 50, [1.0, 0.95, 0.2])
    assert got == [50, 45, 0]


def test_bug_numbered_criteria_groups_over_lettered_items():
    text = ("KẾ HOẠCH\nThi đua năm 2025\nII. TIÊU CHÍ CHẤM ĐIỂM\nTiêu chí 1: Hạ tầng số (điểm chuẩn 30 điểm)\n"
            "a) Tỷ lệ cán bộ có chữ ký số (15 điểm): từ 90% trở lên được 15 điểm; dưới 90% được 5 điểm.\n"
            "b) Kết nối mạng chuyên dùng (15 điểm): có kết nối được 15 điểm; không có không được điểm.\n"
            "Tiêu chí 2: Dịch vụ công (điểm chuẩn 70 điểm)\na) Tỷ lệ hồ sơ trực tuyến (70 điểm): điểm bằng tỷ lệ x 70.\n"
            "III. KHEN THƯỞNG\n")
    c = extract_campaign(PlanDocument.from_text(text))
    assert [(x.id, x.max_points) for x in c.criteria] == [("1.a", 15), ("1.b", 15), ("2.a", 70)]
    assert c.campaign.max_total_points == 100
