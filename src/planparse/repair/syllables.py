"""Vietnamese syllable phonotactics, generated from spelling rules rather than a word list.

Every written Vietnamese syllable is (onset)(medial w)(nucleus)(coda) + one of six tones.
Generating the set from those parts keeps it complete and auditable: a syllable is valid
because the rules allow it, not because someone typed it.  The set (~15.5 k toned forms)
is the cheap, strong signal the rest of planparse uses to tell good text (99-100 % valid
syllables on the seed plans and VLSP news) from English-model OCR (~67 %), diacritic-stripped
text and legacy-font mojibake.

Tone placement: the preferred form puts the tone of an open `oa`, `oe`, `uy` on the first
vowel ("hòa", "khỏe", "thủy"), as the plans we read (and most government documents) write
it; the other placement ("hoà", "khoẻ", "thuỷ") is accepted by `is_syllable` and mapped by
`preferred_form`.  Loanword spellings outside the native rules (pin, buýt) are not included.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# --- tones -------------------------------------------------------------------------------

TONES = ("ngang", "huyen", "sac", "hoi", "nga", "nang")
WRITTEN_TONES = TONES[1:]  # every tone but the level one, which has no mark
# Combining mark of each tone (ngang has none).
TONE_MARKS = {"huyen": "\u0300", "sac": "\u0301", "hoi": "\u0309", "nga": "\u0303", "nang": "\u0323"}
MARK_TONES = {mark: tone for tone, mark in TONE_MARKS.items()}
# Stop codas only take the two "checked" tones.
STOP_CODAS = frozenset({"p", "t", "c", "ch"})
CHECKED_TONES = ("sac", "nang")

VOWELS = "aăâeêioôơuưy"
MARKED_VOWELS = "ăâêôơư"

# --- onsets ------------------------------------------------------------------------------

# Phonological onsets; spelling variants (c/k/q, g/gh, ng/ngh) are chosen by `_spell_onset`.
# "p" is left out on purpose: it only starts loanwords ("pin"), while "P" for "Đ" is a typical
# English-OCR confusion the garble detector should catch.
ONSETS = ("", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh",
          "ph", "qu", "r", "s", "t", "th", "tr", "v", "x")
# Onsets that never take a medial w (labials; gi; c/k spell it as qu).
NO_MEDIAL_ONSETS = frozenset({"b", "m", "v", "ph", "gi", "c", "r"})
# Onsets before which an open "i" may also be written "y" (lý/lí, kỹ/kĩ, mỹ, tỷ, hy, sỹ, ý).
Y_ONSETS = frozenset({"", "h", "c", "l", "m", "s", "t", "v"})

# --- rhymes ------------------------------------------------------------------------------

# Codas are phonological: "j" and "w" are the semivowels written i/y and o/u.
NUCLEUS_CODAS: dict[str, tuple[str, ...]] = {
    "a": ("", "c", "ch", "j", "m", "n", "ng", "nh", "p", "t", "w"),
    "ă": ("c", "j", "m", "n", "ng", "p", "t", "w"),
    "â": ("c", "j", "m", "n", "ng", "p", "t", "w"),
    "e": ("", "c", "m", "n", "ng", "p", "t", "w"),
    "ê": ("", "ch", "m", "n", "nh", "p", "t", "w"),
    "i": ("", "ch", "m", "n", "nh", "p", "t", "w"),
    "o": ("", "c", "j", "m", "n", "ng", "p", "t"),
    "ô": ("", "c", "j", "m", "n", "ng", "p", "t"),
    "ơ": ("", "j", "m", "n", "p", "t"),
    "u": ("", "c", "j", "m", "n", "ng", "p", "t"),
    "ư": ("", "c", "j", "m", "ng", "t", "w"),
    "iê": ("", "c", "m", "n", "ng", "p", "t", "w"),
    "uô": ("", "c", "j", "m", "n", "ng", "t"),
    "ươ": ("", "c", "j", "m", "n", "ng", "p", "t", "w"),
}
# Codas a nucleus keeps after a medial w (hoa, hoặc, khoe, xuân, thuế, tuy, khuyên, thuở,
# and the rarer ngoạm, ngoạp, ngoém, quên, quệt, quều, quới, quào, quạu, quắp).
MEDIAL_CODAS: dict[str, tuple[str, ...]] = {
    "a": ("", "c", "ch", "j", "m", "n", "ng", "nh", "p", "t", "w"),
    "ă": ("c", "j", "m", "n", "ng", "p", "t", "w"),
    "â": ("n", "ng", "t", "j"),
    "e": ("", "m", "n", "t", "w"),
    "ê": ("", "ch", "n", "nh", "t", "w"),
    "i": ("", "ch", "nh", "t", "w"),
    "iê": ("", "n", "t"),
    "ơ": ("", "j"),
}
# After qu the medial is the u of the onset; "quốc" adds the one ô rhyme, and the older
# spelling qui/quí/quít (for quy/quý/quýt) is still common.
QU_EXTRA = (("ô", "c"), ("i", ""), ("i", "t"))
# The long "oo" of xoong, boong, moóc, goòng (no medial, codas ng and c only).
LONG_OO_CODAS = ("c", "ng")


@lru_cache(maxsize=None)  # ~150 rhymes, asked once per onset
def _write_rhyme(medial: bool, nucleus: str, coda: str, has_onset: bool) -> str:
    """Spell a phonological rhyme (medial w, nucleus, coda) as written letters."""
    if coda == "j":
        coda_w = "y" if nucleus in ("ă", "â") else "i"
    elif coda == "w":
        coda_w = "o" if nucleus in ("a", "e") else "u"
    else:
        coda_w = coda
    nuc = nucleus
    if nucleus == "ă" and coda in ("j", "w"):
        nuc = "a"  # ay, au are short a
    open_ = coda == ""
    if nucleus == "iê":
        if medial:
            nuc = "ya" if open_ else "yê"
        elif open_:
            nuc = "ia"
        elif not has_onset:
            nuc = "yê"
    elif nucleus == "uô" and open_:
        nuc = "ua"
    elif nucleus == "ươ" and open_:
        nuc = "ưa"
    elif nucleus == "i" and medial:
        nuc = "y"
    med = ""
    if medial:
        med = "o" if nucleus in ("a", "ă", "e") else "u"
    return med + nuc + coda_w


def _spell_onset(onset: str, rhyme: str) -> str | None:
    """Apply the c/k, g/gh, ng/ngh rules: the k-forms stand before i, y, e, ê (and iê)."""
    front = rhyme[:1] in ("i", "y", "e", "ê")
    if onset == "c":
        return "k" if front else "c"
    if onset == "g":
        return "gh" if front else "g"
    if onset == "ng":
        return "ngh" if front else "ng"
    return onset


_NUCLEUS = re.compile(r"[^aăâeêioôơuưy]*([aăâeêioôơuưy]+)(.*)$")


@lru_cache(maxsize=None)
def _tone_indexes(rhyme: str) -> tuple[int, int]:
    """Index in `rhyme` of the vowel that carries the tone: (preferred, other) placement.

    Marked vowels win (ơ in ươ); before a final consonant the last vowel; otherwise the
    nucleus, where open oa/oe/uy are the one case the two conventions disagree on.
    """
    m = _NUCLEUS.match(rhyme)
    if m is None:
        raise ValueError(f"no vowel in rhyme {rhyme!r}")
    start, cluster, tail = m.start(1), m.group(1), m.group(2)
    if "ươ" in cluster:
        i = start + cluster.index("ơ")
        return i, i
    for i, ch in enumerate(cluster):
        if ch in MARKED_VOWELS:
            return start + i, start + i
    if tail:
        i = start + len(cluster) - 1
    elif cluster in ("oa", "oe", "uy"):
        return start, start + 1
    elif len(cluster) == 3:
        i = start + 1  # oai, oay, oeo, uya, uyu
    else:
        i = start  # ai, ao, ia, ua, iu, oi ...: the nucleus comes first
    return i, i


@lru_cache(maxsize=None)
def _toned(ch: str, tone: str) -> str:
    return unicodedata.normalize("NFC", ch + TONE_MARKS[tone])


@lru_cache(maxsize=None)  # rhymes recur after every onset
def _toned_bodies(body: str, tones: tuple[str, ...]) -> tuple[str, ...]:
    """`body` (a written rhyme) carrying each of `tones` on its preferred vowel."""
    i = _tone_indexes(body)[0]
    return tuple(body[:i] + _toned(body[i], tone) + body[i + 1:] for tone in tones)


def _apply_tone(word: str, index: int, tone: str) -> str:
    if tone == "ngang":
        return word
    return word[:index] + _toned(word[index], tone) + word[index + 1:]


@dataclass(frozen=True)
class _Tables:
    preferred: frozenset[str]  # toned syllables, preferred placement
    accepted: frozenset[str]  # preferred plus the other placement
    parts: dict[str, tuple[str, str]]  # untoned written syllable -> (onset, rhyme)
    other_to_preferred: dict[str, str]  # "hoà" -> "hòa"
    stripped: frozenset[str]  # syllables without any diacritic ("hoa", "duong")


def _rhyme_specs(onset: str):
    """Yield (medial, nucleus, coda) triples allowed after `onset`."""
    if onset == "qu":
        for nucleus, codas in MEDIAL_CODAS.items():
            for coda in codas:
                yield True, nucleus, coda
        for nucleus, coda in QU_EXTRA:
            yield False, nucleus, coda
        return
    for nucleus, codas in NUCLEUS_CODAS.items():
        for coda in codas:
            yield False, nucleus, coda
    for coda in LONG_OO_CODAS:
        yield False, "oo", coda
    if onset not in NO_MEDIAL_ONSETS:
        for nucleus, codas in MEDIAL_CODAS.items():
            for coda in codas:
                yield True, nucleus, coda


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    preferred: set[str] = set()
    alternates: set[str] = set()  # the other tone placement of oa, oe, uy
    parts: dict[str, tuple[str, str]] = {}
    other: dict[str, str] = {}
    for onset in ONSETS:
        for medial, nucleus, coda in _rhyme_specs(onset):
            rhyme = _write_rhyme(medial, nucleus, coda, has_onset=onset != "")
            if onset == "qu" and medial:
                rhyme = rhyme[1:]  # the written u belongs to qu
            spellings = [rhyme]
            if nucleus == "i" and not medial and coda == "" and onset in Y_ONSETS:
                spellings.append("y")
            for written in spellings:
                head = _spell_onset(onset, written)
                if onset == "gi" and written.startswith("i"):
                    if written in ("ia", "iu"):
                        continue  # "gia", "giu" read as gi + a, gi + u
                    head, body = "g", written  # gi + in -> gìn, gi + iêng -> giêng
                else:
                    body = written
                word = head + body
                parts.setdefault(word, ("gi" if head == "g" and onset == "gi" else head, body))
                idx_p, idx_o = _tone_indexes(body)
                if coda in STOP_CODAS:
                    tones = CHECKED_TONES
                else:
                    tones = WRITTEN_TONES
                    preferred.add(word)  # the level tone has no mark
                forms = [head + toned for toned in _toned_bodies(body, tones)]
                preferred.update(forms)
                if idx_o != idx_p:
                    for tone, form in zip(tones, forms):
                        alt = _apply_tone(word, len(head) + idx_o, tone)
                        alternates.add(alt)
                        other[alt] = form
                # A common typing slip puts the tone on the onset's u/i: qúa, gìa.  Not
                # valid spelling (is_syllable says no), but preferred_form mends it.
                if head in ("qu", "gi") and body[idx_p] in "aeiouy":
                    for tone, form in zip(tones, forms):
                        other.setdefault(_apply_tone(word, len(head) - 1, tone), form)
    accepted = preferred | alternates
    # one call over all of them: stripping is character by character (~7 ms saved)
    stripped = frozenset(strip_diacritics("\n".join(parts)).split("\n"))
    return _Tables(frozenset(preferred), frozenset(accepted), parts, other, stripped)


# --- public API --------------------------------------------------------------------------


def all_syllables() -> frozenset[str]:
    """All valid toned syllables, lowercase NFC, preferred tone placement (cached)."""
    return _tables().preferred


def _untone(word: str) -> tuple[str, str]:
    """Split off the tone: ("hoàn" -> "hoan", "huyen").  Keeps vowel marks."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = "ngang"
    kept = []
    for ch in decomposed:
        if ch in MARK_TONES:
            tone = MARK_TONES[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def split_syllable(s: str) -> tuple[str, str, str] | None:
    """(onset, rhyme without tone, tone name) of a valid syllable, else None.

    Onset and rhyme are written forms, lowercase: "nghĩa" -> ("ngh", "ia", "nga"),
    "quốc" -> ("qu", "ôc", "sac"), "hòa" -> ("h", "oa", "huyen").  Only when gi merges with
    a rhyme starting in i is the i counted twice: "gìn" -> ("gi", "in", "huyen").  Tone
    names are those in `TONES`.
    """
    word = unicodedata.normalize("NFC", s).lower()
    if word not in _tables().accepted:
        return None
    untoned, tone = _untone(word)
    onset, rhyme = _tables().parts[untoned]
    return onset, rhyme, tone


def is_syllable(token: str) -> bool:
    """True when `token` (any case, NFC or NFD) is one valid Vietnamese syllable."""
    word = token.lower()
    if not word.isascii():
        word = unicodedata.normalize("NFC", word)
    return word in _tables().accepted


def preferred_form(word: str) -> str:
    """The syllable with its tone on the preferred vowel ("hoà" -> "hòa"), case kept.

    Also mends the slip of toning the u/i of qu/gi ("qúa" -> "quá", "gìa" -> "già").
    Anything else comes back unchanged.
    """
    lower = word.lower()
    target = _tables().other_to_preferred.get(lower)
    if target is None:
        return word
    return "".join(t.upper() if o.isupper() else t for o, t in zip(word, target))


def is_stripped_syllable(token: str) -> bool:
    """True when `token` is a valid syllable with all diacritics removed ("duong", "ho")."""
    return token.lower() in _tables().stripped


_COMBINING = re.compile(r"[\u0300-\u036f]")


def strip_diacritics(text: str) -> str:
    """Remove tones and vowel marks, đ -> d, Đ -> D; everything else is kept as it is."""
    if text.isascii():
        return text
    out = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    out = out.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", out)


# --- text quality ------------------------------------------------------------------------

# Letters that only Vietnamese (among the scripts we see) carries: all marked Latin vowels
# of the alphabet plus đ.  Built from the syllable tables so it cannot drift from them.
@lru_cache(maxsize=1)
def _marked_letters() -> frozenset[str]:
    letters = {ch for ch in set("".join(all_syllables())) if not ch.isascii()}
    letters |= {ch.upper() for ch in letters}
    return frozenset(letters)


def _mojibake_count(text: str) -> int:
    """Characters of TCVN3/VNI mojibake in `text` (tables live in `legacy`, which imports us)."""
    from planparse.repair.legacy import mojibake_count

    return mojibake_count(text)


def _legacy_confirmed(text: str) -> bool:
    """Whether converting from TCVN3 or VNI turns `text` into Vietnamese (see legacy.detect)."""
    from planparse.repair.legacy import detect

    return detect(text) is not None


@dataclass(frozen=True)
class TextQuality:
    """How Vietnamese a text looks, as ratios over its alphabetic tokens.

    `verdict` is one of "empty", "good", "stripped", "garbled", "legacy"; see `text_quality`.
    """

    tokens: int
    valid_ratio: float
    marked_ratio: float
    legacy_ratio: float
    stripped_ratio: float
    verdict: str


# Thresholds, measured on the three seed plans, their stripped copies, the VLSP 2013 test
# sentences, and Tesseract `-l eng` output of rendered seed pages (tests/test_syllables.py):
#   valid:  seeds 0.995-1.000, VLSP 0.998, stripped seeds 0.66-0.72, English-model OCR 0.67
#   marked: seeds 0.86-0.90, stripped 0.00, English-model OCR 0.21
#   diacritic-free valid: stripped seeds 0.996-1.000, English-model OCR 0.70-0.72
GOOD_VALID = 0.85
STRIPPED_MARKED = 0.08
STRIPPED_VALID = 0.85
LEGACY_CHARS_MIN = 0.01  # mojibake characters per letter: TCVN3/VNI text ~0.1-0.3, Unicode 0
LEGACY_MIN_COUNT = 2  # and at least this many, so one stray "©" or "ñ" does not decide
MIN_TOKENS = 1

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]")


