"""Awards, penalties and eligibility from the prose (or table rows) around the scoring table.

Awards are read paragraph by paragraph with a little context carried forward, because plans
write them as a heading that names the group and the form ('2.1. Đối với tập thể các xã, thị
trấn:', 'a) Tặng Giấy khen … cho các tập thể:') followed by one line per prize ('- 01 Giải
nhất: … 2.500.000 đồng'), and add facts about the same prizes further down (emulation points
per rank, individuals per rank).  A prize is only read where a line *opens* with it, so a
list such as '(giải nhất, giải nhì, giải ba)' inside a sentence is not mistaken for prizes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planparse.campaign import Award, Eligibility, Penalty
from planparse.extract.criteria import group_for
from planparse.extract.lexicon import fold, mapping, msg, rx, words
from planparse.extract.numbers import parse_money, parse_number
from planparse.extract.rules import NUM
from planparse.extract.structure import TL, Doc, Para, paragraphs, provenance

_LEAD = r"^[\s\-–+*•]*(?:\(?[a-zđ0-9]{1,2}(?:\.\d{1,2})*[.)]\s*)?"


def _rank_re() -> re.Pattern[str]:
    ranks = sorted(mapping("awards.ranks"), key=len, reverse=True)
    return rx(r"(?:{awards.prize})\s+(" + "|".join(re.escape(r) for r in ranks) + r")(?![a-z])")


@dataclass
class _Ctx:
    group: str | None = None
    form: str | None = None
    frequency: str | None = None
    bonus_mode: bool = False
    bonus_group: str | None = None
    participants: list[str] = field(default_factory=list)


def _frequency(f: str) -> str | None:
    for key in ("monthly", "quarterly", "six-monthly", "year-end"):
        if rx("{awards.frequency." + key + "}").search(f):
            return key
    return None


def _form(text: str) -> str | None:
    f = fold(text)
    m = rx(r"{awards.forms}").search(f)
    if not m:
        return None
    rest = text[m.start():]
    cut = rx(r"\s(?:{awards.for_group}|{participants.and_word}|{awards.with_money})\s|[,;:(]").search(fold(rest), len(m.group(0)))
    out = rest[: cut.start()] if cut else rest[:80]
    out = out.strip(" .")
    if not rx(r"\s{awards.by_whom}\s").search(fold(out)):
        # 'được Chủ tịch Ủy ban nhân dân Huyện tặng giấy khen' -> 'Giấy khen của Chủ tịch Ủy ban nhân dân Huyện'
        giver = rx(r"({document.signer_titles}[^,;:]{0,60}?)\s+(?:{awards.give})\s*$").search(f[: m.start()])
        if giver:
            out = f"{out} {words('awards.by_whom')[0]} {text[giver.start(1): giver.end(1)]}"
    return out[:1].upper() + out[1:]


def _group_cue(text: str) -> str | None:
    """'Đối với tập thể Ủy ban nhân dân các xã, thị trấn (khen …):' -> the group named."""
    f = fold(text)
    m = rx(r"(?:{awards.for_group})\s+(.+?)\s*(?:\(|:|$)").search(f)
    if not m:
        m = re.match(_LEAD + r"(.{3,40}?)\s*:\s*", f)
        if not m or not rx(r"{participants.level_district}|{participants.level_commune}").search(m.group(1)):
            return None
    g = text[m.start(1): m.end(1)].strip(" .:")
    # cut at a comma that ends the group ('các đơn vị dẫn đầu, kèm theo …'), not one inside it ('xã, thị trấn')
    for c in re.finditer(r",\s*", g):
        if not rx(r"^(?:{participants.communes}|{participants.departments})\b").match(fold(g[c.end():])):
            g = g[: c.start()]
            break
    g = g.strip()
    return g[:1].upper() + g[1:] if g else None


def _short_heading(p: Para) -> bool:
    """'1. Khối cơ quan chuyên môn', '### 3. Cá nhân': a numbered title line of a few words."""
    return (len(p.lines) == 1 and bool(re.match(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s+\S", p.text))
            and len(p.text.split()) <= 12 and not p.text.rstrip().endswith((".", ";", ",")))


def _is_generic(group: str) -> bool:
    """'các tập thể', 'các đơn vị dẫn đầu': no participant group named."""
    f = fold(group)
    return bool(rx(r"^(?:{participants.plural}\s+)?(?:{awards.generic_groups})").match(f)) and not rx(
        r"{participants.communes}|{participants.departments}|{participants.level_district}|{participants.level_commune}"
    ).search(f)


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    v = parse_number(text)
    return int(v) if v is not None else None


def extract_awards(d: Doc, skip: set[int], criteria_group: str | None,
                  participants: list[str]) -> tuple[list[Award], list[str]]:
    """Every prize in the document, in order, with group, rank, count, money, points, form."""
    awards: list[Award] = []
    warnings: list[str] = []
    ctx = _Ctx(participants=participants)
    rank_re = _rank_re()
    ranks = mapping("awards.ranks")
    encouragement = rx(r"{awards.encouragement}")
    paras = [q for p in paragraphs([ln for ln in d.lines if ln.index not in skip]) for q in _split_ranks(p, rank_re)]
    for p in paras:
        text, f = p.text, p.fold
        head = re.match(_LEAD, f)
        body_start = head.end() if head else 0
        if _short_heading(p) and not rank_re.search(f):
            title = re.sub(_LEAD, "", text).strip(" :.")
            if title and not rx(r"{sections.awards}|{sections.organisation}|{sections.ranking}|^(?:{awards.not_group_titles})\b"
                                ).search(fold(title)):
                ctx.group = (criteria_group or title) if _is_generic(title) else (group_for(title, participants) or title)
                ctx.bonus_mode = False
        if text.rstrip().endswith(":") or rx(r"{awards.plus_points}").search(f) and rx(r"{awards.for_group}").search(f):
            cue = _group_cue(text)
            if rx(r"{awards.plus_points}").search(f) and not rank_re.search(f):
                ctx.bonus_mode = True
                ctx.bonus_group = cue
            elif cue or rx(r"{awards.forms}").search(f):
                ctx.bonus_mode = False
                if cue:
                    ctx.group = (criteria_group or cue) if _is_generic(cue) else (group_for(cue, participants) or cue)
                ctx.form = _form(text) or ctx.form
            fr = _frequency(f)
            if fr:
                ctx.frequency = fr
        m = rank_re.search(f, body_start)
        if m and m.start() - body_start <= 30:
            rank_word = m.group(1)
            rank = ranks.get(rank_word)
            label = text[m.start(): m.end()]
            label = label[:1].upper() + label[1:]
            if encouragement.fullmatch(rank_word):
                known = [a.rank for a in awards if a.rank and a.group == ctx.group and not encouragement.search(fold(a.label))]
                rank = (max(known) + 1) if known else rank
            pts = rx(r"^\s*[:\-]?\s*" + NUM + r"\s*{rules.points}").search(f[m.end():])
            if ctx.bonus_mode and pts:
                target = _find(awards, rank, ctx.bonus_group) or _find(awards, rank, None)
                if target is None:
                    target = _new(awards, ctx.bonus_group or ctx.group, rank, label, p, ctx)
                target.bonus_points = parse_number(pts.group(1))
                continue
            cnt = rx(r"(\d{1,3})\s*(?:{awards.unit_word}\s*)?$").search(f[body_start: m.start()])
            cnt = cnt or rx(r"^[^:;\d]{0,25}:?\s*(\d{1,3})\s*(?:{awards.prize}|{awards.unit_word})").search(f[m.end():])
            amount = parse_money(text[m.end():])
            cells = p.lines[0].cells if len(p.lines) == 1 else None
            row_count = None
            if cells:  # a row of a prize table: 'Giải Nhất | 01 | 4.000.000'
                row_count, row_amount = _row_numbers(cells)
                amount = amount or row_amount
            if not (cnt or row_count or amount or re.match(r"\s*:", f[m.end():]) or rx(r"{awards.forms}|{awards.money}").search(f)):
                continue  # 'được xếp hạng Nhất, Nhì, Ba …' describes ranking, not a prize
            a = _new(awards, ctx.group, rank, label, p, ctx)
            a.count = _int(cnt.group(1)) if cnt else row_count
            a.amount_vnd = amount
            bp = rx(r"{awards.plus_points}[^.;]{0,40}?" + NUM + r"\s*{rules.points}").search(f[m.end():])
            bp = bp or rx(r"{awards.plus_verb}\s*" + NUM + r"\s*{rules.points}").search(f[m.end():])
            if bp:
                a.bonus_points = parse_number(bp.group(1))
            ind = rx(NUM + r"\s*{awards.individuals}").search(f[m.end():])
            if ind:
                a.individuals = _int(ind.group(1))
            a.form = _form(text) or ctx.form
            fr = _frequency(f)
            if fr:
                a.frequency = fr
            continue
        _inline_rank_points(p, awards, rank_re, ranks)
        if _per_winner(p, awards, ctx):
            continue
        if _score_band_award(p, awards, ctx) or _counted_award(p, awards, ctx):
            continue
        _individuals(p, awards, ctx, rank_re, ranks)
    if any(a.frequency for a in awards):
        for a in awards:
            a.frequency = a.frequency or "year-end"
    for a in awards:
        if a.amount_vnd is None and a.rank is not None and a.individuals is None:
            warnings.append(msg("messages.no_amount", label=a.label, group=a.group or msg("messages.unknown_group")))
        if a.group is None:
            a.group = criteria_group
    return awards, warnings


def _split_ranks(p: Para, rank_re: re.Pattern[str]) -> list[Para]:
    """'Khen thưởng mỗi quý: Giải Nhất 01 giải x 5.000.000 đồng; Giải Nhì …' -> the lead, then one
    paragraph per prize, so that each prize is read as if it had its own line; '2. Khối sở, ngành:
    Tặng Bằng khen …' -> the group's lead, then its prize."""
    if p.lines[0].cells is not None:
        return [p]
    prize = rx(r"(?:{awards.forms})")
    f = p.fold

    def has(x: str) -> bool:
        return bool(rank_re.search(x) or prize.search(x))

    colon = p.text.find(":")
    lead_ok = colon > 0 and not has(f[:colon]) and has(f[colon:])
    parts = [m.end() for m in re.finditer(r";\s*", p.text) if m.start() > colon]
    pieces_at = [0] + ([colon + 1] if lead_ok else []) + parts
    pieces = [p.text[a:b] for a, b in zip(pieces_at, pieces_at[1:] + [len(p.text)])]
    prizes = sum(1 for x in pieces if rank_re.search(fold(x)) or (prize.search(fold(x)) and parse_money(x)))
    group_lead = lead_ok and len(p.text[:colon].split()) <= 8 and rx(
        r"{table.group_words}|{participants.level_district}|{participants.level_commune}").search(f[:colon])
    if prizes < 2 and not (group_lead and parse_money(p.text[colon + 1:]) and not rx(r"{rules.points}").search(f[colon:])):
        return [p]  # a group's lead is cut off only before a prize it gives by rank, not by score
    if prizes < 2:
        pieces = [p.text[: colon + 1], p.text[colon + 1:]]
    return [Para(p.lines, x.strip(" ;"), fold(x.strip(" ;"))) for x in pieces if x.strip(" ;")]


def _row_numbers(cells: list[str]) -> tuple[int | None, int | None]:
    """The count (a small whole number) and the amount (a number of đồng) among a row's cells."""
    count = amount = None
    for cell in cells[1:]:
        c = cell.strip()
        if not re.fullmatch(r"\d[\d.,]*", c):
            continue
        v = parse_number(c)
        if v is None:
            continue
        if count is None and v <= 100 and float(v).is_integer():
            count = int(v)
        elif amount is None and v >= 1000:
            amount = int(v)
    return count, amount


