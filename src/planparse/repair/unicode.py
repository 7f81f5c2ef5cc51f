"""Unicode clean-up: NFC, one tone-placement convention, Tesseract's eth, odd spaces.

Text reaches planparse decomposed (NFD from macOS and some PDF producers), with the tone of
open oa/oe/uy on either vowel ("hoà" and "hòa" both occur, often in one document), with
Icelandic eth `Ð` where Tesseract `vie` meant `Đ`, and with zero-width or no-break spaces
that break word matching.  `normalize` fixes all of these and reports every change as an
`Edit` whose offsets point into the text it was given, so a reviewer sees each one and the
original can always be rebuilt (`undo`).

Each step is a small function text -> (text, edits against its own input); `_compose`
re-expresses the edits of later steps against the original text, merging the rare edits
that overlap (an NFD "hoà" gets one edit, not two that overlap).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable

from planparse.document import Edit
from planparse.repair.syllables import is_syllable, preferred_form

Step = Callable[[str], tuple[str, list[Edit]]]

# When one edit merges several steps, it takes the kind that tells a reviewer the most.
_KIND_PRIORITY = {"space": 0, "nfc": 1, "tone-placement": 2, "ocr-eth": 3}

# --- spaces ------------------------------------------------------------------------------

# Invisible characters removed outright; ZWJ/ZWNJ have no use in Vietnamese Latin script.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# Spaces of other widths, replaced by a plain space.  Tabs, line and page breaks are kept.
_ODD_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_SPACE_RE = re.compile(f"[{_ZERO_WIDTH}]+|[{_ODD_SPACES}]")


def _step_space(text: str) -> tuple[str, list[Edit]]:
    edits = []
    for m in _SPACE_RE.finditer(text):
        after = "" if m.group()[0] in _ZERO_WIDTH else " "
        edits.append(Edit("space", m.start(), m.end(), m.group(), after))
    return _apply(text, edits), edits


# --- NFC ---------------------------------------------------------------------------------

_CHUNK_RE = re.compile(r"\S+")


def _clusters(chunk: str) -> list[tuple[int, int]]:
    """Spans of a starter and the combining characters after it (NFC works within these)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(chunk) + 1):
        if i == len(chunk) or unicodedata.combining(chunk[i]) == 0:
            spans.append((start, i))
            start = i
    return spans


_MARKED_CLUSTER = re.compile(r"[^\s\u0300-\u036f]?[\u0300-\u036f]+")


def _step_nfc(text: str) -> tuple[str, list[Edit]]:
    if unicodedata.is_normalized("NFC", text):
        return text, []
    target = unicodedata.normalize("NFC", text)
    # Fast path: Vietnamese NFD only puts marks of the basic combining block after a letter.
    edits = []
    for m in _MARKED_CLUSTER.finditer(text):
        part = unicodedata.normalize("NFC", m.group())
        if part != m.group():
            edits.append(Edit("nfc", m.start(), m.end(), m.group(), part))
    result = _apply(text, edits)
    if result == target:
        return result, edits
    return target, _nfc_by_chunk(text)


def _nfc_by_chunk(text: str) -> list[Edit]:
    """NFC edits for any script: per cluster, or per whitespace-delimited chunk."""
    edits: list[Edit] = []
    # NFC never composes across whitespace, so chunks between spaces can be done alone.
    for m in _CHUNK_RE.finditer(text):
        chunk = m.group()
        target = unicodedata.normalize("NFC", chunk)
        if target == chunk:
            continue
        spans = _clusters(chunk)
        parts = [unicodedata.normalize("NFC", chunk[a:b]) for a, b in spans]
        if "".join(parts) != target:  # composition across clusters (Hangul, rare scripts)
            edits.append(Edit("nfc", m.start(), m.end(), chunk, target))
            continue
        for (a, b), part in zip(spans, parts):
            if part != chunk[a:b]:
                edits.append(Edit("nfc", m.start() + a, m.start() + b, chunk[a:b], part))
    return edits


# --- eth ---------------------------------------------------------------------------------

# Letters only Vietnamese writes (beyond Latin-1): their presence makes a text Vietnamese.
# Đ is left out so that the decision cannot change once the eths have been replaced.
_VIETNAMESE_ONLY = re.compile("[ăơưĂƠƯ\u1ea0-\u1ef9ĩũĨŨ]")
_ETH_WORD = re.compile(r"[^\W\d_]*[Ðð][^\W\d_]*")


def _step_eth(text: str) -> tuple[str, list[Edit]]:
    """Ð/ð -> Đ/đ in Vietnamese text, or where the word becomes a Vietnamese syllable."""
    if "Ð" not in text and "ð" not in text:
        return text, []
    vietnamese = _VIETNAMESE_ONLY.search(text) is not None
    edits = []
    for m in _ETH_WORD.finditer(text):
        word = m.group()
        fixed = word.replace("Ð", "Đ").replace("ð", "đ")
        if not vietnamese and not is_syllable(fixed):
            continue
        for i, (old, new) in enumerate(zip(word, fixed)):
            if old != new:
                edits.append(Edit("ocr-eth", m.start() + i, m.start() + i + 1, old, new))
    return _apply(text, edits), edits


