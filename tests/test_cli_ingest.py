"""End-to-end: the real console entry point, real files, exit codes of CONTRACT.md."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

TEXT = "KẾ HOẠCH\nPhát động phong trào thi đua năm 2021\n"


def test_help_lists_the_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("text", "extract"):
        assert command in result.stdout


def test_text_prints_repaired_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("hoà thuỷ\n", encoding="utf-8")
    result = run_cli("text", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "hòa thủy\n"


def test_text_writes_to_a_file_and_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out" / "plan.out.txt"
    assert run_cli("text", str(path), "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == TEXT
    result = run_cli("text", str(path), "-o", str(path))
    assert result.returncode != 0
    assert "overwrite" in result.stderr
    assert path.read_text(encoding="utf-8") == TEXT, "the input is untouched"


def test_missing_file_is_one_plain_line_and_exit_3(tmp_path: Path) -> None:
    result = run_cli("text", str(tmp_path / "missing.pdf"))
    assert result.returncode == 3
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "missing.pdf" in lines[0] and "not found" in lines[0]
    assert "Traceback" not in result.stderr


def test_usage_error_exits_2() -> None:
    assert run_cli("text", "--jobs", "zero", "x.txt").returncode == 2
    assert run_cli("no-such-command").returncode == 2


def test_batch_goes_on_past_a_bad_file(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    out = tmp_path / "defs"
    result = run_cli("extract", str(bad), str(good), "--out-dir", str(out))
    assert result.returncode == 1, result.stderr
    assert (out / "good.json").exists()
    assert "bad.pdf" in result.stderr and "Traceback" not in result.stderr


def test_batch_of_only_bad_files_exits_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"nope")
    assert run_cli("extract", str(bad), str(tmp_path / "gone.txt"), "--out-dir", str(tmp_path)).returncode == 3


def test_dash_reads_the_document_from_stdin() -> None:
    result = run_cli("text", "-", stdin="hoà thuỷ\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "hòa thủy\n"


def test_extract_reads_a_pdf_from_stdin() -> None:
    import json
    import subprocess
    import sys

    from conftest import SAMPLES

    pdf = (SAMPLES / "003" / "born-digital.pdf").read_bytes()
    done = subprocess.run([sys.executable, "-m", "planparse", "extract", "-"], input=pdf, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    assert data["source"]["path"] == "-" and data["source"]["text_origin"] == "text-layer"
    assert [c["max_points"] for c in data["criteria"]] == [60, 40]
