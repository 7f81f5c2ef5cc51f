"""What changed between two campaign definitions, e.g. last year's plan and this year's.

Criteria are matched across years by group and name, fuzzily (ids get renumbered and names
reworded from one year to the next), but never across different numbers: "mức độ 3" and
"mức độ 4" are different criteria however alike the rest of the sentence.  Each matched
pair is compared field by field (points, thresholds, bonuses, kind, bands and formulas);
the rest are added or removed.  Awards, penalties, eligibility and the period follow.

The result is data (`DiffResult`); `to_text`, `to_json` and `to_html` render it.  Document
metadata (number, date, title) is shown in the header but is not a change: the question an
office asks is whether the rules changed.  This module imports nothing from ingest/extract/cli.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Sequence

from planparse.campaign import Award, Campaign, Criterion
from planparse.config import describe_award, describe_rule
from planparse.units import criterion_scale, fold, group_similarity, show_value, similarity, vn_number

MATCH_MIN = 70.0


@dataclass
class Change:
    section: str  # campaign, criteria, penalties, eligibility, awards
    kind: str  # added, removed, changed
    subject: str  # what the change is about, in the new document's words where it exists
    field: str | None = None  # dotted field name, e.g. rule.threshold
    old: Any = None
    new: Any = None
    old_text: str | None = None  # the value as an officer reads it
    new_text: str | None = None


@dataclass
class DiffResult:
    old_label: str
    new_label: str
    old_title: str
    new_title: str
    changes: list[Change] = field(default_factory=list)
    matched: list[tuple[str, str]] = field(default_factory=list)  # criterion ids (old, new)

    @property
    def same(self) -> bool:
        return not self.changes

    def to_data(self) -> dict[str, Any]:
        return {"old": {"path": self.old_label, "title": self.old_title},
                "new": {"path": self.new_label, "title": self.new_title},
                "same": self.same, "matched_criteria": [list(p) for p in self.matched],
                "changes": [asdict(c) for c in self.changes]}


# --- matching -------------------------------------------------------------------------------


def _identity(name: str | None) -> str:
    """What names a criterion, without the targets written into it: "(từ 60% … trở lên)" and
    "60%" are the rule, which may change from year to year, not the criterion."""
    text = re.sub(r"\([^)]*\)", " ", name or "")
    return re.sub(r"\d+(?:[.,]\d+)?\s*%", " ", text)


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", fold(text)))


def criterion_similarity(a: Criterion, b: Criterion) -> float:
    """0-100: how sure we are that `a` and `b` are the same criterion in two years."""
    name_a, name_b = _identity(a.name), _identity(b.name)
    if _numbers(name_a) != _numbers(name_b):
        return 0.0
    name = similarity(name_a, name_b)
    if name < MATCH_MIN:
        return 0.0
    group = 100.0 if not a.group and not b.group else group_similarity(a.group, b.group)
    bonus = 3.0 if a.id == b.id else 0.0
    return 0.75 * name + 0.25 * group + bonus


def _greedy(old: Sequence[Any], new: Sequence[Any], score: Callable[[Any, Any], float],
            minimum: float) -> list[tuple[int, int]]:
    # Best scores first; among equals, document order (so ties pair I.1 with I.1, not with II.1).
    pairs = sorted(((score(a, b), i, j) for i, a in enumerate(old) for j, b in enumerate(new)),
                   key=lambda t: (-t[0], t[1], t[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    found = []
    for s, i, j in pairs:
        if s < minimum or i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        found.append((i, j))
    return sorted(found, key=lambda p: p[1])


# --- comparing ------------------------------------------------------------------------------

_LABELS = {
    "name": "tên", "group": "nhóm", "max_points": "điểm chuẩn", "unit": "đơn vị tính",
    "rule.kind": "cách tính", "rule.threshold": "ngưỡng", "rule.below": "dưới ngưỡng",
    "rule.bonus": "điểm cộng", "rule.bonus.from": "điểm cộng từ", "rule.bonus.step": "bước tăng",
    "rule.bonus.points": "điểm mỗi bước", "rule.bonus.cap": "điểm cộng tối đa", "rule.bands": "các khoảng",
    "amount_vnd": "tiền thưởng", "count": "số lượng", "bonus_points": "điểm thi đua cộng",
    "individuals": "số cá nhân", "form": "hình thức", "label": "tên giải", "rank": "hạng",
    "min_total_points": "điểm tối thiểu", "frequency": "kỳ xét", "points": "điểm trừ mỗi lần",
    "per": "tính theo", "cap": "trừ tối đa", "when": "nội dung", "period.start": "bắt đầu",
    "period.end": "kết thúc", "max_total_points": "tổng điểm chuẩn", "participants": "đối tượng",
    "tie_break": "xét khi bằng điểm", "other": "điều kiện khác",
}
_KINDS = {"threshold": "đạt ngưỡng", "ratio": "tỷ lệ × điểm", "bands": "theo khoảng",
          "per_increment": "cộng theo mức tăng", "boolean": "có/không", "manual": "hội đồng chấm"}


def label(field_name: str | None) -> str:
    if not field_name:
        return ""
    base = re.sub(r"\[\d+\]", "", field_name)
    match = re.match(r"rule\.bands\[(\d+)\]\.(\w+)", field_name)
    if match:
        part = {"min": "từ", "max": "đến dưới", "points": "điểm", "formula": "công thức",
                "max_points": "điểm tối đa"}.get(match.group(2), match.group(2))
        return f"khoảng {int(match.group(1)) + 1}, {part}"
    return _LABELS.get(base, field_name)


def _date(iso: str | None) -> str:
    if not iso:
        return "—"
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})$", iso)
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else iso


def _show(value: Any, c: Criterion | None = None, as_value: bool = False) -> str:
    if value is None:
        return "—"
    if value == "ineligible":
        return "không xét thi đua"
    if isinstance(value, str):
        return _KINDS.get(value, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if as_value and c is not None:
            return show_value(value, criterion_scale(c), c.unit)
        return vn_number(value)
    return str(value)


def _criterion_changes(a: Criterion, b: Criterion) -> list[Change]:
    subject = f"{a.id} → {b.id} {b.name}" if a.id != b.id else f"{b.id} {b.name}"
    out: list[Change] = []

    def add(name: str, old: Any, new: Any, old_text: str | None = None, new_text: str | None = None) -> None:
        out.append(Change("criteria", "changed", subject, name, old, new, old_text or _show(old), new_text or _show(new)))

    if fold(a.name) != fold(b.name):
        add("name", a.name, b.name)
    if fold(a.group) != fold(b.group):
        add("group", a.group, b.group)
    if a.max_points != b.max_points:
        add("max_points", a.max_points, b.max_points)
    if (a.unit or "") != (b.unit or ""):
        add("unit", a.unit, b.unit)
    ra, rb = a.rule, b.rule
    if ra.kind != rb.kind or len(ra.bands or []) != len(rb.bands or []):
        # A different way of scoring: field-by-field details would only be noise.
        if ra.kind != rb.kind:
            add("rule.kind", ra.kind, rb.kind)
        add("rule", ra.model_dump(mode="json", by_alias=True), rb.model_dump(mode="json", by_alias=True),
            describe_rule(a), describe_rule(b))
        return out
    if ra.threshold != rb.threshold:
        add("rule.threshold", ra.threshold, rb.threshold, _show(ra.threshold, a, True), _show(rb.threshold, b, True))
    if ra.below != rb.below:
        add("rule.below", ra.below, rb.below)
    if (ra.bonus is None) != (rb.bonus is None):
        add("rule.bonus", ra.bonus and ra.bonus.model_dump(by_alias=True), rb.bonus and rb.bonus.model_dump(by_alias=True),
            "không có" if ra.bonus is None else "có", "không có" if rb.bonus is None else "có")
    elif ra.bonus and rb.bonus:
        for name, key in (("from", "from_"), ("step", "step"), ("points", "points"), ("cap", "cap")):
            old, new = getattr(ra.bonus, key), getattr(rb.bonus, key)
            if old != new:
                value_like = name in {"from", "step"}
                add(f"rule.bonus.{name}", old, new, _show(old, a, value_like), _show(new, b, value_like))
    bands_a = [x.model_dump() for x in ra.bands or []]
    bands_b = [x.model_dump() for x in rb.bands or []]
    for i, (x, y) in enumerate(zip(bands_a, bands_b)):
        for key in ("min", "max", "points", "formula", "max_points"):
            if x[key] != y[key]:
                edge = key in {"min", "max"}
                add(f"rule.bands[{i}].{key}", x[key], y[key], _show(x[key], a, edge), _show(y[key], b, edge))
    return out


def _compare_fields(section: str, subject: str, a: Any, b: Any, names: Sequence[str]) -> list[Change]:
    out = []
    for name in names:
        old, new = getattr(a, name), getattr(b, name)
        if old != new:
            old_text = f"{vn_number(old)} đồng" if name == "amount_vnd" and old is not None else _show(old)
            new_text = f"{vn_number(new)} đồng" if name == "amount_vnd" and new is not None else _show(new)
            out.append(Change(section, "changed", subject, name, old, new, old_text, new_text))
    return out


def _award_subject(a: Award) -> str:
    return f"{a.label} — {a.group}" if a.group else a.label


def _award_score(a: Award, b: Award) -> float:
    group = 100.0 if not a.group and not b.group else group_similarity(a.group, b.group)
    if a.rank is not None and a.rank == b.rank:
        tier = 100.0
    else:
        tier = similarity(a.label, b.label) if a.rank is None and b.rank is None else 0.0
    return 0.5 * group + 0.5 * tier


def _list_changes(section: str, name: str, old: Sequence[str], new: Sequence[str]) -> list[Change]:
    pairs = _greedy(old, new, similarity, 90)
    out = []
    for j, text in enumerate(new):
        if j not in {p[1] for p in pairs}:
            out.append(Change(section, "added", text, name, None, text, None, text))
    for i, text in enumerate(old):
        if i not in {p[0] for p in pairs}:
            out.append(Change(section, "removed", text, name, text, None, text, None))
    return out


def diff_campaigns(old: Campaign, new: Campaign, old_label: str = "old", new_label: str = "new") -> DiffResult:
    """Everything that changed in the rules from `old` to `new`."""
    result = DiffResult(old_label, new_label, _title(old), _title(new))
    changes = result.changes
    ca, cb = old.campaign, new.campaign
    if fold(ca.name) != fold(cb.name):
        changes.append(Change("campaign", "changed", "Phong trào", "name", ca.name, cb.name, ca.name, cb.name))
    for key in ("start", "end"):
        x, y = getattr(ca.period, key), getattr(cb.period, key)
        if x != y:
            changes.append(Change("campaign", "changed", "Thời gian", f"period.{key}", x, y, _date(x), _date(y)))
    if ca.max_total_points != cb.max_total_points:
        changes.append(Change("campaign", "changed", "Thang điểm", "max_total_points", ca.max_total_points,
                              cb.max_total_points, _show(ca.max_total_points), _show(cb.max_total_points)))
    changes += _list_changes("campaign", "participants", ca.participants, cb.participants)
    changes += _list_changes("campaign", "tie_break", ca.tie_break, cb.tie_break)

    pairs = _greedy(old.criteria, new.criteria, criterion_similarity, MATCH_MIN)
    result.matched = [(old.criteria[i].id, new.criteria[j].id) for i, j in pairs]
    matched_old = {i for i, _ in pairs}
    matched_new = {j for _, j in pairs}
    for i, j in pairs:
        changes += _criterion_changes(old.criteria[i], new.criteria[j])
    for j, c in enumerate(new.criteria):
        if j not in matched_new:
            changes.append(Change("criteria", "added", f"{c.id} {c.name}", None, c.model_dump(mode="json", by_alias=True),
                                  None, None, f"{c.group or ''}: {describe_rule(c)}".lstrip(": ")))
    for i, c in enumerate(old.criteria):
        if i not in matched_old:
            changes.append(Change("criteria", "removed", f"{c.id} {c.name}", None,
                                  c.model_dump(mode="json", by_alias=True), None,
                                  f"{c.group or ''}: {describe_rule(c)}".lstrip(": "), None))

    pen = _greedy(old.penalties, new.penalties, lambda a, b: similarity(a.when, b.when), 70)
    for i, j in pen:
        a, b = old.penalties[i], new.penalties[j]
        changes += _compare_fields("penalties", f"{b.id} {b.when}", a, b, ("when", "points", "per", "cap"))
    _added_removed(changes, "penalties", old.penalties, new.penalties, pen, lambda p: f"{p.id} {p.when}",
                   lambda p: f"{vn_number(p.points)} điểm/{p.per or 'lần'}" + (f", tối đa {vn_number(p.cap)}" if p.cap else ""))

    ea, eb = old.eligibility, new.eligibility
    if ea.min_total_points != eb.min_total_points:
        changes.append(Change("eligibility", "changed", "Điểm tối thiểu để xét khen", "min_total_points",
                              ea.min_total_points, eb.min_total_points, _show(ea.min_total_points),
                              _show(eb.min_total_points)))
    changes += _list_changes("eligibility", "other", ea.other, eb.other)

    aw = _greedy(old.awards, new.awards, _award_score, 75)
    for i, j in aw:
        a, b = old.awards[i], new.awards[j]
        changes += _compare_fields("awards", _award_subject(b), a, b, (
            "label", "count", "amount_vnd", "bonus_points", "individuals", "form", "frequency", "min_total_points"))
    _added_removed(changes, "awards", old.awards, new.awards, aw, _award_subject,
                   lambda a: describe_award(a, label=False) or a.label)
    return result


def _added_removed(changes: list[Change], section: str, old: Sequence[Any], new: Sequence[Any],
                   pairs: list[tuple[int, int]], subject: Callable[[Any], str], text: Callable[[Any], str]) -> None:
    done_old = {i for i, _ in pairs}
    done_new = {j for _, j in pairs}
    for j, item in enumerate(new):
        if j not in done_new:
            changes.append(Change(section, "added", subject(item), None, None, item.model_dump(mode="json"), None, text(item)))
    for i, item in enumerate(old):
        if i not in done_old:
            changes.append(Change(section, "removed", subject(item), None, item.model_dump(mode="json"), None, text(item), None))


def _title(c: Campaign) -> str:
    kind = {"plan": "Kế hoạch", "report": "Báo cáo"}.get(c.document.kind, "Văn bản")
    year = f" {c.document.year}" if c.document.year else ""
    name = c.campaign.name or c.document.title or ""
    return f"{kind}{year}: {name}".rstrip(": ")


# --- rendering ------------------------------------------------------------------------------

SECTIONS = [("campaign", "Phong trào"), ("criteria", "Tiêu chí"), ("penalties", "Điểm trừ"),
            ("eligibility", "Điều kiện xét khen thưởng"), ("awards", "Giải thưởng")]
_SIGN = {"added": "+", "removed": "-", "changed": "~"}
_COLOR = {"added": "\033[32m", "removed": "\033[31m", "changed": "\033[33m"}


def summary(result: DiffResult) -> str:
    if result.same:
        return "Không có thay đổi về quy tắc chấm điểm và khen thưởng."
    parts = []
    for section, title in SECTIONS:
        items = [c for c in result.changes if c.section == section]
        if not items:
            continue
        counts = []
        changed = len({c.subject for c in items if c.kind == "changed"})
        for kind, word, n in (("changed", "thay đổi", changed),
                              ("added", "thêm", sum(c.kind == "added" for c in items)),
                              ("removed", "bỏ", sum(c.kind == "removed" for c in items))):
            if n:
                counts.append(f"{n} {word}")
        parts.append(f"{title.lower()}: {', '.join(counts)}")
    return "Tóm tắt: " + "; ".join(parts) + "."


def to_text(result: DiffResult, color: bool = False) -> str:
    def paint(kind: str, text: str) -> str:
        return f"{_COLOR[kind]}{text}\033[0m" if color else text

    bold = (lambda t: f"\033[1m{t}\033[0m") if color else (lambda t: t)
    lines = [paint("removed", f"--- {result.old_label}  {result.old_title}"),
             paint("added", f"+++ {result.new_label}  {result.new_title}"), ""]
    for section, title in SECTIONS:
        items = [c for c in result.changes if c.section == section]
        if not items:
            continue
        lines.append(bold(title))
        last_subject = None
        for c in items:
            if c.kind == "changed":
                if c.subject != last_subject:
                    lines.append(paint("changed", f"  ~ {c.subject}"))
                    last_subject = c.subject
                what = "quy tắc" if c.field == "rule" else label(c.field)
                lines.append(f"      {what}: {c.old_text} → {c.new_text}")
            else:
                last_subject = None
                detail = c.new_text if c.kind == "added" else c.old_text
                head = c.subject if c.field not in {"participants", "tie_break", "other"} else label(c.field)
                line = f"  {_SIGN[c.kind]} {head}"
                if detail and detail != head:
                    line += f"\n      {detail}"
                lines.append(paint(c.kind, line))
        lines.append("")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def to_json(result: DiffResult) -> str:
    return json.dumps(result.to_data(), ensure_ascii=False, indent=2)


_CSS = """
body { font-family: "Times New Roman", "Liberation Serif", serif; margin: 2em; color: #111; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.5em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
th, td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #eee; } .added { background: #e6f4e6; } .removed { background: #fbe7e7; }
.changed { background: #fff8e1; } .meta td:first-child { width: 8em; font-weight: bold; }
@media print { body { margin: 1cm; } tr { page-break-inside: avoid; } }
"""


def to_html(result: DiffResult) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="vi"><head><meta charset="utf-8">',
           f"<title>So sánh: {e(result.old_title)} / {e(result.new_title)}</title><style>{_CSS}</style></head><body>",
           "<h1>So sánh quy tắc thi đua</h1>", '<table class="meta">',
           f"<tr><td>Văn bản cũ</td><td>{e(result.old_title)}<br><small>{e(result.old_label)}</small></td></tr>",
           f"<tr><td>Văn bản mới</td><td>{e(result.new_title)}<br><small>{e(result.new_label)}</small></td></tr>",
           "</table>", f"<p>{e(summary(result))}</p>"]
    kinds = {"added": "Thêm", "removed": "Bỏ", "changed": "Thay đổi"}
    for section, title in SECTIONS:
        items = [c for c in result.changes if c.section == section]
        if not items:
            continue
        out.append(f"<h2>{e(title)}</h2><table><tr><th></th><th>Nội dung</th><th>Mục</th><th>Cũ</th><th>Mới</th></tr>")
        for c in items:
            what = "quy tắc" if c.field == "rule" else label(c.field)
            out.append(f'<tr class="{c.kind}"><td>{kinds[c.kind]}</td><td>{e(c.subject)}</td><td>{e(what)}</td>'
                       f"<td>{e(c.old_text or '')}</td><td>{e(c.new_text or '')}</td></tr>")
        out.append("</table>")
    from planparse import __version__

    out.append(f'<p style="color:#666;font-size:0.85em">planparse {e(__version__)} · diff {e(result.old_label)} '
               f"{e(result.new_label)}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render(result: DiffResult, fmt: str, color: bool = False) -> str:
    if fmt == "json":
        return to_json(result)
    if fmt == "html":
        return to_html(result)
    return to_text(result, color=color)
