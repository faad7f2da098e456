"""Identities, repair of OCR misreads they prove, and the document's status."""

from __future__ import annotations

from functools import cache

from extractors.infer import Conflict, Inference, infer_all
from extractors.layout import OBSCURED_CONFIDENCE
from extractors.marks import STROKE_READINGS
from extractors.template import CellValue
from schemas import Finding, check
from schemas.identities import identities
from schemas.paths import Format

# OCR readings below this confidence are uncertain unless an identity confirms them.
LOW_CONFIDENCE = 0.85
# Below this a reading in a broken identity may be a misreading (repair's threshold).
SUSPECT_CONFIDENCE = 0.95


def validate(values: dict[str, CellValue], fmt: Format) -> tuple[list[Finding], bool]:
    """Findings for the numbers (mutating repaired and inferred cells), and whether
    anything was repaired."""
    ocr = any(cv.source == "ocr" for cv in values.values())
    conflicts: list[Conflict] = []
    # Unreadable cells and doubtful readings under a seal first: no reading helps
    # there, and values the identities fix give the repair more identities to use.
    inferred = _infer(values, fmt, _unread(values, fmt), conflicts) if ocr else []
    numbers = _numbers(values)
    findings = check(numbers, fmt)
    repaired = False
    if findings and ocr:
        repaired, findings = _try_repair(values, numbers, fmt, findings)
        if check(_numbers(values), fmt):
            # No repair proven: doubtful readings in the broken identities are as
            # good as unread, and the identities may still fix them; the less
            # doubtful are taken as known first, as what they fix may settle the rest.
            more: list[Finding] = []
            for below in (LOW_CONFIDENCE, SUSPECT_CONFIDENCE):
                more += _infer(values, fmt, _doubtful(values, fmt, below) | _unread(values, fmt))
            if more:
                inferred += more
                still = check(_numbers(values), fmt)
                findings = still + _notes(findings) if still else []
    if ocr:
        more = _complete(values, fmt)
        if more:
            inferred += more
            findings = check(_numbers(values), fmt) + _notes(findings)
    findings.extend(_contradictions(values, conflicts))
    findings.extend(_past_any_count(values, fmt, findings))
    findings.extend(inferred)
    findings.extend(_uncertain(values, fmt))
    return findings, repaired


def _notes(findings: list[Finding]) -> list[Finding]:
    """The repair's own notes among `findings` (what it tried), kept when the broken
    identities are checked again."""
    return [f for f in findings if f.code in ("unrepairable", "ambiguous_repair")]


def _numbers(values: dict[str, CellValue]) -> dict[str, int | float | None]:
    return {p: cv.value for p, cv in values.items()}


def _contradictions(values: dict[str, CellValue], conflicts: list[Conflict]) -> list[Finding]:
    """Identities that a cell left unread keeps from being checked, yet which no count
    in it can make hold together: the printed report breaks one of them (or a
    reading they rest on is wrong). Both are named."""
    numbers = _numbers(values)
    out: dict[str, Finding] = {}
    for c in conflicts:
        if numbers.get(c.path) is not None or c.broken.holds(numbers) is not None:
            continue  # filled in after all, or checked (and reported) as it is
        message = (f"identity broken, {c.broken.label}, or {c.worked_out_by.label}: "
                   f"{c.path} is unreadable, and no count there makes both hold")
        paths = sorted({*c.broken.paths, *c.worked_out_by.paths})
        for ident in (c.broken, c.worked_out_by):
            out.setdefault(ident.label, Finding(code=ident.code, severity="error",
                                                message=message, paths=paths))
    return list(out.values())


def _past_any_count(values: dict[str, CellValue], fmt: Format,
                    found: list[Finding]) -> list[Finding]:
    """Identities with cells unread, all on one side, that no counts there make hold
    (they would have to sum to a negative number, or a fraction): the printed report
    breaks them, or a reading they rest on is wrong. Each is named, as a broken
    identity is, unless it is already. (10521-0002: a seal left two 0s of a column
    unread, and the column's printed break, 4 too many, went unnamed.)"""
    numbers = _numbers(values)
    out = []
    for ident in identities(fmt):
        unread = [p for p in ident.paths if numbers.get(p) is None]
        if not unread or any(values.get(p) is None for p in unread):
            continue
        coef = ident.coefficients()
        coefs = {coef[p] for p in unread}
        if len(coefs) != 1 or 0 in coefs or any(
                f.code == ident.code and set(ident.paths) <= set(f.paths) for f in found):
            continue
        left, right = ident.sides(numbers)
        need = (right - left) / coefs.pop()
        if need >= 0 and need == int(need):
            continue
        cells = (f"{unread[0]} is unreadable, and no count there makes it hold (it would be"
                 if len(unread) == 1 else
                 f"{', '.join(unread)} are unreadable, and no counts there make it hold "
                 "(they would sum to")
        out.append(Finding(
            code=ident.code, severity="error", paths=list(ident.paths),
            message=f"identity broken, {ident.label}: {cells} {need:g})"))
    return out


