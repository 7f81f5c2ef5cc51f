"""A criterion item as the table and prose readers cut it out, before its rule is read."""

from __future__ import annotations

from dataclasses import dataclass, field

from planparse.extract.structure import TL, join_lines


@dataclass
class Item:
    id: str | None
    name_lines: list[str] = field(default_factory=list)
    points: float | None = None
    rule_lines: list[str] = field(default_factory=list)
    lines: list[TL] = field(default_factory=list)
    section: str | None = None
    group: str | None = None
    children: list["Item"] = field(default_factory=list)
    roman: bool = False

    @property
    def name(self) -> str:
        return join_lines(self.name_lines).strip(" :;.")


def _pretty(text: str) -> str:
    text = text.strip(" .:")
    if text.isupper():
        text = text.lower()
    return text[:1].upper() + text[1:]
