"""The sample generator: truth obeys the identities except the recorded breaks, the PDFs
carry the printed text, output is deterministic, and the committed set is current."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pdfplumber
import pytest

from samples.generator import committed, figures
from samples.generator.cli import DIGITAL_DIR, SCANS_DIR, main
from samples.generator.compose import ScanJob, build, scan_params, scan_truth
from samples.generator.output import truth_json
from samples.generator.recipe import Recipe, draw
from schemas.identities import check
from schemas.paths import FORMATS, number_paths

DIGITAL = committed.digital_recipes()
SCAN_JOBS = committed.scan_jobs()


def _truths() -> list[dict]:
    files = sorted(DIGITAL_DIR.glob("*.truth.json")) + sorted(SCANS_DIR.glob("*.truth.json"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in files]


def _parse(text: str) -> float | None:
    """What a printed cell means (TEMPLATE.md §6); '' is 0 unless the truth says null."""
    if text in figures.ZERO_STYLES:
        return 0
    if text.startswith("减"):
        return -float(text[1:])
    if text.startswith("增"):
        return float(text[1:])
    if text.endswith("元"):
        return float(text[:-1]) / 10000
    return float(text)


def test_committed_set_is_complete() -> None:
    truths = _truths()
    assert len([t for t in truths if t["kind"] == "digital"]) == len(DIGITAL)
    assert len([t for t in truths if t["kind"] == "scan"]) == len(SCAN_JOBS)
    digital = [t for t in truths if t["kind"] == "digital"]
    assert {t["report"]["format"] for t in digital} == set(FORMATS)
    assert sum(1 for t in digital if t["breaks"]) >= 3
    layouts = [t["layout"] for t in digital]
    assert {x["zero_style"] for x in layouts} >= set(figures.ZERO_STYLES)
    for flag in (
        "totals_only",
        "blank_total",
        "fee_with_unit",
        "split_table3",
        "flipbook",
        "header_breaks",
        "vertical_results_label",
        "drift",
        "t2_title_row",
        "t3_title_row",
        "title_split",
    ):
        assert any(x[flag] for x in layouts), flag
    assert {x["t4_labels"] for x in layouts} == {"one", "two", "vertical"}
    assert {x["font"] for x in layouts} == {"wqy-zenhei", "wqy-microhei", "ar-uming", "ar-ukai"}
    scans = [t["degradation"] for t in truths if t["kind"] == "scan"]
    assert {d["level"] for d in scans} == {"clean", "light", "medium", "heavy"}
    assert {d["container"] for d in scans} == {"jpg", "png", "tiff", "pdf", "folder"}
    assert any("seal" in d for d in scans) and any(d["binarize"] for d in scans)
    seed = next(t for t in digital if t["name"] == "xingzhuang-2023")
    assert seed["report"] == {
        "issuer": "邢庄镇人民政府",
        "year": 2023,
        "format": "2021",
        "title": "邢庄镇人民政府2023年政府信息公开工作年度报告",
    }
    assert set(seed["numbers"].values()) == {0}


@pytest.mark.parametrize("truth", _truths(), ids=lambda t: t["name"])
def test_truth_obeys_identities_except_recorded_breaks(truth: dict) -> None:
    fmt = truth["report"]["format"]
    numbers = truth["numbers"]
    assert list(numbers) == number_paths(fmt)
    assert truth["breaks"] == sorted({f.code for f in check(numbers, fmt)})
    # undo the deliberate knocks: the figures as drawn break nothing
    consistent = dict(numbers)
    for p in truth["layout"]["perturbed"]:
        consistent[p["path"]] = p["consistent"]
    assert check(consistent, fmt) == []
    assert bool(truth["breaks"]) == bool(truth["layout"]["perturbed"])
    for path, value in numbers.items():
        assert value is None or value >= 0 or path.endswith(".change"), path
        printed = truth["printed"][path]
        if value is None:
            assert printed == "", path
        else:
            assert _parse(printed) == pytest.approx(value), (path, printed, value)


@pytest.mark.parametrize("recipe", DIGITAL, ids=lambda r: r.name)
def test_committed_digital_matches_regeneration(recipe: Recipe) -> None:
    built = build(recipe)
    assert (DIGITAL_DIR / f"{recipe.name}.pdf").read_bytes() == built.pdf
    committed_truth = (DIGITAL_DIR / f"{recipe.name}.truth.json").read_text(encoding="utf-8")
    assert committed_truth == truth_json(built.truth)


@pytest.mark.parametrize("job", SCAN_JOBS, ids=lambda rj: rj[1].name)
def test_committed_scan_truth_matches_regeneration(job: tuple[Recipe, ScanJob]) -> None:
    recipe, scan = job
    built = build(recipe)
    truth = scan_truth(built, scan, scan_params(built, recipe, scan))
    assert (SCANS_DIR / f"{scan.name}.truth.json").read_text(encoding="utf-8") == truth_json(truth)
    for f in truth["degradation"]["files"]:
        assert (SCANS_DIR / f).is_file(), f


@pytest.mark.parametrize(
    "name",
    [
        "xingzhuang-2023",
        "drift-fee-unit-2021",
        "totals-only-2021",
        "negative-blank-zeros-2019",
        "flipbook-vertical-2021",
    ],
)
def test_pdf_text_holds_title_and_every_printed_number(name: str) -> None:
    truth = json.loads((DIGITAL_DIR / f"{name}.truth.json").read_text(encoding="utf-8"))
    with pdfplumber.open(DIGITAL_DIR / f"{name}.pdf") as pdf:
        assert len(pdf.pages) == truth["pages"]
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        assert truth["report"]["title"] in text.replace(" ", "").replace("\n", "")
        for path, (page, x0, top, x1, bottom) in truth["cells"].items():
            crop = pdf.pages[int(page) - 1].crop((x0 - 1, top - 1, x1 + 1, bottom + 1))
            got = (crop.extract_text() or "").replace("\n", "").replace(" ", "")
            assert got == truth["printed"][path], path


def test_same_seed_same_bytes() -> None:
    a, b = build(draw("x", 5)), build(draw("x", 5))
    assert a.pdf == b.pdf and a.truth == b.truth
    assert build(draw("x", 6)).pdf != a.pdf


def test_drawn_figures_break_exactly_what_they_record() -> None:
    rng = random.Random(0)
    for i in range(300):
        recipe = draw(f"f{i}", rng.randrange(10**6))
        fig = figures.draw(random.Random(i), recipe.fmt, recipe.issuer.profile, recipe.figures)
        assert fig.breaks == sorted({f.code for f in check(fig.truth, recipe.fmt)})
        assert bool(fig.breaks) == bool(recipe.figures.perturb)


def test_corpus_cli_writes_scans_with_truth(tmp_path: Path) -> None:
    assert (
        main(
            [
                "corpus",
                "--out",
                str(tmp_path),
                "--count",
                "2",
                "--scans",
                "--both",
                "--levels",
                "light",
                "--containers",
                "tiff",
                "--seed",
                "3",
            ]
        )
        == 0
    )
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [m["kind"] for m in manifest] == ["digital", "scan", "digital", "scan"]
    for m in manifest:
        for f in m["files"]:
            assert (tmp_path / f).is_file()
        truth = json.loads((tmp_path / m["truth"]).read_text(encoding="utf-8"))
        assert truth["kind"] == m["kind"]
    from PIL import Image

    scan = next(m for m in manifest if m["kind"] == "scan")
    with Image.open(tmp_path / scan["files"][0]) as im:
        assert (
            getattr(im, "n_frames", 1)
            == json.loads((tmp_path / scan["truth"]).read_text())["pages"]
        )


def test_scan_is_deterministic(tmp_path: Path) -> None:
    from samples.generator.cli import write_scan

    recipe = draw("d", 11)
    built = build(recipe)
    job = ScanJob("d-heavy", "heavy", "png", dpi=60, seal=True)
    write_scan(built, recipe, job, tmp_path / "a")
    write_scan(built, recipe, job, tmp_path / "b")
    assert (tmp_path / "a/d-heavy.png").read_bytes() == (tmp_path / "b/d-heavy.png").read_bytes()


def test_pdf_has_vector_ruling_lines() -> None:
    with pdfplumber.open(io.BytesIO(build(draw("v", 9)).pdf)) as pdf:
        assert sum(len(p.rects) + len(p.lines) for p in pdf.pages) > 100
