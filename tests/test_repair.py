"""Repair that the identities prove: property tests on random consistent tables."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.repair import CONFUSIONS, Reading, alternatives, repair
from schemas.identities import check
from schemas.paths import (
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    Format,
    active_paths,
    number_paths,
    result_rows,
)

Values = dict[str, int | float | None]
APP = "applications"


def consistent_table(rnd: random.Random, fmt: Format) -> Values:
    """Every number of a report whose identities all hold."""
    v: Values = {p: rnd.randint(0, 30) for p in active_paths(fmt)}
    cols = [c for c in APPLICANT_COLUMNS if c != "total"]
    big = rnd.random() < 0.3  # some tables have large numbers
    for col in cols:
        rows = result_rows(fmt)
        for r in rows:
            v[f"{APP}.{r}.{col}"] = rnd.choice([0, 0, 0, rnd.randint(0, 2000 if big else 40)])
        total = sum(int(v[f"{APP}.{r}.{col}"] or 0) for r in rows)
        v[f"{APP}.results.total.{col}"] = total
        forward = rnd.randint(0, 9)
        v[f"{APP}.carried_forward.{col}"] = forward
        over = rnd.randint(0, total + forward)
        v[f"{APP}.carried_over.{col}"] = over
        v[f"{APP}.new_received.{col}"] = total + forward - over
    for row, _ in APPLICATION_ROWS[fmt]:
        v[f"{APP}.{row}.total"] = sum(int(v[f"{APP}.{row}.{c}"] or 0) for c in cols)
    for g in REVIEW_GROUPS:
        parts = [rnd.randint(0, 12) for _ in range(4)]
        for c, x in zip(REVIEW_COLUMNS[:4], parts, strict=True):
            v[f"reviews_and_litigation.{g}.{c}"] = x
        v[f"reviews_and_litigation.{g}.total"] = sum(parts)
    assert set(v) == set(number_paths(fmt))
    assert check(v, fmt) == []
    return v


def confident(values: Values) -> dict[str, Reading]:
    return {p: Reading(x, str(x), 0.995, "ocr") for p, x in values.items()}


def slip(rnd: random.Random, value: int) -> str:
    """`value` as OCR might misread it: one confused, dropped or doubled digit."""
    text = str(value)
    while True:
        i = rnd.randrange(len(text))
        kind = rnd.choice(["confuse", "confuse", "drop", "double"])
        if kind == "confuse":
            out = text[:i] + rnd.choice(CONFUSIONS[text[i]]) + text[i + 1 :]
        elif kind == "drop" and len(text) > 1:
            out = text[:i] + text[i + 1 :]
        else:
            out = text[:i] + text[i] + text[i:]
        if out != text and (len(out) == 1 or out[0] != "0"):
            return out


def identity_paths(fmt: Format) -> list[str]:
    """Paths that take part in some identity (active disclosure does not)."""
    return [p for p in number_paths(fmt) if not p.startswith("active_disclosure.")]


def corrupt(
    rnd: random.Random, truth: Values, fmt: Format, n: int, confidence: float
) -> tuple[Values, dict[str, Reading], list[str]]:
    values = dict(truth)
    readings = confident(truth)
    paths = rnd.sample(identity_paths(fmt), n)
    for p in paths:
        raw = slip(rnd, int(truth[p] or 0))
        values[p] = int(raw)
        readings[p] = Reading(int(raw), raw, confidence, "ocr")
    return values, readings, paths


fmts = st.sampled_from(["2021", "2019"])
seeds = st.integers(0, 2**32 - 1)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(fmt=fmts, seed=seeds, n=st.sampled_from([1, 2]))
def test_low_confidence_slips_are_repaired_exactly(fmt: Format, seed: int, n: int) -> None:
    rnd = random.Random(seed)
    truth = consistent_table(rnd, fmt)
    values, readings, paths = corrupt(rnd, truth, fmt, n, confidence=rnd.uniform(0.4, 0.9))
    if check(values, fmt) == []:
        return  # the slips cancel out (e.g. two in one row): nothing to see, nothing to do
    fixed, corrections, findings = repair(values, readings, fmt)
    if fixed != truth:
        # Only allowed when the identities cannot tell: a second repair exists.
        assert fixed == values and corrections == []
        assert [f.code for f in findings] == ["ambiguous_repair"]
        return
    assert sorted(c.path for c in corrections) == sorted(p for p in paths if values[p] != truth[p])
    for c in corrections:
        assert c.old == values[c.path] and c.new == truth[c.path]
    assert [f.code for f in findings] == ["repaired"] * len(corrections)
    assert {f.paths[0] for f in findings} == {c.path for c in corrections}


@SETTINGS
@given(fmt=fmts, seed=seeds)
def test_single_slip_is_always_repaired(fmt: Format, seed: int) -> None:
    rnd = random.Random(seed)
    truth = consistent_table(rnd, fmt)
    values, readings, [path] = corrupt(rnd, truth, fmt, 1, confidence=0.7)
    fixed, corrections, _ = repair(values, readings, fmt)
    assert fixed == truth
    assert [(c.path, c.old, c.new) for c in corrections] == [(path, values[path], truth[path])]


@SETTINGS
@given(fmt=fmts, seed=seeds, n=st.sampled_from([1, 2]))
def test_confident_misreadings_are_never_changed(fmt: Format, seed: int, n: int) -> None:
    rnd = random.Random(seed)
    truth = consistent_table(rnd, fmt)
    values, readings, _ = corrupt(rnd, truth, fmt, n, confidence=0.99)
    if check(values, fmt) == []:
        return
    fixed, corrections, findings = repair(values, readings, fmt)
    assert fixed == values and corrections == []
    assert [f.code for f in findings] == ["unrepairable"]
    assert "confidence" in findings[0].message
    assert {p for f in check(values, fmt) for p in f.paths} <= set(findings[0].paths)


@SETTINGS
@given(fmt=fmts, seed=seeds, n=st.sampled_from([1, 2, 3]))
def test_never_a_wrong_value_among_many_doubtful_readings(fmt: Format, seed: int, n: int) -> None:
    """Many correct readings are also low-confidence (a poor scan): a repair either
    restores the truth or changes nothing and says why."""
    rnd = random.Random(seed)
    truth = consistent_table(rnd, fmt)
    values, readings, _ = corrupt(rnd, truth, fmt, n, confidence=0.6)
    for p in rnd.sample(identity_paths(fmt), 25):
        if values[p] == truth[p]:
            readings[p] = Reading(truth[p], str(truth[p]), 0.8, "ocr")
    if check(values, fmt) == []:
        return
    fixed, corrections, findings = repair(values, readings, fmt)
    if corrections:
        assert fixed == truth
        assert check(fixed, fmt) == []
    else:
        assert fixed == values
        assert [f.code for f in findings] in (["unrepairable"], ["ambiguous_repair"])


def test_two_possible_repairs_change_nothing() -> None:
    rnd = random.Random(7)
    truth = consistent_table(rnd, "2021")
    g = "reviews_and_litigation.administrative_review"
    truth.update({f"{g}.upheld": 3, f"{g}.corrected": 8, f"{g}.other": 0, f"{g}.pending": 1})
    truth[f"{g}.total"] = 12
    values = dict(truth)
    values[f"{g}.upheld"] = 8  # 3 misread as 8 ...
    readings = confident(truth)
    readings[f"{g}.upheld"] = Reading(8, "8", 0.7, "ocr")
    readings[f"{g}.corrected"] = Reading(8, "8", 0.7, "ocr")  # ... but 8 -> 3 here works too
    fixed, corrections, findings = repair(values, readings, "2021")
    assert fixed == values and corrections == []
    [f] = findings
    assert f.code == "ambiguous_repair" and f.severity == "error"
    assert f"{g}.upheld=3" in f.message and f"{g}.corrected=3" in f.message
    assert f"{g}.total" in f.paths


def test_pdf_text_is_never_changed() -> None:
    truth = consistent_table(random.Random(3), "2021")
    path = f"{APP}.results.granted.natural_person"
    values = dict(truth)
    values[path] = int(truth[path] or 0) + 5
    readings = {p: Reading(x, str(x), 0.5, "pdf_text") for p, x in values.items()}
    fixed, corrections, findings = repair(values, readings, "2021")
    assert fixed == values and not corrections and findings[0].code == "unrepairable"


def test_consistent_values_pass_untouched_and_unreadable_cells_stay_null() -> None:
    truth = consistent_table(random.Random(5), "2019")
    assert repair(truth, confident(truth), "2019") == (truth, [], [])
    values = dict(truth)
    values[f"{APP}.carried_over.other"] = None
    fixed, corrections, findings = repair(values, confident(truth), "2019")
    assert fixed == values and not corrections and not findings


def test_repair_message_names_the_slip() -> None:
    truth = consistent_table(random.Random(11), "2021")
    path = f"{APP}.new_received.total"
    truth_text = str(truth[path])
    values = dict(truth)
    values[path] = int(truth_text + truth_text[-1])  # doubled last digit
    readings = confident(truth)
    readings[path] = Reading(values[path], truth_text + truth_text[-1], 0.81, "ocr")
    fixed, [c], [f] = repair(values, readings, "2021")
    assert fixed == truth and c.new == truth[path]
    assert "extra digit" in c.reason and "0.81" in c.reason and f.code == "repaired"


@pytest.mark.parametrize(
    ("raw", "some", "never"),
    [
        ("8", {3, 0, 6, 9, 18, 80}, {8, 2}),
        ("17", {77, 11, 1, 7, 117, 170}, {17, 71}),
        # not 0: a printed 1 where the identities want 0 is a misprint as often as a
        # slash misread, and a repair there would hide it
        ("1", {7, 4, 11}, {1, 0}),
        ("1,036", {1086, 1056, 136, 10036}, {1036, 36, 1006}),
        ("减4", set(), {4}),
        ("", set(), {0}),
    ],
)
def test_alternatives(raw: str, some: set[int], never: set[int]) -> None:
    alts = alternatives(raw)
    assert some <= alts.keys() and not (never & alts.keys())
    assert all(not str(v).startswith("0") or v == 0 for v in alts)


def test_two_slips_in_one_identity_are_not_taken_for_one() -> None:
    """pending 8 read 5 and other 5 read 3: changing `other` 3 -> 8 alone restores
    the identity, but so do the two true corrections: not provably unique."""
    truth = consistent_table(random.Random(2), "2019")
    g = "reviews_and_litigation.administrative_review"
    truth.update({f"{g}.upheld": 7, f"{g}.corrected": 5, f"{g}.other": 5, f"{g}.pending": 8})
    truth[f"{g}.total"] = 25
    values = dict(truth)
    values[f"{g}.pending"], values[f"{g}.other"] = 5, 3
    readings = confident(truth)
    readings[f"{g}.pending"] = Reading(5, "5", 0.69, "ocr")
    readings[f"{g}.other"] = Reading(3, "3", 0.69, "ocr")
    fixed, corrections, [f] = repair(values, readings, "2019")
    assert fixed == values and corrections == [] and f.code == "ambiguous_repair"


def test_a_reading_under_a_seal_is_never_changed() -> None:
    # The same slip as above, but the reading lies under a seal: a misreading there
    # and a printed inconsistency look alike, so the identity is reported instead.
    truth = consistent_table(random.Random(11), "2021")
    path = f"{APP}.new_received.total"
    values = dict(truth)
    values[path] = int(str(truth[path]) + "7")
    readings = confident(truth)
    readings[path] = Reading(values[path], str(values[path]), 0.8, "ocr", obscured=True)
    fixed, corrections, [f] = repair(values, readings, "2021")
    assert fixed == values and not corrections and f.code == "unrepairable"


def test_a_proven_repair_gives_the_status_repaired() -> None:
    from extractors.assemble import status_of
    from extractors.template.model import CellValue
    from extractors.validate import validate

    truth = consistent_table(random.Random(11), "2021")
    path = f"{APP}.new_received.total"
    cells = {p: CellValue(v, str(v), 1, None, 0.995, "ocr") for p, v in truth.items()}
    slipped = int(str(truth[path]) + str(truth[path])[-1])  # a doubled last digit
    cells[path] = CellValue(slipped, str(slipped), 1, None, 0.81, "ocr")
    findings, repaired = validate(cells, "2021")
    assert repaired and cells[path].value == truth[path] and cells[path].corrected_from == slipped
    assert [f.code for f in findings] == ["repaired"] and findings[0].severity == "info"
    assert status_of(findings, repaired) == "repaired"
