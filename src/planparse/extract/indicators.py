"""Figures a report states: counts, fractions and percentages with what they measure.

Reports give results as 'Cấp huyện đạt 61/91 hồ sơ 68,13%' or 'đạt 7.314/11.875 hồ sơ
(61,59%)', in a table or in prose.  Each fraction yields its two counts and the percentage
that follows it; the totals sentence ('Tổng cộng: 90 điểm … điểm chuẩn 80 điểm và điểm thưởng
10 điểm') yields its points.  Names are built from the nearest criterion or row label.
"""

from __future__ import annotations

import re

from planparse.campaign import Indicator
from planparse.extract.lexicon import fold, rx
from planparse.extract.numbers import parse_number
from planparse.extract.rules import NUM
from planparse.extract.structure import Doc, paragraphs, provenance

_FRAC = re.compile(r"(?<![\d/])(\d[\d.]*)\s*/\s*(\d[\d.]*)(?![\d/])")


def extract_indicators(d: Doc, kind: str, year: int | None) -> list[Indicator]:
    out: list[Indicator] = []
    period = str(year) if year else None
    lines = d.lines
    text = "\n".join(ln.text for ln in lines)
    # mend numbers broken over lines: '7314/1187' + '5 hồ sơ'
    for k, ln in enumerate(lines):
        t = ln.text
        if ln.cells is not None:
            continue
        m = _FRAC.search(t)
        if not m or re.search(r"/\d{4}\b", t) and int(m.group(2)[:4] or 0) > 1900:
            continue
        tail = t[m.end():]
        nxt = lines[k + 1].text if k + 1 < len(lines) else ""
        den = m.group(2)
        if not tail.strip() and re.match(r"^\d{1,3}\s+\D", nxt):
            den += re.match(r"^(\d{1,3})", nxt).group(1)
            tail = nxt[len(re.match(r"^(\d{1,3})", nxt).group(1)):]
        context = " ".join(x.text for x in lines[max(0, k - 2): k + 3])
        label = _label(lines[max(0, k - 2): k + 1], t[: m.start()])
        unit_m = rx(r"^\s*({units.dossiers}|{units.procedures}|{units.accounts})").search(fold(tail))
        unit = tail[unit_m.start(1): unit_m.end(1)] if unit_m else None
        a, b = parse_number(m.group(1)), parse_number(den)
        if a is None or b is None or b == 0:
            continue
        prov = provenance([ln], 0.6)
        out.append(Indicator(name=f"{label} (số đạt)".strip(), value=a, unit=unit, period=period, provenance=prov))
        out.append(Indicator(name=f"{label} (tổng số)".strip(), value=b, unit=unit, period=period, provenance=prov))
        pm = re.search(NUM + r"\s*%", " ".join(x.text for x in lines[k: k + 4]))
        if pm:
            out.append(Indicator(name=f"{label} (tỷ lệ)".strip(), value=parse_number(pm.group(1)) or 0, unit="%",
                                 period=period, provenance=prov))
        _ = context
    for p in paragraphs(lines):
        if not rx(r"^{table.total_row}\s*:?\s*\d").search(p.fold):
            continue
        for m in rx(r"(?:^|\s)((?:[a-z]+\s){0,3}?)" + NUM + r"\s*{rules.points}").finditer(p.fold):
            name = p.text[m.start(1): m.end(1)].strip() or "Tổng điểm"
            out.append(Indicator(name=name[:1].upper() + name[1:], value=parse_number(m.group(2)) or 0, unit="điểm",
                                 period=period, provenance=provenance(p.lines, 0.6)))
    _ = text
    return out


def _label(prev, before: str) -> str:
    label = before.strip(" :-")
    if not label:
        label = prev[0].text if prev else ""
    return label[:80]
