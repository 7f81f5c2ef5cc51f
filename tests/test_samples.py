"""The bundled samples (samples/<case>/) and their generator scripts/make_samples.py.

Fast checks on the committed files (page counts, text layers, truth) and a re-render of the
cheap kinds to prove the committed truth still follows from source.md.
"""
from __future__ import annotations

import importlib.util
import re
import sys
import zipfile
from pathlib import Path

import pymupdf
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CASES = ("000", "001", "003")
FILES = ("source.md", "input.txt", "born-digital.pdf", "scan-300.pdf", "scan-200.pdf",
         "garbled-layer.pdf", "photo.jpg", "tcvn3.pdf", "vni.pdf", "input.docx", "truth.txt")
SEEDS = Path("/work/shared/seeds")


def _load_make_samples():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_samples", module)
    spec.loader.exec_module(module)
    return module


make_samples = _load_make_samples()
from samplegen import legacy, markup, verify  # noqa: E402  (on sys.path via make_samples)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def truth_pages(case: str) -> list[str]:
    return (SAMPLES / case / "truth.txt").read_text(encoding="utf-8").split("\f")


@pytest.mark.parametrize("case", CASES)
def test_committed_files_exist(case):
    missing = [name for name in FILES if not (SAMPLES / case / name).exists()]
    assert not missing, f"samples/{case} lacks {missing}: run scripts/make_samples.py"


def test_samples_stay_small():
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert total < 16_000_000


@pytest.mark.parametrize("case", CASES)
def test_input_txt_is_the_seed(case):
    seeds = list(SEEDS.glob(f"{case}_*.txt")) if SEEDS.exists() else []
    if not seeds:
        pytest.skip("shared seeds not available on this machine")
    assert (SAMPLES / case / "input.txt").read_bytes() == seeds[0].read_bytes()


@pytest.mark.parametrize("case", CASES)
def test_pdfs_have_the_truth_page_count(case):
    pages = len(truth_pages(case))
    for name in ("born-digital.pdf", "scan-300.pdf", "scan-200.pdf", "garbled-layer.pdf",
                 "tcvn3.pdf", "vni.pdf"):
        with pymupdf.open(SAMPLES / case / name) as doc:
            assert len(doc) == pages, name
            assert all(round(p.rect.width) in (595, 842) for p in doc), f"{name} is not A4"


@pytest.mark.parametrize("case", CASES)
def test_born_digital_text_matches_truth(case):
    with pymupdf.open(SAMPLES / case / "born-digital.pdf") as doc:
        for number, (page, expected) in enumerate(zip(doc, truth_pages(case)), start=1):
            assert collapse(page.get_text()) == collapse(expected), f"page {number}"


@pytest.mark.parametrize("case", CASES)
def test_truth_tables_are_tab_rows(case):
    text = (SAMPLES / case / "truth.txt").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if "\t" in line]
    assert rows, "no table rows in truth"
    assert text.endswith("\n") and "\f" in text


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name", ["scan-300.pdf", "scan-200.pdf"])
def test_scans_are_image_only(case, name):
    with pymupdf.open(SAMPLES / case / name) as doc:
        for page in doc:
            assert page.get_text().strip() == ""
            assert len(page.get_images()) == 1
    assert (SAMPLES / case / name).stat().st_size < 2_500_000


@pytest.mark.parametrize("case", CASES)
def test_garbled_layer_is_mostly_not_vietnamese(case):
    from planparse.repair.syllables import valid_ratio

    with pymupdf.open(SAMPLES / case / "garbled-layer.pdf") as doc:
        text = "\n".join(page.get_text() for page in doc)
    truth = (SAMPLES / case / "truth.txt").read_text(encoding="utf-8")
    assert len(text) > 0.5 * len(truth)
    assert valid_ratio(text) < 0.8 < valid_ratio(truth)
    assert "Độc lập - Tự do - Hạnh phúc" not in text


