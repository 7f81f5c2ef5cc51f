"""repair.unicode.normalize: NFC, tone placement, Tesseract's eth, spaces; edits and undo."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planparse.document import Edit
from planparse.repair.syllables import preferred_form
from planparse.repair.unicode import normalize, undo


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("hoá", "hóa"),
        ("khoẻ", "khỏe"),
        ("Uỷ ban", "Ủy ban"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("qúa gìa", "quá già"),
        ("hoàn thuở quốc giữa quý", "hoàn thuở quốc giữa quý"),
    ],
)
def test_tone_placement(before: str, after: str) -> None:
    out, edits = normalize(before)
    assert out == after
    assert all(e.kind == "tone-placement" for e in edits)
    assert (not edits) == (before == after)


def test_tone_edit_is_minimal() -> None:
    assert normalize("văn hoà")[1] == [Edit("tone-placement", 5, 7, "oà", "òa")]


def test_nfd_becomes_nfc() -> None:
    text = "Kế hoạch phát động"
    out, edits = normalize(unicodedata.normalize("NFD", text))
    assert out == text
    assert edits and {e.kind for e in edits} == {"nfc"}


def test_nfd_with_old_tone_placement_gives_one_edit_per_change() -> None:
    source = unicodedata.normalize("NFD", "hoà")
    out, edits = normalize(source)
    assert out == "hòa"
    assert len(edits) == 1 and edits[0].kind == "tone-placement"
    assert edits[0].before == source[edits[0].start : edits[0].end]


def test_eth_in_vietnamese_text() -> None:
    out, edits = normalize("ÐỘC LẬP - Tự do; Ðiều 2; ðã")
    assert out == "ĐỘC LẬP - Tự do; Điều 2; đã"
    assert [e.kind for e in edits] == ["ocr-eth"] * 3


def test_eth_elsewhere_kept() -> None:
    assert normalize("GUÐRÚN Ólafsdóttir")[0] == "GUÐRÚN Ólafsdóttir"


def test_eth_fixed_when_the_word_becomes_a_syllable() -> None:
    assert normalize("ÐOAN")[0] == "ĐOAN"


def test_spaces() -> None:
    out, edits = normalize("Số:\u00a0211/KH\u200b-UBND\u2003ngày\ttab\nline\fpage")
    assert out == "Số: 211/KH-UBND ngày\ttab\nline\fpage"
    assert [e.kind for e in edits] == ["space"] * 3


def test_clean_text_untouched() -> None:
    text = "I. MỤC ĐÍCH, YÊU CẦU\n1. Đạt 1.500 tài khoản; 88,05%\n"
    assert normalize(text) == (text, [])


def test_edits_point_into_the_original() -> None:
    source = "\u200bHoà\u00a0bình " + unicodedata.normalize("NFD", "thuỷ lợi")
    out, edits = normalize(source)
    assert out == "Hòa bình thủy lợi"
    for e in edits:
        assert source[e.start : e.end] == e.before
    assert undo(out, edits) == source


VIETNAMESE_ALPHABET = list(
    "aăâeêioôơuưyAĂÂOƠƯhHtTnNgGqQ 0.đĐÐð\n\t\u00a0\u200b\u2003\ufeff"
    "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
    "àáảãạòóỏõọùúủũụỳýỷỹỵèéẻẽẹ"
)
texts = st.one_of(st.text(st.sampled_from(VIETNAMESE_ALPHABET), max_size=40), st.text(max_size=40))


@given(texts)
@settings(max_examples=400, deadline=None)
def test_normalize_properties(text: str) -> None:
    out, edits = normalize(text)
    assert unicodedata.is_normalized("NFC", out)
    # idempotent
    assert normalize(out) == (out, [])
    # edits are sorted, disjoint, and point into the original text
    pos = 0
    for e in edits:
        assert e.start >= pos and text[e.start : e.end] == e.before
        pos = e.end
    # applying them in reverse to the output gives back the input
    assert undo(out, edits) == text


@given(st.lists(st.sampled_from(["hoà", "thuỷ", "Khoẻ", "quý", "giữa", "hoàn", "ÐOÀN", " ", "\n", "\u00a0"]), max_size=12))
@settings(max_examples=200, deadline=None)
def test_normalize_words_and_nfd(parts: list[str]) -> None:
    text = " ".join(parts)
    for source in (text, unicodedata.normalize("NFD", text)):
        out, edits = normalize(source)
        assert undo(out, edits) == source
        assert normalize(out)[0] == out
        assert all(preferred_form(word) == word for word in out.split())
