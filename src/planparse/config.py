"""The editable scoring config: the rules in YAML, each explained in plain words.

An officer edits the numbers (a threshold, a prize amount), runs `score` on the YAML in place
of the definition and gets the same results as from the definition.  The YAML is the
definition itself (schema_version 1) minus provenance, with comments; so any YAML definition
is a config and vice versa.  A wrong edit gets an error naming the line and the field,
because "invalid definition at criteria.3.rule.bands.1.formula" is useless to someone
looking at a text editor.

This module also holds the rules in plain Vietnamese (`describe_rule`, `rules_table`), used
by the config's comments, the results workbook and `diff`, and `check_definition`, the
checks pydantic cannot make (formulas parse, bands are ordered, deductions are negative).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Callable

import yaml
from pydantic import ValidationError

from planparse.campaign import Campaign, Criterion, load_definition
from planparse.errors import DefinitionError, MissingFileError
from planparse.formula import FormulaError, parse_formula
from planparse.units import criterion_scale, show_value, vn_number

Loc = tuple[Any, ...]


# --- rules in plain words -------------------------------------------------------------------


def _v(value: float | None, c: Criterion) -> str:
    return show_value(value, criterion_scale(c), c.unit)


def _pts(points: float | str | None) -> str:
    if points == "ineligible":
        return "không xét thi đua"
    if points is None:
        return "0 điểm"
    if points < 0:
        return f"trừ {vn_number(-points)} điểm"
    return f"{vn_number(points)} điểm"


def describe_bonus(c: Criterion) -> str:
    b = c.rule.bonus
    if b is None:
        return ""
    start = b.from_ if b.from_ is not None else (c.rule.threshold or 0)
    step = f"mỗi {_v(b.step, c)}" if b.step else "một lần"
    cap = f"tối đa {_pts(b.cap)}" if b.cap is not None else "không giới hạn"
    return f"từ {_v(start, c)}, {step} tăng thêm cộng {_pts(b.points)} ({cap})"


def describe_rule(c: Criterion) -> str:
    """The rule as an officer would say it: '≥ 40 %: 20 điểm; dưới 40 %: không xét thi đua'."""
    rule = c.rule
    top = _pts(c.max_points) if c.max_points is not None else "đạt chỉ tiêu (kế hoạch không cho điểm)"
    parts: list[str] = []
    if rule.kind == "boolean":
        parts.append(f"có thực hiện: {top}; không: {_pts(rule.below)}")
    elif rule.kind == "manual":
        parts.append("hội đồng chấm trực tiếp" + (f" (tối đa {_pts(c.max_points)})" if c.max_points is not None else ""))
    elif rule.kind == "per_increment":
        parts.append(describe_bonus(c) or "cộng theo mức tăng (chưa ghi bước)")
        if rule.below is not None:
            start = rule.bonus.from_ if rule.bonus and rule.bonus.from_ is not None else rule.threshold
            parts.append(f"dưới {_v(start, c)}: {_pts(rule.below)}")
    elif rule.bands:
        for band in rule.bands:
            if band.min is not None and band.max is not None:
                where = f"từ {_v(band.min, c)} đến dưới {_v(band.max, c)}"
            elif band.min is not None:
                where = f"từ {_v(band.min, c)} trở lên"
            elif band.max is not None:
                where = f"dưới {_v(band.max, c)}"
            else:
                where = "mọi giá trị"
            if band.formula:
                what = f"theo công thức {band.formula}"
                if band.max_points is not None:
                    what += f" (tối đa {_pts(band.max_points)})"
            else:
                what = _pts(band.points)
            parts.append(f"{where}: {what}")
    elif rule.kind == "ratio":
        target = rule.threshold if rule.threshold is not None else 1
        full = c.max_points if c.max_points is not None else 0
        parts.append(f"điểm = tỷ lệ × {_pts(full).replace(' điểm', '')}; từ {_v(target, c)} trở lên: {top}")
    else:
        if rule.threshold is None:
            parts.append(top)
        else:
            parts.append(f"từ {_v(rule.threshold, c)} trở lên: {top}")
            parts.append(f"dưới {_v(rule.threshold, c)}: {_pts(rule.below)}")
    if rule.bonus and rule.kind != "per_increment":
        parts.append("điểm cộng " + describe_bonus(c))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def describe_award(a: Any, label: bool = True) -> str:
    bits = [a.label] if label else []
    if a.count is not None:
        bits.append(f"{a.count} đơn vị")
    if a.amount_vnd is not None:
        bits.append(f"{vn_number(a.amount_vnd)} đồng")
    if a.bonus_points is not None:
        bits.append(f"cộng {vn_number(a.bonus_points)} điểm thi đua")
    if a.individuals is not None:
        bits.append(f"{a.individuals} cá nhân")
    if a.min_total_points is not None:
        bits.append(f"từ {vn_number(a.min_total_points)} điểm")
    if a.form:
        bits.append(a.form)
    return ", ".join(bits)


def rules_table(campaign: Campaign) -> list[list[Any]]:
    """Rows for the 'rules as applied' sheet: criteria, penalties, eligibility, prizes."""
    rows: list[list[Any]] = [[campaign.campaign.name or campaign.document.title or ""], []]
    rows += [["Tiêu chí"], ["Mã", "Tên", "Điểm chuẩn", "Cách tính", "Nhóm"]]
    for c in campaign.criteria:
        rows.append([c.id, c.name, c.max_points, describe_rule(c), c.group])
    if campaign.penalties:
        rows += [[], ["Điểm trừ"], ["Mã", "Khi nào", "Điểm/lần", "Đơn vị tính", "Tối đa"]]
        for p in campaign.penalties:
            rows.append([p.id, p.when, p.points, p.per, p.cap])
    rows += [[], ["Điều kiện xét khen thưởng"]]
    if campaign.eligibility.min_total_points is not None:
        rows.append(["", f"Tổng điểm từ {campaign.eligibility.min_total_points} trở lên"])
    for other in campaign.eligibility.other:
        rows.append(["", other])
    for rule in campaign.campaign.tie_break:
        rows.append(["", f"Khi bằng điểm: {rule}"])
    if campaign.awards:
        rows += [[], ["Giải thưởng"], ["Hạng", "Giải", "Số lượng", "Chi tiết", "Nhóm"]]
        for a in campaign.awards:
            rows.append([a.rank, a.label, a.count, describe_award(a), a.group])
    return rows


# --- checks pydantic cannot make ------------------------------------------------------------


def check_definition(campaign: Campaign) -> list[tuple[Loc, str]]:
    """Problems that make a definition unscorable, each with the field's location."""
    problems: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for i, c in enumerate(campaign.criteria):
        at: Loc = ("criteria", i)
        if c.id in seen:
            problems.append((at + ("id",), f"criterion id '{c.id}' is used twice; ids must be unique"))
        seen.add(c.id)
        rule = c.rule
        fraction = criterion_scale(c) == "fraction"
        if rule.kind == "bands" and not rule.bands:
            problems.append((at + ("rule", "bands"), "kind 'bands' needs a list of bands"))
        if rule.kind == "per_increment" and (rule.bonus is None or not rule.bonus.step):
            problems.append((at + ("rule", "bonus"), "kind 'per_increment' needs bonus with 'step' and 'points'"))
        if rule.bonus is not None and rule.bonus.step is not None and rule.bonus.step <= 0:
            problems.append((at + ("rule", "bonus", "step"), "the step must be greater than 0"))
        if fraction and rule.threshold is not None and rule.threshold > 2:
            problems.append((at + ("rule", "threshold"),
                             f"percentages are written as fractions: {rule.threshold / 100:g} for {rule.threshold:g} %"))
        for j, band in enumerate(rule.bands or []):
            where = at + ("rule", "bands", j)
            if band.min is not None and band.max is not None and band.min >= band.max:
                problems.append((where + ("min",), f"the band's min ({band.min}) must be below its max ({band.max})"))
            if band.points is None and not band.formula:
                problems.append((where, "a band needs 'points' or a 'formula'"))
            if band.formula:
                try:
                    parse_formula(band.formula)
                except FormulaError as exc:
                    problems.append((where + ("formula",), str(exc)))
            for edge in ("min", "max"):
                value = getattr(band, edge)
                if fraction and value is not None and value > 2:
                    problems.append((where + (edge,), f"percentages are written as fractions: {value / 100:g} for {value:g} %"))
    pen_ids: set[str] = set()
    for i, p in enumerate(campaign.penalties):
        if p.id in pen_ids or p.id in seen:
            problems.append((("penalties", i, "id"), f"penalty id '{p.id}' is used twice"))
        pen_ids.add(p.id)
        if p.points > 0:
            problems.append((("penalties", i, "points"), f"a deduction is negative: write {-p.points:g}"))
        if p.cap is not None and p.cap > 0:
            problems.append((("penalties", i, "cap"), f"the cap of a deduction is negative: write {-p.cap:g}"))
    for i, a in enumerate(campaign.awards):
        if a.count is not None and a.count < 0:
            problems.append((("awards", i, "count"), "the count cannot be negative"))
    return problems


