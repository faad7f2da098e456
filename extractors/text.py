"""Words to text: lines by vertical position, reading order within a line."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from statistics import median

from extractors.layout import Word


def is_cjk(ch: str) -> bool:
    """Whether `ch` is a Chinese character (the CJK unified ideographs)."""
    return "\u4e00" <= ch <= "\u9fff"


def group_lines(words: Iterable[Word]) -> list[list[Word]]:
    """Cluster words into lines (top to bottom), each sorted left to right."""
    ws = sorted(words, key=lambda w: (w.cy, w.x0))
    if not ws:
        return []
    height = median(max(w.bottom - w.top, 1e-6) for w in ws)
    lines: list[list[Word]] = []
    current: list[Word] = []
    line_cy = 0.0
    for w in ws:
        if current and abs(w.cy - line_cy) > 0.5 * height:
            lines.append(sorted(current, key=lambda x: x.x0))
            current = []
        current.append(w)
        line_cy = sum(x.cy for x in current) / len(current)
    lines.append(sorted(current, key=lambda x: x.x0))
    return lines


def line_text(line: list[Word]) -> str:
    if not line:
        return ""
    height = median(max(w.bottom - w.top, 1e-6) for w in line)
    out = [line[0].text]
    for prev, w in pairwise(line):
        gap = w.x0 - prev.x1
        # A wide gap inside one line is a real space (or a tab in the source).
        out.append(" " if gap > 0.9 * height else "")
        out.append(w.text)
    return "".join(out)


def join_text(words: Iterable[Word], sep: str = "") -> str:
    """Text of a block; wrapped lines are joined with `sep` (Chinese wraps mid-word)."""
    return sep.join(line_text(line) for line in group_lines(words)).strip()
