"""Numbers the identities leave no choice about, where the reading cannot say.

A cell under a seal, or whose text is unreadable, gives no usable reading. The
identities, with every count non-negative (TEMPLATE.md §5), may still allow one
value only: a sum with one unknown term fixes that term, and a total of 0 makes
every unknown term under it 0. Such values are filled in, each with a warning
finding that names the identity and what was read, so the document stays
`needs_review`: the value rests on the printed totals being right, which only a
person can confirm against the page.

Nothing is filled in unless every identity that touches a filled value holds
afterwards; otherwise the printed report, or another reading, is wrong and the
identities are reported as broken instead. Each value is judged by its own
identities, so a broken identity in one corner leaves the rest to be filled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from schemas.identities import Identity, identities
from schemas.paths import Format

Number = int | float | None

# Identities the other readings break: one slip in print breaks two. More, and the
# readings (a column misread throughout, say) are no ground to work values out on.
MAX_BROKEN = 3


@dataclass
class Inference:
    path: str
    old: Number
    new: int
    identity: Identity


@dataclass(frozen=True)
class Conflict:
    """`path` cannot take a count that makes both identities hold: one of them is
    broken in print (or a reading it rests on is wrong)."""

    path: str
    worked_out_by: Identity
    broken: Identity


def infer(values: Mapping[str, Number], unknown: set[str], fmt: Format,
          trusted: set[str] | None = None) -> list[Inference]:
    """The values `infer_all` works out, without the conflicts it met."""
    return infer_all(values, unknown, fmt, trusted)[0]


def infer_all(values: Mapping[str, Number], unknown: set[str], fmt: Format,
              trusted: set[str] | None = None) -> tuple[list[Inference], list[Conflict]]:
    """The values of `unknown` paths that the identities determine.

    Only `trusted` values (default: all) are used to work a value out: a doubtful
    reading there would pass its own error on. A value is kept only if every
    identity it takes part in holds afterwards, counting every value read (or
    cannot be evaluated); otherwise it, and whatever was worked out from it, is
    dropped: a misreading elsewhere, or a printed inconsistency, is there.
    """
    read = {p: v for p, v in values.items() if p not in unknown and v is not None}
    known = {p: v for p, v in read.items() if trusted is None or p in trusted}
    idents = identities(fmt)
    if sum(1 for i in idents if i.holds(read) is False) > MAX_BROKEN:
        return [], []
    solved, refused = _solve([i for i in idents if unknown.intersection(i.paths)], known,
                             unknown)
    # An identity no count could satisfy condemns what was worked out in it.
    conflicts = [Conflict(p, solved[p].identity, i)
                 for i in refused for p in i.paths if p in solved]
    wrong = {c.path for c in conflicts}
    while True:
        if wrong:
            for p in _with_descendants(wrong, solved):
                del solved[p]
        after = {**read, **{p: d.value for p, d in solved.items()}}
        failing = [i for i in idents if i.holds(after) is False]
        wrong = {p for i in failing for p in i.paths if p in solved}
        conflicts += [Conflict(p, solved[p].identity, i)
                      for i in failing for p in i.paths if p in solved]
        if not wrong:
            break
    inferred = [Inference(p, values.get(p), d.value, d.identity) for p, d in sorted(solved.items())]
    return inferred, conflicts


@dataclass
class _Deduction:
    value: int
    identity: Identity
    inputs: frozenset[str]  # values worked out before, that this one rests on


def _solve(idents: list[Identity], known: Mapping[str, Number],
           unknown: set[str]) -> tuple[dict[str, _Deduction], list[Identity]]:
    """Unknowns fixed by one identity at a time, until none is fixed any more. An
    identity no count can satisfy is left aside (the checks afterwards judge it)."""
    solved: dict[str, _Deduction] = {}
    refused: set[int] = set()

    def value(p: str) -> Number:
        return solved[p].value if p in solved else known.get(p)

    progress = True
    while progress:
        progress = False
        for k, ident in enumerate(idents):
            if k in refused:
                continue
            coef = ident.coefficients()
            open_ = [p for p in coef if p in unknown and p not in solved]
            if not open_ or any(value(p) is None for p in coef if p not in open_):
                continue  # nothing to find, or a number missing that is not ours to find
            inputs = frozenset(p for p in coef if p in solved)
            # sum(coef * x) over the open paths must equal -residual
            residual = sum(coef[p] * (value(p) or 0) for p in coef if p not in open_)
            signs = {coef[p] for p in open_}
            if len(open_) == 1:
                [p] = open_
                x = -residual / coef[p]
                if x < 0 or x != int(x):
                    refused.add(k)  # no count fits
                    continue
                solved[p] = _Deduction(int(x), ident, inputs)
            elif len(signs) == 1 and -residual * signs.pop() <= 0:
                if residual != 0:
                    refused.add(k)  # the unknown terms would have to sum below zero
                    continue
                for p in open_:  # non-negative terms summing to 0
                    solved[p] = _Deduction(0, ident, inputs)
            else:
                continue
            progress = True
    return solved, [idents[k] for k in sorted(refused)]


def _with_descendants(paths: set[str], solved: dict[str, _Deduction]) -> set[str]:
    out = set(paths)
    grew = True
    while grew:
        grew = False
        for p, d in solved.items():
            if p not in out and d.inputs & out:
                out.add(p)
                grew = True
    return out


__all__ = ["Conflict", "Inference", "infer", "infer_all"]