_TOKEN = re.compile(r"[^\W_]+")
_LETTER = re.compile(r"[^\W\d_]")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)


def _countable(token: str) -> bool:
    """Whether a token should be judged as a would-be syllable.

    Numbers and codes with digits, roman numerals, and all-caps abbreviations (UBND, TTHC,
    DVCTT) are neither right nor wrong Vietnamese, so they are left out; a valid all-caps
    syllable (ỦY, BAN) still counts.  Tokens with inner capitals (VNeID) are names.
    """
    if not token.isalpha():
        return False
    if token.isupper() and len(token) > 1:
        return is_syllable(token) or len(token) > 8
    if len(token) > 1 and any(ch.isupper() for ch in token[1:]):
        return False
    if len(token) <= 4 and _ROMAN.match(token) and not is_syllable(token):
        return False
    if len(token) == 1 and not is_syllable(token):
        return False  # list markers a), b), units
    return True


@lru_cache(maxsize=1 << 16)
def _judge(token: str) -> tuple[int, int, int, int]:
    """(counted, valid, marked, stripped-valid) for one token; cached, words repeat a lot."""
    if not _countable(token):
        return 0, 0, 0, 0
    lower = token.lower()
    valid = int(lower in _tables().accepted)
    if lower.isascii():
        return 1, valid, 0, int(lower in _tables().stripped)
    marked_letters = _marked_letters()
    return 1, valid, int(any(ch in marked_letters for ch in lower)), 0


