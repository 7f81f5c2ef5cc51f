"""Legacy 8-bit Vietnamese font encodings: TCVN3 (ABC) and VNI, as found in PDFs and .txt files.

Before Unicode, Vietnamese offices typed with fonts that drew Vietnamese letters at the code
points of Latin-1 symbols.  A PDF text layer or an old .txt file keeps those code points, so
the text comes out as mojibake: "Uû ban nh©n d©n" (TCVN3, fonts .VnTime, .VnArial ...) or
"UÛy ban nhaân daân" (VNI, fonts VNI-Times ...).  This module names the encoding from a font
name or from character statistics, and converts both ways with recorded edits.

TCVN3 (TCVN 5712:1993, the VN3 subset) has one code per lowercase Vietnamese letter but only
the seven bare capitals Ă Â Ê Ô Ơ Ư Đ; headings were typed with the "H" fonts (.VnTimeH),
which draw capitals at the lowercase code points.  Hence `upper=True`.

VNI writes a base letter followed by a mark character (a + ù = á, a + â = â, a + ê = ă); the
mark's case follows the base letter's.  Only i and ỵ, ơ, ư, đ are single characters.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

from planparse.document import Edit
from planparse.repair.syllables import is_syllable, text_quality, valid_ratio

ENCODINGS = ("tcvn3", "vni")

# --- TCVN3 -------------------------------------------------------------------------------

# Aligned strings: Unicode letter -> the Latin-1 character at its TCVN3 code point.
# Checked against glibc's TCVN5712-1 converter (bytes 0xA1-0xFE).
_TCVN3_UNICODE = (
    "àảãáạ" "ăằẳẵắặ" "âầẩẫấậ" "đ" "èẻẽéẹ" "êềểễếệ" "ìỉĩíị" "òỏõóọ" "ôồổỗốộ" "ơờởỡớợ"
    "ùủũúụ" "ưừửữứự" "ỳỷỹýỵ" "ĂÂÊÔƠƯĐ"
)
_TCVN3_CODES = (
    "µ¶·¸¹" "¨»¼½¾Æ" "©ÇÈÉÊË" "®" "ÌÎÏÐÑ" "ªÒÓÔÕÖ" "×ØÜÝÞ" "ßáâãä" "«åæçèé" "¬êëìíî"
    "ïñòóô" "\xadõö÷øù" "úûüýþ" "¡¢£¤¥¦§"
)
TCVN3_TO_UNICODE: dict[str, str] = dict(zip(_TCVN3_CODES, _TCVN3_UNICODE))
UNICODE_TO_TCVN3: dict[str, str] = dict(zip(_TCVN3_UNICODE, _TCVN3_CODES))

# --- VNI ---------------------------------------------------------------------------------

_TONE_MARKS = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # -, sắc, huyền, hỏi, ngã, nặng
# VNI mark characters, in the same tone order (lowercase; uppercase by .upper()).
_VNI_TONES = ("", "ù", "ø", "û", "õ", "ï")
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")  # after a, e, o
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")  # after a
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")  # i carries its tone in one character


def _compose(base: str, mark: str) -> str:
    return unicodedata.normalize("NFC", base + mark)


def _build_vni() -> dict[str, str]:
    """VNI sequence -> Unicode letter, lowercase and uppercase, from the rules above."""
    table: dict[str, str] = {}

    def add(vni: str, uni: str) -> None:
        table[vni] = uni
        table[vni.upper()] = uni.upper()

    for base in "aeouy":
        for vmark, umark in zip(_VNI_TONES, _TONE_MARKS):
            if vmark:
                add(base + vmark, _compose(base, umark))
    for base, vni_base in (("ơ", "ô"), ("ư", "ö")):
        for vmark, umark in zip(_VNI_TONES, _TONE_MARKS):
            add(vni_base + vmark, _compose(base, umark))
    for base in "aeo":
        for vmark, umark in zip(_VNI_CIRCUMFLEX, _TONE_MARKS):
            add(base + vmark, _compose(base + "\u0302", umark))
    for vmark, umark in zip(_VNI_BREVE, _TONE_MARKS):
        add("a" + vmark, _compose("a\u0306", umark))
    for vchar, umark in zip(_VNI_I, _TONE_MARKS):
        if umark:
            add(vchar, _compose("i", umark))
    del table["yï"], table["YÏ"]  # ỵ is the single character î
    add("î", "ỵ")
    add("ñ", "đ")
    return table


VNI_TO_UNICODE: dict[str, str] = _build_vni()
UNICODE_TO_VNI: dict[str, str] = {uni: vni for vni, uni in VNI_TO_UNICODE.items()}

# --- font names --------------------------------------------------------------------------

# .VnTime, .VnTimeH, .VnArial ...; some PDF producers drop the leading dot of the family.
_TCVN3_FONT = re.compile(
    r"^(\.vn[a-z]|vn(time|arial|avant|bodoni|book|centur|clarendon|commerce|cooper|courier|"
    r"free|helve|linus|lucida|palatin|present|revue|souvenir|swiss|univers))",
    re.I,
)
_VNI_FONT = re.compile(r"^vni[-_ ]?[a-z]", re.I)  # VNI-Times, VNI-Helve-Bold


def encoding_for_font(fontname: str | None) -> str | None:
    """"tcvn3" for ABC fonts (.VnTime ...), "vni" for VNI fonts (VNI-Times ...), else None.

    PDF subset fonts carry a six-letter prefix ("ABCDEF+.VnTime"), dropped here.
    """
    if not fontname:
        return None
    name = fontname.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", fontname) else fontname
    if _VNI_FONT.match(name):
        return "vni"
    if _TCVN3_FONT.match(name):
        return "tcvn3"
    return None


def is_upper_font(fontname: str | None) -> bool:
    """True for TCVN3 capital fonts (.VnTimeH, .VnArialH, .VnTimeH-Bold ...)."""
    if not fontname or encoding_for_font(fontname) != "tcvn3":
        return False
    name = fontname.split("+", 1)[-1]
    family = re.split(r"[-,]", name.lstrip("."), maxsplit=1)[0]
    return family.lower().endswith("h")


# --- conversion --------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _decoder(encoding: str) -> re.Pattern[str]:
    """A regex matching every legacy sequence, longest first, for `to_unicode`."""
    if encoding == "tcvn3":
        keys = [*TCVN3_TO_UNICODE, "-"]
    elif encoding == "vni":
        keys = list(_vni_lenient())
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {ENCODINGS}")
    keys.sort(key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys))


@lru_cache(maxsize=1)
def _vni_lenient() -> dict[str, str]:
    """VNI table plus base/mark pairs whose cases disagree (case taken from the base)."""
    table = dict(VNI_TO_UNICODE)
    for vni, uni in VNI_TO_UNICODE.items():
        if len(vni) == 2:
            base, mark = vni
            for m in (mark.lower(), mark.upper()):
                table.setdefault(base + m, uni)
    return table


# TCVN3 puts ư at 0xAD, the soft hyphen, which PDF extractors (PyMuPDF) often return as
# "-": "Th-êng" is "Thường", "nh-" is "như", "-u" is "ưu".  A hyphen touching a word is
# read as ư when that makes the word a Vietnamese syllable; "KH-UBND", "tÕ-x·" (tế-xã) and
# a "- " bullet keep their hyphens.
_TCVN3_SYMBOLS = re.escape("".join(c for c in _TCVN3_CODES if not c.isalpha()))
_TCVN3_WORD = f"(?:[^\\W\\d_]|[{_TCVN3_SYMBOLS}])+"
_TCVN3_HYPHEN = re.compile(
    f"(?<![^\\W\\d_])(?<![{_TCVN3_SYMBOLS}])({_TCVN3_WORD})?-(?=({_TCVN3_WORD})?)"
)


def _tcvn3_hyphens(text: str) -> set[int]:
    """Positions of hyphens in `text` (TCVN3 mojibake) that stand for the letter ư."""
    if "-" not in text:
        return set()
    found = set()
    for m in _TCVN3_HYPHEN.finditer(text):
        left, right = m.group(1) or "", m.group(2) or ""
        if not (left or right) or (not right and len(left) > 1 and left.isupper()):
            continue  # a bare hyphen, or a code broken over lines ("211/KH-")
        word = "".join(TCVN3_TO_UNICODE.get(c, c) for c in left + "\xad" + right)
        if is_syllable(word):
            found.add(m.end() - 1)
    return found


def _table(encoding: str) -> dict[str, str]:
    return TCVN3_TO_UNICODE if encoding == "tcvn3" else _vni_lenient()


def to_unicode(text: str, encoding: str, upper: bool = False) -> tuple[str, list[Edit]]:
    """Convert legacy mojibake to Unicode; one edit (kind "legacy-<encoding>") per changed run.

    `upper=True` is for TCVN3 capital fonts (.VnTimeH): everything they drew is a capital.
    Characters outside the table (ASCII, digits, punctuation) pass through unchanged.
    Tone placement is kept as typed ("Uû" -> "Uỷ"); `repair.unicode.normalize` moves it.
    """
    table = _table(encoding)
    kind = f"legacy-{encoding}"
    pieces: list[str] = []
    edits: list[Edit] = []
    run: list = []  # [start, end, [after pieces]] of the edit being grown

    def put(start: int, end: int, after: str) -> None:
        pieces.append(after)
        if after == text[start:end]:
            return
        if run and run[1] == start:
            run[1] = end
            run[2].append(after)
            return
        flush()
        run[:] = [start, end, [after]]

    def flush() -> None:
        if run:
            edits.append(Edit(kind, run[0], run[1], text[run[0]:run[1]], "".join(run[2])))
            run.clear()

    hyphens = _tcvn3_hyphens(text) if encoding == "tcvn3" else ()
    pos = 0
    for m in _decoder(encoding).finditer(text):
        if m.start() > pos:
            gap = text[pos:m.start()]
            put(pos, m.start(), gap.upper() if upper else gap)
        uni = table[m.group()] if m.group() != "-" else ("ư" if m.start() in hyphens else "-")
        put(m.start(), m.end(), uni.upper() if upper else uni)
        pos = m.end()
    if pos < len(text):
        put(pos, len(text), text[pos:].upper() if upper else text[pos:])
    flush()
    return "".join(pieces), edits


def from_unicode(text: str, encoding: str, upper: bool = False) -> str:
    """Encode Unicode Vietnamese as legacy mojibake (for building test documents).

    TCVN3 has no codes for toned capitals: with `upper=True` the text is written for a
    capital font (.VnTimeH: lowercase codes, drawn as capitals); without it, a toned capital
    falls back to its lowercase code (what a .VnTime typist could not type either).
    Characters that are not Vietnamese letters pass through unchanged.
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {ENCODINGS}")
    text = unicodedata.normalize("NFC", text)
    if encoding == "tcvn3" and upper:
        text = text.lower()
    table = UNICODE_TO_TCVN3 if encoding == "tcvn3" else UNICODE_TO_VNI
    out = []
    for ch in text:
        code = table.get(ch)
        if code is None and encoding == "tcvn3" and ch.isupper():
            code = table.get(ch.lower())
        out.append(code if code is not None else ch)
    return "".join(out)


