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
identities are reported as broken instead. Unknowns that share no identity are
judged apart, so a broken identity in one corner leaves the rest to be filled.
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


def infer(values: Mapping[str, Number], unknown: set[str], fmt: Format,
          trusted: set[str] | None = None) -> list[Inference]:
    """The values of `unknown` paths that the identities determine.

    Only `trusted` values (default: all) are used to work a value out: a doubtful
    reading there would pass its own error on. Unknowns linked by identities are
    solved together; where their identities contradict each other, counting every
    value read (a misreading elsewhere, or a printed inconsistency), none of that
    group is filled in.
    """
    read = {p: v for p, v in values.items() if p not in unknown and v is not None}
    known = {p: v for p, v in read.items() if trusted is None or p in trusted}
    idents = identities(fmt)
    if sum(1 for i in idents if i.holds(read) is False) > MAX_BROKEN:
        return []
    out: list[Inference] = []
    for group in _groups([i for i in idents if unknown.intersection(i.paths)], unknown):
        solved = _solve(group, known, unknown, read)
        out.extend(Inference(p, values.get(p), v, ident)
                   for p, (v, ident) in sorted(solved.items()))
    return sorted(out, key=lambda inf: inf.path)


def _groups(idents: list[Identity], unknown: set[str]) -> list[list[Identity]]:
    """The identities in groups that share no unknown path with another group."""
    groups: list[tuple[set[str], list[Identity]]] = []
    for ident in idents:
        mine = unknown.intersection(ident.paths)
        joined = [g for g in groups if g[0] & mine]
        for g in joined:
            groups.remove(g)
            mine |= g[0]
        groups.append((mine, [i for g in joined for i in g[1]] + [ident]))
    return [g[1] for g in groups]


def _solve(idents: list[Identity], known: Mapping[str, Number], unknown: set[str],
           read: Mapping[str, Number]) -> dict[str, tuple[int, Identity]]:
    """Unknowns of one group fixed by its identities; none when they contradict."""
    solved: dict[str, tuple[int, Identity]] = {}

    def value(p: str) -> Number:
        return solved[p][0] if p in solved else known.get(p)

    progress = True
    while progress:
        progress = False
        for ident in idents:
            coef = ident.coefficients()
            open_ = [p for p in coef if p in unknown and p not in solved]
            if not open_ or any(value(p) is None for p in coef if p not in open_):
                continue  # nothing to find, or a number missing that is not ours to find
            # sum(coef * x) over the open paths must equal -residual
            residual = sum(coef[p] * (value(p) or 0) for p in coef if p not in open_)
            signs = {coef[p] for p in open_}
            if len(open_) == 1:
                [p] = open_
                x = -residual / coef[p]
                if x < 0 or x != int(x):
                    return {}  # no count fits
                solved[p] = (int(x), ident)
            elif len(signs) == 1 and -residual * signs.pop() <= 0:
                if residual != 0:
                    return {}  # the unknown terms would have to sum below zero
                for p in open_:  # non-negative terms summing to 0
                    solved[p] = (0, ident)
            else:
                continue
            progress = True
    after = {**read, **{p: v for p, (v, _) in solved.items()}}
    if any(ident.holds(after) is False for ident in idents):
        return {}
    return solved


__all__ = ["Inference", "infer"]
