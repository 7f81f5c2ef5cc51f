"""Spreadsheets for offices: the blank unit sheet to fill in, and the scored results workbook.

`template` writes the columns `score` reads (CONTRACT.md): `unit`, `group`, one column per
criterion id and one per penalty id; a second header row names each criterion and its
unit, so the officer knows what to type; units the document lists are pre-filled.  The
results workbook has a sheet per group (points per criterion, penalties, total, rank,
prize, reasons) and a sheet with the rules as applied, so a printed copy explains itself.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING, Any

from planparse.campaign import Campaign, Criterion
from planparse.units import criterion_scale

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from planparse.score import ScoreResult

UNIT_LABEL = "Tên đơn vị"
GROUP_LABEL = "Nhóm"
_HINTS = {
    "fraction": "số % như 68,13 hoặc phân số 61/91",
    "boolean": "x nếu có, để trống nếu không",
    "number": "số",
    "points": "điểm do hội đồng chấm",
}


def column_label(criterion: Criterion) -> str:
    """What the second header row says about a criterion's column."""
    unit = criterion.unit or ""
    scale = criterion_scale(criterion)
    hint = _HINTS[scale]
    if scale == "number" and unit:
        hint = f"số {unit}"
    return f"{criterion.id}. {criterion.name} ({hint})"


def template_rows(campaign: Campaign) -> list[list[str]]:
    """Header, description row and one row per listed unit (or one empty row per group)."""
    crit_ids = [c.id for c in campaign.criteria]
    pen_ids = [p.id for p in campaign.penalties]
    header = ["unit", "group", *crit_ids, *pen_ids]
    groups = campaign.criterion_groups()
    group_label = f"{GROUP_LABEL}: " + " | ".join(groups) if len(groups) > 1 else GROUP_LABEL
    described = [UNIT_LABEL, group_label, *(column_label(c) for c in campaign.criteria),
                 *(f"{p.id}. {p.when} (số {p.per or 'lần'})" for p in campaign.penalties)]
    rows = [header, described]
    blanks = [""] * (len(crit_ids) + len(pen_ids))
    if campaign.campaign.units:
        for unit in campaign.campaign.units:
            rows.append([unit.name, unit.group or "", *blanks])
    return rows


def template_csv(campaign: Campaign, bom: bool = False) -> str:
    """The unit sheet as CSV; `bom` makes Excel read the Vietnamese letters right."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(template_rows(campaign))
    return ("\ufeff" if bom else "") + out.getvalue()


def _style_header(sheet: "Worksheet", rows: int, width: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="DDEBF7")
    for r in range(1, rows + 1):
        for c in range(1, width + 1):
            cell = sheet.cell(row=r, column=c)
            cell.font = Font(bold=(r == 1))
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=rows + 1, column=3)


def _save(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_xlsx(campaign: Campaign) -> bytes:
    """The unit sheet as a workbook; cells of criteria that do not apply to a unit's group are grey."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    rows = template_rows(campaign)
    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    for row in rows:
        sheet.append(row)
    _style_header(sheet, 2, len(rows[0]))
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 30
    for index in range(3, len(rows[0]) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 22
    groups = campaign.criterion_groups()
    if len(groups) > 1:
        # A drop-down of the definition's groups, read from a second sheet (group names hold
        # commas, which an inline Excel list cannot).  `score` reads only the first sheet.
        from openpyxl.worksheet.datavalidation import DataValidation

        listing = book.create_sheet("Nhóm")
        for group in groups:
            listing.append([group])
        listing.column_dimensions["A"].width = 70
        choice = DataValidation(type="list", formula1=f"=Nhóm!$A$1:$A${len(groups)}", allow_blank=True)
        choice.add(f"B3:B{len(rows) + 200}")
        sheet.add_data_validation(choice)
    grey = PatternFill("solid", fgColor="D9D9D9")
    for r, row in enumerate(rows[2:], start=3):
        group = row[1]
        for i, c in enumerate(campaign.criteria, start=3):
            if group and c.group and c.group != group:
                sheet.cell(row=r, column=i).fill = grey
    return _save(book)


def _sheet_title(name: str | None, used: set[str]) -> str:
    """Excel allows 31 characters: 'Ủy ban nhân dân các xã, thị trấn (cấp xã)' becomes 'Cấp xã'."""
    name = name or "Đơn vị"
    short = re.search(r"\(([^()]{2,28})\)\s*$", name)
    if len(name) > 28 and short:
        name = short.group(1)[:1].upper() + short.group(1)[1:]
    title = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28].strip() or "Nhóm"
    base, n = title, 2
    while title in used:
        title = f"{base[:25]} {n}"
        n += 1
    used.add(title)
    return title


