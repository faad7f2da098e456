"""The identities of TEMPLATE.md §5 on consistent and broken tables."""

from __future__ import annotations

import random

import pytest

from schemas import check, check_carry_over_chain
from schemas.paths import APPLICANT_COLUMNS, REVIEW_GROUPS, Format, number_paths, result_rows


def consistent(fmt: Format, seed: int = 1) -> dict[str, int | float | None]:
    rng = random.Random(seed)
    v: dict[str, int | float | None] = {p: 0 for p in number_paths(fmt)}
    six = APPLICANT_COLUMNS[:-1]
    for row in result_rows(fmt):
        for c in six:
            v[f"applications.{row}.{c}"] = rng.choice([0, 0, 1, 2, 7, 30])
    for c in six:
        total = sum(v[f"applications.{r}.{c}"] or 0 for r in result_rows(fmt))
        v[f"applications.results.total.{c}"] = total
        carried = rng.randint(0, 5)
        forward = rng.randint(0, 5)
        v[f"applications.carried_over.{c}"] = carried
        v[f"applications.carried_forward.{c}"] = forward + carried
        v[f"applications.new_received.{c}"] = total + forward
    rows = {p.rsplit(".", 1)[0] for p in v if p.startswith("applications.")}
    for row in rows:
        v[f"{row}.total"] = sum(v[f"{row}.{c}"] or 0 for c in six)
    for g in REVIEW_GROUPS:
        parts = [rng.randint(0, 3) for _ in range(4)]
        for name, x in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            v[f"reviews_and_litigation.{g}.{name}"] = x
        v[f"reviews_and_litigation.{g}.total"] = sum(parts)
    return v


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_consistent_table_has_no_findings(fmt: Format) -> None:
    assert check(consistent(fmt), fmt) == []


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_each_identity_is_named_with_its_paths(fmt: Format) -> None:
    v = consistent(fmt)
    v["applications.results.granted.natural_person"] = (
        v["applications.results.granted.natural_person"] or 0) + 1
    codes = {f.code for f in check(v, fmt)}
    assert codes == {"results_total", "row_total"}
    [rt] = [f for f in check(v, fmt) if f.code == "results_total"]
    assert "applications.results.granted.natural_person" in rt.paths

    v = consistent(fmt)
    v["applications.carried_forward.other"] = (v["applications.carried_forward.other"] or 0) + 2
    v["applications.carried_forward.total"] = (v["applications.carried_forward.total"] or 0) + 2
    assert {f.code for f in check(v, fmt)} == {"balance"}

    v = consistent(fmt)
    v["reviews_and_litigation.litigation_direct.total"] = 99
    [f] = check(v, fmt)
    assert f.code == "review_total" and "litigation_direct" in f.message


def test_missing_number_skips_identity() -> None:
    v = consistent("2021")
    v["applications.new_received.total"] = None
    assert check(v, "2021") == []


def test_carry_over_chain() -> None:
    prev, cur = consistent("2021", 1), consistent("2021", 2)
    for c in APPLICANT_COLUMNS:
        cur[f"applications.carried_over.{c}"] = prev[f"applications.carried_forward.{c}"]
    assert check_carry_over_chain(prev, cur) == []
    cur["applications.carried_over.total"] = 1000
    [f] = check_carry_over_chain(prev, cur, previous_year=2022)
    assert f.code == "carry_over_chain" and "2022" in f.message
