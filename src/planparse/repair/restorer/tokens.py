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

from planparse.repair.syllables import is_syllable, preferred_form

BOS = "<s>"
NUM = "<num>"
UNK = "<x>"
SPECIALS = (BOS, NUM, UNK)

# A word token: letters and digits (an OCR token such as "S6" or "hwéng" is one token).
WORD = re.compile(r"[^\W_]+", re.UNICODE)
# What may sit between two tokens of one LM segment: spaces and line breaks only.  Any
# punctuation breaks the segment (a comma or a hyphen carries little context across).
JOIN = re.compile(r"\s*")


def nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def lm_unit(token: str) -> str:
    """The LM unit of a (correct) token: its preferred lowercase syllable, `<num>` or `<x>`."""
    low = token.lower()
    if low.isdigit():
        return NUM
    if is_syllable(low):
        return preferred_form(low)
    return UNK


def segments(text: str) -> Iterator[list[str]]:
    """Training view of a text: runs of LM units between punctuation marks."""
    text = nfc(text)
    current: list[str] = []
    last = 0
    for m in WORD.finditer(text):
        gap = text[last:m.start()]
        if current and gap.strip():
            yield current
            current = []
        current.append(lm_unit(m.group()))
        last = m.end()
    if current:
        yield current


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


def apply_case(word: str, pattern: str) -> str:
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        return word[:1].upper() + word[1:]
    return word
