"""The Jinja2 environment of drafting: the user's template folder first, then the shipped ``templates/``.

Templates render in Jinja2's sandbox (a template from a folder someone sent cannot run code).
Undefined names are errors (StrictUndefined), so a template that asks for a figure the data lacks fails
loudly instead of printing nothing.  Filters:

- ``cn``: a count in Chinese numerals (``12|cn`` → 十二; ``2|cn(liang=True)`` → 两, as in 两件);
- ``cn_year``: a year digit by digit (2024 → 二〇二四);
- ``wanyuan``: an amount in 万元 with two decimals, more when the figure has them (96171.6 → 96171.60, 24252.311082 as given);
- ``yuan``: an amount in 元 (3940 → 3940, 12.5 → 12.5);
- ``signed``: a change with its sign (3 → +3, -2 → -2, 0 → 0);
- ``date``: a date as 2025年1月20日 (from a date or ``2025-01-20``);
- ``width``: display width, a Chinese character counting two columns;
- ``ljust_w`` / ``rjust_w``: pad to a display width; ``wrap_w``: break into lines of a display width.
"""

from __future__ import annotations

import datetime
import unicodedata
from pathlib import Path

from ..resources import data_dir
from .sentences import yuan

DIGITS = "零一二三四五六七八九"
YEAR_DIGITS = "〇一二三四五六七八九"
UNITS = ((100_000_000, "亿"), (10_000, "万"))
SMALL = ((1000, "千"), (100, "百"), (10, "十"))


def _below_10000(n: int) -> str:
    out, zero = "", False
    for size, name in SMALL:
        digit, n = divmod(n, size)
        if digit:
            if zero and out:
                out += "零"
            out += DIGITS[digit] + name
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero and out else "") + DIGITS[n]
    return out


def _group(n: int) -> str:
    for size, name in UNITS:
        if n >= size:
            high, low = divmod(n, size)
            gap = "零" if 0 < low < size // 10 else ""
            return _group(high) + name + gap + (_group(low) if low else "")
    return _below_10000(n)


def cn(value: int, liang: bool = False) -> str:
    """Chinese numeral of an integer: 10 → 十, 105 → 一百零五, 20000 → 二万; ``liang``: 2 → 两."""
    n = int(value)
    if n < 0:
        return "负" + cn(-n)
    if n == 0:
        return "零"
    if liang and n == 2:
        return "两"
    out = _group(n)
    return out[1:] if out.startswith("一十") else out


def cn_year(value: int) -> str:
    return "".join(YEAR_DIGITS[int(d)] for d in str(int(value)))


def wanyuan(value: float | int) -> str:
    """Two decimals at least, and every decimal the figure has: an amount is printed as given, never rounded."""
    from decimal import Decimal

    text = format(Decimal(repr(float(value))), "f")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.rstrip('0').ljust(2, '0')}"


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def date(value: datetime.date | str) -> str:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return f"{value.year}年{value.month}月{value.day}日"


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_w(text: object, size: int) -> list[str]:
    """Lines of at most ``size`` display columns, broken after a comma or 顿号 where one is near the limit."""
    rest, lines = str(text), []
    while width(rest) > size:
        cut = 0
        while width(rest[:cut + 1]) <= size:
            cut += 1
        soft = max(rest.rfind(mark, 0, cut) for mark in "，、；")
        cut = soft + 1 if soft >= cut // 2 else cut
        lines.append(rest[:cut])
        rest = rest[cut:]
    return lines + [rest]


def ljust_w(text: object, size: int) -> str:
    text = str(text)
    return text + " " * max(size - width(text), 0)


def rjust_w(text: object, size: int) -> str:
    text = str(text)
    return " " * max(size - width(text), 0) + text


FILTERS = {
    "cn": cn,
    "cn_year": cn_year,
    "wanyuan": wanyuan,
    "yuan": yuan,
    "signed": signed,
    "date": date,
    "width": width,
    "wrap_w": wrap_w,
    "ljust_w": ljust_w,
    "rjust_w": rjust_w,
}


def environment(templates: Path | None = None):
    """The environment; ``templates`` (a folder) overrides any shipped template of the same name."""
    import jinja2

    folders = ([str(templates)] if templates else []) + [str(data_dir("templates"))]
    from jinja2.sandbox import SandboxedEnvironment  # a user's template must not reach Python's internals

    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env
