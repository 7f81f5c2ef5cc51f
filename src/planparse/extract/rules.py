"""From a criterion's scoring text to a Rule: bands, ratios, thresholds, bonuses, yes/no.

The text arrives as segments (lines of a broken table cell, or clauses of a sentence).  A
segment that opens with a condition ('Từ 40% … trở lên', 'Dưới 20%', 'Tỷ lệ < 70%', 'đạt
1.500 tài khoản') starts a clause; the segments after it belong to that clause until the next
condition, which is how a formula whose fraction is split over two lines stays one formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planparse.campaign import Band, Bonus, Rule
from planparse.extract.lexicon import fold, msg, rx, words
from planparse.extract.numbers import parse_number

NUM = r"(\d[\d.,]*\d|\d)"
_OP = r"(>=|=>|≥|<=|=<|≤|<|>)"


@dataclass
class Condition:
    min: float | None = None
    max: float | None = None
    percent: bool = False
    end: int = 0  # where the condition text ends in the segment


@dataclass
class Clause:
    cond: Condition
    segments: list[str] = field(default_factory=list)


@dataclass
class RuleResult:
    rule: Rule
    max_points: float | None
    unit: str | None
    confidence: float
    warnings: list[str] = field(default_factory=list)


def _num(text: str) -> float | None:
    v = parse_number(text.rstrip(".,"))
    return v


def _val(num: str, pct: str | None) -> float | None:
    v = _num(num)
    if v is None:
        return None
    return round(v / 100, 10) if pct else v


def parse_condition(segment: str) -> Condition | None:
    """The condition a segment opens with, or None when it does not open with one."""
    f = fold(segment)
    f = re.sub(r"^[\s\-–+*•.)]+|^\s*[a-z]\)\s*", lambda m: " " * len(m.group(0)), f)
    lead = rx(r"^\s*(?:{rules.if}\s+)?(?:{rules.rate}\s*(?:%\s*)?(?:(?:\*|x)\s*\d+\s*)?)?").match(f)
    pos = lead.end() if lead else 0
    verb = rx(r"^(?:[a-z]{2,8}\s){1,2}(?=(?:{rules.from}|{rules.below})\s*\d)").match(f, pos)
    if verb and not rx(r"{rules.points}|{rules.minus}|{rules.plus}").search(verb.group(0)):
        pos = verb.end()  # 'Tổ chức từ 12 cuộc trở lên: 10 điểm'
    rest = f[pos:]
    pct = r"\s*(%)?"
    m = re.match(NUM + r"\s*(%)\s*(?:-|–)\s*(?:<|" + rx("{rules.below}").pattern + r")?\s*" + NUM + r"\s*(%)", rest)
    if m:  # a bare range of percentages: '60% - < 80%'
        return Condition(_val(m.group(1), "%"), _val(m.group(3), "%"), True, pos + m.end())
    noun = r"(?:\s+[^\d;:<>=]{0,40}?)?"
    # from N (to|-) below M
    m = rx(r"^(?:{rules.from}|{rules.reach}|{rules.above})\s*" + NUM + pct + noun + r"\s*(?:-|–|{rules.up_to})\s*(?:{rules.below}\s*)?" + NUM + pct).match(rest)
    if m and "/" not in rest[m.end(): m.end() + 1]:
        p = bool(m.group(2) or m.group(4))
        return Condition(_val(m.group(1), p or None), _val(m.group(3), p or None), p, pos + m.end())
    m = rx(r"^(?:{rules.from}|{rules.reach}|{rules.above})\s*" + NUM + pct).match(rest)
    if m and "/" not in rest[m.end(): m.end() + 1]:
        return Condition(_val(m.group(1), m.group(2)), None, bool(m.group(2)), pos + m.end())
    m = rx(r"^{rules.below}\s*" + NUM + pct).match(rest)
    if m:
        return Condition(None, _val(m.group(1), m.group(2)), bool(m.group(2)), pos + m.end())
    m = re.match(r"^" + _OP + r"\s*" + NUM + pct, rest)
    if m:
        v = _val(m.group(2), m.group(3))
        op = m.group(1)
        if op in (">=", "=>", "≥", ">"):
            return Condition(v, None, bool(m.group(3)), pos + m.end())
        return Condition(None, v, bool(m.group(3)), pos + m.end())
    if lead and lead.end() > 0 and rx(r"^\s*{rules.rate}").match(f):
        m = re.match(r"^\s*(?:=\s*)?" + NUM + r"\s*(%)", rest)
        if m:  # 'Tỷ lệ 100%: Điểm tối đa'
            return Condition(_val(m.group(1), "%"), None, True, pos + m.end())
    return None


_OCR_DIGITS = str.maketrans({"S": "5", "O": "0", "o": "0", "l": "1", "I": "1"})


def ocr_digits(text: str) -> str:
    """Mend OCR's letter-for-digit slips inside percentages and numbers: 'S0%' -> '50%', '1O' -> '10'."""
    def fix(m: re.Match[str]) -> str:
        return m.group(0).translate(_OCR_DIGITS) if any(ch.isdigit() for ch in m.group(0)) else m.group(0)

    return re.sub(r"(?<![\w])[\dSOolI]{2,4}(?=\s*%)|(?<![\w])\d[\dOo]{1,3}(?![\w])", fix, text)


