"""The units a document lists (an annex 'STT | Đơn vị | …' per group), to pre-fill unit sheets.

Plans often annex a blank results table per group ('I. CẤP HUYỆN:' then 'STT | Đơn vị | …'
with one numbered row per department or commune).  Rows arrive as cells (PDF, scan, .docx)
or as numbered lines ('1 Phòng Nội vụ (09 thủ tục)') after the header line in text files.
"""

from __future__ import annotations

import re

from planparse.campaign import Unit
from planparse.extract.lexicon import fold, rx
from planparse.extract.structure import Doc

_ROMAN_GROUP = re.compile(r"^\s*([IVX]{1,4})\s*\.\s+(.{2,40}?):?\s*$")


def _clean(name: str) -> str:
    """'Phòng Nội vụ (09 thủ tục)' -> 'Phòng Nội vụ'."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", name).strip(" .;:")


def _group(text: str) -> str:
    text = text.strip(" :")
    if text.isupper():
        text = text.lower()
    return text[:1].upper() + text[1:]


def extract_units(d: Doc) -> list[Unit]:
    """Numbered unit rows after an 'STT | Đơn vị' header, with the group heading above them."""
    units: list[Unit] = []
    group: str | None = None
    in_table = False
    expected = 1
    header = rx(r"^\s*{table.id_header}\s+{awards.unit_word}\b")
    for ln in d.lines:
        h = _ROMAN_GROUP.match(ln.text)
        if h and ln.upper_ratio > 0.7:
            group, in_table = _group(h.group(2)), False
            continue
        if ln.cells is not None:
            cells = [c.strip() for c in ln.cells]
            if len(cells) >= 2 and rx(r"^\s*{table.id_header}\s*$").match(fold(cells[0])) and \
                    rx(r"^\s*{awards.unit_word}\b").match(fold(cells[1])):
                in_table, expected = True, 1
                continue
            if in_table and len(cells) >= 2 and re.fullmatch(r"\d{1,3}", cells[0]) and cells[1] and \
                    not any(ch.isdigit() for ch in cells[1].split("(")[0]):
                units.append(Unit(name=_clean(cells[1]), group=group))
                continue
            continue
        if header.match(ln.fold):
            in_table, expected = True, 1
            continue
        if in_table:
            m = re.match(r"^\s*(\d{1,3})\s+(\D.{1,80}?)\s*$", ln.text)
            if m and int(m.group(1)) == expected:
                units.append(Unit(name=_clean(m.group(2)), group=group))
                expected += 1
            elif m is None and len(units) and expected > 1 and not ln.text.strip():
                in_table = False
    return units
