"""Repair that the identities prove.

When identities (勾稽关系) fail, OCR may have misread a digit. A reading is
changed only when all of this holds:

- it came from OCR with a confidence below `LOW_CONFIDENCE`;
- its new value is one typical OCR slip away from the text read: a confused
  digit (8/3, 1/7, 0/6/9, ...), a dropped digit or a doubled/extra digit;
- after the change EVERY identity holds;
- no other set of changes of the same size, or one larger, also makes every
  identity hold: the repair is unique.

The smallest number of changed readings is searched first (1, then 2, up to
`MAX_CHANGES`). Anything else changes nothing: confident readings that break
an identity mean the printed report is itself inconsistent (`unrepairable`),
several equally small repairs mean the identities cannot tell which is right
(`ambiguous_repair`). Identity failures themselves are reported by
`schemas.identities.check` on the values returned.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from schemas.identities import Identity, identities
from schemas.paths import Format
from schemas.result import Finding

Number = int | float | None

LOW_CONFIDENCE = 0.95  # OCR readings below this may be corrected
MAX_CHANGES = 3
COMBINATION_BUDGET = 60_000  # sets of suspects examined per size (bounds the time)
MAX_SOLUTIONS_KEPT = 6

# Digit pairs PP-OCR confuses on scans; a slip goes either way.
CONFUSED_PAIRS = "83 80 86 89 85 17 14 27 06 09 69 56 35 49".split()
CONFUSIONS: dict[str, str] = {
    d: "".join(sorted({p[1] if p[0] == d else p[0] for p in CONFUSED_PAIRS if d in p}))
    for d in "0123456789"
}
_SEPARATORS = re.compile(r"[\s,，]")


@dataclass
class Reading:
    """One number as read from the document."""

    value: int | float | None
    raw: str
    confidence: float
    source: str  # "ocr" | "pdf_text"
    # Under a seal: a misreading there and a printed inconsistency look the same, so
    # such a reading is never repaired (the identity is reported instead; only a
    # count the identities leave no choice about is filled in, for review: infer.py).
    # Values already filled in that way are passed as obscured too.
    obscured: bool = False


@dataclass
class Correction:
    path: str
    old: int | float | None
    new: int | float
    reason: str


def alternatives(raw: str) -> dict[int, str]:
    """Values one OCR slip away from `raw`, with the slip that explains each.

    Only plain non-negative integers (separators allowed) have alternatives.
    """
    digits = _SEPARATORS.sub("", raw)
    if not digits.isdigit() or not digits.isascii():
        return {}
    out: dict[int, str] = {}

    def add(text: str, why: str) -> None:
        if not text or (len(text) > 1 and text[0] == "0"):
            return
        value = int(text)
        if value != int(digits) and value not in out:
            out[value] = why

    for i, d in enumerate(digits):
        for sub in CONFUSIONS[d]:
            add(digits[:i] + sub + digits[i + 1 :], f"{d}/{sub} confusion")
    for i in range(len(digits)):
        add(digits[:i] + digits[i + 1 :], f"extra digit {digits[i]}")
    for i in range(len(digits) + 1):
        for d in "0123456789":
            add(digits[:i] + d + digits[i:], f"dropped digit {d}")
    return out


class _System:
    """The identities as linear equations sum(coef * value) == 0 over paths."""

    def __init__(self, idents: list[Identity], values: Mapping[str, Number]) -> None:
        self.values = values
        self.idents = [i for i in idents if i.holds(values) is not None]
        self.coefs: list[dict[str, int]] = []
        self.of_path: dict[str, list[int]] = {}
        for k, ident in enumerate(self.idents):
            coef = ident.coefficients()
            self.coefs.append(coef)
            for p in coef:
                self.of_path.setdefault(p, []).append(k)
        self.residual = [sum(c * (values[p] or 0) for p, c in coef.items()) for coef in self.coefs]
        self.failing = frozenset(k for k, r in enumerate(self.residual) if r != 0)

    def current(self, path: str) -> int:
        return int(self.values[path] or 0)


def repair(
    values: dict[str, Number],
    readings: dict[str, Reading],
    fmt: Format,
    *,
    low_confidence: float = LOW_CONFIDENCE,
    max_changes: int = MAX_CHANGES,
) -> tuple[dict[str, Number], list[Correction], list[Finding]]:
    """Correct low-confidence OCR misreadings that the identities prove wrong.

    `values`: every contract number by dotted path; `readings`: how each was
    read (paths without a reading are never changed). Returns the values
    (a new dict, repaired or unchanged), the corrections applied, and findings:
    one `repaired` per correction, or one `unrepairable` / `ambiguous_repair`.
    """
    system = _System(identities(fmt), values)
    out = dict(values)
    if not system.failing:
        return out, [], []

    failing_paths = {p for k in system.failing for p in system.coefs[k]}
    options: dict[str, dict[int, str]] = {}
    for path in sorted(failing_paths):
        r = readings.get(path)
        if r is None or r.source != "ocr" or r.confidence >= low_confidence or r.obscured:
            continue
        if r.value is None or float(r.value) != int(r.value):
            continue
        alts = alternatives(r.raw)
        if alts and int(_SEPARATORS.sub("", r.raw)) == r.value:
            options[path] = alts

    broken = [system.idents[k] for k in sorted(system.failing)]
    for size in range(1, max_changes + 1):
        if not _searchable(len(options), size):
            break
        solutions = _first_solutions(system, options, size)
        if len(solutions) > 1:
            return out, [], [_ambiguous(broken, solutions)]
        if len(solutions) == 1:
            # Two slips inside one identity can look like one slip elsewhere: the
            # repair stands only if no set one larger also restores every identity.
            if not _searchable(len(options), size + 1):
                return out, [], [_unprovable(broken, len(options))]
            larger = _first_solutions(system, options, size + 1)
            if larger:
                return out, [], [_ambiguous(broken, solutions + larger)]
            return _apply(out, solutions[0], options, readings)
    if options and not _searchable(len(options), 1 + 1):
        return out, [], [_unprovable(broken, len(options))]
    return out, [], [_unrepairable(broken, options)]


def _searchable(n_suspects: int, size: int) -> bool:
    return math.comb(n_suspects, size) <= COMBINATION_BUDGET


def _first_solutions(
    system: _System, options: dict[str, dict[int, str]], size: int
) -> list[dict[str, int]]:
    return list(itertools.islice(_solutions(system, options, size), MAX_SOLUTIONS_KEPT))


def _solutions(
    system: _System, options: dict[str, dict[int, str]], size: int
) -> Iterator[dict[str, int]]:
    """Every way to change exactly `size` suspect readings so all identities hold."""
    suspects = sorted(options)
    for combo in itertools.combinations(suspects, size):
        if not _could_balance(system, combo):
            continue
        yield from _extend(system, options, list(combo), [])


def _extend(
    system: _System,
    options: dict[str, dict[int, str]],
    rest: list[str],
    picked: list[tuple[str, int]],
) -> Iterator[dict[str, int]]:
    """Choose values for `rest` in turn; the last one's delta is forced by the residuals."""
    residual = _after(system, picked)
    reachable = {k for p in rest for k in system.of_path.get(p, [])}
    if not residual.keys() <= reachable:
        return  # an identity left broken that no remaining cell touches
    if len(rest) == 1:
        [last] = rest
        delta = _forced_delta(system, residual, last)
        if delta is not None and system.current(last) + delta in options[last]:
            sol = {p: system.current(p) + d for p, d in picked}
            sol[last] = system.current(last) + delta
            yield sol
        return
    head, tail = rest[0], rest[1:]
    for v in options[head]:
        yield from _extend(system, options, tail, [*picked, (head, v - system.current(head))])