def _inline_rank_points(p: Para, awards: list[Award], rank_re: re.Pattern[str], ranks: dict) -> None:
    """'Đơn vị đạt giải Nhất được cộng 02 điểm, giải Nhì được cộng 01 điểm …'."""
    for m in re.finditer(rank_re.pattern + r"[^,;.]{0,25}?" + rx(r"{awards.plus_verb}").pattern + r"\s*" + NUM
                         + r"\s*" + rx(r"{rules.points}").pattern, p.fold):
        target = _find(awards, ranks.get(m.group(1)), None)
        if target is not None and target.bonus_points is None:
            target.bonus_points = parse_number(m.group(2))


def _per_winner(p: Para, awards: list[Award], ctx: _Ctx) -> bool:
    """'Mỗi đơn vị đạt giải được đề nghị … cho 02 cá nhân': individuals on every ranked prize."""
    m = rx(r"{awards.each_winner}[^.;]{0,80}?" + NUM + r"\s*" + _alt_ind()).search(p.fold)
    if not m:
        return False
    n = _int(m.group(1))
    for a in awards:
        if a.rank is not None and a.individuals is None and (ctx.group is None or a.group == ctx.group):
            a.individuals = n
    return True


def _find(awards: list[Award], rank: int | None, group: str | None) -> Award | None:
    for a in awards:
        if a.rank == rank and (group is None or a.group == group):
            return a
    return None