def _clear_under_seal(cv: CellValue) -> bool:
    """A reading under a seal held at the cap: it was that clear before the seal was seen."""
    return cv.obscured and cv.confidence >= OBSCURED_CONFIDENCE


def _unread(values: dict[str, CellValue], fmt: Format) -> set[str]:
    """Cells found but unreadable, and readings under a seal that were doubtful even
    before it was seen, in an identity that does not hold."""
    numbers = _numbers(values)
    open_ = _unsettled(numbers, fmt)
    return {
        p for p, cv in values.items()
        if cv.source == "ocr" and cv.page is not None and (
            (cv.value is None and cv.raw.strip())
            or (cv.obscured and not _clear_under_seal(cv) and p in open_))
    }


def _doubtful(values: dict[str, CellValue], fmt: Format, below: float) -> set[str]:
    """OCR readings with less confidence than `below`, in identities that do not hold;
    not readings under a seal that were clear before it was seen (held at the cap):
    like a printed inconsistency, a misreading there is never put right."""
    numbers = _numbers(values)
    open_ = _unsettled(numbers, fmt)
    return {p for p, cv in values.items()
            if _read_doubtfully(cv, below) and not _clear_under_seal(cv) and p in open_}


def _read_doubtfully(cv: CellValue, below: float) -> bool:
    """An OCR number as read (not repaired, not worked out), less sure than `below`."""
    return cv.source == "ocr" and cv.value is not None and cv.confidence < below \
        and cv.corrected_from is None and not cv.inferred


def _unsettled(numbers: dict[str, int | float | None], fmt: Format) -> set[str]:
    """Paths of the identities that fail or cannot be evaluated."""
    return {p for ident in identities(fmt) if not ident.holds(numbers) for p in ident.paths}


def _infer(values: dict[str, CellValue], fmt: Format, unknown: set[str],
           conflicts: list[Conflict] | None = None) -> list[Finding]:
    if not unknown:
        return []
    # A reading under a seal held at the cap was clear before the seal was seen: it
    # may help work out a value (every identity it is in must then hold), though it
    # is never repaired itself.
    trusted = {p for p, cv in values.items()
               if cv.source != "ocr" or cv.confidence >= LOW_CONFIDENCE or cv.inferred
               or _clear_under_seal(cv)}
    while True:
        inferred, found = infer_all(_numbers(values), unknown, fmt, trusted)
        # A count the identities want that no misreading of the digits explains
        # ("7" read where they want 4) is a printed inconsistency to name, not a
        # misreading to replace; a count of 0 is (noise read on a 0 or a dash).
        implausible = {inf.path for inf in inferred if _beyond_a_slip(values[inf.path], inf.new)}
        if not implausible:
            break
        unknown = unknown - implausible
    if conflicts is not None:
        conflicts.extend(found)
    return _record(values, inferred, fmt)


def _complete(values: dict[str, CellValue], fmt: Format) -> list[Finding]:
    """Unreadable cells left over that only the identities together fix."""
    from extractors.infer import complete

    unknown = _unread(values, fmt)
    if not unknown:
        return []
    # A seal that hides some cells may have added strokes to those it let through
    # ("31" for 3): its clear readings in identities that do not hold are open too.
    # Alone, such a reading is kept: it may be the report's own break.
    open_ = _unsettled(_numbers(values), fmt)
    unknown |= {p for p, cv in values.items()
                if _clear_under_seal(cv) and not cv.inferred and p in open_}
    doubtful = {p for p, cv in values.items()
                if cv.source == "ocr" and cv.confidence < LOW_CONFIDENCE and not cv.inferred}
    # each (cell, count) is weighed once, however many sets of counts hold it
    weigh = cache(lambda p, x: _ink_fit(values[p], x))
    return _record(values, complete(_numbers(values), unknown, fmt, doubtful, weigh), fmt)


def _broken_as_read(values: dict[str, CellValue], fmt: Format,
                    found: list[Inference]) -> list[Finding]:
    """The identities that readings worked out otherwise break as read: the reading
    may be wrong (a seal's strokes, specks on a blurred 0), or the report prints the
    figure so (a 3 printed where its totals say 0, read doubtfully as 9; a 10 under a
    seal read clearly as 210). Which, only the page can tell, so each such identity
    is named as broken. Read before the values are applied."""
    after = {**_numbers(values), **{inf.path: inf.new for inf in found}}
    out: dict[str, Finding] = {}
    for inf in found:
        cv = values[inf.path]
        if cv.inferred or inf.old is None or inf.old == inf.new or (
                cv.obscured and not _clear_under_seal(cv)):
            continue  # (a doubtful reading under a seal is what the seal left: no figure)
        as_read = {**after, inf.path: inf.old}
        where = " under a seal" if cv.obscured else ""
        for ident in identities(fmt):
            if inf.path in ident.paths and ident.holds(as_read) is False:
                out.setdefault(ident.label, Finding(
                    code=ident.code, severity="error", paths=list(ident.paths),
                    message=f"identity broken as read, {ident.label}: {inf.path} read "
                            f"{cv.raw!r} (confidence {cv.confidence:.2f}){where}, where only "
                            f"{inf.new} makes it hold: a misreading, or the report prints "
                            "it so"))
    return list(out.values())


