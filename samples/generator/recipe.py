"""A recipe: every random choice of one document (year, format, issuer, figure
options, page style, table style, flow), drawn from a seed and then overridden by
name. Same seed and overrides, same recipe, same bytes."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from typing import Any

from samples.generator.figures import FigureOptions
from samples.generator.fonts import FONT_NAMES
from samples.generator.issuers import Issuer, Profile, draw_issuer, issuer_from_name
from samples.generator.render import PageStyle
from samples.generator.tables import TableStyle
from schemas.paths import Format


@dataclass(frozen=True)
class Flow:
    """How the document flows around the tables."""

    title_split: bool = False  # issuer on its own title line
    title_spaces: bool = False  # 邢庄镇人民政府 2023 年… as in the seed
    section4_long: bool = False  # 四、因政府信息公开工作被申请行政复议、提起行政诉讼情况
    split_table3_at: int | None = (
        None  # force table 3 to continue on a new page before this body row
    )
    flipbook: bool = False  # table 3's last row and table 4 on a later page
    signature: bool = False  # issuer and date at the end
    seed_prose: bool = False  # the seed report's own prose


@dataclass(frozen=True)
class Recipe:
    name: str
    seed: int
    year: int
    fmt: Format
    issuer: Issuer
    figures: FigureOptions
    page: PageStyle
    table: TableStyle
    flow: Flow = field(default_factory=Flow)


def _zero_style(rng: random.Random) -> str:
    return rng.choices(["0", "", "—", "-", "/", "无"], weights=[60, 10, 10, 8, 7, 5])[0]


def draw(name: str, seed: int, **overrides: Any) -> Recipe:
    """Draw a recipe from `seed`; keyword overrides set any field of Recipe, FigureOptions,
    PageStyle, TableStyle or Flow by its name (plus `issuer_name` and `profile`).

    Raises TypeError for an unknown override.
    """
    rng = random.Random(f"recipe-{seed}")
    year = rng.randint(2019, 2025)
    fmt: Format = "2019" if year <= 2020 or rng.random() < 0.15 else "2021"
    issuer = draw_issuer(rng)
    figures = FigureOptions(
        zero_style=_zero_style(rng),
        totals_only=rng.random() < 0.05,
        blank_total=rng.random() < 0.04,
        fee_with_unit=rng.random() < 0.04,
        negative_style=rng.choice(["减", "-"]),
        plus_sign=rng.random() < 0.2,
        perturb=rng.choice([1, 1, 2]) if rng.random() < 0.25 else 0,
        decimals=rng.choice([2, 2, 2, 1, 0]),
    )
    if figures.totals_only and figures.zero_style == "":
        figures = dataclasses.replace(figures, zero_style="0")
    fonts = list(FONT_NAMES)
    font = rng.choice(fonts)
    body = rng.choice([10.5, 11, 12, 12, 14])
    left = rng.uniform(50, 90)
    page = PageStyle(
        font=font,
        heading_font=rng.choice([font, "wqy-zenhei", "wqy-microhei"]),
        title_font=rng.choice([font, "wqy-zenhei", "ar-uming"]),
        body_size=body,
        table_size=rng.choice([8, 8.5, 9, 9, 10]),
        title_size=rng.choice([16, 18, 18, 20, 22]),
        margins=(
            round(left, 1),
            round(left + rng.uniform(-8, 8), 1),
            round(rng.uniform(55, 90), 1),
            round(rng.uniform(55, 80), 1),
        ),
        leading=round(rng.uniform(1.4, 1.8), 2),
        cell_pad=round(rng.uniform(2, 4), 1),
        row_min=round(rng.uniform(15, 24), 1),
        table_width=round(rng.uniform(0.92, 1.0), 3),
        line_width=rng.choice([0.5, 0.5, 0.75, 1.0]),
        label_align=rng.choice(["center", "center", "left"]),
        page_numbers=rng.random() < 0.5,
    )
    table = TableStyle(
        header_breaks=rng.random() < 0.3,
        t4_labels=rng.choices(["one", "two", "vertical"], weights=[3, 5, 2])[0],
        t4_layout=rng.choice(["stacked", "side"]),
        vertical_results_label=rng.random() < 0.2,
        drift=rng.random() < 0.15,
        t2_title_row=rng.random() < 0.1,
        t3_title_row=rng.random() < 0.1,
    )
    flow = Flow(
        title_split=rng.random() < 0.3,
        title_spaces=rng.random() < 0.2,
        section4_long=rng.random() < 0.3,
        split_table3_at=rng.randint(3, 20) if rng.random() < 0.25 else None,
        flipbook=rng.random() < 0.1,
        signature=rng.random() < 0.3,
    )
    recipe = Recipe(name, seed, year, fmt, issuer, figures, page, table, flow)
    return override(recipe, **overrides)


def override(recipe: Recipe, **kw: Any) -> Recipe:
    """Set fields by name wherever they live; see `draw`."""
    parts: dict[str, Any] = {
        "figures": recipe.figures,
        "page": recipe.page,
        "table": recipe.table,
        "flow": recipe.flow,
    }
    top: dict[str, Any] = {}
    if "issuer_name" in kw:
        profile: Profile = kw.pop("profile", recipe.issuer.profile)
        top["issuer"] = issuer_from_name(kw.pop("issuer_name"), profile)
    elif "profile" in kw:  # an organ of that size, drawn from the recipe's seed
        profile = kw.pop("profile")
        if profile != recipe.issuer.profile:
            top["issuer"] = draw_issuer(random.Random(f"issuer-{recipe.seed}"), profile)
    for key, value in kw.items():
        for part_name, part in parts.items():
            if key in {f.name for f in dataclasses.fields(part)}:
                parts[part_name] = dataclasses.replace(part, **{key: value})
                break
        else:
            if key not in {f.name for f in dataclasses.fields(Recipe)}:
                raise TypeError(f"unknown recipe field {key!r}")
            top[key] = value
    return dataclasses.replace(recipe, **parts, **top)