def _where(loc: Loc) -> str:
    return ".".join(str(p) for p in loc)


def validate(campaign: Campaign, path: str | None = None) -> Campaign:
    """Raise DefinitionError on the first problem `check_definition` finds."""
    _raise_first(check_definition(campaign), path, lambda loc: f"invalid definition at '{_where(loc)}'")
    return campaign


def _raise_first(problems: list[tuple[Loc, str]], path: str | None, where: Callable[[Loc], str]) -> None:
    """Raise DefinitionError for the first problem, saying how many there are in all."""
    if problems:
        loc, message = problems[0]
        more = f" ({len(problems)} problems in all)" if len(problems) > 1 else ""
        raise DefinitionError(f"{where(loc)}: {message}{more}", path=path)


# --- writing --------------------------------------------------------------------------------


def _tidy(data: Any) -> Any:
    """20.0 -> 20, so the officer reads the numbers as the plan writes them."""
    if isinstance(data, dict):
        return {k: _tidy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_tidy(v) for v in data]
    if isinstance(data, float) and data.is_integer() and abs(data) < 1e15:
        return int(data)
    return data


def _dump(data: Any, indent: int = 0) -> str:
    text = yaml.safe_dump(_tidy(data), allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    return textwrap.indent(text, " " * indent)


def _comment(text: str, indent: int = 0, width: int = 96) -> str:
    lines = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, width - indent - 2) or [""]
    return "".join(f"{' ' * indent}# {line}".rstrip() + "\n" for line in lines)