@pytest.mark.parametrize("case", CASES)
def test_tcvn3_layer_is_mojibake_in_vntime_fonts(case):
    with pymupdf.open(SAMPLES / case / "tcvn3.pdf") as doc:
        raw, back, fonts = verify.legacy_layer(doc[0])
        assert any(f.split("+")[-1].startswith(".VnTime") for f in fonts)
        assert "nh©n d©n" in raw or "NH¢N D¢N" in raw  # "nhân dân" as TCVN3 bytes
        assert "nhân dân" not in raw.lower()
        assert verify.squash(back) == verify.squash(truth_pages(case)[0])


@pytest.mark.parametrize("case", CASES)
def test_vni_layer_is_mojibake_in_vni_fonts(case):
    with pymupdf.open(SAMPLES / case / "vni.pdf") as doc:
        raw, back, fonts = verify.legacy_layer(doc[0])
        assert any(f.split("+")[-1].startswith("VNI-Times") for f in fonts)
        assert "nhaân daân" in raw.lower() and "nhân dân" not in raw.lower()
        assert verify.squash(back) == verify.squash(truth_pages(case)[0])


def test_photo_is_a_colour_jpeg_of_phone_size():
    from PIL import Image

    for case in CASES:
        with Image.open(SAMPLES / case / "photo.jpg") as image:
            assert image.format == "JPEG" and image.mode == "RGB"
            assert 1600 <= max(image.size) <= 2400


@pytest.mark.parametrize("case", CASES)
def test_docx_has_word_tables(case):
    with zipfile.ZipFile(SAMPLES / case / "input.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    grids = [b for b in markup.parse_file(SAMPLES / case / "source.md") if b.kind in markup.GRID_KINDS]
    assert xml.count("<w:tbl>") == len(grids)
    assert "Độc lập - Tự do - Hạnh phúc" in xml


def test_markup_spans_and_inline():
    blocks = markup.parse("::: table header=2\n| A | B | > |\n| ^ | x | y |\n| 1 | **b** | _c_ |\n:::\n"
                          "# TITLE\nSố:    /KH ^[1]\n")
    table, title, para = blocks
    assert (table.rows[0][0].rowspan, table.rows[0][1].colspan) == (2, 2)
    assert table.rows[1][0].covered and table.rows[0][2].covered
    assert markup.row_truth(table, table.rows[0]) == ["A\tB\t"]
    assert markup.row_truth(table, table.rows[2]) == ["1\tb\tc"]
    assert title.kind == markup.TITLE and markup.plain(para.text) == "Số: /KH 1"


def test_tcvn3_segments_use_the_capital_font_for_toned_capitals():
    pieces = legacy.segments("Ủy ban CỘNG HÒA")
    assert pieces[0] == ("ñ", True)  # Ủ exists only in .VnTimeH
    assert ("y ban ", False) in pieces
    assert pieces[-1][1] is True


def test_render_case_reproduces_committed_truth(tmp_path):
    made = make_samples.render_case(SAMPLES / "000" / "source.md", tmp_path, {"truth", "docx"})
    assert set(made) == {"truth", "docx"}
    assert made["truth"].read_bytes() == (SAMPLES / "000" / "truth.txt").read_bytes()
    assert made["docx"].read_bytes() == (SAMPLES / "000" / "input.docx").read_bytes()


def test_render_case_heldout_is_importable_and_checked(tmp_path):
    source = SAMPLES / "heldout" / "h2" / "source.md"
    made = make_samples.render_case(source, tmp_path, {"born-digital", "truth", "tcvn3"})
    assert {p.name for p in made.values()} == {"born-digital.pdf", "truth.txt", "tcvn3.pdf"}
    assert verify.check_case(tmp_path) == []


def test_render_case_rejects_unknown_kinds(tmp_path):
    with pytest.raises(ValueError, match="unknown kinds"):
        make_samples.render_case(SAMPLES / "000" / "source.md", tmp_path, {"pdf"})