def _new(awards: list[Award], group: str | None, rank: int | None, label: str, p: Para, ctx: _Ctx) -> Award:
    a = Award(group=group, rank=rank, label=label, form=ctx.form, frequency=ctx.frequency,
              provenance=provenance(p.lines, 0.8))
    awards.append(a)
    return a


def _individuals(p: Para, awards: list[Award], ctx: _Ctx, rank_re: re.Pattern[str], ranks: dict) -> None:
    """'Xét chọn 04 cá nhân …', '(đơn vị hạng Nhất: 05 cá nhân, …, còn lại mỗi đơn vị 01 cá nhân)'."""
    f = p.fold
    per_rank = list(re.finditer(rank_re.pattern + r"\s*:\s*" + NUM + r"\s*" + _alt_ind(), f))
    for m in per_rank:
        rank = ranks.get(m.group(1))
        if m.group(1) in ranks and rx(r"{awards.encouragement}").fullmatch(m.group(1)):
            enc = [a for a in awards if rx(r"{awards.encouragement}").search(fold(a.label))]
            target = enc[0] if enc else None
        else:
            target = next((a for a in awards if a.rank == rank and not rx(r"{awards.encouragement}").search(fold(a.label))), None)
        if target is None:
            label = p.text[m.start(): m.start() + len(m.group(0).split(":")[0])].strip()
            target = _new(awards, ctx.group, rank, label[:1].upper() + label[1:], p, ctx)
        target.individuals = _int(m.group(2))
    rest = rx(r"({awards.remaining})[^.;)]{0,40}?" + NUM + r"\s*" + _alt_ind()).search(f)
    lead_group = _lead_group(p, ctx)
    if rest:
        label = p.text[rest.start(1): rest.end(1)]
        group = next((a.group for a in awards if a.rank is not None), None) if per_rank else lead_group
        a = _new(awards, group, None, label[:1].upper() + label[1:], p, ctx)
        a.individuals = _int(rest.group(2))
    if per_rank or rest:
        return
    sel = rx(_LEAD + r"(?:(.{2,30}?):\s*)?(?:{awards.select})[^.;:]{0,30}?" + NUM + r"\s*" + _alt_ind()).search(f)
    if sel:
        group = lead_group if sel.group(1) else ctx.group
        a = _new(awards, group, None, words("awards.individuals")[0].capitalize(), p, ctx)
        a.individuals = _int(sel.group(2))
        a.form = _form(p.text) or ctx.form
        a.amount_vnd = parse_money(p.text[sel.end():])