# --- detection ---------------------------------------------------------------------------

_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# TCVN3 code characters that never occur in Unicode Vietnamese.
TCVN3_SIGNATURE = frozenset(c for c in _TCVN3_CODES if c not in _VIETNAMESE_LATIN1)
# VNI base+mark pairs that never occur in Unicode Vietnamese (oà/oá/oã do: "hoà", "loã").
_VNI_SIGNATURE = re.compile(
    r"[aeiouyôöAEIOUYÔÖ][ùøûõïÙØÛÕÏ]|[aeoAEO][âåäÂÅÄ]|[aA][êéèúüëÊÉÈÚÜË]|[ñÑöÖæÆîÎ]"
)
# Characters VNI adds that are not Vietnamese letters (for text_quality's legacy_ratio).
VNI_SIGNATURE_CHARS = frozenset("øûïåäüëæîñöØÛÏÅÄÜËÆÎÑÖ")

DETECT_MIN_HITS = 3
DETECT_MIN_RATE = 0.02  # signature hits per letter; mojibake has 0.1-0.3, Unicode text 0
DETECT_MIN_VALID = 0.6  # converted text must look Vietnamese ...
DETECT_MIN_GAIN = 0.1  # ... and clearly more so than before
DETECT_SAMPLE = 8000  # characters looked at


