"""Score every unit of a campaign: points per criterion, penalties, eligibility, ranks, prizes.

Each criterion's rule is compiled once into a closure over `Decimal`, then applied to every
unit, so that 10,000 units × 20 criteria score in well under a second and a value sitting
exactly on a step or band edge scores as the plan says (70 % with a bonus "mỗi 10 %" is
4 steps, never 3.999).  Points are rounded half-up to `decimals` places per criterion, as
offices do by hand, and totals add the rounded points.

Reasons are written for the officer, in Vietnamese ("Tỷ lệ 65 % < 70 %: không xét thi
đua").  This module imports nothing from ingest/extract/cli.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Callable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from planparse.campaign import Award, Band, Bonus, Campaign, Criterion
from planparse.errors import DefinitionError
from planparse.formula import parse_formula
from planparse.units import (
    Scale,
    UnitRecord,
    UnitSheet,
    UnitValueError,
    Value,
    best_match,
    criterion_scale,
    dec,
    fold,
    parse_count,
    read_units,
    show_value,
    value_reader,
    vn_number,
)

ZERO = Decimal(0)
ONE = Decimal(1)
TINY = Decimal("0.01")
INELIGIBLE = "ineligible"

# (points, makes the unit ineligible, reason or None)
Outcome = tuple[Decimal, bool, str | None]
RuleFn = Callable[[Value], Outcome]


class ScoreOptions(BaseModel):
    """Options of `score`, shared by the API and the CLI."""

    model_config = ConfigDict(extra="forbid")

    decimals: int = Field(2, ge=0, le=6, description="Decimal places points are rounded to (half up), per criterion.")
    group_match: int = Field(
        60, ge=0, le=100, description="Minimum fuzzy similarity (0-100) for a sheet's group to match a definition group."
    )


def _subject(scale: Scale) -> str:
    return "Tỷ lệ" if scale == "fraction" else "Số liệu"


# --- compiling rules ------------------------------------------------------------------------


@dataclass
class Compiled:
    criterion: Criterion
    scale: Scale
    evaluate: RuleFn
    ranks_by_value: bool  # the plan gives no points: equal totals are ordered by the value
    read: Callable[[Any], Value] = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.read is None:
            self.read = value_reader(self.criterion, self.scale)


def _below(points: float | str | None, condition: str, cid: str) -> Outcome:
    """Points (or exclusion) below a threshold, with the reason an officer reads."""
    if points == INELIGIBLE:
        return ZERO, True, f"{condition}: không xét thi đua (tiêu chí {cid})"
    p = dec(points) or ZERO
    return p, False, f"{condition}: {vn_number(p)} điểm (tiêu chí {cid})"


def _bonus_fn(bonus: Bonus, threshold: Decimal | None, cid: str) -> Callable[[Decimal], tuple[Decimal, str | None]]:
    start = dec(bonus.from_) if bonus.from_ is not None else (threshold if threshold is not None else ZERO)
    step = dec(bonus.step)
    per = dec(bonus.points) or ZERO
    cap = dec(bonus.cap)

    capped = f"Điểm cộng tiêu chí {cid} đạt mức tối đa {vn_number(cap)} điểm" if cap is not None else None

    def apply(value: Decimal) -> tuple[Decimal, str | None]:
        if value < start:
            return ZERO, None
        steps = ((value - start) / step).to_integral_value(ROUND_FLOOR) if step else ONE
        points = steps * per
        if cap is not None and points > cap:
            return cap, capped
        return points, None

    return apply


def _band_label(band: Band, scale: Scale, unit: str | None) -> str:
    lo = show_value(dec(band.min), scale, unit) if band.min is not None else None
    hi = show_value(dec(band.max), scale, unit) if band.max is not None else None
    if lo and hi:
        return f"từ {lo} đến dưới {hi}"
    if hi:
        return f"< {hi}"
    return f"≥ {lo}" if lo else "mọi giá trị"


def _bands_fn(c: Criterion, scale: Scale, cap_all: Decimal | None) -> Callable[[Decimal], Outcome]:
    compiled = []
    for band in c.rule.bands or []:
        formula = parse_formula(band.formula) if band.formula else None
        compiled.append((dec(band.min), dec(band.max), band.points, formula, dec(band.max_points), band))

    def apply(value: Decimal) -> Outcome:
        for lo, hi, points, formula, band_cap, band in compiled:
            if (lo is None or value >= lo) and (hi is None or value < hi):
                if points == INELIGIBLE:
                    reason = f"{_subject(scale)} {show_value(value, scale, c.unit)} {_band_label(band, scale, c.unit)}"
                    return _below(INELIGIBLE, reason, c.id)
                if formula is not None:
                    result = formula(value)
                    if band_cap is not None and result > band_cap:
                        result = band_cap
                    if cap_all is not None and result > cap_all:
                        result = cap_all
                    return result, False, None
                return dec(points) or ZERO, False, None
        return _below(0, f"{_subject(scale)} {show_value(value, scale, c.unit)} không thuộc khoảng nào", c.id)

    return apply


def compile_criterion(c: Criterion) -> Compiled:
    """Turn a criterion's rule into a function value -> (points, ineligible, reason)."""
    rule = c.rule
    scale = criterion_scale(c)
    top = dec(c.max_points)
    full = top if top is not None else ZERO
    threshold = dec(rule.threshold)
    bonus = _bonus_fn(rule.bonus, threshold, c.id) if rule.bonus and rule.kind != "per_increment" else None
    bands = _bands_fn(c, scale, top) if rule.bands else None
    # No value: a plan that excludes units below a floor cannot consider a unit without data.
    floor = rule.below == INELIGIBLE or any(b.points == INELIGIBLE for b in rule.bands or [])
    missing: Outcome = (ZERO, floor, f"Thiếu số liệu tiêu chí {c.id}: " + ("không xét thi đua" if floor else "0 điểm"))

    limit = f" < {show_value(threshold, scale, c.unit)}"
    subject = _subject(scale)

    def fail_text(value: Decimal) -> str:
        return f"{subject} {show_value(value, scale, c.unit)}{limit}"

    def with_bonus(outcome: Outcome, value: Decimal) -> Outcome:
        if bonus is None or outcome[1]:
            return outcome
        extra, note = bonus(value)
        if not extra:
            return outcome
        return outcome[0] + extra, False, note or outcome[2]

    if rule.kind == "boolean":
        def evaluate(value: Value) -> Outcome:
            if value is True:
                return full, False, None
            if rule.below is None:
                return ZERO, False, None
            return _below(rule.below, "Không thực hiện", c.id)
    elif rule.kind == "manual":
        def evaluate(value: Value) -> Outcome:
            if value is None:
                return missing
            if top is not None and value > top:
                return top, False, f"Điểm tiêu chí {c.id} ({vn_number(value)}) vượt điểm chuẩn: tính {vn_number(top)}"
            return value, False, None
    elif rule.kind == "per_increment":
        inc = rule.bonus or Bonus()
        start = dec(inc.from_) if inc.from_ is not None else (threshold if threshold is not None else ZERO)
        steps_fn = _bonus_fn(inc.model_copy(update={"from_": start}), start, c.id)

        def evaluate(value: Value) -> Outcome:
            if value is None:
                return missing
            if value < start and rule.below is not None:
                return _below(rule.below, f"{_subject(scale)} {show_value(value, scale, c.unit)} < "
                                          f"{show_value(start, scale, c.unit)}", c.id)
            points, note = steps_fn(value)
            return points, False, note
    elif bands is not None:
        def evaluate(value: Value) -> Outcome:
            if value is None:
                return missing
            return with_bonus(bands(value), value)
    elif rule.kind == "ratio":
        target = threshold if threshold is not None else ONE

        def evaluate(value: Value) -> Outcome:
            if value is None:
                return missing
            if value >= target:
                return with_bonus((full, False, None), value)
            if rule.below is not None and threshold is not None and rule.below == INELIGIBLE:
                return _below(INELIGIBLE, fail_text(value), c.id)
            return with_bonus((max(value, ZERO) * full, False, None), value)
    else:  # threshold
        def evaluate(value: Value) -> Outcome:
            if value is None:
                return missing
            if threshold is None or value >= threshold:
                return with_bonus((full, False, None), value)
            return _below(rule.below, fail_text(value), c.id)

    by_value = top is None and rule.kind in {"threshold", "ratio"} and not rule.bands
    return Compiled(c, scale, evaluate, by_value)


