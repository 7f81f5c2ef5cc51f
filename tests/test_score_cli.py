"""End to end: template, score, config, diff and schema through the real command line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
DEFS = DATA / "definitions"
UNITS = DATA / "units"
# Registers the commands even before cli/__init__ imports score_cmds.
ENTRY = "import sys, planparse.cli.score_cmds; from planparse.cli import main; sys.argv[0] = 'planparse'; main()"


def run(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", ENTRY, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})


def test_template_csv_on_stdout_then_filled_and_scored(tmp_path: Path) -> None:
    made = run("template", DEFS / "003.json")
    assert made.returncode == 0, made.stderr
    rows = list(csv.reader(io.StringIO(made.stdout)))
    assert rows[0] == ["unit", "group", "1", "2"]
    assert rows[1][0] == "Tên đơn vị" and "61/91" in rows[1][2]
    sheet = tmp_path / "units.csv"
    sheet.write_text(made.stdout + "Xã A,,95,92\nXã B,,65,99\n", encoding="utf-8")
    scored = run("score", DEFS / "003.json", sheet)
    assert scored.returncode == 0, scored.stderr
    results = list(csv.DictReader(io.StringIO(scored.stdout)))
    assert [(r["unit"], r["total"], r["rank"], r["award"]) for r in results] == [
        ("Xã A", "97", "1", "Hạng Nhất"), ("Xã B", "40", "", "")]
    assert "scored 2 units: 1 eligible, 1 awarded" in scored.stderr


def test_template_xlsx_is_prefilled_with_the_annex_units(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "units.xlsx"
    made = run("template", DEFS / "001.json", "-o", out)
    assert made.returncode == 0, made.stderr
    sheet = load_workbook(out).active
    names = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert len(names) == 21 and names[0] == "Phòng Nội vụ" and names[-1] == "An Hiệp"  # 9 departments, 12 communes


@pytest.mark.parametrize("suffix", ["json", "xlsx", "csv"])
def test_score_writes_each_format(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"results.{suffix}"
    done = run("score", DEFS / "points_1000.json", UNITS / "points_1000_units.csv", "-o", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # data went to the file
    if suffix == "json":
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["units"][2]["award"] == {"label": "Giải nhất", "amount_vnd": 10000000}
    elif suffix == "xlsx":
        from openpyxl import load_workbook

        assert "Quy tắc áp dụng" in load_workbook(out).sheetnames
    else:
        assert out.read_text(encoding="utf-8").startswith("unit,group,1,2,3,4,5,6,7,P1,P2,total")


def test_config_then_score_equals_definition_then_score(tmp_path: Path) -> None:
    config = tmp_path / "scoring.yaml"
    assert run("config", DEFS / "bands_prizes.json", "-o", config).returncode == 0
    from_config = run("score", config, UNITS / "bands_prizes_units.xlsx", "--format", "json")
    from_definition = run("score", DEFS / "bands_prizes.json", UNITS / "bands_prizes_units.xlsx", "--format", "json")
    assert from_config.returncode == from_definition.returncode == 0
    assert json.loads(from_config.stdout)["units"] == json.loads(from_definition.stdout)["units"]


def test_a_wrong_config_edit_is_one_line_naming_line_and_field(tmp_path: Path) -> None:
    config = tmp_path / "scoring.yaml"
    run("config", DEFS / "bands_prizes.json", "-o", config)
    text = config.read_text(encoding="utf-8").replace("threshold: 0.3\n", "threshold: ba mươi\n")
    config.write_text(text, encoding="utf-8")
    done = run("score", config, UNITS / "bands_prizes_units.xlsx")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "line " in done.stderr and "criteria.1.rule.threshold" in done.stderr


def test_an_unreadable_value_names_unit_column_and_value(tmp_path: Path) -> None:
    sheet = tmp_path / "units.csv"
    sheet.write_text("unit,1,2\nXã Long Thạnh,80,chín mươi\n", encoding="utf-8")
    done = run("score", DEFS / "003.json", sheet)
    assert done.returncode == 1
    assert "Xã Long Thạnh" in done.stderr and "column '2'" in done.stderr and "chín mươi" in done.stderr


def test_missing_input_is_exit_3_and_never_overwrites_an_input(tmp_path: Path) -> None:
    assert run("score", tmp_path / "nope.json", UNITS / "003_units.csv").returncode == 3
    copy = tmp_path / "units.csv"
    copy.write_bytes((UNITS / "003_units.csv").read_bytes())
    done = run("score", DEFS / "003.json", copy, "-o", copy)
    assert done.returncode != 0 and "refusing to overwrite" in done.stderr
    assert copy.read_bytes() == (UNITS / "003_units.csv").read_bytes()


def test_diff_exit_codes_like_diff1(tmp_path: Path) -> None:
    same = run("diff", DEFS / "003.json", DEFS / "003.json")
    assert same.returncode == 0 and "Không có thay đổi" in same.stdout
    differ = run("diff", DEFS / "000.json", DEFS / "001.json")
    assert differ.returncode == 1 and "+++" in differ.stdout and "\033[" not in differ.stdout
    missing = run("diff", DEFS / "000.json", tmp_path / "nope.json")
    assert missing.returncode >= 2 and "nope.json" in missing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert run("diff", bad, DEFS / "001.json").returncode >= 2


def test_diff_html_and_json(tmp_path: Path) -> None:
    page = tmp_path / "diff.html"
    assert run("diff", DEFS / "000.json", DEFS / "001.json", "--format", "html", "-o", page).returncode == 1
    assert "<table" in page.read_text(encoding="utf-8")
    as_json = run("diff", DEFS / "000.json", DEFS / "001.json", "--format", "json")
    assert json.loads(as_json.stdout)["matched_criteria"] == [["II.2", "I.1"], ["II.1", "I.2"]]


def test_schema() -> None:
    done = run("schema")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert "Criterion" in schema["$defs"] and schema["properties"]["criteria"]


def test_diff_and_score_take_documents_too(tmp_path: Path) -> None:
    samples = Path(__file__).parent.parent / "samples"
    old, new = samples / "000" / "input.txt", samples / "001" / "input.txt"
    done = run("diff", old, new)
    assert done.returncode == 1, done.stderr
    assert "extracting it first" in done.stderr and "Tiêu chí" in done.stdout
    made = run("template", new)
    assert made.returncode == 0 and made.stdout.startswith("unit,group,")


def test_a_config_and_its_definition_have_the_same_rules(tmp_path: Path) -> None:
    config = tmp_path / "scoring.yaml"
    assert run("config", DEFS / "points_1000.json", "-o", config).returncode == 0
    assert run("diff", DEFS / "points_1000.json", config).returncode == 0
    config.write_text(config.read_text(encoding="utf-8").replace("amount_vnd: 10000000", "amount_vnd: 12000000"),
                      encoding="utf-8")
    changed = run("diff", DEFS / "points_1000.json", config, "--format", "json")
    assert changed.returncode == 1
    [change] = json.loads(changed.stdout)["changes"]
    assert (change["field"], change["old"], change["new"]) == ("amount_vnd", 10000000, 12000000)


def test_the_commands_load_no_ocr_at_import() -> None:
    import ast

    source = Path(__file__).parent.parent / "src" / "planparse" / "cli" / "score_cmds.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    top = {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
    top |= {a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in top if m and m.startswith(("planparse.pipeline", "planparse.ingest", "planparse.extract"))}
