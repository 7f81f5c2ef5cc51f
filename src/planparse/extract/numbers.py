"""Numbers, percentages, money and dates as Vietnamese documents write them.

`1.500` is fifteen hundred (dot groups thousands), `88,05` is a decimal (comma), `40%` is the
fraction 0.4, `2.500.000 đồng`, `3,5 triệu đồng` and "Hai triệu năm trăm ngàn đồng" are all
amounts in đồng, and a date may be `ngày 08 tháng 6 năm 2021`, `08/6/2021` or have its day and
month left blank for the signer to fill in.  Every parser returns None rather than guessing.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from planparse.extract.lexicon import fold, mapping, rx, words

# A number token: digits with optional '.'/',' groups; spaces inside are not allowed.
NUMBER_RE = re.compile(r"(?<![\w/])(\d{1,3}(?:[.,]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)(?![\w])")
_FRACTION_RE = re.compile(r"(?<![\w/])(\d[\d.]*)\s*/\s*(\d[\d.]*)(?![\w/])")


def parse_number(token: str) -> float | None:
    """Read one number token the Vietnamese way ('1.500' -> 1500, '88,05' -> 88.05)."""
    s = token.strip().replace(" ", "")
    if not s or not re.fullmatch(r"[\d.,]+", s) or not s[0].isdigit():
        return None
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        # the later separator is the decimal one
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif dots > 1:
        s = s.replace(".", "")
    elif commas > 1:
        s = s.replace(",", "")
    elif dots == 1:
        head, tail = s.split(".")
        if len(tail) == 3 and head != "0":
            s = head + tail  # thousands group
    elif commas == 1:
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


@dataclass(frozen=True)
class Found:
    value: float
    start: int
    end: int


def find_numbers(text: str) -> list[Found]:
    """Every number in the text with its span."""
    out = []
    for m in NUMBER_RE.finditer(text):
        v = parse_number(m.group(1))
        if v is not None:
            out.append(Found(v, m.start(1), m.end(1)))
    return out


_PERCENT_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")


def parse_percent(text: str) -> float | None:
    """The first percentage in the text as a fraction ('88,05%' -> 0.8805)."""
    m = _PERCENT_RE.search(text)
    if not m:
        return None
    v = parse_number(m.group(1))
    return None if v is None else round(v / 100, 10)


def find_percents(text: str) -> list[Found]:
    out = []
    for m in _PERCENT_RE.finditer(text):
        v = parse_number(m.group(1))
        if v is not None:
            out.append(Found(round(v / 100, 10), m.start(), m.end()))
    return out


def parse_fraction(text: str) -> tuple[float, float] | None:
    """'7314/11875' -> (7314, 11875)."""
    m = _FRACTION_RE.search(text)
    if not m:
        return None
    a, b = parse_number(m.group(1)), parse_number(m.group(2))
    if a is None or b is None:
        return None
    return a, b


# ---------------------------------------------------------------- numbers in words

def _scales() -> dict[str, int]:
    scales: dict[str, int] = {}
    for path, value in (("numbers.thousand", 1000), ("numbers.million", 10**6), ("numbers.billion", 10**9)):
        for w in words(path):
            scales[fold(w)] = value
    return scales


def words_to_number(text: str) -> int | None:
    """'Hai triệu năm trăm ngàn' -> 2500000; None when the text holds no number word."""
    digits = mapping("numbers.digits")
    tens = {fold(w) for w in words("numbers.ten")}
    hundred = {fold(w) for w in words("numbers.hundred")}
    half = {fold(w) for w in words("numbers.half")}
    scales = _scales()
    total = small = 0
    digit: int | None = None
    last_scale = 0
    seen = False
    for tok in re.findall(r"[a-z]+", fold(text)):
        if tok in digits:
            if digit is not None:  # two digits in a row: "một hai" is not a number
                small += digit
            digit = digits[tok]
            seen = True
        elif tok in tens:
            small += (digit if digit is not None else 1) * 10
            digit = None
            seen = True
        elif tok in hundred:
            small += (digit if digit is not None else 1) * 100
            digit = None
            seen = True
        elif tok in scales:
            if digit is not None:
                small += digit
                digit = None
            scale = scales[tok]
            total += (small or 1) * scale
            small = 0
            last_scale = scale
            seen = True
        elif tok in half and last_scale:
            total += last_scale // 2
        elif seen:
            break  # the number ended
    if digit is not None:
        small += digit
    total += small
    return total if seen else None


def parse_money(text: str) -> int | None:
    """The first amount of money in the text, in đồng.

    Digits win over words ('2.500.000 đồng (Hai triệu năm trăm ngàn đồng)' -> 2500000); a
    scale word after digits multiplies ('3,5 triệu đồng'); words alone are read when no digit
    amount is present.
    """
    f = fold(text)
    m = rx(r"(\d[\d.,]*)\s*({numbers.billion|numbers.million|numbers.thousand})?\s*(?:{numbers.currency}|(?=/))").search(f)
    if m is None:
        m = rx(r"(\d[\d.,]*)\s*({numbers.billion|numbers.million|numbers.thousand})").search(f)
    if m:
        v = parse_number(m.group(1).rstrip(".,"))
        if v is not None:
            scale = _scales().get(re.sub(r"\s+", " ", m.group(2) or "").strip(), 1)
            amount = round(v * scale)
            if amount >= 1000 or scale > 1:
                return amount
    m = rx(r"((?:[a-z]+\s+){0,12}?[a-z]+)\s+{numbers.currency}").search(f)
    if m:
        n = words_to_number(_tail_number_words(m.group(1)))
        if n and n >= 1000:
            return n
    return None


def _tail_number_words(folded: str) -> str:
    """The trailing run of number words in a folded phrase ('la hai trieu' -> 'hai trieu')."""
    vocab = set(mapping("numbers.digits")) | _scales().keys()
    for path in ("numbers.ten", "numbers.hundred", "numbers.half"):
        vocab |= {fold(w) for w in words(path)}
    toks = folded.split()
    i = len(toks)
    while i > 0 and toks[i - 1] in vocab:
        i -= 1
    return " ".join(toks[i:])


# ---------------------------------------------------------------- dates

@dataclass(frozen=True)
class DateFound:
    iso: str | None  # None when day or month is blank
    year: int | None
    month: int | None
    day: int | None
    start: int
    end: int


_BLANK = r"[\s._…\-]*"


def _valid(y: int | None, mo: int | None, d: int | None) -> str | None:
    if y is None or mo is None or d is None:
        return None
    try:
        return _dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[DateFound]:
    """Every date in the text, written out or numeric, including half-blank ones."""
    f = fold(text)
    out: list[DateFound] = []
    written = rx(
        r"{dates.day}" + _BLANK + r"(\d{1,2})?" + _BLANK + r"{dates.month}" + _BLANK + r"(\d{1,2})?"
        + _BLANK + r"{dates.year}" + _BLANK + r"(\d{4})?"
    )
    taken: list[tuple[int, int]] = []
    for m in written.finditer(f):
        d, mo, y = (int(g) if g else None for g in m.groups())
        if d is None and mo is None and y is None:
            continue
        out.append(DateFound(_valid(y, mo, d), y, mo, d, m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in re.finditer(r"(?<![\d/])(\d{1,2})?\s*[/.\-]\s*(\d{1,2})?\s*[/.\-]\s*((?:19|20)\d{2})(?!\d)", f):
        if any(s <= m.start() < e for s, e in taken):
            continue
        if m.group(1) is None and m.group(2) is None:
            if not re.search(r"[/.\-]\s*[/.\-]", m.group(0)):
                continue
        d, mo, y = (int(g) if g else None for g in m.groups())
        if mo is not None and not 1 <= mo <= 12:
            continue
        out.append(DateFound(_valid(y, mo, d), y, mo, d, m.start(), m.end()))
    out.sort(key=lambda x: x.start)
    return out


def parse_date(text: str) -> str | None:
    """The first complete date in the text as ISO 8601, or None."""
    for found in find_dates(text):
        if found.iso:
            return found.iso
    return None


def find_years(text: str) -> list[int]:
    return [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)]


def period_in(text: str) -> tuple[str | None, str | None]:
    """Start and end of a 'từ ngày … đến (hết) ngày …' period in the text."""
    dates = find_dates(text)
    f = fold(text)
    start = end = None
    until = rx(r"{dates.until_end}").search(f)
    for d in dates:
        if until and d.start >= until.start():
            end = end or d.iso
        elif start is None and until:
            start = d.iso
    if until is None and len(dates) >= 2:
        start, end = dates[0].iso, dates[1].iso
    return start, end


__all__ = [
    "Found", "DateFound", "parse_number", "find_numbers", "parse_percent", "find_percents",
    "parse_fraction", "words_to_number", "parse_money", "find_dates", "parse_date", "find_years",
    "period_in",
]