def _could_balance(system: _System, combo: Iterable[str]) -> bool:
    """Every failing identity touches the combo; every holding one it touches, twice."""
    touched: dict[int, int] = {}
    for p in combo:
        for k in system.of_path.get(p, []):
            touched[k] = touched.get(k, 0) + 1
    if not system.failing <= touched.keys():
        return False
    return all(n >= 2 for k, n in touched.items() if k not in system.failing)


def _after(system: _System, changes: Iterable[tuple[str, int]]) -> dict[int, float]:
    """Residuals of the identities after applying value deltas (only non-zero ones kept)."""
    residual = {k: system.residual[k] for k in system.failing}
    for p, d in changes:
        for k in system.of_path.get(p, []):
            residual[k] = residual.get(k, system.residual[k]) + system.coefs[k][p] * d
    return {k: r for k, r in residual.items() if r != 0}


def _forced_delta(system: _System, residual: dict[int, float], path: str) -> int | None:
    """The one delta of `path` that zeroes every remaining residual, if any."""
    mine = set(system.of_path.get(path, []))
    if not residual or not residual.keys() <= mine:
        return None
    deltas = {-residual[k] / system.coefs[k][path] for k in residual}
    if len(deltas) != 1:
        return None
    delta = deltas.pop()
    # Identities of `path` that hold now must stay holding: impossible with delta != 0.
    if any(k not in residual for k in mine) or delta != int(delta):
        return None
    return int(delta)


