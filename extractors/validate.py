"""Identities, repair of OCR misreads they prove, and the document's status."""

from __future__ import annotations

from extractors.template import CellValue
from schemas import Finding, check
from schemas.identities import identities
from schemas.paths import Format

# OCR readings below this confidence are uncertain unless an identity confirms them.
LOW_CONFIDENCE = 0.85


def validate(values: dict[str, CellValue], fmt: Format) -> tuple[list[Finding], bool]:
    """Findings for the numbers (mutating repaired cells), and whether anything was repaired."""
    numbers = {p: cv.value for p, cv in values.items()}
    findings = check(numbers, fmt)
    repaired = False
    ocr = any(cv.source == "ocr" for cv in values.values())
    if findings and ocr:
        repaired, findings = _try_repair(values, numbers, fmt, findings)
    findings.extend(_uncertain(values, fmt))
    return findings, repaired


def _try_repair(values: dict[str, CellValue], numbers: dict[str, int | float | None],
                fmt: Format, findings: list[Finding]) -> tuple[bool, list[Finding]]:
    try:
        from extractors.repair import Reading, repair
    except ImportError:
        return False, findings
    readings = {
        p: Reading(value=cv.value, raw=cv.raw, confidence=cv.confidence, source=cv.source,
                   obscured=cv.obscured)
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
    """Low-confidence OCR numbers that no holding identity vouches for."""
    numbers = {p: cv.value for p, cv in values.items()}
    vouched: set[str] = set()
    for ident in identities(fmt):
        if ident.holds(numbers):
            vouched.update(ident.paths)
    out = []
    for path, cv in values.items():
        if cv.source != "ocr" or cv.value is None or cv.corrected_from is not None:
            continue
        if cv.confidence < LOW_CONFIDENCE and path not in vouched:
            out.append(Finding(
                code="low_confidence", severity="warning",
                message=f"{path}: read {cv.raw!r} with confidence {cv.confidence:.2f}; "
                        "please check it against the document", paths=[path]))
    return out