# --- results --------------------------------------------------------------------------------


@dataclass
class UnitResult:
    unit: str
    group: str | None
    points: dict[str, Decimal]
    penalties: dict[str, Decimal]
    total: Decimal
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    rank: int | None = None
    award: Award | None = None
    values: dict[str, Value] = field(default_factory=dict)
    row: int | None = None
    tiebreak: Decimal = ZERO

    def to_data(self) -> dict[str, Any]:
        award = None if self.award is None else {"label": self.award.label, "amount_vnd": self.award.amount_vnd}
        return {
            "unit": self.unit,
            "group": self.group,
            "points": {k: number(v) for k, v in self.points.items()},
            "penalties": {k: number(v) for k, v in self.penalties.items()},
            "total": number(self.total),
            "eligible": self.eligible,
            "reasons": list(self.reasons),
            "rank": self.rank,
            "award": award,
        }


def number(d: Decimal | None) -> int | float | None:
    """A Decimal for JSON: an int when whole, else a float."""
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


@dataclass
class ScoreResult:
    campaign: Campaign
    units: list[UnitResult]
    groups: list[str | None]
    warnings: list[str] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        return {"definition": self.campaign.to_data(), "units": [u.to_data() for u in self.units],
                "warnings": list(self.warnings)}

    def to_json(self) -> str:
        return json.dumps(self.to_data(), ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        crit_ids = [c.id for c in self.campaign.criteria]
        pen_ids = [p.id for p in self.campaign.penalties]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["unit", "group", *crit_ids, *pen_ids, "total", "eligible", "rank", "award",
                         "amount_vnd", "reasons"])
        for u in self.units:
            writer.writerow([
                u.unit, u.group or "",
                *["" if u.points.get(c) is None else number(u.points[c]) for c in crit_ids],
                *["" if u.penalties.get(p) is None else number(u.penalties[p]) for p in pen_ids],
                number(u.total), "có" if u.eligible else "không", u.rank or "",
                u.award.label if u.award else "", (u.award.amount_vnd or "") if u.award else "",
                "; ".join(u.reasons),
            ])
        return out.getvalue()

    def to_xlsx(self) -> bytes:
        from planparse.template import results_workbook

        return results_workbook(self)


