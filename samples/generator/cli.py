"""The generator's command line."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from samples.generator import committed
from samples.generator.compose import build
from samples.generator.output import write, write_truth

SAMPLES = Path(__file__).resolve().parent.parent
DIGITAL_DIR = SAMPLES / "digital"
SCANS_DIR = SAMPLES / "scans"


def cmd_committed(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    for recipe in committed.digital_recipes():
        if args.only and recipe.name not in args.only:
            continue
        built = build(recipe)
        write(DIGITAL_DIR / f"{recipe.name}.pdf", built.pdf)
        write_truth(DIGITAL_DIR, recipe.name, built.truth)
        print(
            f"{recipe.name}.pdf  {len(built.pdf) // 1024} KiB  {built.truth['pages']} pages"
            f"  breaks={built.truth['breaks']}"
        )
    print(f"done in {time.monotonic() - t0:.1f}s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m samples.generator", description="Sample reports with ground truth."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("committed", help="regenerate samples/digital and samples/scans")
    p.add_argument("--only", nargs="*", help="names to regenerate (default: all)")
    p.set_defaults(func=cmd_committed)
    args = parser.parse_args(argv)
    return int(args.func(args))
