"""TCVN3 (ABC) encoding and the .VnTime / .VnTimeH look-alike fonts.

Text typed with the 8-bit .VnTime fonts is stored as TCVN3 byte values; a PDF made from it
maps those bytes to the Latin-1 characters of the same value, so its text layer extracts as
mojibake ("Uû ban nh©n d©n"). We reproduce that: encode the Unicode text to TCVN3, read each
byte as a Latin-1 character, and draw it with a font whose cmap sends that Latin-1 code point
to the Vietnamese glyph (taken from Liberation Serif).

.VnTime has only seven upper-case Vietnamese letters (Ă Â Ê Ô Ơ Ư Đ); capitals with tone
marks exist only in the capitals-only font .VnTimeH, where the codes of the lower-case letters
(and plain a-z) draw capitals. We use .VnTimeH for all-capital words and for a lone capital
with a tone mark, as typists did.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from planparse.repair.legacy import (TCVN3_TO_UNICODE, UNICODE_TO_TCVN3, from_unicode,
                                     is_upper_font, to_unicode)

# The TCVN3 table is the project's own (planparse.repair.legacy); it agrees byte for byte with
# the table this script carried before that module existed (checked 0xA1-0xFE).
TCVN3_TABLE: dict[int, str] = {ord(code): letter for code, letter in TCVN3_TO_UNICODE.items()}
UNICODE_TO_CODE: dict[str, str] = dict(UNICODE_TO_TCVN3)
_BASE_CAPITALS = set("ĂÂÊÔƠƯĐ")

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
STYLES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}


def needs_capital_font(ch: str) -> bool:
    """A Vietnamese capital that .VnTime cannot draw (it needs .VnTimeH)."""
    return ch.isupper() and ch.lower() in UNICODE_TO_CODE and ch not in _BASE_CAPITALS


def encode_char(ch: str, capital_font: bool) -> str:
    """The Latin-1 character standing for `ch` in .VnTime (or .VnTimeH)."""
    if not capital_font and ord(ch) > 0x7F and ch.isalpha() and ch not in UNICODE_TO_CODE:
        raise ValueError(f"{ch!r} has no TCVN3 code in .VnTime")
    return from_unicode(ch, "tcvn3", upper=capital_font) if ord(ch) > 0x7F else ch


def segments(text: str) -> list[tuple[str, bool]]:
    """Split Unicode text into (tcvn3_text, use_capital_font) pieces.

    Words written all in capitals that contain a Vietnamese capital go to .VnTimeH whole;
    elsewhere only the capitals .VnTime lacks do.
    """
    out: list[tuple[str, bool]] = []
    for token in re.split(r"(\s+)", text):
        if not token:
            continue
        letters = [c for c in token if c.isalpha()]
        whole = (len(letters) > 1 and all(c.isupper() for c in letters)
                 and any(needs_capital_font(c) for c in letters))
        for ch in token:
            capital = whole or needs_capital_font(ch)
            code = encode_char(ch, capital)
            if out and out[-1][1] == capital:
                out[-1] = (out[-1][0] + code, capital)
            else:
                out.append((code, capital))
    return out


def decode(text: str, font: str) -> str:
    """Map text extracted from a span drawn with `font` back to Unicode."""
    return to_unicode(text, "tcvn3", upper=is_upper_font(font))[0]


def font_name(capital: bool, style: str = "") -> str:
    return (".VnTimeH" if capital else ".VnTime") + style


@lru_cache(maxsize=None)
def build_font(capital: bool, style: str, out_dir: str) -> Path:
    """Write a .VnTime(H) look-alike TrueType font built from Liberation Serif; return its path."""
    from fontTools.ttLib import TTFont

    name = font_name(capital, style)
    path = Path(out_dir) / f"{name.lstrip('.')}.ttf"
    if path.exists():
        return path
    font = TTFont(FONT_DIR / f"LiberationSerif-{STYLES[style]}.ttf")
    best = font.getBestCmap()
    remap: dict[int, str] = {}
    for code, letter in TCVN3_TABLE.items():
        target = letter.upper() if capital else letter
        remap[code] = best[ord(target)]
    if capital:
        for low in range(ord("a"), ord("z") + 1):
            remap[low] = best[low - 32]
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update(remap)
    family = font_name(capital)
    subfamily = STYLES[style].replace("BoldItalic", "Bold Italic")
    for record in list(font["name"].names):
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID in (2, 17):
            record.string = subfamily
        elif record.nameID == 4:
            record.string = f"{family} {subfamily}".replace(" Regular", "")
        elif record.nameID == 6:
            record.string = name
        elif record.nameID == 3:
            record.string = f"planparse-samples: {name}"
    path.parent.mkdir(parents=True, exist_ok=True)
    font.save(path)
    return path