# --- groups ---------------------------------------------------------------------------------


def _resolve_group(record: UnitRecord, campaign: Campaign, groups: list[str], opts: ScoreOptions,
                   path: str) -> str | None:
    if not groups:
        return record.group
    typed = record.group
    if not typed:
        listed = [u.group for u in campaign.campaign.units if fold(u.name) == fold(record.unit) and u.group]
        typed = listed[0] if listed else None
    if not typed:
        if len(groups) == 1:
            return groups[0]
        raise DefinitionError(
            f"row {record.row}: unit '{record.unit}' has no group; write one of: " + " | ".join(groups), path=path)
    if typed in groups:
        return typed
    found = best_match(typed, groups, opts.group_match)
    if found is None:
        raise DefinitionError(
            f"row {record.row}: unit '{record.unit}': group '{typed}' matches none of the definition's groups: "
            + " | ".join(groups), path=path)
    return found


def _award_groups(campaign: Campaign, groups: list[str | None]) -> tuple[dict[str | None, list[Award]], list[str]]:
    """Prizes given to units (by rank or by score band), sorted, per scoring group."""
    per: dict[str | None, list[Award]] = {g: [] for g in groups}
    warnings: list[str] = []
    named = [g for g in groups if g]
    for award in campaign.awards:
        if award.rank is None and award.min_total_points is None:
            continue  # individual awards and the like: not decided by the unit's score
        if award.group is None or not named:
            targets = list(groups)
        else:
            match = best_match(award.group, named, 50)
            if match is None and len(named) == 1:
                match = named[0]
            if match is None:
                warnings.append(f"Giải '{award.label}' của nhóm '{award.group}' không khớp nhóm nào: không xét.")
                continue
            targets = [match]
        for target in targets:
            per[target].append(award)
    for awards in per.values():
        awards.sort(key=lambda a: (a.min_total_points is not None, a.rank or 0, -(a.min_total_points or 0)))
    return per, warnings


# --- scoring --------------------------------------------------------------------------------


