"""The identities (勾稽关系) of TEMPLATE.md §5, as checks that return findings.

Checks read a flat mapping of dotted path -> number (see `schemas.access.numbers`).
An identity that involves an unreadable (None) number is not evaluated: the
missing number has a finding of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from schemas.paths import (
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    Format,
    result_rows,
)
from schemas.result import Finding

Numbers = Mapping[str, int | float | None]


@dataclass(frozen=True)
class Identity:
    """`sum(left) == sum(right)` over dotted paths."""

    code: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    label: str

    @property
    def paths(self) -> tuple[str, ...]:
        return self.left + self.right

    def holds(self, values: Numbers) -> bool | None:
        """True/False, or None when a number is missing."""
        got = [values.get(p) for p in self.paths]
        if any(v is None for v in got):
            return None
        left = sum(values[p] or 0 for p in self.left)
        right = sum(values[p] or 0 for p in self.right)
        return left == right

    def coefficients(self) -> dict[str, int]:
        """The identity as `sum(coef * value) == 0`: +1 per left term, -1 per right one."""
        coef: dict[str, int] = {}
        for p in self.left:
            coef[p] = coef.get(p, 0) + 1
        for p in self.right:
            coef[p] = coef.get(p, 0) - 1
        return coef

    def sides(self, values: Numbers) -> tuple[float, float]:
        return (
            sum(values.get(p) or 0 for p in self.left),
            sum(values.get(p) or 0 for p in self.right),
        )



def identities(fmt: Format) -> list[Identity]:
    """Every identity that holds within one report of the given format."""
    app = "applications"
    out: list[Identity] = []
    rows = [p for p, _ in APPLICATION_ROWS[fmt]]
    for col in APPLICANT_COLUMNS:
        out.append(
            Identity(
                "balance",
                (f"{app}.new_received.{col}", f"{app}.carried_over.{col}"),
                (f"{app}.results.total.{col}", f"{app}.carried_forward.{col}"),
                f"column {col}: new_received + carried_over = results.total + carried_forward",
            )
        )
        out.append(
            Identity(
                "results_total",
                (f"{app}.results.total.{col}",),
                tuple(f"{app}.{r}.{col}" for r in result_rows(fmt)),
                f"column {col}: results.total = sum of the results rows",
            )
        )
    for row in rows:
        out.append(
            Identity(
                "row_total",
                (f"{app}.{row}.total",),
                tuple(f"{app}.{row}.{c}" for c in APPLICANT_COLUMNS if c != "total"),
                f"row {row}: total = sum of the six applicant columns",
            )
        )
    rl = "reviews_and_litigation"
    for group in REVIEW_GROUPS:
        parts = tuple(f"{rl}.{group}.{c}" for c in REVIEW_COLUMNS if c != "total")
        out.append(
            Identity(
                "review_total",
                (f"{rl}.{group}.total",),
                parts,
                f"{group}: total = upheld + corrected + other + pending",
            )
        )
    return out


def check(values: Numbers, fmt: Format) -> list[Finding]:
    """Evaluate every identity; one `error` finding per identity that fails."""
    findings = []
    for ident in identities(fmt):
        if ident.holds(values) is False:
            left, right = ident.sides(values)
            findings.append(
                Finding(
                    code=ident.code,
                    severity="error",
                    message=f"identity broken, {ident.label}: {left:g} ≠ {right:g}",
                    paths=list(ident.paths),
                )
            )
    return findings


def check_carry_over_chain(
    previous: Numbers, current: Numbers, *, previous_year: int | None = None
) -> list[Finding]:
    """carried_over (year N) = carried_forward (year N-1), column by column, same issuer."""
    findings = []
    for col in APPLICANT_COLUMNS:
        before = previous.get(f"applications.carried_forward.{col}")
        now = current.get(f"applications.carried_over.{col}")
        if before is None or now is None or before == now:
            continue
        year = f" of {previous_year}" if previous_year else ""
        findings.append(
            Finding(
                code="carry_over_chain",
                severity="error",
                message=(
                    f"column {col}: carried_over {now:g} differs from carried_forward"
                    f"{year} {before:g}"
                ),
                paths=[f"applications.carried_over.{col}"],
            )
        )
    return findings


__all__ = ["Identity", "check", "check_carry_over_chain", "identities"]