@lru_cache(maxsize=1)
def _mojibake_re() -> re.Pattern[str]:
    chars = "".join(sorted(TCVN3_SIGNATURE | VNI_SIGNATURE_CHARS))
    return re.compile(f"[{re.escape(chars)}]|{_VNI_SIGNATURE.pattern}")


def mojibake_count(text: str) -> int:
    """How many characters (or VNI base+mark pairs) typical of TCVN3/VNI mojibake `text` has.

    None of them occurs in Unicode Vietnamese; `syllables.text_quality` uses this count.
    """
    return len(_mojibake_re().findall(text))


def _signature_hits(text: str) -> dict[str, int]:
    return {
        "tcvn3": sum(1 for ch in text if ch in TCVN3_SIGNATURE),
        "vni": len(_VNI_SIGNATURE.findall(text)),
    }


def detect(text: str) -> str | None:
    """The legacy encoding `text` is written in ("tcvn3" or "vni"), or None.

    Two tests must agree: enough characters that Unicode Vietnamese never contains, and a
    conversion that turns the text into valid Vietnamese syllables (which English with a
    stray "ñ" or "©", and real Vietnamese, do not pass).
    """
    if text.isascii():
        return None
    if len(text) > DETECT_SAMPLE:  # a few pages decide as well as a whole book
        cut = text.rfind(" ", 0, DETECT_SAMPLE)
        text = text[: cut if cut > 0 else DETECT_SAMPLE]
    letters = sum(1 for ch in text if ch.isalpha()) or 1
    before = valid_ratio(text)
    best, best_valid = None, 0.0
    for encoding, hits in _signature_hits(text).items():
        if hits < DETECT_MIN_HITS or hits / letters < DETECT_MIN_RATE:
            continue
        converted, _ = to_unicode(text, encoding)
        valid = valid_ratio(converted)
        if valid >= DETECT_MIN_VALID and valid >= before + DETECT_MIN_GAIN and valid > best_valid:
            best, best_valid = encoding, valid
    return best