def _ink_fit(cv: CellValue, count: int) -> float | None:
    """How well `count` fits the ink of a cell under a seal (log-likelihood), or None
    where the recogniser's evidence was not kept."""
    # (computed on first use: `extractors.scan.InkScores`)
    scores = cv.scores() if callable(cv.scores) else cv.scores
    if scores is None:
        return None
    from extractors.ocr.lines import log_likelihood

    texts = ("0", "—", "无", "") if count == 0 else (str(count),)
    return max(log_likelihood(scores, t) for t in texts)


def _record(values: dict[str, CellValue], inferred: list[Inference],
            fmt: Format) -> list[Finding]:
    """Apply worked-out values, each with its finding, and the identities the readings
    they replace break (`_broken_as_read`)."""
    named = _broken_as_read(values, fmt, inferred)
    out = []
    for inf in inferred:
        cv = values[inf.path]
        if cv.inferred and cv.value == inf.new:
            continue  # worked out again, the same: its finding is there already
        where = " under a seal" if cv.obscured else ""
        read = f"read {cv.raw!r} (confidence {cv.confidence:.2f}){where}"
        if inf.old is not None and inf.old != inf.new and not cv.inferred:
            cv.corrected_from = inf.old  # the value as read, not one worked out before
        cv.value, cv.inferred = inf.new, True
        why = (f"{inf.new} is the only count the identities allow ({inf.identity.label})"
               if inf.among == 1 else
               f"{inf.new} is what the ink fits best of the {inf.among} sets of counts the "
               f"identities allow here ({inf.identity.label})")
        out.append(Finding(code="inferred", severity="warning",
                           message=f"{inf.path}: {read}; {why}; please check it against the "
                                   "document", paths=[inf.path]))
    return out + named


def _beyond_a_slip(cv: CellValue, new: int | float) -> bool:
    """Whether a doubtful reading, clear of any seal, is not one OCR slip from `new`."""
    if cv.value is None or cv.obscured or cv.inferred or new == 0 \
            or not isinstance(cv.value, int):
        return False
    from extractors.repair import alternatives

    return new not in alternatives(str(cv.value))


def _try_repair(values: dict[str, CellValue], numbers: dict[str, int | float | None],
                fmt: Format, findings: list[Finding]) -> tuple[bool, list[Finding]]:
    try:
        from extractors.repair import Reading, repair
    except ImportError:
        return False, findings
    readings = {
        p: Reading(value=cv.value, raw=cv.raw, confidence=cv.confidence, source=cv.source,
                   obscured=cv.obscured or cv.inferred)
        for p, cv in values.items()
    }
    new_values, corrections, notes = repair(numbers, readings, fmt)
    if not corrections:
        return False, findings + notes
    if check(new_values, fmt):  # a repair must make every identity hold
        return False, findings + notes
    for c in corrections:
        cv = values[c.path]
        cv.corrected_from = cv.value
        cv.value = c.new
    return True, notes


def _uncertain(values: dict[str, CellValue], fmt: Format) -> list[Finding]:
    """Low-confidence OCR numbers that no holding identity vouches for.

    A holding identity vouches for its doubtful terms, but not for two on its two
    sides read alike from a mark that a misreading makes alike again: a blank or
    dash (ink lost or blurred), or a lone stroke read 1 or 7 (a dash or slash). One
    printed number misread so in a row and in its 总计 holds as well as the truth.
    (10449-0012, a black-and-white scan: every printed 2 lost its strokes, read
    blank or dash in a row, its total and the column's totals; all held as 0 = 0.)"""
    numbers = _numbers(values)
    doubtful = {path for path, cv in values.items() if _read_doubtfully(cv, LOW_CONFIDENCE)}
    marks = {p for p in doubtful if values[p].blank or values[p].raw.strip() in STROKE_READINGS}
    vouched: set[str] = set()
    alike: dict[str, str] = {}  # a doubtful mark -> one read alike across an identity
    for ident in identities(fmt):
        if not ident.holds(numbers):
            continue
        left = [p for p in ident.left if p in marks]
        right = [p for p in ident.right if p in marks]
        facing = dict.fromkeys(left, right) | dict.fromkeys(right, left)
        for p in (p for p in ident.paths if p in doubtful):
            twin = next((q for q in facing.get(p, ()) if numbers[q] == numbers[p]), None)
            if twin is None:
                vouched.add(p)
            else:
                alike.setdefault(p, twin)
    out = []
    for path, cv in values.items():
        if path not in doubtful or path in vouched:
            continue
        why = (f"; its identities hold only against {alike[path]}, read alike, so check "
               "both" if path in alike else "; please check it")
        out.append(Finding(
            code="low_confidence", severity="warning",
            message=f"{path}: read {cv.raw!r} with confidence {cv.confidence:.2f}{why} "
                    "against the document", paths=[path]))
    return out
