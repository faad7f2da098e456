"""What mapping a table onto the template produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extractors.layout import BBox, GridCell
from extractors.values import Parsed, parse_count
from schemas import Finding


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
    def from_cell(cls, cell: GridCell | None, **parse_kw: bool) -> CellValue:
        if cell is None:
            return cls(None, "", None, None, 0.0, "pdf_text")
        parsed: Parsed = parse_count(cell.text, **parse_kw)
        return cls(
            value=parsed.value,
            raw=cell.text,
            page=cell.page,
            bbox=cell.bbox,
            confidence=cell.confidence if parsed.ok else 0.0,
            source=cell.source,
            blank=parsed.blank,
            obscured=cell.obscured,
            scores=cell.scores,
        )


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