def score_units(campaign: Campaign, records: Sequence[UnitRecord], options: ScoreOptions | None = None,
                path: str = "<units>") -> ScoreResult:
    """Score `records` under `campaign`; raises UnitValueError naming the cell it cannot read."""
    opts = options or ScoreOptions()
    quantum = Decimal(1).scaleb(-opts.decimals)
    compiled = [compile_criterion(c) for c in campaign.criteria]
    groups = campaign.criterion_groups()
    by_group: dict[str | None, list[tuple[str, dict[Any, tuple], Any, RuleFn, bool, bool]]] = {}
    memos: dict[str, dict[Any, tuple]] = {}
    penalties = [(p, dec(p.points) or ZERO, dec(p.cap)) for p in campaign.penalties]
    minimum = dec(campaign.eligibility.min_total_points)
    results: list[UnitResult] = []
    tiny: list[str] = []
    for record in records:
        group = _resolve_group(record, campaign, groups, opts, path)
        applicable = by_group.get(group)
        if applicable is None:
            applicable = [(k.criterion.id, memos.setdefault(k.criterion.id, {}), k.read, k.evaluate,
                           k.scale == "fraction", k.ranks_by_value)
                          for k in compiled if not k.criterion.group or not groups or k.criterion.group == group]
            by_group[group] = applicable
        points: dict[str, Decimal] = {}
        values: dict[str, Value] = {}
        reasons: list[str] = []
        eligible = True
        total = ZERO
        tiebreak = ZERO
        cells = record.values
        for cid, memo, read, evaluate, fraction, by_value in applicable:
            raw = cells.get(cid)
            # Offices type the same values again and again (x, 100, empty): evaluate each once.
            hit = memo.get(raw)
            if hit is None:
                try:
                    value = read(raw)
                except (ValueError, InvalidOperation) as exc:
                    raise UnitValueError(
                        f"row {record.row}, unit '{record.unit}', column '{cid}': cannot read {str(raw)!r}: {exc}",
                        path=path) from None
                got, out, reason = evaluate(value)
                suspicious = bool(fraction and value and value < TINY and _plain_number(raw))
                hit = memo[raw] = (value, got.quantize(quantum, ROUND_HALF_UP), out, reason, suspicious)
            value, got, out, reason, suspicious = hit
            if suspicious:
                tiny.append(f"{record.unit} ({cid}: {raw})")
            values[cid] = value
            points[cid] = got
            total += got
            if by_value and value.__class__ is Decimal:
                tiebreak += value
            if out:
                eligible = False
            if reason:
                reasons.append(reason)
        deductions: dict[str, Decimal] = {}
        for p, per, cap in penalties:
            raw = cells.get(p.id)
            try:
                count = parse_count(raw)
            except ValueError as exc:
                raise UnitValueError(
                    f"row {record.row}, unit '{record.unit}', column '{p.id}': cannot read {str(raw)!r}: {exc}",
                    path=path) from None
            if not count:
                deductions[p.id] = ZERO
                continue
            amount = per * count
            text = f"{p.id} {p.when}: {count} {p.per or 'lần'} × {vn_number(per)} = {vn_number(amount)} điểm"
            if cap is not None and amount < cap:
                amount = cap
                text += f", tính tối đa {vn_number(cap)} điểm"
            amount = amount.quantize(quantum, ROUND_HALF_UP)
            deductions[p.id] = amount
            total += amount
            reasons.append(text)
        if minimum is not None and total < minimum:
            if eligible:
                reasons.append(f"Tổng điểm {vn_number(total)} < {vn_number(minimum)}: không đủ điều kiện xét khen thưởng")
            eligible = False
        results.append(UnitResult(record.unit, group, points, deductions, total, eligible, reasons,
                                  values=values, row=record.row, tiebreak=tiebreak))
    result_groups: list[str | None] = list(groups) if groups else []
    for r in results:
        if r.group not in result_groups:
            result_groups.append(r.group)
    result = ScoreResult(campaign, results, result_groups)
    if tiny:
        result.warnings.append(
            "Các ô sau ghi số ≤ 1 ở cột phần trăm và được hiểu là phần trăm (0,9 = 0,9 %); nếu là tỷ lệ, hãy ghi 90 "
            "hoặc 90%: " + ", ".join(tiny[:10]) + (" …" if len(tiny) > 10 else ""))
    if campaign.eligibility.other:
        result.warnings.append(
            f"{len(campaign.eligibility.other)} điều kiện ghi bằng lời chưa được kiểm tra tự động "
            "(xem 'Quy tắc áp dụng'); hãy xem lại trước khi khen thưởng.")
    if any(k.ranks_by_value for k in compiled):
        names = ", ".join(k.criterion.id for k in compiled if k.ranks_by_value)
        result.warnings.append(
            f"Kế hoạch không cho điểm tiêu chí {names}: đơn vị cùng tổng điểm được xếp theo tổng tỷ lệ đạt được.")
    _rank_and_award(result)
    return result