def _lead_group(p: Para, ctx: _Ctx) -> str | None:
    """'- Cấp xã: …' names the group of what follows; map it onto a participant group."""
    m = re.match(_LEAD + r"(.{2,30}?):\s", p.text)
    if not m:
        return ctx.group
    lead = m.group(1).strip()
    return group_for(lead, ctx.participants) or lead


def _alt_ind() -> str:
    return r"(?:{awards.individuals})".replace("{awards.individuals}", rx("{awards.individuals}").pattern)


def _label_of(text: str, matched: str) -> str:
    words = text.split()
    n = len(re.findall(r"\S+", matched))
    label = " ".join(words[: min(n, 4)]).strip(" ,;:")
    return label[:1].upper() + label[1:]


def _score_band_award(p: Para, awards: list[Award], ctx: _Ctx) -> bool:
    """A prize given by score: 'Đơn vị đạt từ 95 điểm trở lên: Bằng khen … 5.000.000 đồng'."""
    m = rx(r"(?:{rules.reach}|{rules.from})\s*" + NUM + r"\s*{rules.points}\s*(?:{rules.or_more}|(?:-|–|{rules.up_to})\s*"
           r"(?:{rules.below}\s*)?" + NUM + r"\s*{rules.points})").search(p.fold)
    if not m:
        return False
    money = parse_money(p.text[m.end():])
    form = _form(p.text[m.end():])
    if money is None and form is None:
        return False
    label = form or p.text[m.start(): m.end()]
    awards.append(Award(group=ctx.group, rank=None, label=label[:80], amount_vnd=money, form=form or ctx.form,
                        frequency=_frequency(p.fold) or ctx.frequency, min_total_points=parse_number(m.group(1)),
                        provenance=provenance(p.lines, 0.7)))
    return True


