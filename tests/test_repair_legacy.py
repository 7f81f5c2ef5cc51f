"""repair.legacy: TCVN3 and VNI tables, font names, detection, conversion, text-file bytes."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planparse.repair.legacy import (
    ENCODINGS,
    TCVN3_TO_UNICODE,
    UNICODE_TO_TCVN3,
    VNI_TO_UNICODE,
    decode_bytes,
    detect,
    encoding_for_font,
    from_unicode,
    is_upper_font,
    to_unicode,
)
from planparse.repair.syllables import all_syllables
from planparse.repair.unicode import normalize, undo

# The seed plans, as bundled in samples/ (byte-identical copies of shared/seeds).
SEEDS = sorted(Path(__file__).resolve().parents[1].glob("samples/[0-9]*/input.txt"))
assert len(SEEDS) == 3, "samples/*/input.txt are missing"
LETTERS = sorted({ch for s in all_syllables() for ch in s if not ch.isascii()})  # 67 + đ
SAMPLE = "Ủy ban nhân dân huyện Châu Thành: Kế hoạch phát động phong trào thi đua năm 2021."


def test_tcvn3_table_is_a_bijection_onto_lowercase_letters_and_bare_capitals() -> None:
    assert len(TCVN3_TO_UNICODE) == len(set(TCVN3_TO_UNICODE.values())) == 74
    assert set(TCVN3_TO_UNICODE.values()) == set(LETTERS) | set("ĂÂÊÔƠƯĐ")
    assert all(len(code) == 1 and 0xA1 <= ord(code) <= 0xFE for code in TCVN3_TO_UNICODE)
    assert {v: k for k, v in TCVN3_TO_UNICODE.items()} == UNICODE_TO_TCVN3


def test_vni_table_is_a_bijection_onto_all_letters() -> None:
    everything = set(LETTERS) | {ch.upper() for ch in LETTERS}
    assert len(VNI_TO_UNICODE) == len(set(VNI_TO_UNICODE.values())) == len(everything) == 134
    assert set(VNI_TO_UNICODE.values()) == everything
    assert all(ord(c) < 256 for code in VNI_TO_UNICODE for c in code)


def test_known_examples() -> None:
    assert normalize(to_unicode("Uû ban nh©n d©n", "tcvn3")[0])[0] == "Ủy ban nhân dân"
    assert to_unicode("UÛy ban nhaân daân", "vni")[0] == "Ủy ban nhân dân"
    assert to_unicode("ñy ban nh©n d©n huyÖn", "tcvn3", upper=True)[0] == "ỦY BAN NHÂN DÂN HUYỆN"
    assert to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni")[0] == "Cộng hòa xã hội chủ nghĩa Việt Nam"


def test_to_unicode_edits() -> None:
    text, edits = to_unicode("nh©n 1.500", "tcvn3")
    assert text == "nhân 1.500"
    assert [(e.kind, e.start, e.end, e.before, e.after) for e in edits] == [("legacy-tcvn3", 2, 3, "©", "â")]
    assert to_unicode("plain ascii 123", "vni") == ("plain ascii 123", [])


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_round_trip_every_syllable_lower_and_upper(encoding: str) -> None:
    upper_font = encoding == "tcvn3"  # TCVN3 capitals need an H font
    for s in all_syllables():
        assert to_unicode(from_unicode(s, encoding), encoding)[0] == s
        big = s.upper()
        assert to_unicode(from_unicode(big, encoding, upper=upper_font), encoding, upper=upper_font)[0] == big


@given(st.lists(st.sampled_from(sorted(all_syllables())), min_size=1, max_size=8), st.sampled_from(ENCODINGS))
@settings(max_examples=200, deadline=None)
def test_round_trip_sentences_and_edit_offsets(words: list[str], encoding: str) -> None:
    text = " ".join(words).capitalize() + ", 1.500 đồng."
    legacy = from_unicode(text, encoding)
    back, edits = to_unicode(legacy, encoding)
    if encoding == "vni":
        assert back == text
    else:  # a toned capital has no TCVN3 code: it comes back lowercase
        assert back.lower() == text.lower()
    assert undo(back, edits) == legacy
    for e in edits:
        assert legacy[e.start : e.end] == e.before


@pytest.mark.parametrize(
    ("font", "encoding", "upper"),
    [
        ("ABCDEF+.VnTime", "tcvn3", False),
        (".VnTimeH", "tcvn3", True),
        (".VnArial", "tcvn3", False),
        ("ABCDEF+.VnArialH-Bold", "tcvn3", True),
        ("VnTime", "tcvn3", False),
        ("VNI-Times", "vni", False),
        ("VNI-Helve-Bold", "vni", False),
        ("ABCDEF+VNI-Times-Italic", "vni", False),
        ("TimesNewRomanPSMT", None, False),
        ("Vnexpress-Sans", None, False),
        ("", None, False),
    ],
)
def test_encoding_for_font(font: str, encoding: str | None, upper: bool) -> None:
    assert encoding_for_font(font) == encoding
    assert is_upper_font(font) == upper


def test_detect_legacy_text() -> None:
    assert detect("Uû ban nh©n d©n huyÖn Ch©u Thµnh") == "tcvn3"
    assert detect("UÛy ban nhaân daân huyeän Chaâu Thaønh") == "vni"
    for encoding in ENCODINGS:
        assert detect(from_unicode(SAMPLE, encoding)) == encoding


@pytest.mark.parametrize(
    "text",
    [
        SAMPLE,
        SAMPLE.upper(),
        unicodedata.normalize("NFD", SAMPLE),
        "Hoà bình, thuỷ lợi, khoẻ mạnh, hoá học",
        "The naïve café in España served crème brûlée © 2021.",
        "plain ascii only",
        "",
    ],
)
def test_detect_does_not_fire_on_unicode_or_english(text: str) -> None:
    assert detect(text) is None


def test_detect_on_seed_plans() -> None:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        assert detect(text) is None
        for encoding in ENCODINGS:
            assert detect(from_unicode(text, encoding)) == encoding


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Word writes it: precomposed base letters, tones as combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append((base + "".join(c for c in parts if c in tones)).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),
        (_cp1258, "cp1258"),
        (lambda t: from_unicode(t, "tcvn3").encode("cp1252"), "tcvn3"),
        (lambda t: from_unicode(t, "vni").encode("cp1252"), "vni"),
    ],
)
def test_decode_bytes(make, name: str) -> None:
    text = SAMPLE.replace("Ủy", "Uỷ") if name == "tcvn3" else SAMPLE  # TCVN3 typists wrote Uû
    decoded, encoding = decode_bytes(make(text))
    assert encoding == name
    assert decoded == text


def test_decode_bytes_ascii() -> None:
    assert decode_bytes(b"plain text\n") == ("plain text\n", "ascii")


def test_decode_bytes_keeps_unicode_as_read() -> None:
    # NFD stays NFD: normalisation is a repair with edits, not a silent part of decoding.
    nfd = unicodedata.normalize("NFD", SAMPLE)
    assert decode_bytes(nfd.encode("utf-8")) == (nfd, "utf-8")


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        ("Th-êng xuyªn n-íc", "Thường xuyên nước"),
        ("nh- sau; Phßng T- ph¸p", "như sau; Phòng Tư pháp"),
        ("-u tiªn", "ưu tiên"),
        ("Sè 211/KH-UBND, Kinh tÕ-x· héi", "Số 211/KH-UBND, Kinh tế-xã hội"),
        ("- Tæ chøc n¨m 2021-2022; 211/KH-\nUBND", "- Tổ chức năm 2021-2022; 211/KH-\nUBND"),
    ],
)
def test_tcvn3_soft_hyphen_extracted_as_hyphen_is_u_horn(layer: str, expected: str) -> None:
    # TCVN3's ư is 0xAD (soft hyphen); PyMuPDF returns it as "-".
    assert to_unicode(layer, "tcvn3")[0] == expected


def test_seed_plans_through_a_pdf_like_tcvn3_layer() -> None:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        layer = from_unicode(text, "tcvn3").replace("\xad", "-")
        assert detect(layer) == "tcvn3"
        assert to_unicode(layer, "tcvn3")[0].lower() == text.lower()
