"""Vietnamese syllable rules and the text-quality verdicts built on them."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planparse.repair.syllables import (
    all_syllables,
    is_stripped_syllable,
    is_syllable,
    preferred_form,
    split_syllable,
    strip_diacritics,
    text_quality,
    valid_ratio,
)

# The seed plans, as bundled in samples/ (byte-identical copies of shared/seeds).
SEEDS = sorted(Path(__file__).resolve().parents[1].glob("samples/[0-9]*/input.txt"))
assert len(SEEDS) == 3, "samples/*/input.txt are missing"

COMMON = (
    "ủy ban nhân dân huyện kế hoạch phát động phong trào thi đua dịch vụ công trực tuyến "
    "mức độ thủ tục hành chính hồ sơ tài khoản định danh điện tử giải quyết hướng dẫn "
    "nghĩa nghiêm khuya khuỷu chuyện nguyễn người rượu xoáy ngoài khuấy ghế ghi gà giữa gì "
    "gìn giêng giết quốc quý quỳnh quyết quên hoặc oanh yên yêu ý kỹ lý tỷ thuở uống gửi "
    "hoạch khoản đoàn toàn xuân luật thuế hoàng bảng tháp chất giấy quần quê xoong moóc"
).split()


@pytest.mark.parametrize("word", COMMON)
def test_common_syllables_are_valid(word: str) -> None:
    assert is_syllable(word)
    assert is_syllable(word.upper())
    assert is_syllable(word.capitalize())


@pytest.mark.parametrize(
    "word",
    ["ka", "ngê", "cê", "ghu", "ngha", "qa", "hwéng", "phiic", "tw", "poc", "ấtt", "bát́", "kan", "gen", "cuy"],
)
def test_spelling_rules_reject(word: str) -> None:
    assert not is_syllable(word)


@pytest.mark.parametrize("word", ["bát", "bạt", "cấp", "tịch", "mộc", "lập"])
def test_stop_codas_take_only_sac_and_nang(word: str) -> None:
    base = split_syllable(word)
    assert base is not None and base[2] in {"sac", "nang"}
    onset, rhyme, _ = base
    for tone_mark in ("\u0300", "\u0309", "\u0303"):  # huyền, hỏi, ngã
        untoned = strip_tone(word)
        vowel_at = max(i for i, ch in enumerate(untoned) if ch in "aăâeêioôơuưy")
        toned = unicodedata.normalize("NFC", untoned[: vowel_at + 1] + tone_mark + untoned[vowel_at + 1 :])
        assert not is_syllable(toned), toned


def strip_tone(word: str) -> str:
    marks = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", word) if c not in marks))


def test_both_tone_placements_accepted_preferred_is_traditional() -> None:
    for old, new in [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("hoá", "hóa"), ("Uỷ", "Ủy"), ("HOÀ", "HÒA")]:
        assert is_syllable(old) and is_syllable(new)
        assert preferred_form(old) == new
        assert new.lower() in all_syllables() and old.lower() not in all_syllables()
    for same in ["hoàn", "thuở", "quốc", "giữa", "quý", "ngoài", "khuyến"]:
        assert preferred_form(same) == same


def test_split_syllable() -> None:
    assert split_syllable("nghĩa") == ("ngh", "ia", "nga")
    assert split_syllable("quốc") == ("qu", "ôc", "sac")
    assert split_syllable("Hòa") == ("h", "oa", "huyen")
    assert split_syllable("hoà") == ("h", "oa", "huyen")
    assert split_syllable("gìn") == ("gi", "in", "huyen")
    assert split_syllable("giữa") == ("gi", "ưa", "nga")
    assert split_syllable("an") == ("", "an", "ngang")
    assert split_syllable(unicodedata.normalize("NFD", "Việt")) == ("v", "iêt", "nang")
    assert split_syllable("hello") is None


def test_all_syllables_is_fast_cached_and_nfc() -> None:
    start = time.perf_counter()
    syllables = all_syllables()
    assert time.perf_counter() - start < 0.3
    assert all_syllables() is syllables
    assert 12000 < len(syllables) < 20000
    assert all(unicodedata.is_normalized("NFC", s) and s == s.lower() for s in syllables)


def test_alternate_placements_never_collide_with_preferred_forms() -> None:
    from planparse.repair.syllables import _tables

    assert not set(_tables().other_to_preferred) & _tables().preferred


def test_strip_diacritics() -> None:
    assert strip_diacritics("Độc lập - Tự do - Hạnh phúc") == "Doc lap - Tu do - Hanh phuc"
    assert strip_diacritics("ĐƯỜNG 1.500 tài khoản (88,05%)") == "DUONG 1.500 tai khoan (88,05%)"
    assert strip_diacritics("plain\nascii\t") == "plain\nascii\t"
    assert is_stripped_syllable("duong") and not is_stripped_syllable("dwong")


@given(st.sampled_from(sorted(all_syllables())))
@settings(max_examples=300)
def test_strip_is_stable_and_ascii(syllable: str) -> None:
    stripped = strip_diacritics(syllable)
    assert stripped.isascii()
    assert strip_diacritics(stripped) == stripped
    assert is_stripped_syllable(stripped)


# --- text quality ------------------------------------------------------------------------


def test_verdicts_on_short_samples() -> None:
    assert text_quality("").verdict == "empty"
    assert text_quality("  12/2021 - 1.500 ").verdict == "empty"
    assert text_quality("Cộng hòa xã hội chủ nghĩa Việt Nam - Độc lập - Tự do - Hạnh phúc").verdict == "good"
    assert text_quality("ho so truc tuyen cua cac xa thi tran").verdict == "stripped"
    assert text_quality("Poc lap - Tw do - Hanh phiic, hwéng din ndp ho so").verdict == "garbled"
    assert text_quality("Uû ban nh©n d©n huyÖn").verdict == "legacy"
    assert text_quality("UÛy ban nhaân daân huyeän").verdict == "legacy"
    assert text_quality("The quick brown fox jumps over the lazy dog").verdict == "garbled"


def test_abbreviations_numbers_and_roman_numerals_are_ignored() -> None:
    q = text_quality("Số: 211/KH-UBND về TTHC và DVCTT mức độ 3, 4. II. MỤC ĐÍCH; a) b) c)")
    assert q.valid_ratio == 1.0 and q.verdict == "good"


def test_stray_symbols_do_not_make_text_legacy() -> None:
    assert text_quality("Kế hoạch © 2021 của Ủy ban").verdict == "good"
    assert text_quality("naïve café in España").verdict == "garbled"


def test_nfd_text_scores_like_nfc() -> None:
    text = "Kế hoạch phát động phong trào thi đua"
    assert text_quality(unicodedata.normalize("NFD", text)) == text_quality(text)
    assert valid_ratio(text) == 1.0


def test_seed_plans_good_and_their_stripped_copies_stripped() -> None:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        q = text_quality(text)
        assert q.verdict == "good" and q.valid_ratio > 0.97, (path.name, q)
        s = text_quality(strip_diacritics(text))
        assert s.verdict == "stripped", (path.name, s)


def test_english_model_ocr_excerpt_is_garbled() -> None:
    # Tesseract -l eng on a rendered page of a seed plan (first lines), as produced in dev.
    ocr = (
        "UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM\n"
        "HUYEN CHAU THANH Doc lap - Tv do - Hanh phtic\n"
        "S6: /KH-UBND Chau Thanh, ngay thang nam 2021\n"
        "KE HOACH\nPhat dong phong trao thi dua chuyén dé\n"
        "“Thuc hién dich vu c6ng truc tuyén mtfc d6 4” nam 2021\n"
        "Thuc hién Ké hoach s6 276/KH-UBND ngay 21 thang 12 nam 2020 ctia Uy\n"
        "ban nhan dan huyén Chau Thanh vé cai cach hanh chinh huyén Chau Thanh nam\n"
    )
    assert text_quality(ocr).verdict == "garbled"


def test_text_quality_speed() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in SEEDS) * 2  # ~13 pages
    text_quality(text)
    start = time.perf_counter()
    text_quality(text)
    assert time.perf_counter() - start < 0.05
