"""Quantities in prose: a number, its unit and whether the writer gave it only approximately.

Reports state figures as ``2件``, ``3119 件``, ``两件``, ``十七件``, ``一百零五条``, ``33.9%``,
``3940元``, and round ones as ``5500余条``, ``300多篇``, ``近3000件``, ``约20个``, ``100件左右``,
``50场以上``.  An approximate quantity is found and reported like any other but is never compared
for equality with a table figure.

:func:`quantities` lists every quantity with a unit in a stretch of text; :data:`QUANTITY` is the
same pattern for embedding in larger patterns (narrative facts), and :func:`parse_quantity` reads
one matched quantity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cache import compiled

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL = "[零〇一二两三四五六七八九十百千万亿]+"
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?(?:[万亿](?!元))?"

# Longest first so that 人次 wins over 次 and 万元 over 元.
COUNT_UNITS = ("人次", "批次", "件", "条", "篇", "次", "项", "个", "家", "场", "期", "份", "起", "宗", "例", "人")
MONEY_UNITS = ("亿元", "万元", "元")
PERCENT_UNITS = ("%", "％", "个百分点")
UNITS = COUNT_UNITS + MONEY_UNITS + PERCENT_UNITS
YUAN = {"元": 1, "万元": 10_000, "亿元": 100_000_000}

SPACE = "[ \u3000]"
APPROX_BEFORE = "(?:大约|约为|约|将近|接近|近|逾|超过|不到|不足|数|上)"
APPROX_INSIDE = "(?:余|多|来)"
APPROX_AFTER = "(?:左右|以上|以下|上下|有余)"
SCALE = "(?:[万亿](?!元))"  # after the approximation: 20余万条 is more than 200 000


def _alternation(units: tuple[str, ...]) -> str:
    return "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))


def quantity_pattern(units: tuple[str, ...] = UNITS, name: str | None = None) -> str:
    """Regular expression of one quantity with one of ``units`` (a named group when ``name`` is given).

    Percentages written ``百分之三十`` are matched when ``%`` is among the units.
    """
    unit = _alternation(units)
    number = f"(?:{ARABIC}|{CHINESE_NUMERAL})"
    body = f"{APPROX_BEFORE}?{number}{APPROX_INSIDE}?{SCALE}?{SPACE}?(?:{unit}){APPROX_AFTER}?"
    if "%" in units:
        body = f"(?:{body}|百分之{number})"
    guarded = f"(?<![\\d.第])(?<![零〇一二两三四五六七八九十百千万亿])(?:{body})"
    return f"(?P<{name}>{guarded})" if name else guarded


QUANTITY = quantity_pattern()
_QUANTITY = compiled(QUANTITY)
_PARTS = compiled(
    f"^(?P<before>{APPROX_BEFORE})?(?P<pct>百分之)?(?P<number>{ARABIC}|{CHINESE_NUMERAL})"
    f"(?P<inside>{APPROX_INSIDE})?(?P<scale>{SCALE})?{SPACE}?(?P<unit>{_alternation(UNITS)})?(?P<after>{APPROX_AFTER})?$"
)


@dataclass(frozen=True)
class Quantity:
    """A figure with its unit as the prose states it."""

    text: str  # as matched, e.g. 5500余条
    value: int | float
    unit: str  # 件 条 … 元 万元 %; "%" for 百分之…
    approx: bool
    start: int = 0  # offsets of the whole quantity in the text it was found in
    end: int = 0

    @property
    def yuan(self) -> float | None:
        """The amount in yuan for money quantities, else None."""
        return self.value * YUAN[self.unit] if self.unit in YUAN else None


def chinese_number(text: str) -> int | None:
    """Value of a Chinese numeral (十七 → 17, 一百零五 → 105, 两千三百 → 2300); None if malformed."""
    if not text:
        return None
    total, section, digit = 0, 0, None
    for char in text:
        if char in DIGITS:
            if digit is not None:  # two digits in a row (一一) is not a numeral
                return None
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        elif char in LARGE_UNITS:
            if digit is None and section == 0:
                digit = 1  # 万 alone, as in 上万
            total += (section + (digit or 0)) * LARGE_UNITS[char]
            section, digit = 0, None
        else:
            return None
        if char in "零〇":
            digit = None
    return total + section + (digit or 0)


def _arabic(text: str) -> int | float:
    scale = LARGE_UNITS.get(text[-1], 1)
    plain = text.rstrip("万亿").replace(",", "")
    value = float(plain) * scale if "." in plain else int(plain) * scale
    return int(value) if isinstance(value, float) and value.is_integer() and scale > 1 else value


def parse_quantity(text: str, start: int = 0) -> Quantity | None:
    """Read one quantity as matched by :data:`QUANTITY`; None when the numeral is malformed."""
    parts = _PARTS.match(text)
    if parts is None:
        return None
    number = parts.group("number")
    value = _arabic(number) if number[:1].isdigit() else chinese_number(number)
    if value is None:
        return None
    if parts.group("scale"):
        value *= LARGE_UNITS[parts.group("scale")]
    unit = "%" if parts.group("pct") or parts.group("unit") == "％" else parts.group("unit") or ""
    scaled = number[:1].isdigit() and number[-1] in LARGE_UNITS or bool(parts.group("scale"))  # 3.5万件: rounded
    approx = bool(parts.group("before") or parts.group("inside") or parts.group("after") or scaled)
    return Quantity(text, value, unit, approx, start, start + len(text))


def quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every quantity with a unit in ``text[start:end]``, offsets relative to ``text``."""
    found = []
    for match in _QUANTITY.finditer(text, start, len(text) if end is None else end):
        quantity = parse_quantity(match.group(), match.start())
        if quantity is not None:
            found.append(quantity)
    return found


def agrees(stated: Quantity, value: int | float, rounded: bool = False) -> bool:
    """Whether a stated quantity equals ``value`` (given in the stated unit).

    Counts must be equal.  A ``rounded`` figure (a percentage, an amount of money) agrees when
    ``value`` rounds or truncates to it at the precision it was written with: 33.9% for 33.93,
    34% for 33.93, 4.34% for 4.348.
    """
    if not rounded:
        return abs(stated.value - value) < 1e-9
    decimals = re.search(r"\.(\d+)", stated.text)
    step = 10 ** -(len(decimals.group(1)) if decimals else 0)
    return stated.value - 0.5 * step - 1e-9 <= value < stated.value + step - 1e-9
