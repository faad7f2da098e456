"""The committed sample set: every recipe by name, with the variants it must show.

Names say what is special about each document. Regenerate with
`python -m samples.generator committed`.
"""

from __future__ import annotations

from typing import Any

from samples.generator.compose import ScanJob
from samples.generator.recipe import Recipe, draw

# No cell or layout variant: the baseline a reader must get right first.
PLAIN: dict[str, Any] = dict(
    zero_style="0",
    totals_only=False,
    blank_total=False,
    fee_with_unit=False,
    perturb=0,
    plus_sign=False,
    header_breaks=False,
    t4_labels="two",
    vertical_results_label=False,
    drift=False,
    t2_title_row=False,
    t3_title_row=False,
    split_table3_at=None,
    flipbook=False,
    title_split=False,
    title_spaces=False,
    section4_long=False,
)

SEED: dict[str, Any] = dict(
    PLAIN,
    issuer_name="邢庄镇人民政府",
    profile="township",
    year=2023,
    fmt="2021",
    all_zero=True,
    seed_prose=True,
    title_spaces=True,
    t4_layout="side",
    signature=False,
    font="ar-uming",
    heading_font="wqy-zenhei",
    title_font="wqy-zenhei",
    label_align="center",
)

DIGITAL: dict[str, tuple[int, dict[str, Any]]] = {
    # name: (seed, overrides)
    "xingzhuang-2023": (2023, SEED),
    "plain-2021-county-2022": (
        101,
        dict(PLAIN, fmt="2021", year=2022, profile="county", font="wqy-zenhei"),
    ),
    "plain-2019-bureau-2019": (
        102,
        dict(PLAIN, fmt="2019", year=2019, profile="bureau", font="ar-uming"),
    ),
    "plain-2021-large-2023": (
        103,
        dict(
            PLAIN, fmt="2021", year=2023, profile="large", font="wqy-microhei", t4_layout="stacked"
        ),
    ),
    # -- layout and cell variants (names say what to look for) --
    "split-t3-breaks-2021": (
        201,
        dict(
            PLAIN,
            fmt="2021",
            year=2023,
            profile="bureau",
            split_table3_at=9,
            perturb=1,
            zero_style="—",
            font="wqy-zenhei",
            t4_labels="one",
        ),
    ),
    "flipbook-vertical-2021": (
        202,
        dict(
            PLAIN,
            fmt="2021",
            year=2024,
            profile="county",
            flipbook=True,
            header_breaks=True,
            t4_labels="vertical",
            t4_layout="stacked",
            vertical_results_label=True,
            font="ar-ukai",
        ),
    ),
    "totals-only-2021": (
        203,
        dict(
            PLAIN,
            fmt="2021",
            year=2022,
            profile="bureau",
            totals_only=True,
            font="wqy-microhei",
            title_split=True,
        ),
    ),
    "blank-total-2021": (
        204,
        dict(
            PLAIN,
            fmt="2021",
            year=2021,
            profile="county",
            blank_total=True,
            zero_style="/",
            font="ar-uming",
            section4_long=True,
        ),
    ),
    "drift-fee-unit-2021": (
        205,
        dict(
            PLAIN,
            fmt="2021",
            year=2023,
            profile="large",
            drift=True,
            t2_title_row=True,
            fee_with_unit=True,
            zero_style="无",
            font="wqy-zenhei",
            header_breaks=True,
            vertical_results_label=True,
        ),
    ),
    "old-tables-2022-breaks": (
        206,
        dict(
            PLAIN,
            fmt="2019",
            year=2022,
            profile="bureau",
            negative_style="减",
            perturb=2,
            zero_style="-",
            font="ar-ukai",
            t3_title_row=True,
        ),
    ),
    "negative-blank-zeros-2019": (
        207,
        dict(
            PLAIN,
            fmt="2019",
            year=2020,
            profile="county",
            negative_style="-",
            plus_sign=True,
            zero_style="",
            t4_labels="vertical",
            font="wqy-microhei",
            title_split=True,
        ),
    ),
    "breaks-title-split-2021": (
        208,
        dict(
            PLAIN,
            fmt="2021",
            year=2025,
            profile="township",
            perturb=1,
            zero_style="0",
            title_split=True,
            section4_long=True,
            font="ar-ukai",
            signature=True,
        ),
    ),
    "large-split-2021": (
        209,
        dict(
            PLAIN,
            fmt="2021",
            year=2022,
            profile="large",
            t3_title_row=True,
            header_breaks=True,
            split_table3_at=15,
            font="wqy-microhei",
            decimals=1,
            t4_layout="side",
        ),
    ),
    "flipbook-2019": (
        210,
        dict(
            PLAIN,
            fmt="2019",
            year=2019,
            profile="county",
            t2_title_row=True,
            flipbook=True,
            font="ar-uming",
            t4_labels="one",
            label_align="left",
        ),
    ),
}

# Scans of committed digital reports: (digital name, job). Every level and container.
SCANS: list[tuple[str, ScanJob]] = [
    ("xingzhuang-2023", ScanJob("xingzhuang-2023-scan", "light", "jpg", quality=80, seal=True)),
    (
        "plain-2021-county-2022",
        ScanJob("plain-2021-county-2022-clean-pdf", "clean", "pdf", dpi=200, seal=False),
    ),
    (
        "plain-2019-bureau-2019",
        ScanJob("plain-2019-bureau-2019-clean-png", "clean", "png", dpi=150, seal=False),
    ),
    ("totals-only-2021", ScanJob("totals-only-2021-light-tiff", "light", "tiff", quality=75)),
    (
        "flipbook-2019",
        ScanJob("flipbook-2019-light-folder", "light", "folder", quality=75, seal=True),
    ),
    (
        "split-t3-breaks-2021",
        ScanJob(
            "split-t3-breaks-2021-medium-pdf",
            "medium",
            "pdf",
            quality=75,
            seal=True,
            binarize=False,
        ),
    ),
    (
        "old-tables-2022-breaks",
        ScanJob("old-tables-2022-breaks-medium-tiff", "medium", "tiff", seal=True, binarize=True),
    ),
    (
        "drift-fee-unit-2021",
        ScanJob("drift-fee-unit-2021-medium-jpg", "medium", "jpg", quality=75, binarize=False),
    ),
    (
        "plain-2021-large-2023",
        ScanJob("plain-2021-large-2023-heavy-folder", "heavy", "folder", quality=75, seal=True),
    ),
    (
        "blank-total-2021",
        ScanJob("blank-total-2021-heavy-pdf", "heavy", "pdf", quality=72, seal=True),
    ),
]


def digital_recipes() -> list[Recipe]:
    return [draw(name, seed, **kw) for name, (seed, kw) in DIGITAL.items()]


def scan_jobs() -> list[tuple[Recipe, ScanJob]]:
    by_name = {r.name: r for r in digital_recipes()}
    return [(by_name[src], job) for src, job in SCANS]
