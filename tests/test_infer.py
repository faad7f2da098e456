"""Numbers the identities leave no choice about: sound on consistent tables, silent
where identities contradict, and always left for a person to confirm."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from extractors.assemble import status_of
from extractors.infer import complete, infer
from extractors.template.model import CellValue
from extractors.validate import validate
from schemas import Finding
from schemas.identities import check
from schemas.paths import APPLICANT_COLUMNS
from tests.test_repair import APP, SETTINGS, Values, consistent_table, fmts, identity_paths, seeds

SIX = [c for c in APPLICANT_COLUMNS if c != "total"]


def zero_row(truth: Values, row: str) -> None:
    """Make `row` of table 3 all zeros, keeping every identity."""
    for c in APPLICANT_COLUMNS:
        path = f"{APP}.{row}.{c}"
        old = int(truth[path] or 0)
        truth[path] = 0
        # the results.total row and the balance follow
        for target in (f"{APP}.results.total.{c}", f"{APP}.new_received.{c}"):
            truth[target] = int(truth[target] or 0) - old


@SETTINGS
@given(fmt=fmts, seed=seeds, n=st.integers(1, 12))
def test_inferred_values_are_always_right_on_a_consistent_table(fmt, seed, n) -> None:
    rnd = random.Random(seed)
    truth = consistent_table(rnd, fmt)
    unknown = set(rnd.sample(identity_paths(fmt), n))
    values = {p: (None if p in unknown else v) for p, v in truth.items()}
    for inf in infer(values, unknown, fmt):
        assert inf.path in unknown and inf.new == truth[inf.path]


@SETTINGS
@given(fmt=fmts, seed=seeds, n=st.integers(1, 12), zeros=st.integers(0, 12))
def test_a_completion_is_always_right_on_a_consistent_table(fmt, seed, n, zeros) -> None:
    # Sparse tables, as printed (most cells 0), are where one completion is left.
    rnd = random.Random(seed)
    truth = consistent_table(rnd, fmt)
    rows = sorted({p.rsplit(".", 1)[0].split(".", 1)[1] for p in truth
                   if p.startswith(f"{APP}.results.") and ".results.total." not in p})
    for row in rnd.sample(rows, min(zeros, len(rows))):
        zero_row(truth, row)
    unknown = set(rnd.sample(identity_paths(fmt), n))
    values = {p: (None if p in unknown else v) for p, v in truth.items()}
    for inf in complete(values, unknown, fmt):
        assert inf.path in unknown and inf.new == truth[inf.path]


def test_a_row_totalling_zero_has_zero_in_every_unknown_cell() -> None:
    truth = consistent_table(random.Random(3), "2021")
    zero_row(truth, "results.withheld.state_secret")
    unknown = {f"{APP}.results.withheld.state_secret.{c}" for c in SIX[:4]}
    # Each column also holds other unknowns, so only the row's zero total decides.
    for c in SIX[:4]:
        unknown.add(f"{APP}.results.granted.{c}")
        unknown.add(f"{APP}.results.partially_granted.{c}")
    values = {p: (None if p in unknown else v) for p, v in truth.items()}
    got = {i.path: i.new for i in infer(values, unknown, "2021")}
    assert all(got[f"{APP}.results.withheld.state_secret.{c}"] == 0 for c in SIX[:4])
    assert all(truth[p] == v for p, v in got.items())


def test_contradicting_identities_fill_in_nothing_of_their_group_only() -> None:
    truth = consistent_table(random.Random(5), "2021")
    a = f"{APP}.results.granted.natural_person"
    b = f"{APP}.results.withheld.state_secret.other"
    values = {p: (None if p in (a, b) else v) for p, v in truth.items()}
    values[f"{APP}.results.granted.total"] = int(truth[f"{APP}.results.granted.total"] or 0) + 1
    got = {i.path: i.new for i in infer(values, {a, b}, "2021")}
    # a's row says one more than its column: printed inconsistently, a is left unknown
    assert a not in got and got == {b: truth[b]}


def _cells(values: Values) -> dict[str, CellValue]:
    return {p: CellValue(v, str(v), 1, (0.0, 0.0, 1.0, 1.0), 0.995, "ocr")
            for p, v in values.items()}


def test_an_unreadable_cell_under_a_seal_is_filled_in_for_review() -> None:
    truth = consistent_table(random.Random(7), "2021")
    zero_row(truth, "results.withheld.internal_affairs")
    seal = f"{APP}.results.withheld.internal_affairs.research_institution"
    misread = f"{APP}.results.withheld.internal_affairs.other"
    cells = _cells(truth)
    cells[seal] = CellValue(None, "政务", 1, (0.0, 0.0, 1.0, 1.0), 0.0, "ocr", obscured=True)
    cells[misread] = CellValue(1, "1", 1, (0.0, 0.0, 1.0, 1.0), 0.6, "ocr", obscured=True)
    findings, repaired = validate(cells, "2021")
    assert cells[seal].value == 0 and cells[seal].corrected_from is None
    assert cells[misread].value == 0 and cells[misread].corrected_from == 1
    assert cells[seal].raw == "政务"  # what was read stays in the provenance
    inferred = [f for f in findings if f.code == "inferred"]
    assert {f.paths[0] for f in inferred} == {seal, misread}
    assert all(f.severity == "warning" and "the only count the identities allow" in f.message
               for f in inferred)
    assert not any(f.code in ("row_total", "results_total") for f in findings)
    assert not repaired and status_of(findings, repaired) == "needs_review"


def test_a_printed_inconsistency_is_still_named_beside_an_unreadable_cell() -> None:
    truth = consistent_table(random.Random(9), "2019")
    cells = _cells(truth)
    row = f"{APP}.results.granted"
    cells[f"{row}.natural_person"] = CellValue(None, "X", 1, (0, 0, 1, 1), 0.0, "ocr")
    printed = int(truth[f"{row}.total"] or 0) + 3  # the report's own mistake, read clearly
    cells[f"{row}.total"] = CellValue(printed, str(printed), 1, (0, 0, 1, 1), 0.995, "ocr")
    findings, _ = validate(cells, "2019")
    assert cells[f"{row}.natural_person"].value is None  # its row and column disagree
    assert any(f.code in ("results_total", "balance") for f in findings)


def test_a_doubtful_reading_is_never_used_to_work_a_value_out() -> None:
    # A misread term (4 for 1, doubtful) would pass its error on to the unknown total.
    truth = consistent_table(random.Random(13), "2021")
    group = "reviews_and_litigation.litigation_after_review"
    cells = _cells(truth)
    cells[f"{group}.total"] = CellValue(None, "社", 1, (0, 0, 1, 1), 0.0, "ocr")
    wrong = int(truth[f"{group}.other"] or 0) + 3
    cells[f"{group}.other"] = CellValue(wrong, str(wrong), 1, (0, 0, 1, 1), 0.65, "ocr")
    findings, _ = validate(cells, "2021")
    assert cells[f"{group}.total"].value is None
    assert "inferred" not in {f.code for f in findings}


def test_nothing_is_worked_out_from_readings_that_break_many_identities() -> None:
    # A column misread throughout (its first digits lost, with confidence) breaks a
    # row identity per row; values worked out from it would be as wrong.
    truth = consistent_table(random.Random(17), "2021")
    values = dict(truth)
    rows = ["new_received", "carried_over", "results.granted", "results.partially_granted"]
    for r in rows:
        values[f"{APP}.{r}.natural_person"] = int(truth[f"{APP}.{r}.natural_person"] or 0) + 10
    unknown = {f"{APP}.results.withheld.state_secret.natural_person"}
    values[next(iter(unknown))] = None
    assert infer(values, unknown, "2021") == []
    assert infer(truth | {next(iter(unknown)): None}, unknown, "2021") != []


def test_one_wrong_reading_leaves_the_rest_of_the_table_to_be_worked_out() -> None:
    truth = consistent_table(random.Random(19), "2021")
    zero_row(truth, "results.withheld.state_secret")
    zero_row(truth, "results.withheld.internal_affairs")
    unknown = {f"{APP}.results.withheld.state_secret.{c}" for c in SIX}
    unknown |= {f"{APP}.results.withheld.internal_affairs.{c}" for c in SIX}
    values = {p: (None if p in unknown else v) for p, v in truth.items()}
    # A confident misreading in one column: its column identity fails.
    odd = f"{APP}.results.granted.other"
    values[odd] = int(truth[odd] or 0) + 6
    got = {i.path: i.new for i in infer(values, unknown, "2021")}
    assert all(v == 0 for v in got.values())
    assert f"{APP}.results.withheld.state_secret.other" not in got  # in the broken column
    assert {f"{APP}.results.withheld.state_secret.{c}" for c in SIX[:5]} <= got.keys()


def test_a_value_worked_out_twice_has_one_finding_and_keeps_what_was_read() -> None:
    # Under the seal an unreadable cell is worked out first; a doubtful "7" beside it
    # in the same zero row (no OCR slip explains it) sends the identities round again.
    truth = consistent_table(random.Random(23), "2021")
    row = f"{APP}.results.withheld.internal_affairs"
    zero_row(truth, "results.withheld.internal_affairs")
    cells = _cells(truth)
    cells[f"{row}.research_institution"] = CellValue(
        None, "政务", 1, (0, 0, 1, 1), 0.0, "ocr", obscured=True)
    cells[f"{row}.other"] = CellValue(7, "7", 1, (0, 0, 1, 1), 0.6, "ocr")
    findings, _ = validate(cells, "2021")
    inferred = [f.paths[0] for f in findings if f.code == "inferred"]
    assert sorted(inferred) == sorted(set(inferred))
    assert f"{row}.research_institution" in inferred and f"{row}.other" in inferred
    assert cells[f"{row}.other"].value == 0 and cells[f"{row}.other"].corrected_from == 7
    assert cells[f"{row}.research_institution"].corrected_from is None


def test_working_a_value_out_again_adds_no_second_finding() -> None:
    from extractors.validate import _infer

    truth = consistent_table(random.Random(29), "2021")
    path = f"{APP}.results.granted.natural_person"
    cells = _cells(truth)
    cells[path] = CellValue(None, "政务", 1, (0, 0, 1, 1), 0.0, "ocr", obscured=True)
    assert [f.paths for f in _infer(cells, "2021", {path})] == [[path]]
    assert cells[path].value == truth[path]
    assert _infer(cells, "2021", {path}) == []  # the same value again: nothing new


def test_identities_an_unreadable_cell_cannot_satisfy_together_are_named() -> None:
    # The printed 总计 of the results is one off; the row's own 总计 is unreadable, so
    # neither identity can be checked, yet no count there makes both hold.
    truth = consistent_table(random.Random(31), "2021")
    cells = _cells(truth)
    row = f"{APP}.results.granted"
    cells[f"{row}.total"] = CellValue(None, "MR5", 1, (0, 0, 1, 1), 0.0, "ocr", obscured=True)
    printed = int(truth[f"{APP}.results.total.total"] or 0) + 1
    cells[f"{APP}.results.total.total"] = CellValue(printed, str(printed), 1, (0, 0, 1, 1),
                                                    0.995, "ocr")
    findings, _ = validate(cells, "2021")
    assert cells[f"{row}.total"].value is None  # never filled in against a broken identity
    named = {f.code: f.message for f in findings if "no count there makes both hold" in f.message}
    assert set(named) >= {"results_total", "row_total"}
    assert f"{row}.total is unreadable" in named["results_total"]


def test_a_clear_reading_under_a_seal_is_never_worked_out_against_a_printed_break() -> None:
    # The report prints a row total that omits a 10 it shows under the seal; the 10
    # was read clearly before the seal was seen (held at the cap). Working it out as
    # 0 would make every identity hold and hide the report's own break.
    truth = consistent_table(random.Random(41), "2019")
    row = f"{APP}.results.withheld.three_securities_one_stability"
    cells = _cells(truth)
    under = f"{row}.commercial_enterprise"
    value = int(truth[under] or 0) + 10
    cells[under] = CellValue(value, str(value), 1, (0, 0, 1, 1), 0.8, "ocr", obscured=True)
    findings, repaired = validate(cells, "2019")  # the totals print the old figure
    assert cells[under].value == value and cells[under].corrected_from is None
    assert "inferred" not in {f.code for f in findings}
    assert {"row_total", "results_total"} <= {f.code for f in findings}
    assert not repaired and status_of(findings, repaired) == "needs_review"


def test_a_doubtful_reading_no_misreading_explains_is_kept_and_the_break_named() -> None:
    # A total printed off by 3 (the report's own mistake), its 7 read doubtfully: the
    # identities want 4, which no slip of 7 gives. Replacing it would hide the break.
    from extractors.repair import alternatives

    truth = consistent_table(random.Random(5), "2021")
    total = f"{APP}.new_received.total"
    wanted = int(truth[total] or 0)
    printed = next(v for v in range(wanted + 2, wanted + 60)
                   if wanted not in alternatives(str(v)))
    cells = _cells(truth)
    cells[total] = CellValue(printed, str(printed), 1, (0, 0, 1, 1), 0.6, "ocr")
    findings, repaired = validate(cells, "2021")
    assert cells[total].value == printed and cells[total].corrected_from is None
    assert "inferred" not in {f.code for f in findings}
    assert {"row_total", "balance"} <= {f.code for f in findings}
    assert status_of(findings, repaired) == "needs_review"


def _read_in_a_zero_row(cell: str, value: int,
                        confidence: float) -> tuple[CellValue, list[Finding], bool]:
    """`cell` of table 3 (a row of 0s) read as `value`, validated: the cell, findings
    and whether anything was repaired."""
    row = cell.rsplit(".", 1)[0]
    truth = consistent_table(random.Random(6), "2021")
    zero_row(truth, row)
    cells = _cells(truth)
    path = f"{APP}.{cell}"
    cells[path] = CellValue(value, str(value), 1, (0, 0, 1, 1), confidence, "ocr")
    findings, repaired = validate(cells, "2021")
    return cells[path], findings, repaired


def test_noise_read_doubtfully_on_a_zero_is_still_worked_out() -> None:
    # "11" read from specks where a blurred 0 is printed: 0 is what any misreading of
    # a mark there may give, and the only count the identities allow.
    cv, findings, _ = _read_in_a_zero_row("results.withheld.internal_affairs.other", 11, 0.6)
    assert cv.value == 0 and cv.corrected_from == 11
    assert "inferred" in {f.code for f in findings}


def test_a_doubtful_reading_worked_out_as_0_names_the_identities_it_breaks() -> None:
    # 10375-0014: a 3 printed where the totals say 0 (the report's own break), read
    # doubtfully as 9; here a 7, which no slip makes 0, so no repair takes it. 0 is
    # what noise on a 0 may read as too, so it is worked out; which it was, only the
    # page tells: the identities the reading breaks are named.
    cv, findings, repaired = _read_in_a_zero_row(
        "results.unavailable.unclear_after_correction.social_welfare_organization", 7, 0.63)
    assert cv.value == 0 and cv.corrected_from == 7
    broken = {f.code: f for f in findings if f.severity == "error"}
    assert {"row_total", "results_total"} <= set(broken)
    assert "read '7' (confidence 0.63), where only 0 makes it hold" in broken["row_total"].message
    assert status_of(findings, repaired) == "needs_review"


def _seal_block(seed: int) -> tuple[Values, dict[str, CellValue], list[str]]:
    """A consistent table whose row results.not_processed.excessive is all 0 but one
    cell, with two cells of it unreadable under a seal and every other cell of that
    row and of their columns read doubtfully (as on a bilevel scan: zero marks at 0.6)."""
    truth = consistent_table(random.Random(seed), "2021")
    row = "results.not_processed.excessive"
    zero_row(truth, row)
    cells = _cells(truth)
    under = [f"{APP}.{row}.social_welfare_organization", f"{APP}.{row}.legal_service_institution"]
    for p in under:
        cells[p] = CellValue(None, "古", 1, (0, 0, 1, 1), 0.0, "ocr", obscured=True)
    col_of = {p.rsplit(".", 1)[1] for p in under}
    for p, cv in cells.items():
        if p not in under and p.startswith(f"{APP}.results.") and (
                f".{row}." in p or p.rsplit(".", 1)[1] in col_of):
            cv.confidence = 0.6
    return truth, cells, under


def test_unreadable_cells_among_doubtful_readings_get_the_one_completion() -> None:
    # No identity is settled by trusted readings alone, so nothing is worked out one
    # identity at a time; taken as read, the doubtful readings leave one count for each
    # unreadable cell, and every identity then holds.
    truth, cells, under = _seal_block(43)
    findings, repaired = validate(cells, "2021")
    assert [cells[p].value for p in under] == [truth[p] for p in under]
    assert all(cells[p].inferred for p in under)
    assert {f.paths[0] for f in findings if f.code == "inferred"} >= set(under)
    assert status_of(findings, repaired) == "needs_review"


def test_no_completion_is_filled_in_where_the_identities_allow_none_or_several() -> None:
    _, cells, under = _seal_block(47)
    total = f"{APP}.results.not_processed.excessive.total"
    # the row's total printed, clearly, as 2: the columns leave 0 for both cells
    cells[total] = CellValue(2, "2", 1, (0, 0, 1, 1), 0.995, "ocr")
    validate(cells, "2021")
    assert [cells[p].value for p in under] == [None, None]
    # several: the two columns' totals unreadable too, any split of the row's 3 fits
    _, cells, under = _seal_block(47)
    for p in under:
        col = p.rsplit(".", 1)[1]
        cells[f"{APP}.results.total.{col}"] = CellValue(None, "章", 1, (0, 0, 1, 1), 0.0,
                                                        "ocr", obscured=True)
        cells[f"{APP}.new_received.{col}"] = CellValue(None, "章", 1, (0, 0, 1, 1), 0.0,
                                                       "ocr", obscured=True)
    cells[f"{APP}.results.not_processed.excessive.total"] = CellValue(3, "3", 1, (0, 0, 1, 1),
                                                                       0.995, "ocr")
    validate(cells, "2021")
    assert [cells[p].value for p in under] == [None, None]


def test_a_seal_that_hides_one_cell_may_have_added_a_stroke_to_the_next() -> None:
    # Beside an unreadable cell under the seal, a clear "31" for 3: the seal's
    # stroke read as a 1. Its column and the hidden cell's leave one count for each.
    truth = consistent_table(random.Random(53), "2021")
    row = f"{APP}.results.granted"
    cells = _cells(truth)
    hidden, stroked = f"{row}.natural_person", f"{row}.commercial_enterprise"
    cells[hidden] = CellValue(None, "城", 1, (0, 0, 1, 1), 0.0, "ocr", obscured=True)
    misread = int(f"{truth[stroked]}1")
    cells[stroked] = CellValue(misread, str(misread), 1, (0, 0, 1, 1), 0.8, "ocr",
                               obscured=True)
    findings, repaired = validate(cells, "2021")
    assert cells[hidden].value == truth[hidden] and cells[stroked].value == truth[stroked]
    assert cells[stroked].corrected_from == misread
    assert {hidden, stroked} <= {f.paths[0] for f in findings if f.code == "inferred"}
    assert status_of(findings, repaired) == "needs_review"


def test_a_clear_reading_under_a_seal_worked_out_otherwise_names_what_it_breaks() -> None:
    # 10363-0037: a row of 0s printed with a 10 its totals omit, the seal hiding the
    # cell beside it and adding a 2 to the 10 ("210"). Worked out as 0, the reading
    # may be the seal's strokes or the report's own break: both identities are named.
    truth = consistent_table(random.Random(53), "2019")
    row = f"{APP}.results.not_processed.petition_or_complaint"
    zero_row(truth, "results.not_processed.petition_or_complaint")
    cells = _cells(truth)
    hidden, stroked = f"{row}.natural_person", f"{row}.commercial_enterprise"
    cells[hidden] = CellValue(None, "腻", 1, (0, 0, 1, 1), 0.0, "ocr", obscured=True)
    cells[stroked] = CellValue(210, "210", 1, (0, 0, 1, 1), 0.8, "ocr", obscured=True)
    findings, repaired = validate(cells, "2019")
    assert cells[stroked].value == 0 and cells[stroked].corrected_from == 210
    broken = {f.code: f.message for f in findings if f.severity == "error"}
    assert {"row_total", "results_total"} <= set(broken)
    assert "read '210' (confidence 0.80) under a seal" in broken["row_total"]
    assert status_of(findings, repaired) == "needs_review"


def test_a_group_with_no_completion_leaves_the_other_groups_theirs() -> None:
    # Far from the seal, an unreadable cell among review figures printed
    # inconsistently (a term above the total): no count fits there. The cells under
    # the seal are still worked out.
    truth, cells, under = _seal_block(43)
    far = "reviews_and_litigation.administrative_review"
    cells[f"{far}.corrected"] = CellValue(None, "王", 1, (0, 0, 1, 1), 0.0, "ocr")
    printed = int(truth[f"{far}.total"] or 0) + 7
    cells[f"{far}.total"] = CellValue(printed, str(printed), 1, (0, 0, 1, 1), 0.995, "ocr")
    cells[f"{far}.upheld"].value = printed + 1  # more than the total: no count fits
    cells[f"{far}.upheld"].raw = str(printed + 1)
    validate(cells, "2021")
    assert [cells[p].value for p in under] == [truth[p] for p in under]
    assert cells[f"{far}.corrected"].value is None


def _ink(text: str, sure: float = 0.9) -> np.ndarray:
    """Recogniser evidence (`ocr.lines.DIGIT_CLASSES`) for a crop that reads `text`."""
    from extractors.ocr.lines import DIGIT_CLASSES

    steps = [0]
    for ch in text:
        steps += [DIGIT_CLASSES.index(ch), 0]
    out = np.full((len(steps), len(DIGIT_CLASSES)), (1 - sure) / (len(DIGIT_CLASSES) - 1))
    for t, k in enumerate(steps):
        out[t, k] = sure
    return out


def _square_under_a_seal(ink: Callable[[int], np.ndarray]) -> tuple[Values, dict[str, CellValue],
                                                                    list[str]]:
    """Two rows by two columns of table 3 unreadable under a seal (each row and column
    has another unknown, so the identities allow 20 sets of counts), `ink(truth)` the
    recogniser's evidence in each."""
    truth = consistent_table(random.Random(0), "2021")
    cells = _cells(truth)
    square = [f"{APP}.results.{r}.{c}" for r in ("granted", "partially_granted")
              for c in ("natural_person", "commercial_enterprise")]
    for p in square:
        cells[p] = CellValue(None, "古", 1, (0, 0, 1, 1), 0.0, "ocr", obscured=True,
                             scores=ink(int(truth[p] or 0)))
    return truth, cells, square