def _segments(text_lines: list[str]) -> list[str]:
    """Split lines further at ';' and at list markers inside a line."""
    out: list[str] = []
    for line in map(ocr_digits, text_lines):
        for part in re.split(r";|\s(?=[+•]\s)|(?<=[.:])\s+(?=[-–]\s)|\s[-–]\s(?=[A-ZĐ])|\s(?=[A-ZĐ]\w*\s+\w+\s+(?:<|>|≥|≤)\s*\d)", line):
            part = part.strip()
            if part:
                out.extend(_split_commas(part))
    return out


def _split_commas(part: str) -> list[str]:
    """'đạt 1.500 tài khoản được 30 điểm, dưới 1.500 không tính điểm' -> two clauses."""
    f = fold(part)
    cuts = [m.start() + 1 for m in rx(r"[,.]\s+(?={rules.below}\s*\d|{rules.from}\s*\d|{rules.every}\s|{rules.above}\s*\d)").finditer(f)]
    # a new sentence that opens with a condition on the unit: '… x 25. Đơn vị không đạt 50% thì …'
    cuts += [m.start() + 1 for m in rx(r"\.\s+(?=(?:{rules.if})\s+{rules.below}\s*\d)").finditer(f)]
    # a condition that opens with a capital inside a cell whose line breaks were lost: '… x 20 Tỷ lệ dưới 50%: …'
    cuts += [m.start() for m in rx(r"\s(?={rules.rate}\s+(?:{rules.below}|{rules.from}|{rules.above})\s*\d)").finditer(f)
             if part[m.start() + 1: m.start() + 2].isupper()]
    cuts += [m.start() for m in rx(r"\s(?=(?:{rules.negation}|{rules.affirm})\s[^:;]{1,50}:\s*\d)").finditer(f)
             if part[m.start() + 1: m.start() + 2].isupper()]
    cuts = sorted(set(c for c in cuts if c > 0))
    if not cuts:
        return [part]
    pieces, prev = [], 0
    for c in cuts:
        pieces.append(part[prev:c].strip(" ,."))
        prev = c
    pieces.append(part[prev:].strip(" ,."))
    return [p for p in pieces if p]


def _clauses(segments: list[str]) -> tuple[list[str], list[Clause]]:
    pre: list[str] = []
    clauses: list[Clause] = []
    for seg in segments:
        cond = parse_condition(seg)
        if cond is not None and (cond.min is not None or cond.max is not None):
            clauses.append(Clause(cond, [seg]))
        elif clauses:
            clauses[-1].segments.append(seg)
        else:
            pre.append(seg)
    return pre, clauses


class _LoneNum:
    """Matches a segment that is only a number (or a percentage), maybe followed by 'điểm'."""

    @staticmethod
    def match(segment: str) -> re.Match[str] | None:
        return rx(r"^\s*" + NUM + r"\s*(%)?\s*(?:{rules.points})?\s*\.?\s*$").match(fold(segment))


_LONE_NUM = _LoneNum()


