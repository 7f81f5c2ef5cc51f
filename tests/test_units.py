"""Reading unit sheets and the values offices type into them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planparse.campaign import Campaign, Criterion, Rule, load_definition
from planparse.errors import DefinitionError, MissingFileError, UnsupportedInputError
from planparse.score import score_units
from planparse.template import template_csv, template_xlsx
from planparse.units import UnitValueError, parse_count, parse_value, read_units, records_from_rows, value_reader

DATA = Path(__file__).parent / "data"


def crit(unit: str | None, kind: str = "threshold") -> Criterion:
    return Criterion(id="1", name="x", unit=unit, rule=Rule(kind=kind))


PERCENT, COUNT, YESNO, MANUAL = crit("%"), crit("tài khoản"), crit("có/không", "boolean"), crit("điểm", "manual")


@pytest.mark.parametrize(
    ("raw", "criterion", "expected"),
    [
        ("68.13", PERCENT, Decimal("0.6813")),
        ("68,13", PERCENT, Decimal("0.6813")),
        ("68,13%", PERCENT, Decimal("0.6813")),
        ("68,13 %", PERCENT, Decimal("0.6813")),
        ("61/91", PERCENT, Decimal(61) / Decimal(91)),
        ("7314 / 11875", PERCENT, Decimal(7314) / Decimal(11875)),
        (68.13, PERCENT, Decimal("0.6813")),
        ("100", PERCENT, Decimal(1)),
        ("1.500", COUNT, Decimal(1500)),  # Vietnamese thousands separator
        ("1.500,5", COUNT, Decimal("1500.5")),
        ("12", COUNT, Decimal(12)),
        ("2.5", COUNT, Decimal("2.5")),
        ("1.500 tài khoản", COUNT, Decimal(1500)),
        ("", COUNT, None),
        (None, PERCENT, None),
        ("x", YESNO, True),
        ("X", YESNO, True),
        ("có", YESNO, True),
        ("có", YESNO, True),  # decomposed (NFD) as some systems write it
        ("không", YESNO, False),
        ("", YESNO, False),
        (None, YESNO, False),
        (1, YESNO, True),
        (True, YESNO, True),
        ("280", MANUAL, Decimal(280)),
    ],
)
def test_values_as_offices_type_them(raw, criterion, expected) -> None:
    assert parse_value(raw, criterion) == expected
    assert value_reader(criterion)(raw) == expected


@pytest.mark.parametrize(
    ("raw", "criterion", "fragment"),
    [
        ("abc", PERCENT, "percentage"),
        ("61/0", PERCENT, "zero denominator"),
        ("61/91", COUNT, "only for percentages"),
        ("50%", COUNT, "only for criteria measured in %"),
        ("maybe", YESNO, "x/có"),
        (3, YESNO, "x/có"),
    ],
)
def test_unreadable_values_say_why(raw, criterion, fragment) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_value(raw, criterion)


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_fast_reader_agrees_with_the_general_one(n: Decimal) -> None:
    for text in (str(n), str(n).replace(".", ",")):
        for c in (PERCENT, COUNT):
            assert value_reader(c)(text) == parse_value(text, c)


@pytest.mark.parametrize(("raw", "count"), [(None, 0), ("", 0), ("0", 0), ("2", 2), ("3 lần", 3), (4, 4), ("x", 1)])
def test_penalty_counts(raw, count) -> None:
    assert parse_count(raw) == count


@pytest.mark.parametrize("raw", ["-1", "1.5", "nhiều"])
def test_bad_penalty_counts(raw) -> None:
    with pytest.raises(ValueError):
        parse_count(raw)


# --- sheets ---------------------------------------------------------------------------------


def test_template_csv_reads_back_with_its_description_row(tmp_path: Path) -> None:
    campaign = load_definition(DATA / "definitions" / "001.json")
    path = tmp_path / "units.csv"
    path.write_text(template_csv(campaign, bom=True), encoding="utf-8")
    sheet = read_units(path, campaign)
    assert [r.unit for r in sheet.records][:2] == ["Phòng Nội vụ", "Phòng Tư pháp"]
    assert len(sheet.records) == 21
    assert sheet.records[0].row == 3
    assert sheet.columns == ["I.1", "I.2", "II.1", "II.2"]


def test_template_xlsx_reads_back(tmp_path: Path) -> None:
    campaign = load_definition(DATA / "definitions" / "points_1000.json")
    path = tmp_path / "units.xlsx"
    path.write_bytes(template_xlsx(campaign))
    sheet = read_units(path, campaign)
    assert [r.unit for r in sheet.records] == [u.name for u in campaign.campaign.units]
    assert sheet.columns == ["1", "2", "3", "4", "5", "6", "7", "P1", "P2"]


def test_xlsx_percent_cells_are_fractions() -> None:
    campaign = load_definition(DATA / "definitions" / "bands_prizes.json")
    sheet = read_units(DATA / "units" / "bands_prizes_units.xlsx", campaign)
    first = sheet.records[0]
    assert first.unit == "Xã A"
    assert parse_value(first.values["1"], campaign.criteria[0]) == Decimal("0.8")


def test_semicolon_csv_and_unknown_columns(tmp_path: Path) -> None:
    campaign = load_definition(DATA / "definitions" / "003.json")
    path = tmp_path / "u.csv"
    path.write_text("Đơn vị;Nhóm;1;2;Ghi chú\nXã A;;80;95;tốt\n", encoding="utf-8")
    sheet = read_units(path, campaign)
    assert sheet.records[0].unit == "Xã A" and sheet.records[0].values == {"1": "80", "2": "95"}
    assert sheet.unknown_columns == ["Ghi chú"]


def test_numeric_header_cells_from_excel() -> None:
    campaign = load_definition(DATA / "definitions" / "003.json")
    sheet = records_from_rows([["unit", 1.0, 2], ["Xã A", 80, 95]], campaign)
    assert sheet.columns == ["1", "2"] and sheet.records[0].values == {"1": 80, "2": 95}


def test_missing_columns_are_listed(tmp_path: Path) -> None:
    campaign = load_definition(DATA / "definitions" / "003.json")
    sheet = records_from_rows([["unit", "1"], ["Xã A", "80"]], campaign)
    assert sheet.missing_columns == ["2"]


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        ([["name", "1"], ["Xã A", "80"]], "starting with 'unit'"),
        ([["unit", "1"], ["Xã A", "80"], ["Xã A", "90"]], "appears twice (rows 2 and 3)"),
        ([["unit", "1"], ["", "80"]], "row 2 has values but no unit name"),
        ([], "empty"),
    ],
)
def test_sheet_errors(rows, fragment) -> None:
    campaign = load_definition(DATA / "definitions" / "003.json")
    with pytest.raises(DefinitionError) as info:
        records_from_rows(rows, campaign, "u.csv")
    assert fragment in str(info.value)


def test_a_bad_value_names_the_unit_the_column_and_the_value() -> None:
    campaign = load_definition(DATA / "definitions" / "003.json")
    sheet = records_from_rows([["unit", "1", "2"], ["Xã Long Thạnh", "80", "chín mươi"]], campaign, "u.csv")
    with pytest.raises(UnitValueError) as info:
        score_units(campaign, sheet.records, path="u.csv")
    message = str(info.value)
    assert "u.csv" in message and "Xã Long Thạnh" in message and "column '2'" in message and "chín mươi" in message


def test_missing_and_unsupported_files(tmp_path: Path) -> None:
    campaign = Campaign()
    with pytest.raises(MissingFileError):
        read_units(tmp_path / "nope.csv", campaign)
    odd = tmp_path / "units.ods"
    odd.write_bytes(b"x")
    with pytest.raises(UnsupportedInputError):
        read_units(odd, campaign)
