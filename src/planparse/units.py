"""Unit sheets: the values each commune or department reached, read from CSV or XLSX.

The sheet's first row holds column ids (`unit`, `group`, criterion ids, penalty ids); a
second row describing the columns, as `planparse template` writes it, is skipped.  Values
are read the way an office types them (CONTRACT.md): `68.13` or `68,13%` for a percentage,
`61/91` for a ratio, `1.500` for fifteen hundred accounts, `x`/`có` for yes and
empty/`không` for no.  A value that cannot be read is an error naming the row, the unit,
the column and the value, so the officer can fix the cell.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from planparse.campaign import Campaign, Criterion
from planparse.errors import DefinitionError, MissingFileError, UnsupportedInputError

Scale = Literal["fraction", "boolean", "number", "points"]
Value = Decimal | bool | None

UNIT_COLUMN_NAMES = {"unit", "đơn vị", "tên đơn vị", "don vi", "ten don vi"}
GROUP_COLUMN_NAMES = {"group", "nhóm", "nhom", "khối", "khoi", "cụm", "cum"}
# The second header row that `template` writes starts with one of these in the unit column.
DESCRIPTION_MARKERS = {"tên đơn vị", "đơn vị", "unit name", "mô tả", "#"}

YES = {"x", "có", "co", "yes", "y", "true", "đạt", "dat", "1", "✓", "✔", "v"}
NO = {"", "không", "khong", "no", "n", "false", "chưa", "chua", "0", "-", "không đạt", "khong dat"}

_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")
_FRACTION = re.compile(r"^\s*([0-9.,\s]+)\s*/\s*([0-9.,\s]+)\s*$")
_COUNT_SUFFIX = re.compile(r"^([+-]?[0-9.,]+)\s*[^\d\s].*$")


class UnitValueError(DefinitionError):
    """A cell of a unit sheet cannot be read."""


class UnitRecord(BaseModel):
    """One row of a unit sheet, as typed (the boundary between the sheet and the scorer)."""

    model_config = ConfigDict(extra="forbid")

    unit: str = Field(description="Name of the unit (commune, town, department).")
    group: str | None = Field(None, description="Group the unit competes in, as typed in the sheet.")
    values: dict[str, Any] = Field(
        default_factory=dict, description="Cell contents per column id (criterion or penalty id), as typed."
    )
    row: int | None = Field(None, description="Row number in the sheet (1-based), for messages.")


@dataclass
class UnitSheet:
    """A read sheet: its records, and the columns it had that the definition does not know."""

    path: str
    records: list[UnitRecord]
    columns: list[str]
    unknown_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


def criterion_scale(criterion: Criterion) -> Scale:
    """How a criterion's values are typed: a fraction (percentages), yes/no, a number, points."""
    kind = criterion.rule.kind
    unit = _key(criterion.unit or "")
    if kind == "boolean" or unit in {"có/không", "co/khong", "có / không", "x"}:
        return "boolean"
    if kind == "manual":
        return "points"
    if "%" in unit or "tỷ lệ" in unit or "tỉ lệ" in unit or kind == "ratio":
        return "fraction"
    return "number"


