"""Cell text -> number, with the conventions of printed reports (TEMPLATE.md §6)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Printed as zero: blank, dashes, slash, 无 ("none").
ZERO_MARKS = frozenset(
    {"", "0", "—", "——", "-", "--", "–", "－", "/", "／", "无", "〇", "零", "\\"}
)

_NUM = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Parsed:
    value: int | float | None
    blank: bool  # printed as a zero mark rather than a digit
    ok: bool  # False: text present that is not a number


def normalize(text: str) -> str:
    """Full-width to half-width, no spaces or thousands separators."""
    t = unicodedata.normalize("NFKC", text)
    # Traditional and Japanese forms OCR models produce for 减 / 增.
    t = t.replace("減", "减").replace("増", "增")
    return re.sub(r"[\s,，]", "", t)


def parse_count(text: str, *, signed: bool = False, decimal: bool = False,
                unit_wan: bool = False) -> Parsed:
    """Parse a numeric cell.

    signed: 减4 / -4 / 增3 allowed (2019 `change`); decimal: an amount;
    unit_wan: the column is in 万元, so an amount printed in 元 is converted.
    """
    raw = text.strip()
    t = normalize(raw)
    if t in ZERO_MARKS or raw in ZERO_MARKS:
        return Parsed(0, blank=t != "0", ok=True)
    sign = 1
    if signed:
        if t.startswith("减"):
            sign, t = -1, t[1:]
        elif t.startswith("增"):
            t = t[1:]
    scale = 1.0
    if decimal:
        if t.endswith("万元"):
            t = t[:-2]
        elif t.endswith("元"):
            t = t[:-1]
            if unit_wan:
                scale = 1 / 10000
        elif t.endswith("万"):
            t = t[:-1]
    if not _NUM.match(t):
        return Parsed(None, blank=False, ok=False)
    if t.startswith("-") and not signed:
        return Parsed(None, blank=False, ok=False)
    if decimal:
        v = float(t) * sign * scale
        return Parsed(round(v, 6), blank=False, ok=True)
    if "." in t:
        f = float(t)
        if f != int(f):
            return Parsed(None, blank=False, ok=False)
        return Parsed(int(f) * sign, blank=False, ok=True)
    return Parsed(int(t) * sign, blank=False, ok=True)