def build_formula(parts: list[str], max_points: float | None) -> tuple[str | None, float | None]:
    """A formula over `rate` from its written form; also the band's cap when written after it."""
    tokens: list[str] = []
    cap = None
    for i, part in enumerate(parts):
        f = fold(part)
        lone = _LONE_NUM.match(part)
        if lone and tokens and tokens[-1] not in "+-*/(":
            v = _val(lone.group(1), lone.group(2))
            if lone.group(2) or (i == 1 and len(parts) > 2):
                tokens += ["/", _fmt(v)]
            else:
                cap = v
            continue
        mcap = rx(r"{rules.cap}\s*" + NUM + r"\s*{rules.points}").search(f)
        if mcap:
            cap = _num(mcap.group(1))
            f = f[: mcap.start()]
            part = part[: mcap.start()]
        j = 0
        while j < len(f):
            m = rx(r"{rules.rate}(?:\s*%)?(?:\s+(?:{rules.rate_pct_words}))*").match(f, j)
            if m:
                _push(tokens, "rate")
                j = m.end()
                continue
            m = rx(r"{rules.max_points}").match(f, j)
            if m and max_points is not None:
                _push(tokens, _fmt(max_points))
                j = m.end()
                continue
            m = re.compile(NUM + r"\s*(%)?").match(part, j)
            if m and (j == 0 or not f[j - 1].isalpha()):
                _push(tokens, _fmt(_val(m.group(1), m.group(2))))
                j = m.end()
                continue
            m = rx(r"{rules.times}(?![a-z])|[*×]").match(f, j)
            if m and (j == 0 or not f[j - 1].isalpha()):
                tokens.append("*")
                j = m.end()
                continue
            m = rx(r"{rules.divide}|[/:]").match(f, j)
            if m:
                if tokens and tokens[-1] not in "+-*/(":
                    tokens.append("/")
                j = m.end()
                continue
            ch = f[j]
            if ch in "+-()" and tokens:
                tokens.append(ch)
            j += 1
    while tokens and tokens[-1] in "+-*/(":
        tokens.pop()
    if "rate" not in tokens:
        return None, cap
    return "".join(tokens), cap


def _push(tokens: list[str], operand: str) -> None:
    """Append an operand; two in a row are a stacked fraction ('x 10' over '50%') or a product."""
    if tokens and tokens[-1] not in "+-*/(":
        tokens.append("/" if tokens[-1] != "rate" and operand != "rate" else "*")
    tokens.append(operand)


def _fmt(v: float | None) -> str:
    if v is None:
        return "0"
    return str(int(v)) if float(v).is_integer() else repr(round(v, 6))


def _outcome(clause: Clause, max_points: float | None) -> tuple[Band, float]:
    """The band a clause describes and how sure we are of it."""
    c = clause.cond
    band = Band(min=c.min, max=c.max)
    first = clause.segments[0]
    tail = first[c.end:]
    tail_f = fold(tail)
    whole = " ".join([tail, *clause.segments[1:]])
    whole_f = fold(whole)
    if rx(r"{rules.ineligible}").search(whole_f):
        band.points = "ineligible"
        return band, 0.9
    fm = rx(r"{rules.formula}").search(whole_f)
    if fm:
        after = whole[fm.end():].lstrip(" :")
        # keep the written line breaks: they separate numerator, denominator and cap
        parts: list[str] = []
        started = False
        for seg in clause.segments:
            sf = fold(seg)
            m = rx(r"{rules.formula}").search(sf)
            if m:
                started = True
                rest = seg[m.end():].strip(" :")
                if rest:
                    parts.append(rest)
                continue
            if started:
                parts.append(seg)
        formula, cap = build_formula(parts or [after], max_points)
        if formula:
            band.formula = formula
            band.max_points = cap
            return band, 0.8
    m = rx(r"{rules.rate}\s*(?:%\s*)?(?:\*|x|×|{rules.times})\s*(?:{rules.max_points}|" + NUM + ")").search(whole_f)
    if m:
        formula, cap = build_formula([whole[m.start():]], max_points)
        if formula:
            band.formula = formula
            return band, 0.85
    if rx(r"{rules.max_points}").search(tail_f) and max_points is not None:
        band.points = float(max_points)
        return band, 0.9
    if rx(r"{rules.zero}").search(tail_f):
        band.points = 0.0
        return band, 0.9
    dec = rx(r"{rules.every}\s*" + NUM + r"\s*(%)?[^;\d]{0,30}?{rules.minus}\s*" + NUM + r"\s*{rules.points}").search(tail_f)
    if dec and c.max is not None and max_points is not None:
        # 'dưới 100% mỗi 1% giảm trừ 1 điểm': the maximum less the points per step short of the edge
        step, pts = _val(dec.group(1), dec.group(2) or ("%" if c.percent else None)), _num(dec.group(3))
        if step and pts is not None:
            band.formula = f"max(0, {_fmt(max_points)} - ({_fmt(c.max)} - rate) / {_fmt(step)} * {_fmt(pts)})"
            return band, 0.7
    neg = rx(r"{rules.minus}\s*" + NUM).search(tail_f)
    if neg:
        band.points = -(_num(neg.group(1)) or 0.0)
        return band, 0.85
    nums = [m for m in re.finditer(NUM + r"(?!\s*%)(?![\d/])", tail) if not tail[max(0, m.start() - 1)] == "/"]
    if nums:
        band.points = _num(nums[0].group(1))
        return band, 0.85
    for seg in clause.segments[1:3]:
        lone = _LONE_NUM.match(seg)
        if lone and not lone.group(2):
            band.points = _num(lone.group(1))
            return band, 0.6
        cont = rx(r"^\s*(?:{rules.or_more})\s*:?\s*" + NUM + r"(?!\s*%)").match(fold(seg))
        if cont:  # 'Đạt 3.000 tài khoản' / 'trở lên 300'
            band.points = _num(cont.group(1))
            return band, 0.7
    if rx(r"{rules.max_points}").search(whole_f) and max_points is not None:
        band.points = float(max_points)
        return band, 0.7
    return band, 0.3


