"""Figures a report states: counts, fractions and percentages with what they measure.

Reports give results as 'Cấp huyện đạt 61/91 hồ sơ 68,13%' or 'đạt 7.314/11.875 hồ sơ
(61,59%)', in a table or in prose.  Each fraction yields its two counts and the percentage
that follows it; the totals sentence ('Tổng cộng: 90 điểm … điểm chuẩn 80 điểm và điểm thưởng
10 điểm') yields its points.  Names are built from the nearest criterion or row label.
"""

from __future__ import annotations

import re

from planparse.campaign import Indicator
from planparse.extract.lexicon import fold, msg, rx, words
from planparse.extract.numbers import parse_number
from planparse.extract.rules import NUM
from planparse.extract.structure import Doc, paragraphs, provenance

_FRAC = re.compile(r"(?<![\d/])(\d[\d.]*)\s*[/⁄∕]{1,2}\s*(\d[\d.]*)(?![\d/])")


def report_period(title: str | None, year: int | None) -> str | None:
    """'6 tháng đầu năm 2024' from the title, else the year."""
    if title:
        pattern = re.compile("|".join(fold(w) for w in words("indicators.period")))
        m = pattern.search(fold(title))
        if m and not re.fullmatch(r"nam \d{4}", m.group(0)):
            return title[m.start(): m.end()]
    return str(year) if year else None


def prose_indicators(d: Doc, skip: set[int], period: str | None) -> list[Indicator]:
    """'tiếp nhận 18.240 hồ sơ', 'Số tài khoản …: 35.412 tài khoản', 'đạt tỷ lệ 70%'."""
    out: list[Indicator] = []
    unit_re = rx(r"\s*(%|{indicators.units})")
    for p in paragraphs([ln for ln in d.lines if ln.index not in skip and ln.cells is None]):
        text, f = p.text, p.fold
        if rx(r"^(?:{document.basis}|{document.recipients})").search(f.lstrip(" -")):
            continue
        for m in re.finditer(NUM, text):
            if re.match(r"\s*/", text[m.end():]) or text[max(0, m.start() - 1)] in "/.":
                continue
            if re.fullmatch(r"(19|20)\d{2}", m.group(1)):
                continue
            u = unit_re.match(f, m.end())
            if not u:
                continue
            value = parse_number(m.group(1))
            if value is None:
                continue
            unit = text[u.start(1): u.end(1)]
            start = max(text.rfind(",", 0, m.start()), text.rfind(";", 0, m.start()), text.rfind(". ", 0, m.start()),
                        text.rfind(":", 0, max(0, m.start() - 2)))
            name = text[start + 1: m.start()].strip(" :-")
            conj = list(rx(r"\s{participants.and_word}\s").finditer(fold(name)))
            if conj:  # '… 80 điểm và điểm thưởng 10 điểm': the name starts after 'và'
                name = name[conj[-1].end():]
            name = re.sub(r"^[\d\s.,]+", "", name)
            name = re.sub(r"^\d+\.\s*", "", name)
            action = None
            vm = rx(r"\s*(?:{indicators.verbs})\s*$").search(fold(name))
            while vm:  # 'toàn huyện tiếp nhận 38.415 hồ sơ': neither the scope nor the verb names it
                if rx(r"^\s*(?:{indicators.actions})\s*$").match(fold(name)[vm.start():]):
                    action = name[vm.start():].strip()
                name = name[: vm.start()].strip()
                vm = rx(r"(?:^|\s)(?:{indicators.verbs})\s*$").search(fold(name)) if name else None
            if not name and unit == "%":
                prev = [i.name for i in out if i.provenance == provenance(p.lines, 0.6)]
                label = words("indicators.rate_label")[0]
                name = f"{label} {prev[-1][:1].lower() + prev[-1][1:]}" if prev else label
            if not name and unit != "%":
                after = text[u.end(): u.end() + 60]
                name = " ".join(x for x in (unit, re.split(r"[,.;]", after)[0].strip(), action) if x)
            if not name:
                continue
            out.append(Indicator(name=name[:1].upper() + name[1:120], value=value, unit=unit, period=period,
                                 provenance=provenance(p.lines, 0.6)))
    return out


