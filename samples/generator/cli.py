"""The generator's command line: `committed` and `corpus` (see samples/README.md)."""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from pathlib import Path
from typing import Any

from samples.generator import committed, containers
from samples.generator.compose import Built, ScanJob, build, scan_params, scan_truth
from samples.generator.output import write, write_truth
from samples.generator.recipe import Recipe, draw
from samples.generator.scan import LEVELS, degrade

SAMPLES = Path(__file__).resolve().parent.parent
DIGITAL_DIR = SAMPLES / "digital"
SCANS_DIR = SAMPLES / "scans"


def write_digital(built: Built, directory: Path) -> Path:
    name = built.truth["name"]
    write(directory / f"{name}.pdf", built.pdf)
    write_truth(directory, name, built.truth)
    return directory / f"{name}.pdf"


def write_scan(built: Built, recipe: Recipe, job: ScanJob, directory: Path) -> dict[str, Any]:
    """Render, degrade and write one scan with its truth; returns the truth."""
    params = scan_params(built, recipe, job)
    truth = scan_truth(built, job, params)
    pages = degrade(built.pdf, params)
    containers.write(
        job.container, pages, directory, job.name, dpi=params["dpi"], quality=job.quality
    )
    write_truth(directory, job.name, truth)
    return truth


def _clear(directory: Path) -> None:
    # generator-owned folders: everything in them is regenerated
    if directory.exists():
        for p in directory.iterdir():
            shutil.rmtree(p) if p.is_dir() else p.unlink()


def cmd_committed(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    everything = not args.only
    if everything and not args.scans_only:
        _clear(DIGITAL_DIR)
    if everything and not args.digital_only:
        _clear(SCANS_DIR)
    built: dict[str, Built] = {}
    for recipe in committed.digital_recipes():
        built[recipe.name] = b = build(recipe)
        if args.scans_only or (args.only and recipe.name not in args.only):
            continue
        write_digital(b, DIGITAL_DIR)
        print(
            f"digital/{recipe.name}.pdf  {len(b.pdf) // 1024} KiB  {b.truth['pages']} pages"
            f"  breaks={b.truth['breaks']}"
        )
    if not args.digital_only:
        for recipe, job in committed.scan_jobs():
            if args.only and job.name not in args.only:
                continue
            truth = write_scan(built[recipe.name], recipe, job, SCANS_DIR)
            size = sum((SCANS_DIR / f).stat().st_size for f in truth["degradation"]["files"])
            print(f"scans/{job.name}  {job.container} {job.level}  {size // 1024} KiB")
    print(f"done in {time.monotonic() - t0:.1f}s")
    return 0


def corpus_recipe(i: int, seed: int, formats: list[str]) -> Recipe:
    rng = random.Random(f"corpus-{seed}-{i}")
    fmt = formats[i % len(formats)]
    year = rng.randint(2021, 2025) if fmt == "2021" else rng.randint(2019, 2025)
    return draw(f"doc-{seed}-{i:04d}", seed * 100_003 + i, fmt=fmt, year=year)


def cmd_corpus(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    out = Path(args.out)
    formats = args.formats.split(",")
    levels = args.levels.split(",")
    conts = args.containers.split(",")
    for v, allowed in (
        (formats, ("2021", "2019")),
        (levels, LEVELS),
        (conts, containers.CONTAINERS),
    ):
        bad = [x for x in v if x not in allowed]
        if bad:
            raise SystemExit(f"unknown value(s) {bad}; allowed: {', '.join(allowed)}")
    manifest = []
    for i in range(args.count):
        recipe = corpus_recipe(i, args.seed, formats)
        b = build(recipe)
        if not args.scans or args.both:
            write_digital(b, out / "digital")
            manifest.append(
                {
                    "name": recipe.name,
                    "kind": "digital",
                    "files": [f"digital/{recipe.name}.pdf"],
                    "truth": f"digital/{recipe.name}.truth.json",
                }
            )
        if args.scans or args.both:
            # formats alternate with i, so levels advance every len(formats) documents:
            # every level then meets every format (and every container in turn)
            level = levels[(i // len(formats)) % len(levels)]
            container = conts[(i // (len(formats) * len(levels))) % len(conts)]
            job = ScanJob(
                f"{recipe.name}-{level}-{container}", level, container, quality=args.quality
            )
            truth = write_scan(b, recipe, job, out / "scans")
            manifest.append(
                {
                    "name": job.name,
                    "kind": "scan",
                    "level": level,
                    "container": container,
                    "files": [f"scans/{f}" for f in truth["degradation"]["files"]],
                    "truth": f"scans/{job.name}.truth.json",
                }
            )
        if (i + 1) % 10 == 0:
            print(f"{i + 1}/{args.count} documents  {time.monotonic() - t0:.0f}s")
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(manifest)} documents in {out} ({time.monotonic() - t0:.1f}s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m samples.generator", description="Sample reports with ground truth."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("committed", help="regenerate samples/digital and samples/scans")
    p.add_argument("--only", nargs="*", help="names to regenerate (default: all)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--digital-only", action="store_true")
    g.add_argument("--scans-only", action="store_true")
    p.set_defaults(func=cmd_committed)
    c = sub.add_parser("corpus", help="write an uncommitted corpus for benchmarks")
    c.add_argument("--out", required=True)
    c.add_argument("--count", type=int, default=20)
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--scans", action="store_true", help="write scans instead of digital PDFs")
    c.add_argument("--both", action="store_true", help="write digital PDFs and their scans")
    c.add_argument("--levels", default=",".join(LEVELS))
    c.add_argument("--formats", default="2021,2019")
    c.add_argument("--containers", default=",".join(containers.CONTAINERS))
    c.add_argument("--quality", type=int, default=78, help="JPEG quality of scan files")
    c.set_defaults(func=cmd_corpus)
    args = parser.parse_args(argv)
    return int(args.func(args))
