"""The lexicon of Vietnamese trigger words, loaded once, and diacritic-insensitive matching.

All Vietnamese words live in `data/lexicon.yaml`.  Matching happens on *folded* text (tone
marks and vowel marks removed, đ -> d, lower case), one character for one character, so a span
found in the folded text is the same span in the original.  This is what lets the extractor
read restored text that still has a wrong tone mark, or text whose diacritics were stripped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_SPECIAL = {"đ": "d", "Đ": "d", "Ð": "d", "ð": "d", "\u00a0": " "}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    low = base.lower()
    return low if len(low) == 1 else base


class _FoldTable(dict):
    """str.translate table filled on first sight of each character (one char in, one char out)."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Fold text for matching: same length as the NFC input, no diacritics, lower case."""
    return text.translate(_TABLE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The lexicon as loaded from YAML (NFC strings)."""
    raw = resources.files("planparse").joinpath("data/lexicon.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(nfc(raw))


def words(path: str) -> list[str]:
    """A list of phrases at a dotted path, e.g. 'rules.or_more'."""
    node: Any = lexicon()
    for part in path.split("."):
        node = node[part]
    if isinstance(node, dict):
        return [str(k) for k in node]
    return [str(w) for w in node]


def mapping(path: str) -> dict[str, Any]:
    """A mapping at a dotted path, keys folded (e.g. 'awards.ranks' -> {'nhat': 1, ...})."""
    node: Any = lexicon()
    for part in path.split("."):
        node = node[part]
    return {fold(str(k)): v for k, v in node.items()}


@lru_cache(maxsize=512)
def alt(*paths: str) -> str:
    """A regex alternation of the folded phrases at the given paths, longest first.

    Spaces in phrases match any run of whitespace; the result is a non-capturing group.
    """
    phrases: set[str] = set()
    for path in paths:
        phrases.update(fold(w) for w in words(path))
    ordered = sorted(phrases, key=len, reverse=True)
    parts = [r"\s+".join(re.escape(tok) for tok in p.split()) for p in ordered if p.strip()]
    return "(?:" + "|".join(parts) + ")"


@lru_cache(maxsize=512)
def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a pattern where `{a.b}` stands for `alt('a.b')`, with word edges kept.

    `{a.b}` expands to the alternation wrapped in word boundaries, so 'ba' never matches inside
    'ban'.  Patterns are applied to folded text.
    """

    def expand(m: re.Match[str]) -> str:
        return r"(?<![a-z])" + alt(*m.group(1).split("|")) + r"(?![a-z0-9])"

    return re.compile(re.sub(r"\{([a-z_.|\-]+)\}", expand, pattern), flags)


def msg(key: str, **values: object) -> str:
    """A message or label from the lexicon ('messages.no_date', 'labels.rate'), filled in."""
    node: Any = lexicon()
    for part in key.split("."):
        node = node[part]
    return str(node).format(**values)


def has(text_folded: str, *paths: str) -> bool:
    """Whether the folded text contains any phrase at the given paths (as whole words)."""
    return rx("{" + "|".join(paths) + "}").search(text_folded) is not None
