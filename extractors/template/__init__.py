"""Mapping reconstructed tables onto the template (2021 and 2019 formats).

The format is decided from the tables (TEMPLATE.md §6: reports that cite the
2019 notice print 2021 tables and the other way round), table 3 first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.layout import Grid
from extractors.template.active import detect_format, is_active, map_active
from extractors.template.applications import is_applications, map_applications
from extractors.template.model import NONE_READINGS, CellValue, TableMapping
from extractors.template.reviews import is_reviews, map_reviews
from schemas import Finding
from schemas.paths import Format

ROLES = ("active_disclosure", "applications", "reviews_and_litigation")


@dataclass
class Mapping:
    format: Format | None
    values: dict[str, CellValue] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    found: set[str] = field(default_factory=set)  # roles of the tables found


def assign_roles(grids: list[Grid]) -> None:
    """Name each template table: of the tables that pass a role's test, the one with
    the most cells (a scan may cut a stray fragment, such as a table's header under
    its title, into a table of its own); the first on a tie."""
    for g in grids:
        g.role = None
    for role, test in (
        ("applications", is_applications),
        ("reviews_and_litigation", is_reviews),
        ("active_disclosure", is_active),
    ):
        candidates = [g for g in grids if g.role is None and test(g)]
        if candidates:
            best = max(candidates, key=lambda g: len(g.cells))  # max keeps the first of ties
            best.role = role


def map_tables(grids: list[Grid]) -> Mapping:
    assign_roles(grids)
    by_role = {g.role: g for g in grids if g.role}
    # Table 3's own rows decide; table 2's column headings break a tie.
    act_fmt = detect_format(by_role["active_disclosure"]) if "active_disclosure" in by_role \
        else None
    fmt: Format | None = None
    apps: TableMapping | None = None
    uncertain = False
    if "applications" in by_role:
        apps = map_applications(by_role["applications"], act_fmt)
        if apps.format_votes:
            fmt = "2019" if "2019" in apps.format_votes else "2021"
        else:
            fmt, uncertain = act_fmt or "2021", act_fmt is None
    else:
        fmt = act_fmt
    mapping = Mapping(format=fmt, found=set(by_role))
    if fmt is None:
        return mapping
    if uncertain:
        mapping.findings.append(Finding(
            code="format_uncertain", severity="warning",
            message="neither table 3's rows nor table 2's headings show the format; "
                    "read as 2021"))
    parts: list[TableMapping] = []
    if "active_disclosure" in by_role:
        part = map_active(by_role["active_disclosure"], fmt)
        if act_fmt is not None and act_fmt != fmt:
            part.findings.append(Finding(
                code="format_mixed", severity="warning",
                message=f"table 2 follows the {act_fmt} format but table 3 the {fmt} format; "
                        f"the report is read as {fmt}"))
        parts.append(part)
    if apps is not None:
        parts.append(apps)
    if "reviews_and_litigation" in by_role:
        parts.append(map_reviews(by_role["reviews_and_litigation"]))
    for part in parts:
        mapping.values.update(part.values)
        mapping.findings.extend(part.findings)
    _zeros_printed_as_none(mapping)
    return mapping


MIN_NONE_READINGS = 5  # count cells so read before the report is taken to print 无
NONE_CONFIDENCE = 0.6  # below validation's LOW_CONFIDENCE: an identity vouches, or a person


def _zeros_printed_as_none(mapping: Mapping) -> None:
    """In a scanned report whose count cells read 无 or its lookalikes in several
    places, a count cell read as one character that is no digit is its 无: 0, for an
    identity to vouch for. Recorded in one finding; the cells keep their raw text."""
    scanned = {p: cv for p, cv in mapping.values.items() if cv.source == "ocr"}
    if sum(cv.raw.strip() in NONE_READINGS for cv in scanned.values()) < MIN_NONE_READINGS:
        return
    # a letter or character, not a digit or a speck of punctuation
    taken = sorted(p for p, cv in scanned.items()
                   if cv.value is None and len(cv.raw.strip()) == 1 and cv.raw.strip().isalpha())
    if not taken:
        return
    for p in taken:
        cv = mapping.values[p]
        cv.value, cv.blank, cv.confidence = 0, True, NONE_CONFIDENCE
    gone = set(taken)
    mapping.findings[:] = [f for f in mapping.findings
                           if not (f.code == "unreadable_cell" and set(f.paths) <= gone)]
    mapping.findings.append(Finding(
        code="none_marks", severity="warning",
        message=f"the report prints its zeros as 无: {len(taken)} count cells read as one "
                "other character are taken for it (0), each for an identity or a person "
                "to confirm", paths=taken))


# A black-and-white scan can erase a digit's thin strokes whole and leave another
# digit, read with full confidence (10263-0004: 14022 read 11022, the 4 left as its
# stem). Table 2 has no identity to catch it: its numbers from such pages are for a
# person to confirm.
BILEVEL_TABLE_2_CONFIDENCE = 0.8  # below validation's LOW_CONFIDENCE


def doubt_table_2_on_bilevel(mapping: Mapping, bilevel_pages: set[int]) -> None:
    """Cap the confidence of table 2's non-zero numbers read from black-and-white
    pages, with one finding naming them."""
    doubted = sorted(p for p, cv in mapping.values.items()
                     if p.startswith("active_disclosure.") and cv.source == "ocr"
                     and cv.page in bilevel_pages and cv.value not in (None, 0))
    if not doubted:
        return
    for p in doubted:
        cv = mapping.values[p]
        cv.confidence = min(cv.confidence, BILEVEL_TABLE_2_CONFIDENCE)
    mapping.findings.append(Finding(
        code="bilevel_unchecked", severity="warning",
        message=f"table 2 was read from a black-and-white scan, where a digit can lose "
                f"its thin strokes and read as another (4 as 1); no identity checks its "
                f"{len(doubted)} non-zero numbers: please check them against the document",
        paths=doubted))


__all__ = ["ROLES", "CellValue", "Mapping", "assign_roles", "doubt_table_2_on_bilevel",
           "map_tables"]