def _number(text: str, scale: Scale) -> Decimal:
    """A number as offices type it: '1.500' and '1.500,5' (Vietnamese) or '68.13', '68,13'."""
    text = text.replace("\u00a0", "").replace(" ", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    elif scale != "fraction" and _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    return Decimal(text)


def parse_value(raw: Any, criterion: Criterion, scale: Scale | None = None) -> Value:
    """Read one cell for `criterion` into the rule's scale; raise ValueError with the reason.

    Percentages become fractions (`68.13` -> 0.6813) because rules store 40 % as 0.4.
    """
    scale = scale or criterion_scale(criterion)
    if raw is None:
        return False if scale == "boolean" else None
    if isinstance(raw, bool):
        if scale == "boolean":
            return raw
        raise ValueError("expected a number, found a yes/no value")
    if isinstance(raw, (int, float, Decimal)):
        number = raw if isinstance(raw, Decimal) else Decimal(str(raw))
        if scale == "boolean":
            if number in (0, 1):
                return bool(number)
            raise ValueError("expected x/có or empty/không")
        return number / 100 if scale == "fraction" else number
    text = unicodedata.normalize("NFC", str(raw)).strip()
    lowered = text.casefold()
    if scale == "boolean":
        if lowered in YES:
            return True
        if lowered in NO:
            return False
        raise ValueError("expected x/có for yes or empty/không for no")
    if not lowered:
        return None
    try:
        fraction = _FRACTION.match(text)
        if fraction:
            numerator, denominator = (_number(part, "number") for part in fraction.groups())
            if denominator == 0:
                raise ValueError("the fraction has a zero denominator")
            ratio = numerator / denominator
            if scale != "fraction":
                raise ValueError("a fraction like 61/91 is only for percentages and ratios")
            return ratio
        if text.endswith("%"):
            value = _number(text[:-1].strip(), "fraction") / 100
            if scale != "fraction":
                raise ValueError("a percentage is only for criteria measured in %")
            return value
        try:
            value = _number(text, scale)
        except InvalidOperation:
            # "12 lần", "1.500 tài khoản": a number followed by its unit.
            match = _COUNT_SUFFIX.match(text)
            if not match:
                raise
            value = _number(match.group(1), scale)
        return value / 100 if scale == "fraction" else value
    except InvalidOperation:
        expected = {"fraction": "a percentage (68.13, 68,13%) or a fraction (61/91)", "number": "a number",
                    "points": "a number of points"}[scale]
        raise ValueError(f"expected {expected}") from None


_SIMPLE = re.compile(r"\d+(?:([.,])(\d+))?")


def value_reader(criterion: Criterion, scale: Scale | None = None):  # -> Callable[[Any], Value]
    """A reader specialised for one criterion: plain numbers ("68,13", "1500") take a fast path
    (scoring 10,000 units reads 200,000 cells); everything else goes through `parse_value`."""
    scale = scale or criterion_scale(criterion)
    general = parse_value
    simple = _SIMPLE.fullmatch
    if scale == "fraction":
        def read(raw: Any) -> Value:
            if raw.__class__ is str:
                m = simple(raw)
                if m:
                    return Decimal(raw.replace(",", ".") if m.group(1) == "," else raw).scaleb(-2)
                top, slash, bottom = raw.partition("/")
                if slash and top.isdigit() and bottom.isdigit() and bottom != "0" * len(bottom):
                    return Decimal(top) / Decimal(bottom)
            return general(raw, criterion, scale)
    elif scale == "boolean":
        def read(raw: Any) -> Value:
            if raw.__class__ is str:
                key = raw.strip().casefold()
                if key in YES:
                    return True
                if key in NO:
                    return False
            return general(raw, criterion, scale)
    elif scale == "number":
        def read(raw: Any) -> Value:
            if raw.__class__ is str:
                m = simple(raw)
                if m:
                    sep = m.group(1)
                    if sep == ",":
                        return Decimal(raw.replace(",", "."))
                    if sep == "." and len(m.group(2)) == 3:
                        return Decimal(raw.replace(".", ""))
                    return Decimal(raw)
            return general(raw, criterion, scale)
    else:
        def read(raw: Any) -> Value:
            return general(raw, criterion, scale)
    return read


def parse_count(raw: Any) -> int:
    """A penalty count: how many times it happened (empty = 0)."""
    if raw is None:
        return 0
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, (int, float, Decimal)):
        number = Decimal(str(raw))
    else:
        text = unicodedata.normalize("NFC", str(raw)).strip()
        if text.casefold() in NO:
            return 0
        if text.casefold() in YES - {"1"}:
            return 1
        match = re.match(r"^(\d+)(?:\s*[^\W\d_].*)?$", text)
        if not match:
            raise ValueError("expected a count of occurrences (0, 1, 2 …)")
        number = Decimal(match.group(1))
    if number < 0 or number != number.to_integral_value():
        raise ValueError("expected a whole count of occurrences (0, 1, 2 …)")
    return int(number)