def _bonus(text_f: str, text: str) -> Bonus | None:
    """'cứ tăng 100 tài khoản cộng 5 điểm', 'mỗi bài viết được 5 điểm' (one when no number)."""
    m = rx(r"{rules.every}\s*(?:{rules.increase}\s*){0,2}(?:" + NUM + r")?\s*(%)?(?:(?!{rules.cap})[^;.]|(?<=\d)\.(?=\d)){0,60}?"
           r"(?:{rules.plus})\s*" + NUM + r"\s*{rules.points}").search(text_f)
    if m:
        step = _val(m.group(1), m.group(2)) if m.group(1) else 1.0
        pts = _num(m.group(3))
    else:  # the points first: 'cộng 1 điểm cho mỗi 10 hộ vượt chỉ tiêu'
        m = rx(r"{rules.plus}\s*" + NUM + r"\s*{rules.points}\s*(?:{rules.for_each})\s*(?:{rules.increase}\s*)?"
               r"(?:" + NUM + r"(?![\d/]))?\s*(%)?").search(text_f)
        if not m:
            return None
        step = _val(m.group(2), m.group(3)) if m.group(2) else 1.0
        pts = _num(m.group(1))
    base = rx(r"{rules.compared_to}\s*" + NUM + r"\s*(%)?").search(text_f, m.start(), m.end())
    cap = None
    after = text_f[m.end(): m.end() + 80]
    if not rx(r"{rules.no_limit}").search(after):
        mc = rx(r"{rules.cap}\s*(?:{rules.plus}\s*)?" + NUM + r"\s*{rules.points}").search(after)
        if mc:
            cap = _num(mc.group(1))
    start = _val(base.group(1), base.group(2)) if base else None
    return Bonus(**{"from": start, "step": step, "points": pts, "cap": cap})


def _unit(text_f: str, pct: bool) -> str | None:
    if pct or "%" in text_f or rx(r"^\s*{rules.rate}").search(text_f):
        return "%"
    for key in ("units.accounts", "units.dossiers", "units.procedures", "units.documents", "units.people"):
        if rx("{" + key + "}").search(text_f):
            return words(key)[0]
    return None