def _counts(text: str) -> tuple[int, int, int, int]:
    """(judged tokens, valid, marked, diacritic-free valid) over the tokens of NFC `text`."""
    n = valid = marked = stripped_ok = 0
    # each distinct token judged once, weighted by how often it occurs: words repeat a lot
    for token, times in Counter(_TOKEN.findall(text)).items():
        c, v, m, st = _judge(token)
        n += c * times
        valid += v * times
        marked += m * times
        stripped_ok += st * times
    return n, valid, marked, stripped_ok


def valid_ratio(text: str) -> float:
    """Share of judged tokens that are valid syllables (0.0 when there are none)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    n, valid, _, _ = _counts(text)
    return valid / n if n else 0.0


def text_quality(text: str) -> TextQuality:
    """Score a text and give a verdict.

    Order matters: legacy mojibake is checked first (its tokens are also invalid), then the
    share of valid syllables separates good from garbled, and among texts that are valid
    only once stripped, the share of marked tokens separates "stripped" from the rest.
    Verdicts: "empty" (no judgeable word); "legacy" (>= 2 mojibake characters making
    >= 1 % of letters, the text not otherwise good, and conversion confirmed by
    `legacy.detect`); "good" (valid >= 85 %); "stripped" (marked < 8 % and >= 85 %
    diacritic-free syllables); otherwise "garbled".
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    n, valid, marked, stripped_ok = _counts(text)
    letters = len(_LETTER.findall(text))
    legacy_count = _mojibake_count(text) if not text.isascii() else 0
    legacy_ratio = legacy_count / letters if letters else 0.0
    legacy = legacy_count >= LEGACY_MIN_COUNT and legacy_ratio >= LEGACY_CHARS_MIN
    if n < MIN_TOKENS:
        verdict = "legacy" if legacy and _legacy_confirmed(text) else "empty"
        return TextQuality(0, 0.0, 0.0, legacy_ratio, 0.0, verdict)
    vr, mr, sr = valid / n, marked / n, stripped_ok / n
    if legacy and vr < GOOD_VALID and _legacy_confirmed(text):
        verdict = "legacy"
    elif vr >= GOOD_VALID and mr >= STRIPPED_MARKED:
        verdict = "good"
    elif mr < STRIPPED_MARKED and sr >= STRIPPED_VALID:
        verdict = "stripped"
    elif vr >= GOOD_VALID:
        verdict = "good"
    else:
        verdict = "garbled"
    return TextQuality(n, vr, mr, legacy_ratio, sr, verdict)