def _apply(
    values: dict[str, Number],
    solution: dict[str, int],
    options: dict[str, dict[int, str]],
    readings: dict[str, Reading],
) -> tuple[dict[str, Number], list[Correction], list[Finding]]:
    corrections, findings = [], []
    for path, new in sorted(solution.items()):
        old = values[path]
        why = options[path][new]
        raw = readings[path].raw
        conf = readings[path].confidence
        reason = (
            f"read {raw!r} (confidence {conf:.2f}); {new} is the only value one OCR slip "
            f"away ({why}) that makes every identity hold"
        )
        values[path] = new
        corrections.append(Correction(path=path, old=old, new=new, reason=reason))
        findings.append(
            Finding(
                code="repaired",
                severity="info",
                message=f"{path}: corrected {old} to {new}: {reason}",
                paths=[path],
            )
        )
    return values, corrections, findings


def _names(broken: list[Identity]) -> str:
    return "; ".join(i.label for i in broken[:4]) + (" ..." if len(broken) > 4 else "")


def _paths(broken: list[Identity]) -> list[str]:
    return sorted({p for i in broken for p in i.paths})


def _ambiguous(broken: list[Identity], solutions: list[dict[str, int]]) -> Finding:
    shown = " | ".join(", ".join(f"{p}={v}" for p, v in sorted(s.items())) for s in solutions[:3])
    return Finding(
        code="ambiguous_repair",
        severity="error",
        message=(
            f"identities broken ({_names(broken)}); several corrections of low-confidence "
            f"readings would restore them ({shown}), so none was applied"
        ),
        paths=_paths(broken),
    )


def _unprovable(broken: list[Identity], n_suspects: int) -> Finding:
    return Finding(
        code="ambiguous_repair",
        severity="error",
        message=f"identities broken ({_names(broken)}); {n_suspects} readings are doubtful, "
        "too many to prove that a correction is the only one, so none was applied",
        paths=_paths(broken),
    )


def _unrepairable(broken: list[Identity], options: dict[str, dict[int, str]]) -> Finding:
    why = (
        "no change of a low-confidence reading by one OCR slip restores them"
        if options
        else "every number involved was read with confidence"
    )
    return Finding(
        code="unrepairable",
        severity="error",
        message=f"identities broken ({_names(broken)}): {why}; the printed report may be "
        "inconsistent",
        paths=_paths(broken),
    )


__all__ = [
    "CONFUSED_PAIRS",
    "CONFUSIONS",
    "LOW_CONFIDENCE",
    "Correction",
    "Reading",
    "alternatives",
    "repair",
]