# --- tone placement ----------------------------------------------------------------------

# Words with any combining marks they carry: a word followed by a stray mark is left alone.
_WORD_RE = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")


def _step_tone(text: str) -> tuple[str, list[Edit]]:
    """Move the tone of open oa/oe/uy to the preferred vowel: hoà -> hòa, thuỷ -> thủy."""
    if text.isascii():
        return text, []
    edits = []
    for m in _WORD_RE.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        fixed = preferred_form(word)
        if fixed == word:
            continue
        first = next(i for i, (a, b) in enumerate(zip(word, fixed)) if a != b)
        last = max(i for i, (a, b) in enumerate(zip(word, fixed)) if a != b) + 1
        edits.append(Edit("tone-placement", m.start() + first, m.start() + last, word[first:last], fixed[first:last]))
    return _apply(text, edits), edits


# --- edits -------------------------------------------------------------------------------


def _apply(text: str, edits: Iterable[Edit]) -> str:
    """Apply sorted, non-overlapping edits given against `text`."""
    out, pos = [], 0
    for e in edits:
        out.append(text[pos:e.start])
        out.append(e.after)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def undo(text: str, edits: list[Edit]) -> str:
    """The original text, from the output of `normalize` and its edits (latest first)."""
    # Output position of each edit = its original start + the length change of those before.
    shifts, delta = [], 0
    for e in edits:
        shifts.append(e.start + delta)
        delta += len(e.after) - (e.end - e.start)
    out = text
    for e, at in reversed(list(zip(edits, shifts))):
        out = out[:at] + e.before + out[at + len(e.after):]
    return out


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Whether two spans interact: proper overlap, or an empty span strictly inside the other."""
    if max(a0, b0) < min(a1, b1):
        return True
    if a0 == a1 and b0 < a0 < b1:
        return True
    return b0 == b1 and a0 < b0 < a1


def _compose(original: str, first: list[Edit], middle: str, second: list[Edit], final: str) -> list[Edit]:
    """Edits against `original` equivalent to `first` (original -> middle) then `second`.

    Edits of the two lists that touch the same characters are merged into one, with the
    original text it replaces and the final text it became.
    """
    if not second:
        return first
    if not first:
        return second
    # Both lists in `middle` coordinates, tagged: 1 = first (span of its `after`), 2 = second.
    items: list[tuple[int, int, int, Edit]] = []
    delta = 0
    for e in first:
        s = e.start + delta
        items.append((s, s + len(e.after), 1, e))
        delta += len(e.after) - (e.end - e.start)
    items.extend((e.start, e.end, 2, e) for e in second)
    items.sort(key=lambda t: (t[0], t[1], t[2]))
    groups: list[list[tuple[int, int, int, Edit]]] = []
    g0 = g1 = 0
    for item in items:
        if groups and _overlaps(g0, g1, item[0], item[1]):
            groups[-1].append(item)
            g1 = max(g1, item[1])
            continue
        groups.append([item])
        g0, g1 = item[0], item[1]
    result: list[Edit] = []
    shift1 = 0  # (original -> middle) length change of first-edits before the group
    shift2 = 0  # (middle -> final) length change of second-edits before the group
    for g in groups:
        m0 = min(t[0] for t in g)
        m1 = max(t[1] for t in g)
        d1 = sum(len(t[3].after) - (t[3].end - t[3].start) for t in g if t[2] == 1)
        d2 = sum(len(t[3].after) - (t[3].end - t[3].start) for t in g if t[2] == 2)
        if len(g) == 1:
            e = g[0][3]
            if g[0][2] == 1:
                result.append(e)
            else:
                result.append(Edit(e.kind, e.start - shift1, e.end - shift1, e.before, e.after, e.confidence))
        else:
            o0, o1 = m0 - shift1, m1 - shift1 - d1
            f0, f1 = m0 + shift2, m1 + shift2 + d2
            kind = max((t[3].kind for t in g), key=lambda k: _KIND_PRIORITY.get(k, -1))
            result.append(Edit(kind, o0, o1, original[o0:o1], final[f0:f1]))
        shift1 += d1
        shift2 += d2
    return result


STEPS: tuple[Step, ...] = (_step_space, _step_nfc, _step_eth, _step_tone)


def normalize(text: str) -> tuple[str, list[Edit]]:
    """NFC, preferred tone placement, Ð -> Đ in Vietnamese, clean spaces; with edits.

    Edits (kinds "space", "nfc", "ocr-eth", "tone-placement") are sorted, do not overlap,
    and their offsets point into `text`.  Line breaks, tabs and everything else are kept.
    Idempotent: normalize(normalize(t)[0]) changes nothing.
    """
    current, edits = text, []
    for step in STEPS:
        new, step_edits = step(current)
        if step_edits:
            edits = _compose(text, edits, current, step_edits, new)
            current = new
    return current, edits