def _counted_award(p: Para, awards: list[Award], ctx: _Ctx) -> bool:
    """A prize without a rank: 'Khen thưởng hằng quý: … Giấy khen cho 03 đơn vị …, mỗi đơn vị 2.000.000 đồng'."""
    f = p.fold
    m = rx(r"(?:{awards.select}|{awards.for_group})[^.;:]{0,40}?(\d{1,3})\s*(?:{awards.unit_word})").search(f)
    if not m or rx(r"^\s*(?:{awards.individuals})").match(f[m.end(1):].strip()):
        return False
    money = parse_money(p.text[m.end():])
    form = _form(p.text)
    if money is None and form is None:
        return False
    head = re.match(_LEAD + r"([^:]{3,60}):", p.text)
    label = head.group(1).strip() if head else (form or p.text[: 40])
    awards.append(Award(group=ctx.group, rank=None, label=label, count=_int(m.group(1)), amount_vnd=money,
                        form=form or ctx.form, frequency=_frequency(f) or ctx.frequency,
                        provenance=provenance(p.lines, 0.7)))
    return True


# ------------------------------------------------------------------ penalties

def extract_penalties(d: Doc, skip: set[int]) -> list[Penalty]:
    """Deductions per occurrence: 'báo cáo trễ 01-03 ngày trừ 02 điểm/lần'."""
    out: list[Penalty] = []
    for p in paragraphs([ln for ln in d.lines if ln.index not in skip]):
        for clause in re.split(r";|\.\s", p.text):
            cf = fold(clause)
            m = rx(r"(?:{rules.minus})\s*" + NUM + r"\s*{rules.points}\s*(?:/\s*(?:0?1\s+)?({rules.per}(?![a-z])|[a-z ]{2,12})"
                   r"|(?:{awards.each})\s+({rules.per}(?![a-z])|[a-z ]{2,12}))?").search(cf)
            if not m:
                continue
            when = clause[: m.start()].strip(" -+:,.*•")
            when = re.sub(r"^\s*(?:[a-zđ0-9]{1,2}[.)]\s*|\d{1,2}\s+(?=\D))", "", when).strip()
            label = rx(r"^(?:{sections.penalties})\s*:\s*").match(fold(when))
            if label:  # '2. Điểm trừ: đơn vị chậm gửi báo cáo … trừ 2 điểm/lần'
                when = when[label.end():]
            if len(when) < 4:  # the deduction first: 'Trừ 2 điểm/lần đối với đơn vị chậm gửi báo cáo'
                when = _when_after(clause, cf, m.end())
            if not when or len(when) < 4:
                continue
            per_f = (m.group(2) or m.group(3) or "").strip()
            per = clause[m.start(2 if m.group(2) else 3): m.start(2 if m.group(2) else 3) + len(per_f)] if per_f else None
            lead = rx(r"^(?:{awards.each})\s+({rules.per})\s+").match(fold(when))
            if per is None and lead:  # 'Mỗi lần gửi số liệu sai lệch trừ 3 điểm'
                per = when[lead.start(1): lead.end(1)]
                when = when[lead.end():]
            tail = rx(r"\s*[:,]?\s*(?:{awards.each})\s+({rules.per})\s*$").search(fold(when))
            if per is None and tail and tail.start() >= 4:  # 'Để hồ sơ trễ hạn: mỗi hồ sơ trừ 0,5 điểm'
                per = when[tail.start(1): tail.end(1)]
                when = when[: tail.start()]
            cap = None
            mc = rx(r"{rules.cap}\s*(?:{rules.minus}\s*)?(?:{rules.cap}\s*)?" + NUM + r"\s*{rules.points}").search(cf, m.end())
            if mc:
                cap = -(parse_number(mc.group(1)) or 0)
            out.append(Penalty(id=f"P{len(out) + 1}", when=when[:1].upper() + when[1:], points=-(parse_number(m.group(1)) or 0),
                               per=per, cap=cap, provenance=provenance(p.lines, 0.75)))
    return out


