"""The movement itself: its name, its period and who competes.

The name comes from the title (the part from 'phong trào thi đua' on), the period from the
sentence that gives the campaign's time ('Thời gian thi đua … từ ngày … đến hết ngày …'), not
from the deadlines for dossiers that also carry dates, and the participants from the
'Đối tượng thi đua' item, split into groups.
"""

from __future__ import annotations

import re

from planparse.campaign import CampaignInfo, Period
from planparse.extract.lexicon import fold, msg, rx
from planparse.extract.numbers import find_dates, period_in
from planparse.extract.structure import Doc, heading_of, paragraphs


def campaign_name(title: str | None) -> str | None:
    if not title:
        return None
    m = rx(r"{document.movement}").search(fold(title))
    name = title[m.start():] if m else title
    if not m:
        lead = rx(r"^(?:{document.launch}|{document.title_lead})\s+").match(fold(name))
        if lead:
            name = name[lead.end():]
    name = name.strip(" .")
    return name[:1].upper() + name[1:] if name else None


def campaign_period(d: Doc) -> tuple[Period, list[str]]:
    warnings: list[str] = []
    best: tuple[int, str | None, str | None] | None = None
    for p in paragraphs(d.lines):
        f = p.fold
        dates = find_dates(p.text)
        if not dates:
            continue
        score = 0
        if rx(r"{sections.time}").search(f):
            score += 2
        if rx(r"{dates.from}\s").search(f) and rx(r"{dates.until_end}").search(f):
            score += 2
        if score < 2:
            continue
        start, end = period_in(p.text)
        if start is None and end is None:
            continue
        if start is None and end is not None and rx(r"{dates.from}").search(f):
            warnings.append(msg("messages.no_start"))
        cand = (score + (start is not None) + (end is not None), start, end)
        if best is None or cand[0] > best[0]:
            best = cand
    if best is None:
        warnings.append(msg("messages.no_period"))
        return Period(), warnings
    return Period(start=best[1], end=best[2]), warnings


_NUMBERED = r"^(?:\d{1,2}[.)]|[a-zđ]\))\s+"


def participants(d: Doc) -> list[str]:
    """Groups named under 'Đối tượng thi đua': bullets, or one sentence split at 'và'."""
    paras = paragraphs(d.lines)
    for i, p in enumerate(paras):
        m = rx(r"{sections.objects}\s*:").search(p.fold)
        if not m and len(p.lines) == 1 and heading_of(p.lines[0]) and rx(r"{sections.objects}").search(p.fold):
            m = re.search(r"$", p.text)  # 'II. ĐỐI TƯỢNG, THỜI GIAN' followed by bullets
            nxt = paras[i + 1].text if i + 1 < len(paras) else ""
            numbered = bool(re.match(_NUMBERED, nxt)) and not rx(r"{sections.objects}").search(fold(nxt))
            if not (re.match(r"^[-–+•]", nxt) or numbered):
                continue
        elif not m or m.start() > 12:
            continue
        rest = p.text[m.end():].strip(" :.")
        if rest:
            parts = _split_groups(rest)
            return parts
        out = []
        item = r"^[-–+•]\s*"
        if i + 1 < len(paras) and re.match(_NUMBERED, paras[i + 1].text):
            item = _NUMBERED  # '1. Khối huyện: …', '2. Khối sở, ngành: …' under 'I. ĐỐI TƯỢNG THI ĐUA'
        for q in paras[i + 1 : i + 6]:
            t = q.text.strip()
            if not re.match(item, t) or (item == _NUMBERED and rx(r"^\S+\s+{sections.time}").match(fold(t))):
                break  # '2. Thời gian thi đua: …' ends the list
            t = re.sub(item, "", t).strip(" .;")
            label = rx(r"^(?:{sections.objects}|{sections.time})\s*:\s*").match(fold(t))
            if label:  # '- Đối tượng: …' then '- Thời gian: …' under 'II. ĐỐI TƯỢNG, THỜI GIAN'
                if not rx(r"^{sections.objects}").match(fold(t)):
                    break
                return _split_groups(t[label.end():])
            out.append(_cap(t))
        return out
    return []


def _named_groups(d: Doc) -> list[str]:
    """Without an 'Đối tượng' item: 'các phòng, ban, ngành Huyện và Ủy ban nhân dân các xã, thị trấn'."""
    f = d.full_fold.replace("\n", " ")
    text = d.full.replace("\n", " ")
    m = rx(r"{participants.plural}\s+{participants.departments}(?:,\s*{participants.departments})*[^.;:]{0,30}?"
           r"\s+{participants.and_word}\s+([^.;:]{0,30}?{participants.plural}\s+{participants.communes}"
           r"(?:,\s*{participants.communes})*)").search(f)
    if not m:
        return []
    first = text[m.start(): m.start(1)]
    cut = rx(r"\s+{participants.and_word}\s+$").search(fold(first))
    first = first[: cut.start()] if cut else first
    return [_cap(first.strip(" ,")), _cap(text[m.start(1): m.end(1)].strip(" ,"))]


def _split_groups(text: str) -> list[str]:
    text = text.strip(" .;")
    f = fold(text)
    cuts = [m for m in rx(r"\s+{participants.and_word}\s+(?={participants.plural}\s)|;\s*").finditer(f)]
    parts, prev = [], 0
    for m in cuts:
        parts.append(text[prev: m.start()])
        prev = m.end()
    parts.append(text[prev:])
    return [_cap(p.strip(" ,.")) for p in parts if p.strip(" ,.")]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def max_total(d: Doc, skip: set[int] | frozenset[int] = frozenset()) -> float | None:
    """'(100 điểm)', '(tối đa 100 điểm)', 'thang điểm 1000', 'Thang điểm tối đa là 100 điểm'.

    Lines of the criteria themselves (`skip`) are not read: '(tối đa 60 điểm)' there is one
    criterion's maximum, not the scale.
    """
    for pattern in (r"\(\s*(?:{rules.cap}\s*)?(\d{2,4})\s*{rules.points}\s*\)",
                    r"{table.scale}(?:\s+{rules.cap})?\s*:?\s*(\d{2,4})(?:\s*{rules.points})?(?![\d%])"):
        for m in rx(pattern).finditer(d.full_fold):
            if d.line_at(m.start()).index not in skip:
                return float(m.group(1))
    return None


def extract_movement(d: Doc, title: str | None) -> tuple[CampaignInfo, list[str]]:
    period, warnings = campaign_period(d)
    groups = participants(d) or _named_groups(d)
    info = CampaignInfo(name=campaign_name(title), period=period, participants=groups)
    return info, warnings
