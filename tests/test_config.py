"""The editable YAML config: scores like the definition, errors name the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from planparse.campaign import load_definition
from planparse.config import check_definition, describe_rule, load_scoring, parse_config, to_yaml
from planparse.errors import DefinitionError
from planparse.score import score_sheet

DATA = Path(__file__).parent / "data"
CASES = [("000", "000_units.csv"), ("001", "001_units.csv"), ("003", "003_units.csv"),
         ("points_1000", "points_1000_units.csv"), ("bands_prizes", "bands_prizes_units.xlsx")]


@pytest.mark.parametrize(("name", "units"), CASES)
def test_config_scores_like_the_definition(tmp_path: Path, name: str, units: str) -> None:
    campaign = load_definition(DATA / "definitions" / f"{name}.json")
    path = tmp_path / "scoring.yaml"
    path.write_text(to_yaml(campaign), encoding="utf-8")
    from_config = score_sheet(load_scoring(path), str(DATA / "units" / units))
    from_definition = score_sheet(campaign, str(DATA / "units" / units))
    assert [u.to_data() for u in from_config.units] == [u.to_data() for u in from_definition.units]
    assert from_config.warnings == from_definition.warnings


def test_config_is_commented_in_plain_words() -> None:
    text = to_yaml(load_definition(DATA / "definitions" / "000.json"))
    assert "# Cách tính: Từ 40 % trở lên: 20 điểm; từ 20 % đến dưới 40 %: theo công thức rate*10/0.5" in text
    assert "0.4 = 40 %" in text
    assert "max_points: 20\n" in text  # whole numbers as the plan writes them, not 20.0
    assert "provenance" not in text


def edit(text: str, old: str, new: str) -> tuple[str, int]:
    """The edited text and the line (1-based) of the edit."""
    at = text.index(old)
    return text.replace(old, new, 1), text[:at].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("threshold: 0.3\n", "threshold: ba mươi\n", "criteria.1.rule.threshold", "valid number"),
        ("formula: rate*50/0.8\n", "formula: rate*50/\n", "criteria.0.rule.bands.1.formula", "expected a number"),
        ("points: -2\n", "points: 2\n", "penalties.0.points", "a deduction is negative: write -2"),
        ("kind: boolean\n", "kind: yes-no\n", "criteria.2.rule.kind", "Input should be"),
        ("threshold: 0.3\n", "threshold: 30\n", "criteria.1.rule.threshold", "0.3 for 30 %"),
        ("step: 0.1\n", "step: 0\n", "criteria.1.rule.bonus.step", "greater than 0"),
        ("amount_vnd: 3000000\n", "amount_vnd: ba triệu\n", "awards.0.amount_vnd", "valid integer"),
    ],
)
def test_a_wrong_edit_names_the_line_and_the_field(old: str, new: str, field: str, message: str) -> None:
    text, line = edit(to_yaml(load_definition(DATA / "definitions" / "bands_prizes.json")), old, new)
    with pytest.raises(DefinitionError) as info:
        parse_config(text, "scoring.yaml")
    error = str(info.value)
    assert error.startswith(f"scoring.yaml: line {line}: field '{field}'"), error
    assert message in error


def test_yaml_syntax_errors_name_the_line() -> None:
    text = to_yaml(load_definition(DATA / "definitions" / "003.json"))
    broken, _ = edit(text, "max_points: 60\n", "max_points: [60\n")
    with pytest.raises(DefinitionError, match=r"line \d+: not valid YAML"):
        parse_config(broken)


def test_yaml_definition_without_comments_is_a_config(tmp_path: Path) -> None:
    import yaml

    campaign = load_definition(DATA / "definitions" / "003.json")
    path = tmp_path / "plain.yaml"
    path.write_text(yaml.safe_dump(campaign.to_data(), allow_unicode=True), encoding="utf-8")
    assert load_scoring(path).criteria == campaign.criteria


def test_json_definitions_are_checked_too(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    text = (DATA / "definitions" / "bands_prizes.json").read_text(encoding="utf-8")
    path.write_text(text.replace('"rate*50/0.8"', '"rate*50/zero"'), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"criteria\.0\.rule\.bands\.1\.formula.*unknown name 'zero'"):
        load_scoring(path)


def test_the_seed_definitions_have_no_problems() -> None:
    for name, _ in CASES:
        assert check_definition(load_definition(DATA / "definitions" / f"{name}.json")) == []


def test_rules_in_plain_words() -> None:
    points = load_definition(DATA / "definitions" / "points_1000.json")
    said = {c.id: describe_rule(c) for c in points.criteria}
    assert said["1"].endswith("mỗi 100 tài khoản tăng thêm cộng 5 điểm (không giới hạn)")
    assert said["2"] == "Từ 0 hồ sơ, mỗi 50 hồ sơ tăng thêm cộng 10 điểm (tối đa 300 điểm)"
    assert said["3"] == "Có thực hiện: 100 điểm; không: trừ 50 điểm"
    assert said["7"] == "Hội đồng chấm trực tiếp (tối đa 300 điểm)"
