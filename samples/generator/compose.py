"""Compose one digital report from a recipe: the PDF bytes and its truth."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from typing import Any

from samples.generator import figures as figs
from samples.generator import prose, seed_report
from samples.generator.recipe import Recipe
from samples.generator.render import Document
from samples.generator.tables import table2, table3, table4

TRUTH_VERSION = 1

HEADINGS = {
    "overview": "一、总体情况",
    "active_disclosure": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "reviews_and_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "reviews_long": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    "problems_and_improvements": "五、存在的主要问题及改进情况",
    "other_matters": "六、其他需要报告的事项",
}


@dataclass
class Built:
    pdf: bytes
    truth: dict[str, Any]


def title_of(recipe: Recipe) -> str:
    return f"{recipe.issuer.name}{recipe.year}年政府信息公开工作年度报告"


def build(recipe: Recipe) -> Built:
    """Draw figures and prose for `recipe`, lay out the PDF, and return it with its truth."""
    fig = figs.draw(
        random.Random(f"figures-{recipe.seed}"), recipe.fmt, recipe.issuer.profile, recipe.figures
    )
    prng = random.Random(f"prose-{recipe.seed}")
    if recipe.flow.seed_prose:
        overview, problems, other = seed_report.OVERVIEW, seed_report.PROBLEMS, seed_report.OTHER
        preamble: list[prose.Paragraph] = []
    else:
        overview = prose.overview(prng, recipe.issuer, recipe.year)
        problems = prose.problems(prng, recipe.issuer, recipe.year)
        other = prose.other_matters(prng, recipe.issuer, recipe.year)
        preamble = prose.preamble(prng, recipe.fmt)

    st = recipe.page
    title = title_of(recipe)
    doc = Document(st, title)
    year_part = f"{recipe.year}年政府信息公开工作年度报告"
    if recipe.flow.title_spaces:
        year_part = f" {recipe.year} 年政府信息公开工作年度报告"
    title_lines = (
        [recipe.issuer.name, year_part.strip()]
        if recipe.flow.title_split
        else [recipe.issuer.name + year_part]
    )
    for line in title_lines:
        doc.paragraph(line, font=st.title_font, size=st.title_size, indent=0, align="center")
    doc.space(st.body_size)
    for _, text in preamble:
        doc.paragraph(text)

    def heading(text: str) -> None:
        if doc.room() < st.body_size * 6:  # keep a heading with what follows
            doc.new_page()
        doc.space(st.body_size * 0.3)
        doc.paragraph(
            text,
            font=st.heading_font,
            size=st.body_size + 0.5,
            indent=2,
            space_after=st.body_size * 0.3,
        )

    def section(paragraphs: list[prose.Paragraph]) -> None:
        for style, text in paragraphs:
            doc.paragraph(text, font=st.heading_font if style == "sub" else st.font)

    heading(HEADINGS["overview"])
    section(overview)
    heading(HEADINGS["active_disclosure"])
    doc.table(table2(recipe.fmt, fig.printed, recipe.table, recipe.year), number=2)
    heading(HEADINGS["applications"])
    t3 = table3(recipe.fmt, fig.printed, recipe.table)
    breaks: set[int] = set()
    if recipe.flow.split_table3_at is not None:
        breaks.add(t3.header_rows + min(recipe.flow.split_table3_at, t3.nrows - t3.header_rows - 1))
    if recipe.flow.flipbook:
        breaks.add(t3.nrows - 1)
    doc.table(t3, breaks=frozenset(breaks), number=3)
    heading(HEADINGS["reviews_long" if recipe.flow.section4_long else "reviews_and_litigation"])
    doc.table(table4(fig.printed, recipe.table), number=4)
    heading(HEADINGS["problems_and_improvements"])
    section(problems)
    heading(HEADINGS["other_matters"])
    section(other)
    if recipe.flow.signature:
        doc.space(st.body_size * 2)
        doc.paragraph(recipe.issuer.name, indent=0, align="right")
        doc.paragraph(
            f"{recipe.year + 1}年1月{random.Random(recipe.seed).randint(5, 30)}日",
            indent=0,
            align="right",
        )
    pdf = doc.finish()
    placed = doc.placed

    table_pages: dict[str, list[int]] = {}
    for page, *_box, number in placed.tables:
        table_pages.setdefault(f"table{int(number)}", []).append(int(page))
    t3_rows = sorted({placed.cells[p][0] for p in fig.printed if p.startswith("applications.")})
    layout = {
        **{k: v for k, v in dataclasses.asdict(st).items()},
        **dataclasses.asdict(recipe.table),
        **dataclasses.asdict(recipe.flow),
        **{k: v for k, v in dataclasses.asdict(recipe.figures).items() if k != "perturb"},
        "profile": recipe.issuer.profile,
        "split_table3": len(table_pages["table3"]) > 1,
        "table3_value_pages": t3_rows,
        "table_pages": table_pages,
        "perturbed": fig.perturbed,
    }
    truth = {
        "truth_version": TRUTH_VERSION,
        "name": recipe.name,
        "kind": "digital",
        "pages": placed.pages,
        "seed": recipe.seed,
        "report": {
            "issuer": recipe.issuer.name,
            "year": recipe.year,
            "format": recipe.fmt,
            "title": title,
        },
        "numbers": fig.truth,
        "printed": fig.printed,
        "breaks": fig.breaks,
        "sections": {
            "overview": prose.section_text(overview),
            "problems_and_improvements": prose.section_text(problems),
            "other_matters": prose.section_text(other),
        },
        "layout": layout,
        "cells": placed.cells,
        "degradation": None,
    }
    return Built(pdf, truth)


@dataclass
class ScanJob:
    """One scanned document: which report, how degraded, in which container."""

    name: str
    level: str
    container: str
    quality: int = 80
    dpi: int | None = None
    seal: bool | None = None
    binarize: bool | None = None


def scan_truth(built: Built, job: ScanJob, params: dict[str, Any]) -> dict[str, Any]:
    """The truth of a scan, computed without rendering a pixel (tests rely on that)."""
    from samples.generator.containers import CONTAINERS

    if job.container not in CONTAINERS:
        raise ValueError(f"unknown container {job.container!r}")
    src_pages = int(built.truth["pages"])
    single = job.container in ("jpg", "png")
    if single:
        files = [f"{job.name}.{job.container}"]
    elif job.container == "folder":
        files = [f"{job.name}/page-{i:02d}.jpg" for i in range(1, src_pages + 1)]
    else:
        files = [f"{job.name}.{job.container}"]
    truth = {k: v for k, v in built.truth.items() if k not in ("cells",)}
    truth.update(
        name=job.name,
        kind="scan",
        pages=1 if single else src_pages,
        source=built.truth["name"],
        degradation={
            **params,
            "container": job.container,
            "files": files,
            "stitched": single and src_pages > 1,
            "source_pages": src_pages,
            "quality": job.quality,
        },
    )
    return truth


def scan_params(built: Built, recipe: Recipe, job: ScanJob) -> dict[str, Any]:
    from samples.generator.scan import plan

    return plan(
        job.level,
        f"{recipe.seed}-{job.name}",
        int(built.truth["pages"]),
        built.truth["cells"],
        recipe.issuer.name,
        dpi=job.dpi,
        seal=job.seal,
        binarize=job.binarize,
    )
