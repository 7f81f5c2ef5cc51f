"""Criteria around tables: targets written only in column headings, and captions naming groups."""

from __future__ import annotations

import re

from planparse.extract.items import Item, _pretty
from planparse.extract.lexicon import fold, rx
from planparse.extract.rules import NUM
from planparse.extract.structure import TL, Doc, join_lines


def _target_items(d: Doc) -> list[Item]:
    """Criteria given only as targets in column headings: 'Tỷ lệ … (từ 60% … trở lên)'."""
    items: list[Item] = []
    group = None
    lines = d.lines
    k = 0
    target = rx(r"\(\s*(?:{rules.from}|{rules.reach})\s*" + NUM + r"\s*%[^()]*{rules.or_more}\s*\)")
    while k < len(lines):
        ln = lines[k]
        h = re.match(r"^\s*([IVX]{1,4})\s*\.\s+(.+?):?\s*$", ln.text)
        if h and ln.upper_ratio > 0.7 and len(ln.text) < 40:
            group = h.group(2).strip(" :")
        texts = ln.cells if ln.cells else [ln.text]
        for cell in texts:
            cf = fold(cell)
            if rx(r"^\s*{rules.rate}").match(cf) and ln.cells is not None and target.search(cf):
                items.append(Item(None, [cell], None, [], [ln], group=group))
        if ln.cells is None and rx(r"^\s*{rules.rate}").match(ln.fold):
            buf, used = [ln.text], [ln]
            j = k + 1
            while j < len(lines) and j < k + 6 and not target.search(fold(" ".join(buf))):
                buf.append(lines[j].text)
                used.append(lines[j])
                j += 1
            joined = join_lines(buf)
            if target.search(fold(joined)):
                m = target.search(fold(joined))
                items.append(Item(None, [joined[: m.end()]], None, [], used, group=group))
                k = j
                continue
        k += 1
    by_group: dict[str | None, int] = {}
    romans = {}
    for it in items:
        if it.group not in romans:
            romans[it.group] = _roman(len(romans) + 1)
        by_group[it.group] = by_group.get(it.group, 0) + 1
        it.id = f"{romans[it.group]}.{by_group[it.group]}" if len(romans) > 1 or it.group else str(by_group[it.group])
    return items


def _caption_groups(lines: list[TL], tables: list[list[Item]]) -> None:
    """'1. Đối với khối xã:' just above a table names the group its rows score; when several
    tables number their rows afresh, the heading's number prefixes the ids ('1.1', '2.1')."""
    labels = []
    for items in tables:
        label = None
        if items and items[0].lines:
            first = items[0].lines[0].index
            for ln in reversed(lines[max(0, first - 4): first]):
                if ln.cells is not None:
                    continue
                m = re.match(r"^\s*(\d{1,2}|[a-zđ]|[IVX]{1,4})[.)]\s+(.+?)\s*:?\s*$", ln.text)
                if m and rx(r"{table.group_words}|{participants.level_district}|{participants.level_commune}").search(fold(m.group(2))):
                    title = m.group(2)
                    cut = rx(r"^(?:{awards.for_group})\s+").match(fold(title))
                    title = title[cut.end():] if cut else title
                    label = m.group(1)
                    for it in items:
                        it.group = it.group or _pretty(title)
                break
        labels.append(label)
    ids = [it.id for items in tables for it in items]
    if len(set(ids)) < len(ids):
        for label, items in zip(labels, tables):
            if label:
                for it in items:
                    it.id = f"{label}.{it.id}"


def _roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n - 1] if n <= 10 else str(n)