def to_yaml(campaign: Campaign) -> str:
    """The commented YAML config of a definition."""
    data = campaign.to_data()
    out = [
        _comment(f"Cấu hình chấm điểm: {campaign.campaign.name or campaign.document.title or ''}"),
        _comment("Sửa các số bên dưới rồi chấm lại:  planparse score scoring.yaml units.csv\n"
                 "Tỷ lệ ghi dạng số thập phân: 0.4 = 40 %. 'ineligible' = không xét thi đua. "
                 "null = không có. Dòng bắt đầu bằng # là chú thích, không ảnh hưởng kết quả."),
        "\n",
        _dump({"schema_version": data["schema_version"]}),
        "\n", _comment("Văn bản gốc (không dùng khi chấm điểm)."),
        _dump({"document": data["document"]}),
        "\n", _comment("Phong trào: tên, thời gian, đơn vị tham gia; tie_break = cách xét khi bằng điểm "
                       "(ghi mã một tiêu chí, ví dụ - '2', để máy xét đơn vị có điểm tiêu chí đó cao hơn xếp trên)."),
        _dump({"campaign": data["campaign"]}),
        "\n", _comment("Tiêu chí chấm điểm. kind: threshold (đạt ngưỡng), ratio (tỷ lệ × điểm), bands (theo khoảng), "
                       "per_increment (cộng theo mức tăng), boolean (có/không), manual (hội đồng chấm). "
                       "max_points = điểm chuẩn; threshold = ngưỡng; below = điểm khi dưới ngưỡng; "
                       "bonus = điểm cộng (from: từ mức, step: mỗi bước, points: điểm/bước, cap: tối đa)."),
        "criteria:\n",
    ]
    if not campaign.criteria:
        out[-1] = "criteria: []\n"
    for c, item in zip(campaign.criteria, data["criteria"]):
        item = {k: v for k, v in item.items() if k not in {"text", "provenance"}}
        out.append(_comment(f"--- {c.id}. {c.name}"))
        out.append(_comment(f"Cách tính: {describe_rule(c)}"))
        if c.text:
            out.append(_comment(f"Văn bản: {c.text}"))
        out.append(_dump([item]))
    out += ["\n", _comment("Điều kiện: min_total_points = tổng điểm tối thiểu để được xét khen thưởng."),
            _dump({"eligibility": data["eligibility"]}), "\n"]
    out.append(_comment("Điểm trừ: points = điểm trừ mỗi lần (số âm); cap = trừ tối đa (số âm) hoặc null. "
                        "Trong bảng số liệu, cột P1, P2 … ghi số lần."))
    penalties = [{k: v for k, v in p.items() if k != "provenance"} for p in data["penalties"]]
    out.append(_dump({"penalties": penalties}))
    out += ["\n", _comment("Giải thưởng: rank = thứ hạng (1 = nhất), count = số giải, amount_vnd = tiền thưởng (đồng); "
                           "min_total_points = giải theo mức điểm thay vì theo hạng.")]
    awards = [{k: v for k, v in a.items() if k != "provenance"} for a in data["awards"]]
    out.append(_dump({"awards": awards}))
    out += ["\n", _comment("Nguồn và lưu ý của bản trích xuất (không dùng khi chấm điểm)."),
            _dump({"source": data["source"]}), _dump({"warnings": data["warnings"]})]
    return "".join(out)