def test_the_ink_under_a_seal_chooses_among_the_counts_the_identities_allow() -> None:
    truth, cells, square = _square_under_a_seal(lambda x: _ink(str(x) if x else "—", 0.6))
    findings, repaired = validate(cells, "2021")
    assert [cells[p].value for p in square] == [truth[p] for p in square]
    inferred = [f for f in findings if f.code == "inferred"]
    assert {f.paths[0] for f in inferred} == set(square)
    assert all("what the ink fits best of the 20 sets of counts" in f.message for f in inferred)
    assert status_of(findings, repaired) == "needs_review"


def test_ink_that_cannot_tell_the_sets_apart_chooses_none() -> None:
    from extractors.ocr.lines import DIGIT_CLASSES

    flat = np.full((9, len(DIGIT_CLASSES)), 1 / len(DIGIT_CLASSES))
    _, cells, square = _square_under_a_seal(lambda _x: flat)
    validate(cells, "2021")
    assert [cells[p].value for p in square] == [None] * 4


def test_an_identity_that_no_count_in_its_one_unreadable_cell_makes_hold_is_named() -> None:
    # 10313-0006: the report prints a 1 too many in a column (a printed break); the
    # column's only unreadable cell is a 0 read 光1, which would have to be -1. Its
    # 总计 and its row's were read doubtfully (无 read 光): no identity worked the cell
    # out, none was found broken by it, and the column's identity went unnamed.
    truth = consistent_table(random.Random(31), "2021")
    zero_row(truth, "results.not_processed.confirm_or_reissue")
    cells = _cells(truth)
    row = f"{APP}.results.not_processed.confirm_or_reissue"
    cells[f"{row}.commercial_enterprise"] = CellValue(None, "光1", 3, (0, 0, 1, 1), 0.0, "ocr")
    for p in (f"{row}.total", f"{APP}.results.total.commercial_enterprise"):
        cells[p].confidence = 0.6
    printed = f"{APP}.results.not_processed.duplicate.commercial_enterprise"
    v = int(truth[printed] or 0) + 1
    cells[printed] = CellValue(v, str(v), 2, (0, 0, 1, 1), 0.995, "ocr")
    findings, _ = validate(cells, "2021")
    assert cells[f"{row}.commercial_enterprise"].value is None
    named = [f for f in findings if f.code == "results_total"]
    assert len(named) == 1 and "would be -1" in named[0].message
    assert f"{row}.commercial_enterprise" in named[0].paths
    assert {f.code for f in findings} >= {"row_total", "results_total"}
    assert status_of(findings, False) == "needs_review"