# --- reading sheets -------------------------------------------------------------------------


def _xlsx_rows(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise UnsupportedInputError(f"cannot open the workbook: {exc}", path=str(path)) from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[Any]] = []
        for row in sheet.iter_rows():
            cells: list[Any] = []
            for cell in row:
                value = cell.value
                fmt = getattr(cell, "number_format", "") or ""
                if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
                    # A cell formatted as a percentage holds the fraction; keep it as typed.
                    value = f"{Decimal(str(value)) * 100}%"
                cells.append(value)
            rows.append(cells)
        return rows
    finally:
        book.close()


def _csv_rows(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_rows(path: str | Path) -> list[list[Any]]:
    """The raw rows of a CSV or XLSX sheet ('-' reads CSV from stdin)."""
    if str(path) == "-":
        import sys

        return _csv_rows(sys.stdin.read().lstrip("\ufeff"))
    path = Path(path)
    if not path.exists():
        raise MissingFileError("file not found", path=str(path))
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_rows(path)
    if suffix in {".csv", ".txt", ".tsv"}:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1258", errors="replace")
        return _csv_rows(text)
    raise UnsupportedInputError("unit sheets must be .csv or .xlsx", path=str(path))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_description_row(row: Sequence[Any], unit_col: int, value_cols: Iterable[int], campaign: Campaign) -> bool:
    first = _key(row[unit_col]) if unit_col < len(row) and not _blank(row[unit_col]) else ""
    if first in DESCRIPTION_MARKERS or first.startswith("#"):
        return True
    # Otherwise: every filled value cell is prose (a criterion's name), none a value.
    texts = [row[i] for i in value_cols if i < len(row) and not _blank(row[i])]
    if not texts:
        return False
    return all(isinstance(t, str) and len(t.strip()) > 8 and re.search(r"[^\W\d_]{3}", t) for t in texts)


def _header_cell(cell: Any) -> str:
    """A column id as typed; Excel turns a typed `1` into 1.0, which is criterion '1'."""
    if _blank(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return unicodedata.normalize("NFC", str(cell)).strip()


def records_from_rows(rows: list[list[Any]], campaign: Campaign, path: str = "<units>") -> UnitSheet:
    """Turn raw rows into records, matching column ids to the definition's criteria and penalties."""
    rows = [r for r in rows if any(not _blank(c) for c in r)]
    if not rows:
        raise DefinitionError("the unit sheet is empty", path=path)
    header = [_header_cell(c) for c in rows[0]]
    known = {_key(c.id): c.id for c in campaign.criteria}
    known.update({_key(p.id): p.id for p in campaign.penalties})
    unit_col = group_col = None
    columns: dict[int, str] = {}
    unknown: list[str] = []
    for index, name in enumerate(header):
        key = _key(name)
        if key in UNIT_COLUMN_NAMES and unit_col is None:
            unit_col = index
        elif key in GROUP_COLUMN_NAMES and group_col is None:
            group_col = index
        elif key in known:
            columns[index] = known[key]
        elif name:
            unknown.append(name)
    if unit_col is None:
        raise DefinitionError(
            "the first row must name the columns, starting with 'unit' (the unit's name); "
            "make a sheet with `planparse template`", path=path,
        )
    body = rows[1:]
    start = 2
    if body and _is_description_row(body[0], unit_col, columns, campaign):
        body, start = body[1:], 3
    records: list[UnitRecord] = []
    seen: dict[tuple[str, str], int] = {}
    for offset, row in enumerate(body):
        number = start + offset
        cell = row[unit_col] if unit_col < len(row) else None
        if _blank(cell):
            raise DefinitionError(f"row {number} has values but no unit name in column 'unit'", path=path)
        unit = unicodedata.normalize("NFC", str(cell)).strip()
        group = None
        if group_col is not None and group_col < len(row) and not _blank(row[group_col]):
            group = unicodedata.normalize("NFC", str(row[group_col])).strip()
        key = (_key(unit), _key(group or ""))
        if key in seen:
            raise DefinitionError(f"unit '{unit}' appears twice (rows {seen[key]} and {number})", path=path)
        seen[key] = number
        values = {cid: (row[i] if i < len(row) else None) for i, cid in columns.items()}
        records.append(UnitRecord.model_construct(unit=unit, group=group, values=values, row=number))
    present = set(columns.values())
    missing = [c.id for c in campaign.criteria if c.id not in present]
    return UnitSheet(path=path, records=records, columns=list(columns.values()), unknown_columns=unknown,
                     missing_columns=missing)


def read_units(path: str | Path, campaign: Campaign) -> UnitSheet:
    """Read a unit sheet for `campaign` from .csv or .xlsx."""
    return records_from_rows(read_rows(path), campaign, str(path))


# --- formatting for reasons (Vietnamese conventions: 1.500 and 68,13) ------------------------


def dec(x: float | int | str | Decimal | None) -> Decimal | None:
    """Exact Decimal of a JSON number (through str, so 0.1 stays 0.1)."""
    if x is None:
        return None
    return x if isinstance(x, Decimal) else Decimal(str(x))


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(0, 7)}


def vn_number(x: Decimal | float | int, places: int = 2) -> str:
    """1500 -> '1.500', 68.125 -> '68,13', 4.0 -> '4'."""
    d = dec(x).quantize(_QUANTA[places], ROUND_HALF_UP)
    text = f"{abs(d):f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    if len(whole) > 3:
        whole = f"{int(whole):,}".replace(",", ".")
    sign = "-" if d < 0 else ""
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def show_value(value: Decimal | float | None, scale: Scale, unit: str | None = None) -> str:
    """A value as the plan writes it: '65 %' for fractions, '1.500 tài khoản' for counts."""
    if value is None:
        return "—"
    if scale == "fraction":
        return f"{vn_number(dec(value) * 100)} %"
    text = vn_number(value)
    return f"{text} {unit}" if unit and scale == "number" else text


# --- names written differently (groups in sheets, definitions, awards) ----------------------


def fold(text: str | None) -> str:
    """Lower-case, no diacritics, no punctuation: for matching names written differently."""
    text = unicodedata.normalize("NFD", (text or "").casefold()).replace("đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def similarity(a: str | None, b: str | None) -> float:
    from rapidfuzz import fuzz

    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 100.0
    return float(fuzz.token_set_ratio(fa, fb))


def _level(text: str | None) -> str | None:
    """District (cấp huyện) or commune (cấp xã) level named in a group, if exactly one is."""
    words = fold(text).split()
    commune = "xa" in words or "thi tran" in " ".join(words)
    district = "huyen" in words or "phong" in words or "nganh" in words
    if commune == district:
        return None
    return "commune" if commune else "district"


def group_similarity(a: str | None, b: str | None) -> float:
    """Similarity of two group names, nudged by the level they name (huyện vs xã): groups are
    written long and differently ("Tập thể Ủy ban nhân dân các xã, thị trấn", "cấp xã")."""
    base = similarity(a, b)
    la, lb = _level(a), _level(b)
    if la and lb:
        base += 15 if la == lb else -15
    return max(0.0, min(100.0, base))


def best_match(name: str | None, options: Sequence[str | None], minimum: float) -> str | None:
    scored = sorted(((group_similarity(name, o), i) for i, o in enumerate(options) if o), reverse=True)
    if not scored or scored[0][0] < minimum:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # ambiguous: as close to two groups
    return options[scored[0][1]]