# --- text files --------------------------------------------------------------------------


# cp1252's characters at 0x80-0x9F (curly quotes, dashes, ellipsis ...); its five holes stay
# as the Latin-1 control characters.
_CP1252_HIGH = {
    b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def _ansi(data: bytes) -> str:
    """Bytes as a Windows ANSI program shows them: cp1252, with its five holes as Latin-1.

    Legacy fonts were used through such programs, so their code points are these characters.
    """
    return data.decode("latin-1").translate(_CP1252_HIGH)


def _looks_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for BOM-less UTF-16 (many NUL bytes on one side), else None."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a text file's bytes.

    BOMs decide first (utf-8-sig, utf-16), then BOM-less UTF-16 (NUL bytes on one side).
    Valid UTF-8 is taken as UTF-8.  Unicode text is returned as decoded, NFD included, so
    that `repair.unicode.normalize` records its composition as edits.  Otherwise the 8-bit
    candidates are decoded and scored with `text_quality`, best valid-syllable ratio winning:
    cp1258 (composed to NFC, since Windows-1258 writes tones as combining marks), TCVN3 and
    VNI (converted from their mojibake, NFC).
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    utf16 = _looks_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text, "ascii" if data.isascii() else "utf-8"
    ansi = _ansi(data)
    candidates: list[tuple[str, str]] = [
        (unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")), "cp1258"),
        (unicodedata.normalize("NFC", to_unicode(ansi, "tcvn3")[0]), "tcvn3"),
        (unicodedata.normalize("NFC", to_unicode(ansi, "vni")[0]), "vni"),
    ]
    best_text, best_name, best_score = candidates[0][0], candidates[0][1], -1.0
    for text, name in candidates:
        q = text_quality(text)
        score = q.valid_ratio - q.legacy_ratio
        if score > best_score:
            best_text, best_name, best_score = text, name, score
    return best_text, best_name
