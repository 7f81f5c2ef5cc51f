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


def _save_font(font, remap: dict[int, str], family: str, style: str, name: str, path: Path) -> Path:
    """Point the font's Unicode cmaps at `remap`, name it as the legacy font `name`, save it."""
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update(remap)
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
    return _save_font(font, remap, font_name(capital), style, name, path)


# --- VNI ---------------------------------------------------------------------------------
# VNI writes a base letter and then a mark character (a + ù = á); the VNI-Times font draws the
# mark characters as zero-width accents over the preceding letter. A few letters are single
# characters (ô = ơ, ö = ư, ñ = đ, î = ỵ, í ì æ ó ò = í ì ỉ ĩ ị). The sequences themselves
# come from planparse.repair.legacy (UNICODE_TO_VNI).

VNI_FAMILY = "VNI-Times"
# mark character -> the precomposed letter on "a" whose accents it draws
_VNI_MARK_SOURCES = {
    "ù": "á", "ø": "à", "û": "ả", "õ": "ã", "ï": "ạ",
    "â": "â", "á": "ấ", "à": "ầ", "å": "ẩ", "ã": "ẫ", "ä": "ậ",
    "ê": "ă", "é": "ắ", "è": "ằ", "ú": "ẳ", "ü": "ẵ", "ë": "ặ",
}
# single VNI characters that draw a whole Vietnamese letter
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "î": "ỵ",
                "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị"}


def vni_encode(text: str) -> str:
    """Unicode text as VNI sequences (Latin-1 characters)."""
    return from_unicode(text, "vni")


def vni_decode(text: str) -> str:
    return to_unicode(text, "vni")[0]


def vni_font_name(style: str = "") -> str:
    return VNI_FAMILY + style


@lru_cache(maxsize=None)
def build_vni_font(style: str, out_dir: str) -> Path:
    """Write a VNI-Times look-alike built from Liberation Serif; return its path.

    Each mark character gets a new zero-width composite glyph made of the accent components
    of the precomposed letter on "a" (or "A" for the capital marks), shifted back by the
    width of that base letter, so it lands over whatever letter precedes it.
    """
    import copy

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    name = vni_font_name(style)
    path = Path(out_dir) / f"{name}.ttf"
    if path.exists():
        return path
    font = TTFont(FONT_DIR / f"LiberationSerif-{STYLES[style]}.ttf")
    for tag in ("hdmx", "LTSH", "VDMX"):  # per-glyph tables we do not extend
        if tag in font:
            del font[tag]
    best = font.getBestCmap()
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    remap: dict[int, str] = {}
    for mark, source in _VNI_MARK_SOURCES.items():
        for m, s in ((mark, source), (mark.upper(), source.upper())):
            composite = glyf[best[ord(s)]]
            base_name = best[ord("A" if s.isupper() else "a")]
            if not composite.isComposite():
                raise ValueError(f"{s!r} is not a composite glyph in Liberation Serif")
            shift = hmtx[base_name][0]
            glyph = Glyph()
            glyph.numberOfContours = -1
            glyph.components = []
            for component in composite.components:
                if component.glyphName == base_name:
                    continue
                moved = copy.deepcopy(component)
                moved.x -= shift
                moved.flags &= ~0x0200  # not USE_MY_METRICS: the mark keeps zero width
                glyph.components.append(moved)
            new = f"vnimark.{ord(m):04x}"
            order.append(new)
            font.setGlyphOrder(order)
            glyf.glyphs[new] = glyph
            glyf.glyphOrder = order
            glyph.recalcBounds(glyf)
            hmtx[new] = (0, glyph.xMin)
            remap[ord(m)] = new
    for code, letter in _VNI_LETTERS.items():
        remap[ord(code)] = best[ord(letter)]
        remap[ord(code.upper())] = best[ord(letter.upper())]
    return _save_font(font, remap, VNI_FAMILY, style, name, path)