def _when_after(clause: str, cf: str, pos: int) -> str:
    """What triggers a deduction written after its points, up to a cap ('…, tối đa trừ 10 điểm')."""
    lead = rx(r"\s*(?:{rules.penalty_when_lead})\s+").match(cf, pos)
    start = lead.end() if lead else pos
    stop = rx(r"[,(]\s*{rules.cap}").search(cf, start)
    return clause[start: stop.start() if stop else len(clause)].strip(" -+:,.*•")


# ------------------------------------------------------------------ eligibility

def extract_eligibility(d: Doc, floors: list[str], skip: set[int]) -> tuple[Eligibility, list[str]]:
    """Minimum total, floors that exclude a unit, and other conditions as text; also tie-breaks."""
    minimum = None
    other: list[str] = list(floors)
    ties: list[str] = []
    for p in paragraphs(d.lines):
        f = p.fold
        if rx(r"{rules.tie}").search(f):
            ties.append(_sentence(p.text, rx(r"{rules.tie}").search(f).start()))
        if len(p.lines) == 1 and len(f.split()) <= 8 and re.match(_LEAD + r"\S", f) and not f.rstrip().endswith("."):
            continue  # a short heading
        if p.lines[0].cells is not None and len(p.lines) == 1 and len(p.lines[0].cells) >= 4:
            continue  # a row of a table ('STT | Đơn vị | … | Xếp hạng'), not a condition in words
        if rx(r"{awards.ranking}").search(f) and rx(r"{awards.prize}").search(f) and len(f) < 200 and \
                not rx(r"\d{1,3}\s*\w*\s*{awards.prize}").search(f):
            if rx(r"{awards.ranking}").search(f) and not parse_money(p.text):
                other.append(re.sub(_LEAD, "", p.text).strip())
            continue
        if any(ln.index in skip for ln in p.lines):
            continue
        m = rx(r"(?:{rules.eligibility_min})\s*" + NUM + r"\s*{rules.points}\s*(?:{rules.or_more})").search(f)
        if m and rx(r"{awards.eligibility_cues}|{rules.ineligible}").search(f) and not parse_money(p.text):
            minimum = parse_number(m.group(1))
            other.append(_sentence(p.text, m.start()))
            continue
        m = rx(r"{rules.below}\s*" + NUM + r"\s*{rules.points}[^.;]{0,30}?{rules.ineligible}").search(f)
        if m and not parse_money(p.text):
            minimum = parse_number(m.group(1))
            other.append(_sentence(p.text, m.start()))
            continue
        if rx(r"{rules.target_met}").search(f) and rx(r"{awards.eligibility_cues}|{sections.awards}").search(f):
            other.append(re.sub(r"^[\s\-–+*•]+", "", p.text))
    return Eligibility(min_total_points=minimum, other=_dedup(other)), _dedup(ties)


def _sentence(text: str, pos: int) -> str:
    start = max(text.rfind(". ", 0, pos) + 1, 0)
    end = text.find(". ", pos)
    out = text[start: end + 1 if end >= 0 else len(text)].strip(" -")
    return re.sub(r"^[\s\-–+*•]+", "", out)


def _dedup(items: list[str]) -> list[str]:
    seen, out = set(), []
    for s in items:
        k = fold(s)[:120]
        if s and k not in seen:
            seen.add(k)
            out.append(s)
    return out


def lines_of(items: list[list[TL]]) -> set[int]:
    return {ln.index for group in items for ln in group}