# --- reading --------------------------------------------------------------------------------


def _line_of(node: yaml.Node | None, loc: Loc) -> int | None:
    """The line (1-based) of the field at `loc` in the composed YAML tree."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if str(k.value) == str(key):
                    line, node = k.start_mark.line + 1, v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def parse_config(text: str, path: str | None = None) -> Campaign:
    """Parse config text; errors name the line and the field."""
    try:
        data = yaml.safe_load(text)
        tree = yaml.compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}: " if mark else ""
        raise DefinitionError(f"{line}not valid YAML: {exc.problem or exc.context}", path=path) from None
    if not isinstance(data, dict):
        raise DefinitionError("a scoring config is a YAML mapping (schema_version, criteria, …)", path=path)
    def where(loc: Loc) -> str:
        return f"line {_line_of(tree, loc)}: field '{_where(loc)}'"

    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as exc:  # never empty: pydantic reports at least one error
        problems = [(tuple(e["loc"]), e["msg"]) for e in exc.errors()]
    else:
        problems = check_definition(campaign)
    _raise_first(problems, path, where)
    return campaign


def load_config(path: str | Path) -> Campaign:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingFileError("file not found", path=str(path)) from None
    return parse_config(text, str(path))


def load_scoring(path: str | Path) -> Campaign:
    """A definition (.json) or a config/definition in YAML, checked so that it can be scored."""
    path = Path(path)
    if path.suffix.lower() in {".yaml", ".yml"}:
        return load_config(path)
    return validate(load_definition(path), str(path))
