"""The committed sample set: every recipe by name, with the variants it must show.

Names say what is special about each document. Regenerate with
`python -m samples.generator committed`.
"""

from __future__ import annotations

from typing import Any

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
}

SCANS: dict[str, tuple[str, int, dict[str, Any]]] = {}


def digital_recipes() -> list[Recipe]:
    return [draw(name, seed, **kw) for name, (seed, kw) in DIGITAL.items()]