def test_doubtful_readings_that_hold_only_against_each_other_stay_doubtful() -> None:
    # 10449-0012, a black-and-white scan: every printed 2 lost its strokes, read as a
    # blank (0.5) or a blurred dash (0.7) in a row, its 总计 and the column's totals.
    # Each identity then held as 0 = 0 between doubtful terms on its two sides, and
    # so vouched for all of them: the six 2s were 0, unflagged.
    truth = consistent_table(random.Random(41), "2021")
    for p in truth:  # the 2 was the report's one application
        if p.startswith(f"{APP}."):
            truth[p] = 0
    lost = [f"{APP}.{row}.{col}" for row in ("results.granted", "results.total", "new_received")
            for col in ("natural_person", "total")]
    cells = _cells(truth)  # 2 in the six cells was printed; identities hold as read
    for p in lost:
        cells[p] = CellValue(0, "—", 2, (0, 0, 1, 1), 0.7, "ocr", blank=True)
    cells[lost[0]].raw, cells[lost[0]].confidence = "", 0.5
    findings, repaired = validate(cells, "2021")
    assert not [f for f in findings if f.severity == "error"]  # as read, everything holds
    doubts = {f.paths[0]: f.message for f in findings if f.code == "low_confidence"}
    assert set(doubts) == set(lost)
    # each message names a reading it holds against, read alike (one of the others)
    for path, message in doubts.items():
        twin = message.split("hold only against ")[1].split(",")[0]
        assert twin in lost and twin != path, message
    assert status_of(findings, repaired) == "needs_review"

    # Doubtful terms on one side, or reading differently, are vouched for: two blurred
    # dashes and a doubtful 1 in a row whose 总计 was read surely, a doubtful 总计
    # among sure terms, and doubtful 0s read as digits (a seal over a row and its 总计)
    truth = consistent_table(random.Random(43), "2021")
    zero_row(truth, "results.not_processed.duplicate")
    zero_row(truth, "results.not_processed.publication")
    cells = _cells(truth)
    row = f"{APP}.results.not_processed.duplicate"
    for col in ("research_institution", "other"):
        cells[f"{row}.{col}"] = CellValue(0, "—", 2, (0, 0, 1, 1), 0.7, "ocr", blank=True)
    cells[f"{row}.commercial_enterprise"] = CellValue(1, "1", 2, (0, 0, 1, 1), 0.6, "ocr")
    cells[f"{row}.total"].value = int(truth[f"{row}.total"] or 0) + 1
    cells[f"{APP}.results.total.total"].confidence = 0.6
    for p in ("results.total.commercial_enterprise", "results.total.total",
              "new_received.commercial_enterprise", "new_received.total"):
        cells[f"{APP}.{p}"].value = int(truth[f"{APP}.{p}"] or 0) + 1
    sealed = f"{APP}.results.not_processed.publication"
    for col in ("other", "total"):
        cells[f"{sealed}.{col}"] = CellValue(0, "0", 2, (0, 0, 1, 1), 0.8, "ocr")
    findings, _ = validate(cells, "2021")
    assert check({p: cv.value for p, cv in cells.items()}, "2021") == []
    assert not findings