def results_workbook(result: "ScoreResult") -> bytes:
    """A sheet per group with points, totals, ranks and prizes, and a sheet with the rules applied."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from planparse.config import rules_table
    from planparse.score import number

    campaign = result.campaign
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    won = PatternFill("solid", fgColor="E2EFDA")
    out = PatternFill("solid", fgColor="FCE4D6")
    for group in result.groups:
        units = [u for u in result.units if u.group == group]
        if not units:
            continue
        criteria = [c for c in campaign.criteria if not c.group or c.group == group or group is None]
        sheet = book.create_sheet(_sheet_title(group, used))
        sheet.append([group or campaign.campaign.name or ""])
        sheet["A1"].font = Font(bold=True, size=13)
        header = ["Đơn vị", *(f"{c.id}" for c in criteria), *(p.id for p in campaign.penalties),
                  "Tổng điểm", "Đủ điều kiện", "Hạng", "Giải", "Tiền thưởng (đồng)", "Ghi chú"]
        names = ["", *(c.name + (" (số liệu đạt)" if c.max_points is None and c.rule.kind in {"threshold", "ratio"}
                            and not c.rule.bands else "") for c in criteria), *(p.when for p in campaign.penalties), "", "", "", "", "", ""]
        sheet.append(header)
        sheet.append(names)
        _style_header_rows(sheet, 2, 3, len(header))
        # Criteria the plan gives no points for (a target to reach): show the unit's value.
        measured = {c.id for c in criteria if c.max_points is None and c.rule.kind in {"threshold", "ratio"}
                    and not c.rule.bands}
        ordered = sorted(units, key=lambda u: (u.rank is None, u.rank or 0, -u.total))
        for u in ordered:
            sheet.append([
                u.unit,
                *(_measured(u.values.get(c.id)) if c.id in measured else number(u.points.get(c.id)) for c in criteria),
                *(number(u.penalties.get(p.id)) for p in campaign.penalties),
                number(u.total), "có" if u.eligible else "không", u.rank,
                u.award.label if u.award else None, u.award.amount_vnd if u.award else None,
                "\n".join(u.reasons),
            ])
            row = sheet.max_row
            fill = won if u.award else (out if not u.eligible else None)
            if fill:
                for col in range(1, len(header) + 1):
                    sheet.cell(row=row, column=col).fill = fill
            sheet.cell(row=row, column=len(header) - 1).number_format = "#,##0"
            for col, c in enumerate(criteria, start=2):
                percent = c.id in measured and criterion_scale(c) == "fraction"
                sheet.cell(row=row, column=col).number_format = "0.00%" if percent else "0.##"
        sheet.column_dimensions["A"].width = 34
        for index in range(2, len(header)):
            sheet.column_dimensions[get_column_letter(index)].width = 13
        sheet.column_dimensions[get_column_letter(len(header))].width = 60
        sheet.freeze_panes = "B4"
    rules = book.create_sheet("Quy tắc áp dụng")
    for row in rules_table(campaign):
        rules.append(row)
        if len(row) == 1:
            rules.cell(row=rules.max_row, column=1).font = Font(bold=True)
    for letter, width in zip("ABCDE", (10, 50, 12, 70, 30)):
        rules.column_dimensions[letter].width = width
    if result.warnings:
        notes = book.create_sheet("Lưu ý")
        for warning in result.warnings:
            notes.append([warning])
        notes.column_dimensions["A"].width = 120
    return _save(book)


def _measured(value: Any) -> float | None:
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else None


def _style_header_rows(sheet: "Worksheet", first: int, last: int, width: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="DDEBF7")
    for r in range(first, last + 1):
        for c in range(1, width + 1):
            cell = sheet.cell(row=r, column=c)
            cell.font = Font(bold=(r == first))
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
