"""What mapping a table onto the template produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extractors.layout import BBox, GridCell
from extractors.values import Parsed, parse_count
from schemas import Finding

# A report may print its zeros as 无 ("none"); through a blurred photo the recogniser
# reads the character as 光, 元 or 天, and now and then as any letter or character
# (10251-0007: 66 光, 22 元, 11 L, 8 E, 7 老 among its 170 zeros).
NONE_READINGS = frozenset("无光元天先尤旡兀")


@dataclass
class CellValue:
    """One contract number with where it came from."""

    value: int | float | None
    raw: str
    page: int | None
    bbox: BBox | None
    confidence: float
    source: str
    blank: bool = False
    corrected_from: int | float | None = None
    obscured: bool = False  # read under a seal
    inferred: bool = False  # the value is the only one the identities allow
    scores: Any = field(default=None, compare=False, repr=False)  # GridCell.scores

    @classmethod
    def from_cell(cls, cell: GridCell | None, *, unchecked: bool = False,
                  **parse_kw: bool) -> CellValue:
        """`unchecked`: no identity holds the cell (table 2), so none can work it out
        where it is unreadable: a count read beside a seal's lettering is taken."""
        if cell is None:
            return cls(None, "", None, None, 0.0, "pdf_text")
        parsed: Parsed = parse_count(cell.text, **parse_kw)
        confidence = cell.confidence if parsed.ok else 0.0
        if not parsed.ok and cell.obscured and unchecked:
            parsed = _past_seal_lettering(cell.text, **parse_kw)
            confidence = SEAL_RESIDUE_CONFIDENCE if parsed.ok else 0.0
        return cls(
            value=parsed.value,
            raw=cell.text,
            page=cell.page,
            bbox=cell.bbox,
            confidence=confidence,
            source=cell.source,
            blank=parsed.blank,
            obscured=cell.obscured,
            scores=cell.scores,
        )


# A seal's lettering read beside a count under it ("268公", "i1"): the count is
# taken, doubtful, for an identity or a person to vouch for.
SEAL_RESIDUE_CONFIDENCE = 0.5


def _past_seal_lettering(text: str, **parse_kw: bool) -> Parsed:
    """A count read with one letter or character of a seal's lettering before or
    after it."""
    t = text.strip()
    for stray, rest in ((t[:1], t[1:]), (t[-1:], t[:-1])):
        if stray.isalpha() and any(ch.isdigit() for ch in rest):
            parsed = parse_count(rest, **parse_kw)
            if parsed.ok:
                return parsed
    return Parsed(None, blank=False, ok=False)


@dataclass
class TableMapping:
    values: dict[str, CellValue] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    format_votes: dict[str, int] = field(default_factory=dict)


def unreadable(path: str, cell: CellValue) -> Finding:
    return Finding(
        code="unreadable_cell",
        severity="error",
        message=f"cannot read a number in {path!r} (text {cell.raw!r}, page {cell.page})",
        paths=[path],
    )
