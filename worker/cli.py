"""The `nianbao` command.

Extraction commands live here (`extract`, `schema`, `bench`); the service's
commands (`serve`, `worker`, `enqueue`, `watch`, `token`) come from
`worker.service_cli` and are loaded only where the service extras are installed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from fnmatch import fnmatch
from pathlib import Path
from typing import Any


def _extract_one(job: tuple[str, str, str | None]) -> tuple[str, dict[str, Any]]:
    """Run in a worker process: only the path and engine names go in, plain JSON comes out."""
    from extractors import ExtractOptions, extract_path
    from extractors.errors import EngineError
    from schemas import DocumentInfo, Finding, Result, Validation

    path, engine, model_dir = job
    options = ExtractOptions(ocr_engine=engine, ocr_model_dir=model_dir)
    for attempt in range(2):
        try:
            result = extract_path(path, options)
            return path, result.model_dump(mode="json")
        except EngineError as exc:
            error = f"{exc}"
            if attempt == 0:
                continue
        except Exception as exc:  # a bug must not take the batch down
            error = f"internal error ({type(exc).__name__}); please report this document"
            break
    failed = Result(
        document=DocumentInfo(id="", filename=Path(path).name, pages=0),
        validation=Validation(status="failed", findings=[
            Finding(code="engine_failure", severity="error", message=error)]),
    )
    return path, failed.model_dump(mode="json")


def _out_name(path: Path, used: set[str]) -> str:
    stem = path.name if path.is_dir() else path.stem
    name, n = stem, 2
    while name in used:
        name, n = f"{stem}-{n}", n + 1
    used.add(name)
    return name


def cmd_extract(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
    from rich.table import Table

    console = Console(stderr=True)
    paths = [Path(p) for p in args.paths
             if not any(fnmatch(Path(p).name, pat) for pat in args.exclude)]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        console.print(f"[red]No such file or folder:[/red] {', '.join(missing)}")
        return 2
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    names = {str(p): _out_name(p, used) for p in paths}
    rows: list[tuple[str, int, str, int]] = []
    jobs = max(1, args.jobs)
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                  transient=False) as progress:
        task = progress.add_task("extracting", total=len(paths))

        def done(path: str, data: dict[str, Any]) -> None:
            target = out_dir / f"{names[path]}.json"
            target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            v = data["validation"]
            rows.append((Path(path).name, data["document"]["pages"], v["status"],
                         len(v["findings"])))
            progress.update(task, advance=1, description=Path(path).name)

        work = [(str(p), args.ocr_engine, args.ocr_model_dir) for p in paths]
        if jobs == 1 or len(paths) == 1:
            for job in work:
                done(*_extract_one(job))
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for path, data in pool.map(_extract_one, work):
                    done(path, data)
    table = Table(title=f"{len(rows)} documents -> {out_dir}")
    for col in ("document", "pages", "status", "findings"):
        table.add_column(col)
    colours = {"valid": "green", "repaired": "cyan", "needs_review": "yellow", "failed": "red"}
    for name, pages, status, n in rows:
        table.add_row(name, str(pages), f"[{colours[status]}]{status}[/]", str(n))
    Console().print(table)
    return 1 if any(r[2] == "failed" for r in rows) else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from schemas import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bench.accuracy import main as bench_main

    return bench_main(args.folders, jobs=args.jobs, limit=args.limit,
                      with_baseline=args.baseline)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nianbao", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("extract", help="extract documents to JSON files")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="a document (PDF, image, TIFF) or a folder of page images")
    p.add_argument("--out", default="out", help="folder for <name>.json (default: out)")
    p.add_argument("--jobs", type=int, default=1, help="documents in parallel (default: 1)")
    p.add_argument("--ocr-engine", choices=["rapidocr", "paddle"],
                   default=os.environ.get("NIANBAO_OCR_ENGINE", "rapidocr"),
                   help="OCR engine for scanned pages (default: rapidocr, embedded)")
    p.add_argument("--ocr-model-dir", default=os.environ.get("NIANBAO_OCR_MODEL_DIR"),
                   help="paddle engine: directory of PaddleOCR models (det/, rec/, cls/)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="skip paths whose name matches (e.g. '*.truth.json'); repeatable")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("schema", help="print the JSON Schema of the result")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("bench", help="accuracy benchmark over samples with truth")
    p.add_argument("folders", nargs="+", help="folders of documents with <name>.truth.json")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--limit", type=int, default=None, help="at most this many documents")
    p.add_argument("--baseline", action="store_true",
                   help="also time plain full-page PP-OCR on the scanned pages")
    p.set_defaults(func=cmd_bench)

    try:
        from worker import service_cli
    except ImportError:  # the service extras are not installed
        service_cli = None  # type: ignore[assignment]
    if service_cli is not None:
        service_cli.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
