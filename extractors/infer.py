"""Numbers the identities leave no choice about, where the reading cannot say.

A cell under a seal, or whose text is unreadable, gives no usable reading. The
identities, with every count non-negative (TEMPLATE.md §5), may still allow one
value only: a sum with one unknown term fixes that term, and a total of 0 makes
every unknown term under it 0. Such values are filled in, each with a warning
finding that names the identity and what was read, so the document stays
`needs_review`: the value rests on the printed totals being right, which only a
person can confirm against the page.

Where no identity fixes an unknown alone, the identities together may
(`complete`): every non-negative count is tried, and a set of counts that is
the only one to make them all hold is filled in, the same way. Where they allow
a few, the recogniser's evidence in the cells' ink may choose one; the finding
says so.

Nothing is filled in unless every identity that touches a filled value holds
afterwards; otherwise the printed report, or another reading, is wrong and the
identities are reported as broken instead. Each value is judged by its own
identities, so a broken identity in one corner leaves the rest to be filled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from schemas.identities import Identity, identities
from schemas.paths import Format

Number = int | float | None

# Identities the other readings break: one slip in print breaks two. More, and the
# readings (a column misread throughout, say) are no ground to work values out on.
MAX_BROKEN = 3
# Unknowns worked out together, and the assignments tried, at most, per group.
MAX_OPEN = 24
MAX_TRIES = 20000
# Sets of counts the ink may choose among, and by how much (log-likelihood: the
# chosen set at least e**4, some 55 times, likelier than the next).
MAX_CHOICES = 24
CHOICE_MARGIN = 4.0


@dataclass
class Inference:
    path: str
    old: Number
    new: int
    identity: Identity
    among: int = 1  # the sets of counts the identities allowed; the ink chose when more


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


def complete(values: Mapping[str, Number], unknown: set[str], fmt: Format,
             doubtful: set[str] | frozenset[str] = frozenset(),
             weigh: Callable[[str, int], float | None] | None = None) -> list[Inference]:
    """For each group of `unknown` cells that share identities, the one set of counts
    under which all their identities hold, the other values taken as read.

    A `doubtful` reading in those identities is taken as read only where the others
    pin it down too (it is the one count it can be with it left open as well): else
    a misreading there would pass its error on to the unknown cells.

    Where the identities allow a few sets of counts, `weigh` (the log-likelihood of
    a count in a cell's ink, None where it cannot say) may choose: the set the ink
    fits best, by `CHOICE_MARGIN` over the next."""
    idents = identities(fmt)
    value = values.get
    usable = [i for i in idents if unknown.intersection(i.paths)
              and all(value(p) is not None for p in i.paths if p not in unknown)]

    def solve(group: list[Identity], open_: set[str]) -> tuple[dict[str, int] | None, int]:
        counts = _unique_counts(group, value, open_)
        if counts is None and weigh is not None:
            return _best_fit(group, value, open_, weigh)
        return counts, 1

    found: dict[str, int] = {}
    among: dict[str, int] = {}
    for group in _groups(usable, {p for i in usable for p in i.paths if p in unknown}):
        open_ = {p for i in group for p in i.paths if p in unknown}
        counts, n = solve(group, open_)
        if counts is not None and all(
                _pinned(d, counts, idents, value, open_, solve)
                for d in sorted({p for i in group for p in i.paths} & doubtful - open_)):
            found.update(counts)
            among.update(dict.fromkeys(counts, n))
    after = {**values, **found}
    if not found or any(i.holds(after) is not True for i in idents if found.keys() & set(i.paths)):
        return []
    first = {p: next(i for i in usable if p in i.paths) for p in found}
    return [Inference(p, values.get(p), x, first[p], among[p]) for p, x in sorted(found.items())]


def _best_fit(idents: list[Identity], value: Callable[[str], Number], open_: set[str],
              weigh: Callable[[str, int], float | None]) -> tuple[dict[str, int] | None, int]:
    """Of the few sets of counts the identities allow, the one the ink fits best, and
    how many there were."""
    sets = _counts(idents, value, open_, MAX_CHOICES)
    if not 1 < len(sets) <= MAX_CHOICES:
        return None, len(sets)
    # a cell whose ink cannot be weighed favours no set: the others decide
    fits = [sum(v for p, x in counts.items() if (v := weigh(p, x)) is not None)
            for counts in sets]
    order = sorted(range(len(sets)), key=lambda k: -fits[k])
    if fits[order[0]] - fits[order[1]] < CHOICE_MARGIN:
        return None, len(sets)
    return sets[order[0]], len(sets)


def _pinned(d: str, counts: dict[str, int], idents: list[Identity],
            value: Callable[[str], Number], open_: set[str],
            solve: Callable[[list[Identity], set[str]],
                            tuple[dict[str, int] | None, int]]) -> bool:
    """Whether the doubtful reading `d` is what `solve` finds for it, with the
    group's unknowns, when it is left open as well."""
    wider = open_ | {d}
    around = [i for i in idents if wider.intersection(i.paths)]
    return not any(value(p) is None for i in around for p in i.paths if p not in wider) \
        and solve(around, wider)[0] == {**counts, d: value(d)}


def _groups(idents: list[Identity], open_: set[str]) -> list[list[Identity]]:
    """The identities in groups that share open unknowns."""
    groups: list[tuple[set[str], list[Identity]]] = []
    for ident in idents:
        mine = open_.intersection(ident.paths)
        joined = [g for g in groups if g[0] & mine]
        paths, members = set(mine), [ident]
        for g in joined:
            paths |= g[0]
            members += g[1]
            groups.remove(g)
        groups.append((paths, members))
    return [m for _p, m in groups]


def _unique_counts(idents: list[Identity], value: Callable[[str], Number],
                   open_: set[str]) -> dict[str, int] | None:
    """The one assignment of non-negative integers to `open_` under which every
    identity holds, or None (none, several, unbounded, or too many to try)."""
    found = _counts(idents, value, open_, 1)
    return found[0] if len(found) == 1 else None


def _counts(idents: list[Identity], value: Callable[[str], Number], open_: set[str],
            limit: int) -> list[dict[str, int]]:
    """Every assignment of non-negative integers to `open_` under which every
    identity holds; [] when there are more than `limit`, when a count is unbounded,
    or when there are too many to try."""
    if len(open_) > MAX_OPEN:
        return []
    coefs = [i.coefficients() for i in idents]
    found: list[dict[str, int]] = []
    budget = [MAX_TRIES]

    def settle(assign: dict[str, int]) -> dict[str, int] | None:
        """`assign` with what it fixes one identity at a time; None if one breaks."""
        assign = dict(assign)
        progress = True
        while progress:
            progress = False
            for coef in coefs:
                free = [p for p in coef if p in open_ and p not in assign]
                residual = sum(coef[p] * (assign[p] if p in open_ else value(p) or 0)
                               for p in coef if p not in free)
                if not free:
                    if residual != 0:
                        return None
                elif len(free) == 1:
                    x = -residual / coef[free[0]]
                    if x < 0 or x != int(x):
                        return None
                    assign[free[0]] = int(x)
                    progress = True
                elif len({coef[p] for p in free}) == 1 and -residual * coef[free[0]] < 0:
                    return None  # non-negative terms cannot sum below zero
        return assign

    def most(p: str, assign: dict[str, int]) -> int | None:
        """The largest count `p` can take: what is left of a sum it is a term of."""
        best = None
        for coef in coefs:
            free = [q for q in coef if q in open_ and q not in assign]
            if p in free and len({coef[q] for q in free}) == 1:
                left = abs(sum(coef[q] * (assign[q] if q in open_ else value(q) or 0)
                               for q in coef if q not in free))
                best = left if best is None else min(best, left)
        return None if best is None else int(best)

    def search(assign: dict[str, int]) -> bool:
        """False when the search must stop (a second answer, unbounded, budget)."""
        budget[0] -= 1
        if budget[0] < 0:
            return False
        settled = settle(assign)
        if settled is None:
            return True
        rest = sorted(open_ - settled.keys())
        if not rest:
            found.append(settled)
            return len(found) <= limit
        bounds = [(b, p) for p in rest if (b := most(p, settled)) is not None]
        if not bounds:
            return False
        b, p = min(bounds)
        return all(search({**settled, p: x}) for x in range(b + 1))

    return found if search({}) else []


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


__all__ = ["Conflict", "Inference", "complete", "infer", "infer_all"]