def table_indicators(d: Doc, skip: set[int], period: str | None) -> list[Indicator]:
    """Rows of a results table: 'Chỉ tiêu | Đơn vị tính | Kết quả'."""
    out: list[Indicator] = []
    rows = [ln for ln in d.lines if ln.cells is not None and ln.index not in skip]
    header: list[str] | None = None
    cols: tuple[int | None, int | None, int | None] = (None, None, None)
    last = None
    for ln in rows:
        cells = ln.cells or []
        if last is None or ln.index != last.index + 1:
            header = None
        last = ln
        if header is None:
            if any(re.fullmatch(r"\s*\d[\d.,]*\s*", c) for c in cells):
                continue
            f = [fold(c) for c in cells]
            name = next((i for i, c in enumerate(f) if rx(r"{table.indicator_name}").search(c)), None)
            unit = next((i for i, c in enumerate(f) if rx(r"{table.unit_header}").search(c)), None)
            value = next((i for i, c in enumerate(f) if rx(r"{table.value_header}").search(c) and i != name), None)
            if name is not None and value is not None:
                header, cols = cells, (name, unit, value)
            continue
        name_i, unit_i, value_i = cols
        if value_i >= len(cells) or name_i >= len(cells):
            continue
        v = parse_number(cells[value_i].strip().rstrip("%").strip())
        if v is None or not cells[name_i].strip():
            continue
        unit = cells[unit_i].strip() if unit_i is not None and unit_i < len(cells) else ("%" if "%" in cells[value_i] else None)
        out.append(Indicator(name=cells[name_i].strip(), value=v, unit=unit or None, period=period,
                             provenance=provenance([ln], 0.8)))
    return out


def _owner(ln, criteria) -> str | None:
    """The name of the criterion whose lines hold this result line."""
    for c in criteria or []:
        p = c.provenance
        if p and p.page == ln.page and p.line_start is not None and p.line_start <= ln.number <= (p.line_end or p.line_start):
            return c.name
    return None


def _level(before: str) -> str:
    """'Cấp huyện đạt' -> 'Cấp huyện': the words before a figure, without the verb."""
    vm = rx(r"\s*(?:{indicators.verbs})\s*$").search(fold(before))
    return (before[: vm.start()] if vm else before).strip(" :-,")


def extract_indicators(d: Doc, kind: str, year: int | None, title: str | None = None,
                       skip: set[int] | None = None, criteria=None) -> list[Indicator]:
    out: list[Indicator] = []
    period = report_period(title, year)
    lines = d.lines
    # mend numbers broken over lines: '7314/1187' + '5 hồ sơ'
    for k, ln in enumerate(lines):
        t = ln.text
        m = _FRAC.search(t)
        if not m or re.search(r"/\d{4}\b", t) and int(m.group(2)[:4] or 0) > 1900:
            continue
        tail = t[m.end():]
        nxt = lines[k + 1].text if k + 1 < len(lines) else ""
        den = m.group(2)
        if ln.cells is None and not tail.strip() and re.match(r"^\d{1,3}\s+\D", nxt):
            den += re.match(r"^(\d{1,3})", nxt).group(1)
            tail = nxt[len(re.match(r"^(\d{1,3})", nxt).group(1)):]
        before = t[: m.start()]
        if ln.cells is not None:  # the figure's own cell, not the whole row
            cell = next((c for c in ln.cells if m.group(0) in c), t)
            before = cell[: cell.find(m.group(0))] if m.group(0) in cell else before
        owner = _owner(ln, criteria)
        level = _level(before)
        if not level and k and ln.cells is None and not re.search(r"\d", lines[k - 1].text) and len(lines[k - 1].text) < 30:
            level = _level(lines[k - 1].text)  # 'Cấp huyện' / 'đạt 61/91'
        level = "" if re.search(r"\d", level) else level
        label = ", ".join(x for x in (owner, level) if x) or _label(lines[max(0, k - 2): k + 1], before)
        unit_m = rx(r"^\s*({units.dossiers}|{units.procedures}|{units.accounts})").search(fold(tail))
        unit = tail[unit_m.start(1): unit_m.end(1)] if unit_m else None
        a, b = parse_number(m.group(1)), parse_number(den)
        if a is None or b is None or b == 0:
            continue
        prov = provenance([ln], 0.6)
        out.append(Indicator(name=f"{label} ({msg('labels.achieved')})".strip(), value=a, unit=unit, period=period, provenance=prov))
        out.append(Indicator(name=f"{label} ({msg('labels.total')})".strip(), value=b, unit=unit, period=period, provenance=prov))
        pm = re.search(NUM + r"\s*%", tail) or re.search(NUM + r"\s*%", " ".join(x.text for x in lines[k + 1: k + 4]))
        if pm:
            out.append(Indicator(name=f"{label} ({msg('labels.rate')})".strip(), value=parse_number(pm.group(1)) or 0, unit="%",
                                 period=period, provenance=prov))
    out += table_indicators(d, skip or set(), period)
    out += prose_indicators(d, skip or set(), period)
    return out


def _label(prev, before: str) -> str:
    label = before.strip(" :-")
    if not label:
        label = prev[0].text if prev else ""
    return label[:80]
