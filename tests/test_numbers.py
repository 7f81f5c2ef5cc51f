"""Property tests for the number, percentage, money and date readers (extract/numbers.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planparse.extract.numbers import (
    find_dates,
    parse_date,
    parse_money,
    parse_number,
    parse_percent,
    period_in,
    words_to_number,
)

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def dotted(n: int) -> str:
    """1500000 -> '1.500.000' (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def spell_below_thousand(n: int, full: bool) -> list[str]:
    """Spell 0 < n < 1000 in Vietnamese; `full` when a higher group precedes (keeps 'không trăm')."""
    h, rest = divmod(n, 100)
    t, u = divmod(rest, 10)
    out: list[str] = []
    if h or full:
        out += [DIGITS[h], "trăm"]
    if t == 0:
        if u:
            if h or full:
                out.append("linh")
            out.append(DIGITS[u])
    else:
        out += ["mười"] if t == 1 else [DIGITS[t], "mươi"]
        if u == 5:
            out.append("lăm")
        elif u == 1 and t > 1:
            out.append("mốt")
        elif u:
            out.append(DIGITS[u])
    return out


def spell(n: int) -> str:
    """Spell 0 < n < 10^12 in Vietnamese words, as amounts are written out in plans."""
    value = n
    parts = []
    for scale, size in (("tỷ", 10**9), ("triệu", 10**6), ("nghìn", 10**3), ("", 1)):
        g, value = divmod(value, size)
        if g:
            parts += spell_below_thousand(g, full=bool(parts)) + ([scale] if scale else [])
    return " ".join(parts)


@given(st.integers(min_value=0, max_value=10**12))
def test_dotted_integers_read_back(n):
    assert parse_number(dotted(n)) == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99))
def test_decimal_comma(whole, frac):
    text = f"{dotted(whole)},{frac:02d}"
    assert abs(parse_number(text) - (whole + frac / 100)) < 1e-6


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=99))
def test_percent_is_a_fraction(whole, frac):
    got = parse_percent(f"Tỷ lệ đạt {whole},{frac:02d}%")
    assert abs(got - (whole + frac / 100) / 100) < 1e-9


@given(st.integers(min_value=1, max_value=10**6).map(lambda k: k * 1000),
       st.sampled_from(["đồng", "đ", "VNĐ", " đồng/đơn vị"]))
def test_money_in_digits(amount, currency):
    assert parse_money(f"tiền thưởng {dotted(amount)}{'' if currency.startswith(' ') else ' '}{currency.strip()}") == amount


@given(st.integers(min_value=1, max_value=999_999_999_999))
def test_words_to_number(n):
    assert words_to_number(spell(n)) == n


@given(st.integers(min_value=1, max_value=999_999).map(lambda k: k * 1000))
def test_money_in_words_only(amount):
    text = f"phần thưởng là {spell(amount)} đồng".capitalize()
    assert parse_money(text) == amount


@given(st.integers(min_value=1, max_value=99), st.sampled_from([1, 5]), st.sampled_from(["triệu", "tỷ"]))
def test_money_with_scale_word(whole, tenth, scale):
    factor = 10**6 if scale == "triệu" else 10**9
    assert parse_money(f"{whole},{tenth} {scale} đồng") == whole * factor + tenth * factor // 10


def test_digits_win_over_words():
    assert parse_money("2.500.000 đồng (Hai triệu năm trăm ngàn đồng)") == 2_500_000
    assert parse_money("Hai triệu năm trăm ngàn đồng") == 2_500_000
    assert parse_money("hai triệu rưỡi đồng") == 2_500_000


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_dates_every_spelling(day):
    iso = day.isoformat()
    assert parse_date(f"Châu Thành, ngày {day.day:02d} tháng {day.month} năm {day.year}") == iso
    assert parse_date(f"ngày {day.day} tháng {day.month:02d} năm {day.year}") == iso
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == iso
    assert parse_date(f"{day.day:02d}-{day.month:02d}-{day.year}") == iso
    assert parse_date(f"ngay {day.day} thang {day.month} nam {day.year}") == iso  # stripped diacritics


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1990, max_value=2099))
def test_blank_day_stays_null(month, year):
    found = find_dates(f"Số:    /BC-UBND Châu Thành, ngày      tháng {month} năm {year}")
    assert found and found[0].iso is None and found[0].year == year and found[0].month == month
    assert parse_date(f"ngày       /{month}/{year}") is None


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2098, 1, 1)), st.integers(min_value=1, max_value=400))
def test_period_until_end_of_day(start, days):
    end = start + dt.timedelta(days=days)
    text = f"từ ngày {start.day:02d}/{start.month:02d}/{start.year} đến hết ngày {end.day}/{end.month}/{end.year}"
    assert period_in(text) == (start.isoformat(), end.isoformat())


def test_period_without_start():
    text = "bắt đầu từ ngày đầu tháng ban hành Kế hoạch này đến hết ngày 31 tháng 12 năm 2023"
    assert period_in(text) == (None, "2023-12-31")