def _plain_number(raw: Any) -> bool:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return True
    return isinstance(raw, str) and bool(re.fullmatch(r"\s*\d+(?:[.,]\d+)?\s*", raw))


def _order(unit: UnitResult, tie_keys: list[str]) -> tuple:
    """What ranks a unit: its total, then (plans without points) its rates, then the criteria the
    definition's `tie_break` names by id, points first, then the value itself."""
    key: list[Decimal] = [unit.total, unit.tiebreak]
    for cid in tie_keys:
        value = unit.values.get(cid)
        key.append(unit.points.get(cid, ZERO))
        key.append(value if isinstance(value, Decimal) else (ONE if value is True else ZERO))
    return tuple(key)


def _rank_and_award(result: ScoreResult) -> None:
    awards, warnings = _award_groups(result.campaign, result.groups)
    result.warnings.extend(warnings)
    ids = {c.id for c in result.campaign.criteria}
    tie_keys = [t.strip() for t in result.campaign.campaign.tie_break if t.strip() in ids]
    tie_rule = "; ".join(t for t in result.campaign.campaign.tie_break if t.strip() not in ids)
    for group in result.groups:
        members = [u for u in result.units if u.group == group and u.eligible]
        members.sort(key=lambda u: _order(u, tie_keys), reverse=True)  # stable: sheet order among equals
        previous: tuple | None = None
        rank = 0
        for position, unit in enumerate(members, start=1):
            key = _order(unit, tie_keys)
            if key != previous:
                rank, previous = position, key
            unit.rank = rank
        ranked = [a for a in awards.get(group, []) if a.min_total_points is None]
        banded = [a for a in awards.get(group, []) if a.min_total_points is not None]
        slots = [a for a in ranked for _ in range(a.count if a.count is not None else 1)]
        for unit, award in zip(members, slots):
            unit.award = award
        given: dict[int, int] = {}
        for unit in members:
            if unit.award is not None:
                continue
            for award in sorted(banded, key=lambda a: -(a.min_total_points or 0)):
                if unit.total >= dec(award.min_total_points) and (award.count is None or given.get(id(award), 0) < award.count):
                    unit.award = award
                    given[id(award)] = given.get(id(award), 0) + 1
                    break
        for unit in members:
            tied = [u.unit for u in members if u is not unit and u.rank == unit.rank]
            if unit.award is not None:
                unit.reasons.append(f"Xếp hạng {unit.rank}/{len(members)}: {unit.award.label}")
            if tied and (unit.award is not None or any(u.award for u in members if u.rank == unit.rank)):
                note = f"Đồng điểm với {', '.join(tied)}"
                note += f"; xét theo: {tie_rule}" if tie_rule else "; cần xét thêm để phân hạng"
                unit.reasons.append(note)
        if len(slots) > len(members) and ranked:
            result.warnings.append(
                f"Nhóm '{group}': {len(members)} đơn vị đủ điều kiện cho {len(slots)} giải; các giải còn lại để trống.")
    for unit in result.units:
        if not unit.eligible and not any("không xét" in r or "không đủ điều kiện" in r for r in unit.reasons):
            unit.reasons.append("Không đủ điều kiện xét thi đua")


def score_sheet(campaign: Campaign, units_path: str, options: ScoreOptions | None = None) -> ScoreResult:
    """Read a unit sheet and score it; the sheet's unknown or missing columns become warnings."""
    sheet: UnitSheet = read_units(units_path, campaign)
    result = score_units(campaign, sheet.records, options, path=units_path)
    if sheet.unknown_columns:
        result.warnings.insert(0, "Bỏ qua các cột không có trong định nghĩa: " + ", ".join(sheet.unknown_columns))
    if sheet.missing_columns:
        result.warnings.insert(0, "Bảng số liệu thiếu cột tiêu chí: " + ", ".join(sheet.missing_columns))
    return result
