"""Tokenisation shared by training and decoding, and case patterns.

The language model sees lowercase syllables in preferred tone placement, `<num>` for
numbers and `<x>` for anything else made of letters (abbreviations, codes, garbage);
punctuation ends a segment.  Training and decoding must agree on this exactly, hence one
module.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

BOS = "<s>"
NUM = "<num>"
UNK = "<x>"
SPECIALS = (BOS, NUM, UNK)

# A word token: a number with its thousands dots / decimal comma ("2.500.000", "88,05"), or
# letters and digits (an OCR token such as "S6" or "hwéng" is one token).
WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+", re.UNICODE)
# English-model OCR splits a syllable at a mark it reads as an apostrophe ("tru’c", "thư'ng"):
# in OCR mode such pieces are one token, looked up without the apostrophe.
WORD_OCR = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’‘`][^\W_]+)*", re.UNICODE)
APOSTROPHES = str.maketrans("", "", "'’‘`")
# A run of at most this many words set off by commas joins its neighbours (measured on the
# stripped held-out plans: 98.15 % with no joining, 98.19 % at 2, 98.27 % at 3).
SHORT = 3
BREAK = re.compile(r"\n[ \t\r]*\n")


def nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def lm_unit(token: str) -> str:
    """The LM unit of a (correct) token: its preferred lowercase syllable, `<num>` or `<x>`."""
    # imported here: only training needs the syllable rules, restoring does not (~2 ms)
    from planparse.repair.syllables import is_syllable, preferred_form

    low = token.lower()
    if low[0].isdigit() and low.replace(".", "").replace(",", "").isdigit():
        return NUM
    if is_syllable(low):
        return preferred_form(low)
    return UNK


def gap_kind(gap: str) -> str:
    """"" when two words are in one LM segment (only spaces or a single line break between
    them: extracted text wraps sentences), "b" when punctuation or a blank line separates
    them.  Keeping commas as a <p> unit inside segments (97.5 % against 97.7 %) and
    joining across commas and hyphens (97.8 % against 98.1 %) were tried and measured
    worse on the stripped held-out plans."""
    if not gap or gap == " ":  # by far the commonest gap
        return ""
    if gap.strip() or BREAK.search(gap):
        return "b"
    return ""


def scan(text: str, ocr: bool = False) -> Iterator[list[tuple[int, int, str]]]:
    """Segments of a text: lists of (start, end, word).

    Punctuation breaks segments, except that a run of up to SHORT words set off by commas
    joins its neighbours ("giải nhất, nhì, ba", "Ủy ban nhân dân các xã, thị trấn"): alone,
    "nhì" and "ba" would be judged by their frequency and come out "nhĩ" and "bà".
    """
    pieces: list[list[tuple[int, int, str]]] = []
    glue: list[bool] = []  # glue[i]: the gap before pieces[i + 1] is a lone comma
    last = 0
    piece: list[tuple[int, int, str]] = []
    for m in (WORD_OCR if ocr else WORD).finditer(text):
        start, end = m.span()
        gap = text[last:start]
        # a single space is by far the commonest gap: skip the call for it
        if not pieces or (gap != " " and gap_kind(gap) == "b"):
            if pieces:
                glue.append(gap.strip() == "," and not BREAK.search(gap))
            piece = []
            pieces.append(piece)
        piece.append((start, end, text[start:end]))
        last = end
    current: list[tuple[int, int, str]] = []
    for i, piece in enumerate(pieces):
        current.extend(piece)
        join = i < len(glue) and glue[i] and (len(piece) <= SHORT or len(pieces[i + 1]) <= SHORT)
        if not join:
            yield current
            current = []
    if current:
        yield current


def segments(text: str) -> Iterator[list[str]]:
    """Training view of a text: runs of LM units between sentence ends."""
    for seg in scan(nfc(text)):
        yield [lm_unit(word) for _, _, word in seg]


def case_pattern(token: str) -> str:
    """'lower', 'upper', 'title' or 'mixed': how to re-case a restored token."""
    if token.islower() or not any(ch.isalpha() for ch in token):
        return "lower"
    letters = [ch for ch in token if ch.isalpha()]
    if all(ch.isupper() for ch in letters):
        return "upper" if len(letters) > 1 else "title"
    if letters[0].isupper() and all(ch.islower() for ch in letters[1:]):
        return "title"
    return "mixed"


def ocr_case(token: str) -> str:
    """Case pattern of an OCR token with mixed case, which OCR makes of marked vowels read
    as capitals ("NOi" for "Nội", "HUYéN" for "HUYỆN"): "upper" when most letters and the
    last one are capitals, else "title"; a token starting lowercase stays "mixed"."""
    letters = [ch for ch in token if ch.isalpha()]
    if not letters or not letters[0].isupper():
        return "mixed"
    upper = sum(ch.isupper() for ch in letters)
    return "upper" if upper * 2 > len(letters) and letters[-1].isupper() else "title"


def apply_case(word: str, pattern: str) -> str:
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        return word[:1].upper() + word[1:]
    return word