def parse_rule(name: str, lines: list[str], max_points: float | None) -> RuleResult:
    """Read the rule of one criterion from its name and its scoring text."""
    warnings: list[str] = []
    segments = _segments(lines)
    pre, clauses = _clauses(segments)
    all_text = " ".join([name, *segments])
    all_f = fold(all_text)
    pct = any(c.cond.percent for c in clauses)
    unit = _unit(fold(name) + " " + all_f, pct)
    bonus = _bonus(all_f, all_text)
    bands: list[Band] = []
    confs: list[float] = []
    for cl in clauses:
        if bonus and rx(r"^\s*(?:[-+*]\s*)?{rules.every}").search(fold(cl.segments[0])):
            continue  # the bonus clause: read by _bonus above
        band, conf = _outcome(cl, max_points)
        bands.append(band)
        confs.append(conf)
    overlap = _close_bands(bands)
    if overlap:
        warnings.append(overlap)
    top = [b.points for b in bands if isinstance(b.points, (int, float))]
    if max_points is None and top:
        best = max(top)
        if best > 0:
            max_points = best
            warnings.append(msg("messages.max_inferred", value=_fmt(best)))
    ratio = _ratio_formula(" ".join(pre), max_points)
    if ratio and bands:
        # 'Điểm = Tỷ lệ x 40' covers the values no band names
        mins = [b.min for b in bands if b.min is not None]
        below = [b.max for b in bands if b.min is None and b.max is not None]
        lo = max(below) if below else None
        bands.insert(0, Band(min=lo, max=min(mins) if mins else None, formula=ratio))
    if bands and all(b.points == "ineligible" and b.min is None for b in bands) and bonus is None:
        # only a floor ('Dưới 95%: không xét khen thưởng'): full points above it
        return RuleResult(Rule(kind="threshold", threshold=bands[0].max, below="ineligible", bonus=None, bands=None),
                          max_points, unit, min(confs), warnings)
    if bonus is not None:
        unlimited = bool(rx(r"{rules.no_limit}").search(all_f))
        return _with_bonus(bands, bonus, max_points, unit, min(confs or [0.8]), warnings, unlimited)
    if not bands:
        return _no_bands(name, segments, all_f, max_points, unit, warnings)
    kind = "bands"
    if any(b.formula and re.fullmatch(r"rate\*" + re.escape(_fmt(max_points)) if max_points else "x^", b.formula or "")
           for b in bands):
        kind = "ratio"
    full = [b for b in bands if b.max is None and b.min is not None]
    threshold = full[0].min if full else None
    if kind == "ratio":
        top = [b for b in full if b.points == max_points]
        threshold = top[0].min if top else 1.0
    if len(bands) == 2 and kind == "bands":
        hi = [b for b in bands if b.max is None and b.min is not None]
        lo = [b for b in bands if b.min is None and b.max is not None]
        if hi and lo and hi[0].min == lo[0].max and hi[0].points == max_points and not lo[0].formula:
            rule = Rule(kind="threshold", threshold=hi[0].min, below=lo[0].points, bonus=None, bands=None)
            return RuleResult(rule, max_points, unit, min(confs), warnings)
    rule = Rule(kind=kind, threshold=threshold, below=None, bonus=None, bands=bands)
    return RuleResult(rule, max_points, unit, min(confs) if confs else 0.5, warnings)


def _ratio_formula(text: str, max_points: float | None) -> str | None:
    """'Điểm = Tỷ lệ x điểm tối đa', 'Tỷ lệ x 40 điểm' written outside any band."""
    f = fold(text)
    m = rx(r"{rules.rate}(?:\s+[a-z]+){0,5}?\s*(?:%\s*)?(?:\*|x|×|{rules.times})\s*(?:{rules.max_points}|" + NUM + ")").search(f)
    if not m:
        # the rate written as its fraction: '(Số hồ sơ trực tuyến / Tổng số hồ sơ) x 20'
        m = rx(r"\(?\s*{rules.count_of}\s[^/()]{2,80}/\s*{rules.total_of}\s[^()]{0,80}?\)?\s*(?:\*|x|×|{rules.times})\s*"
               r"(?:({rules.max_points})|" + NUM + ")").search(f)
        if not m:
            return None
        factor = max_points if m.group(1) else _num(m.group(2))
        return f"rate*{_fmt(factor)}" if factor is not None else None
    formula, _ = build_formula([text[m.start(): m.end()]], max_points)
    return formula


def _with_bonus(bands: list[Band], bonus: Bonus, max_points: float | None, unit: str | None, conf: float,
                warnings: list[str], unlimited: bool = False) -> RuleResult:
    """A per-increment bonus on top of a base (threshold or bands), or on its own from zero."""
    base = next((b for b in bands if b.min is not None and b.max is None), None)
    if base is None:
        bonus.from_ = bonus.from_ or 0
        if bonus.cap is None and max_points is not None and not unlimited:
            bonus.cap = max_points  # points per item, within the criterion's maximum
        return RuleResult(Rule(kind="per_increment", threshold=None, below=None, bonus=bonus, bands=None),
                          max_points, unit, conf, warnings)
    bonus.from_ = base.min
    low = [b for b in bands if b is not base]
    if base.points == max_points and len(low) <= 1 and all(isinstance(b.points, (int, float)) or b.points == "ineligible"
                                                          for b in low):
        below = low[0].points if low else 0.0
        return RuleResult(Rule(kind="threshold", threshold=base.min, below=below, bonus=bonus, bands=None),
                          max_points, unit, conf, warnings)
    if not low:
        bands.append(Band(min=None, max=base.min, points=0.0))
    return RuleResult(Rule(kind="bands", threshold=base.min, below=None, bonus=bonus, bands=bands),
                      max_points, unit, conf, warnings)