def test_a_printed_break_beside_several_unreadable_cells_on_one_side_is_named() -> None:
    # 10521-0002, a report printing only the 总计 column of table 3: a seal left two of
    # its 0s unread, and the column's printed break (4 too many) went unnamed: only one
    # unread cell was looked past. No counts in the two make the column hold.
    truth = consistent_table(random.Random(47), "2021")
    for row in ("results.withheld.state_secret", "results.withheld.internal_affairs"):
        zero_row(truth, row)
    cells = _cells(truth)
    for path in cells:  # the applicant columns are not printed
        if path.startswith(f"{APP}.") and not path.endswith(".total"):
            cells[path] = CellValue(None, "", 2, (0, 0, 1, 1), 0.0, "ocr")
    unread = [f"{APP}.results.withheld.{r}.total" for r in ("state_secret", "internal_affairs")]
    for path in unread:
        cells[path] = CellValue(None, "一", 2, (0, 0, 1, 1), 0.0, "ocr", obscured=True)
    printed = f"{APP}.results.not_processed.confirm_or_reissue.total"
    cells[printed].value = int(truth[printed] or 0) + 4
    findings, _ = validate(cells, "2021")
    [named] = [f for f in findings if f.code == "results_total"]
    assert f"{unread[0]}, {unread[1]} are unreadable" in named.message
    assert "sum to -4" in named.message and printed in named.paths
    # where the unread cells stand on both sides, some counts always make it hold
    for path in (f"{APP}.results.total.total", f"{APP}.new_received.total"):
        cells[path] = CellValue(None, "一", 2, (0, 0, 1, 1), 0.0, "ocr")
    findings, _ = validate(cells, "2021")
    assert not [f for f in findings if f.code == "results_total"]
