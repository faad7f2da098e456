"""The figures of one report: what is printed in each cell, and the truth it means.

Truth is drawn here, never read back from a document: consistent figures first
(every identity of TEMPLATE.md §5 holds), then the cell variants (totals only, a
blank 总计), then, when asked, one or two printed numbers knocked off as real
reports do. `breaks` is what `schemas.identities.check` says of the printed truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from samples.generator.issuers import Profile
from schemas.identities import check
from schemas.paths import (
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    DECIMAL_ACTIVE_PATHS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    SIGNED_ACTIVE_SUFFIX,
    Format,
    number_paths,
    result_rows,
)

Number = int | float | None

# How a zero is printed; every one of them means 0.
ZERO_STYLES: tuple[str, ...] = ("0", "", "—", "-", "/", "无")
NEGATIVE_STYLES: tuple[str, ...] = ("减", "-")

_APPLICANT_WEIGHTS = (0.85, 0.09, 0.005, 0.01, 0.03, 0.015)
_RESULT_WEIGHTS = {
    "results.granted": 45,
    "results.partially_granted": 5,
    "results.withheld.state_secret": 0.3,
    "results.withheld.prohibited_by_law": 0.5,
    "results.withheld.three_securities_one_stability": 0.3,
    "results.withheld.third_party_rights": 1,
    "results.withheld.internal_affairs": 1,
    "results.withheld.process_information": 1.5,
    "results.withheld.law_enforcement_files": 0.5,
    "results.withheld.administrative_inquiry": 1,
    "results.unavailable.not_held": 20,
    "results.unavailable.requires_creation": 3,
    "results.unavailable.unclear_after_correction": 2,
    "results.not_processed.petition_or_complaint": 4,
    "results.not_processed.duplicate": 3,
    "results.not_processed.publication": 0.5,
    "results.not_processed.excessive": 1,
    "results.not_processed.confirm_or_reissue": 2,
    "results.other.overdue_correction": 3,
    "results.other.overdue_fee": 0.2,
    "results.other.other": 4,
    "results.other.all": 7,
}


@dataclass(frozen=True)
class FigureOptions:
    """Which cell variants one document uses (all recorded in the truth's layout)."""

    all_zero: bool = False  # the seed report: every figure 0
    zero_style: str = "0"
    totals_only: bool = False  # six applicant columns blank, only 总计 filled (truth null)
    blank_total: bool = False  # one 总计 cell left blank beside non-zero cells (truth null)
    fee_with_unit: bool = False  # 2021: the fee printed as 251000元 in the 万元 column
    negative_style: str = "减"  # 2019: a negative change printed 减4 or -4
    plus_sign: bool = False  # 2019: a positive change printed 增4
    perturb: int = 0  # how many printed numbers are knocked off (breaks identities)
    decimals: int = 2  # digits printed after the point in amounts


@dataclass
class Figures:
    fmt: Format
    truth: dict[str, Number]
    printed: dict[str, str]
    breaks: list[str]
    perturbed: list[dict[str, object]] = field(default_factory=list)


def _split(rng: random.Random, n: int, weights: list[float]) -> list[int]:
    counts = [0] * len(weights)
    for i in rng.choices(range(len(weights)), weights=weights, k=n):
        counts[i] += 1
    return counts


def _size(rng: random.Random, profile: Profile) -> int:
    """Applications handled in the year, by the organ's size."""
    zero_p = {"township": 0.65, "county": 0.25, "bureau": 0.1, "large": 0.0}[profile]
    if rng.random() < zero_p:
        return 0
    lo, hi = {"township": (1, 6), "county": (2, 60), "bureau": (8, 300), "large": (200, 3000)}[
        profile
    ]
    return round(lo * (hi / lo) ** rng.random())  # log-uniform


def _applications(rng: random.Random, fmt: Format, profile: Profile, zero: bool) -> dict[str, int]:
    rows = [p for p, _ in APPLICATION_ROWS[fmt]]
    res_rows = result_rows(fmt)
    weights = [_RESULT_WEIGHTS[r] for r in res_rows]
    n = 0 if zero else _size(rng, profile)
    per_col = _split(rng, n, list(_APPLICANT_WEIGHTS))
    out: dict[str, int] = {}
    for col, n_col in zip(APPLICANT_COLUMNS[:-1], per_col, strict=True):
        counts = _split(rng, n_col, weights)
        for r, v in zip(res_rows, counts, strict=True):
            out[f"{r}.{col}"] = v
        total = sum(counts)
        cf = round(total * rng.uniform(0, 0.12)) if total and rng.random() < 0.5 else 0
        co = round(total * rng.uniform(0, 0.12)) if total and rng.random() < 0.5 else 0
        co = min(co, total + cf)
        out[f"results.total.{col}"] = total
        out[f"carried_forward.{col}"] = cf
        out[f"carried_over.{col}"] = co
        out[f"new_received.{col}"] = total + cf - co
    for r in rows:
        out[f"{r}.total"] = sum(out[f"{r}.{c}"] for c in APPLICANT_COLUMNS[:-1])
    return {f"applications.{k}": v for k, v in out.items()}


def _reviews(rng: random.Random, profile: Profile, zero: bool) -> dict[str, int]:
    hi = {"township": 1, "county": 3, "bureau": 8, "large": 40}[profile]
    active = (
        not zero
        and rng.random() < {"township": 0.1, "county": 0.4, "bureau": 0.6, "large": 1}[profile]
    )
    out: dict[str, int] = {}
    for g in REVIEW_GROUPS:
        parts = [rng.randint(0, hi) if active and rng.random() < 0.5 else 0 for _ in range(4)]
        for c, v in zip(REVIEW_COLUMNS[:-1], parts, strict=True):
            out[f"reviews_and_litigation.{g}.{c}"] = v
        out[f"reviews_and_litigation.{g}.total"] = sum(parts)
    return out


def _amount(rng: random.Random, hi: float, decimals: int) -> float:
    if rng.random() < 0.5:
        return 0
    return round(0.1 * (hi / 0.1) ** rng.random(), decimals)


def _active(
    rng: random.Random, fmt: Format, profile: Profile, zero: bool, decimals: int
) -> dict[str, Number]:
    scale = {"township": 0.02, "county": 0.2, "bureau": 1.0, "large": 5.0}[profile]

    def n(hi: float) -> int:
        return 0 if zero or rng.random() < 0.35 else rng.randint(0, max(1, int(hi * scale)))

    v: dict[str, Number] = {}
    if fmt == "2021":
        big = profile == "large" and not zero
        v["regulations.issued"] = rng.randint(0, 4) if big else 0
        v["regulations.repealed"] = rng.randint(0, 2) if big else 0
        v["regulations.in_force"] = rng.randint(10, 150) if big else 0
        v["normative_documents.issued"] = n(20)
        v["normative_documents.repealed"] = n(8)
        v["normative_documents.in_force"] = n(150) + (v["normative_documents.issued"] or 0)
        v["administrative_licensing"] = n(20000)
        v["administrative_punishment"] = n(2000)
        v["administrative_coercion"] = n(200)
        v["administrative_fees"] = 0 if zero else _amount(rng, 5000 * scale, decimals)
    else:
        for item in ("regulations", "normative_documents"):
            made = n(20) if item == "normative_documents" or profile == "large" else 0
            v[f"{item}.newly_made"] = made
            v[f"{item}.newly_published"] = made if rng.random() < 0.8 else rng.randint(0, made)
            v[f"{item}.total_published"] = made + n(150)
        for item, hi in (
            ("administrative_licensing", 20000),
            ("other_management_services", 3000),
            ("administrative_punishment", 2000),
            ("administrative_coercion", 200),
        ):
            prev = n(300)
            v[f"{item}.previous_year_items"] = prev
            v[f"{item}.change"] = (
                0 if zero or rng.random() < 0.6 else rng.randint(-min(prev, 12), 12)
            )
            v[f"{item}.decisions"] = n(hi)
        prev = n(40)
        v["administrative_fees.previous_year_items"] = prev
        v["administrative_fees.change"] = (
            0 if zero or rng.random() < 0.6 else rng.randint(-min(prev, 5), 5)
        )
        v["government_procurement.projects"] = n(200)
        v["government_procurement.total_amount"] = (
            0
            if not v["government_procurement.projects"]
            else _amount(rng, 20000 * scale, decimals) or 1.5
        )
    return {f"active_disclosure.{k}": val for k, val in v.items()}


def _fmt_amount(v: float, decimals: int) -> str:
    return f"{v:.{decimals}f}" if decimals else f"{v:g}"


def _print(path: str, value: Number, opts: FigureOptions) -> str:
    if value is None:
        return ""
    if value == 0:
        return opts.zero_style
    short = path.removeprefix("active_disclosure.")
    if short.endswith(SIGNED_ACTIVE_SUFFIX) and path.startswith("active_disclosure."):
        if value < 0:
            return f"减{-int(value)}" if opts.negative_style == "减" else f"-{-int(value)}"
        return f"增{int(value)}" if opts.plus_sign else str(int(value))
    if short in DECIMAL_ACTIVE_PATHS:
        if short == "administrative_fees" and opts.fee_with_unit:
            return f"{round(value * 10000)}元"
        return _fmt_amount(float(value), opts.decimals)
    return str(int(value))


def draw(rng: random.Random, fmt: Format, profile: Profile, opts: FigureOptions) -> Figures:
    """Draw one report's figures. Deterministic for a given rng state."""
    truth: dict[str, Number] = {}
    truth.update(_active(rng, fmt, profile, opts.all_zero, opts.decimals))
    truth.update(_applications(rng, fmt, profile, opts.all_zero))
    truth.update(_reviews(rng, profile, opts.all_zero))
    if opts.fee_with_unit and fmt == "2021" and not truth["active_disclosure.administrative_fees"]:
        truth["active_disclosure.administrative_fees"] = round(rng.uniform(1, 80), 1)
    rows = [p for p, _ in APPLICATION_ROWS[fmt]]
    if opts.totals_only and sum(1 for r in rows if truth[f"applications.{r}.total"]) < 2:
        # A report that gives only totals, all of them 0, reads as all zeros: the
        # convention is recognisable only with figures in it.
        for r in ("new_received", "results.granted", "results.total"):
            truth[f"applications.{r}.natural_person"] = 1
            truth[f"applications.{r}.total"] = 1
    if opts.totals_only:
        for r in rows:
            for c in APPLICANT_COLUMNS[:-1]:
                truth[f"applications.{r}.{c}"] = None
    if opts.blank_total:
        # A row that has non-zero cells, its 总计 not filled in; make one if all zero.
        cands = [r for r in rows if truth[f"applications.{r}.total"]]
        if not cands:
            truth["applications.new_received.natural_person"] = 1
            truth["applications.results.granted.natural_person"] = 1
            truth["applications.results.total.natural_person"] = 1
            for r in ("new_received", "results.granted", "results.total"):
                truth[f"applications.{r}.total"] = 1
            cands = ["new_received"]
        truth[f"applications.{rng.choice(cands)}.total"] = None
    perturbed: list[dict[str, object]] = []
    cands = [
        p
        for p in truth
        if p.startswith(("applications.", "reviews_and_litigation.")) and truth[p] is not None
    ]
    for _ in range(opts.perturb):
        for _attempt in range(50):
            path = rng.choice(cands)
            before = truth[path]
            assert isinstance(before, int)
            delta = rng.choice([-1, 1, 1, 2, 10, -10, 3])
            after = before + delta if before + delta >= 0 else before + abs(delta)
            truth[path] = after
            if any(True for _ in check(truth, fmt)) and all(p["path"] != path for p in perturbed):
                perturbed.append({"path": path, "consistent": before, "printed": after})
                break
            truth[path] = before
    printed = {p: _print(p, truth[p], opts) for p in number_paths(fmt)}
    breaks = sorted({f.code for f in check(truth, fmt)})
    return Figures(fmt, {p: truth[p] for p in number_paths(fmt)}, printed, breaks, perturbed)