def _close_bands(bands: list[Band]) -> str | None:
    """Give open-ended bands the edge of their neighbour ('< 100%' above a '< 70%' band).

    A bottom band that overlaps the band above it ('Dưới 20%' under 'Từ 10% - dưới 30%') is
    read as a typing slip and cut at that band's lower edge; the returned warning says so.
    """
    note = None
    mins = [b.min for b in bands if b.min is not None]
    for b in bands:
        if b.min is None and b.max is not None and mins and b.max > min(mins) and \
                not any(o.max is not None and o.max < b.max and o is not b for o in bands):
            note = msg("messages.band_overlap", max=_fmt(b.max), min=_fmt(min(mins)))
            b.max = min(mins)
    edges = sorted({e for b in bands for e in (b.min, b.max) if e is not None})
    for b in bands:
        if b.min is None and b.max is not None:
            lower = [e for e in edges if e < b.max and any(o is not b and o.max == e for o in bands)]
            if lower:
                b.min = max(lower)
        if b.max is None and b.min is not None:
            upper = [e for e in edges if e > b.min and any(o is not b and o.min == e for o in bands)]
            if upper:
                b.max = min(upper)
    return note


def _no_bands(name: str, segments: list[str], all_f: str, max_points: float | None, unit: str | None,
              warnings: list[str]) -> RuleResult:
    """Rules without value bands: a target in the name, ratio × max, yes/no items, or manual."""
    text = " ".join([name, *segments])
    # target written with the criterion: '(từ 60% số hồ sơ TTHC trở lên)' or 'đạt 1.500 tài khoản'
    m = rx(r"(?:{rules.from}|{rules.reach})\s*" + NUM + r"\s*(%)?[^;()]{0,50}?{rules.or_more}").search(all_f)
    m = m or rx(r"{rules.reach}\s*" + NUM + r"\s*(%)?").search(all_f)
    below_ineligible = max_points is None or bool(rx(r"{rules.ineligible}").search(all_f))
    if m and "/" not in all_f[m.end(1): m.end(1) + 1]:
        thr = _val(m.group(1), m.group(2))
        below: float | str | None = "ineligible" if below_ineligible else 0
        if max_points is None:
            warnings.append(msg("messages.condition_only"))
        return RuleResult(Rule(kind="threshold", threshold=thr, below=below, bonus=None, bands=None),
                          max_points, unit or ("%" if m.group(2) else None), 0.7, warnings)
    ratio = _ratio_formula(text, max_points)
    if ratio:
        formula = ratio
        bands = [Band(min=None, max=None, formula=formula)] if formula != f"rate*{_fmt(max_points)}" else None
        return RuleResult(Rule(kind="ratio", threshold=1.0, below=None, bonus=None, bands=bands),
                          max_points, "%", 0.8, warnings)
    neg = rx(r"(?:{rules.not_done}|{rules.negation}\s)[^;.]{0,60}?{rules.minus}\s*" + NUM + r"\s*{rules.points}").search(all_f)
    no_seg = any(rx(r"^[\s\-+*•]*(?:{rules.negation})(?:\s[^:;]{0,50})?:\s*(?:0|{rules.zero}|{rules.minus})").search(fold(sg))
                 for sg in segments)
    if neg or no_seg or rx(r"{rules.not_done}|{units.yesno}").search(all_f) or (max_points is not None and not segments):
        below = -(_num(neg.group(1)) or 0) if neg else 0
        if not neg and not no_seg and not rx(r"{rules.not_done}|{units.yesno}").search(all_f):
            warnings.append(msg("messages.yes_no_guess"))
            return RuleResult(Rule(kind="boolean", threshold=None, below=0, bonus=None, bands=None),
                              max_points, msg("labels.yes_no"), 0.4, warnings)
        return RuleResult(Rule(kind="boolean", threshold=None, below=below, bonus=None, bands=None),
                          max_points, msg("labels.yes_no"), 0.75, warnings)
    warnings.append(msg("messages.manual"))
    return RuleResult(Rule(kind="manual", threshold=None, below=None, bonus=None, bands=None), max_points, unit, 0.3,
                      warnings)
