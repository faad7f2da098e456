"""Accuracy benchmark: the pipeline over documents with generator truth.

    python -m bench.accuracy samples/digital [samples/scans ...] [--jobs N] [--baseline]

Truth comes from the sample generator (`<name>.truth.json` beside each
document), never from this program's output. Prints field accuracy, fully
correct documents, silent errors (a wrong number in a document whose status is
`valid` or `repaired`), printed inconsistencies flagged, numbers filled in
from the identities where the reading could not say (finding `inferred`; such a
document is always `needs_review`) and how many of them are right, and seconds
per page, overall and by format and degradation level.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.access import get_path


@dataclass
class DocScore:
    name: str
    group: str
    fmt: str
    fields: int
    correct: int
    meta_ok: bool
    status: str
    seconds: float
    pages: int
    breaks: list[str]
    flagged: bool
    scan: str = ""  # "200 dpi", "150 dpi binarised", ...: how the scan was made
    wrong: list[str] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)  # filled in from the identities

    @property
    def silent(self) -> bool:
        return bool(self.wrong) and self.status in ("valid", "repaired")


def find_samples(folders: list[str]) -> list[tuple[Path, Path]]:
    """(document, truth) pairs: `<name>.truth.json` beside a file or folder `<name>`."""
    out = []
    for folder in folders:
        for truth in sorted(Path(folder).glob("*.truth.json")):
            name = truth.name[: -len(".truth.json")]
            doc = truth.parent / name
            if not doc.is_dir():
                cands = [p for p in truth.parent.glob(f"{name}.*")
                         if not p.name.endswith(".truth.json")]
                if not cands:
                    continue
                doc = cands[0]
            out.append((doc, truth))
    return out


def same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-6


def score(doc: Path, truth_path: Path) -> DocScore:
    from extractors import extract_path

    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    start = time.perf_counter()
    try:
        result = extract_path(doc).model_dump(mode="json")
    except Exception as exc:  # an engine failure scores as a failed document
        result = {"report": {}, "document": {"pages": 1}, "validation": {
            "status": "failed", "findings": [{"code": type(exc).__name__}]}}
    seconds = time.perf_counter() - start
    numbers: dict[str, Any] = truth["numbers"]
    wrong = [p for p, v in numbers.items() if not same(get_path(result, p), v)]
    rep, trep = result["report"], truth["report"]
    meta_ok = all(rep.get(k) == trep.get(k) for k in ("issuer", "year", "format"))
    codes = {f["code"] for f in result["validation"]["findings"]}
    breaks = sorted(truth.get("breaks") or [])
    flagged = result["validation"]["status"] == "needs_review" and set(breaks) <= codes
    inferred = sorted({p for f in result["validation"]["findings"] if f["code"] == "inferred"
                       for p in f["paths"] if p in numbers})
    deg = truth.get("degradation") or {}
    group = f"scan-{deg.get('level', '?')}" if truth.get("kind") == "scan" else "digital"
    return DocScore(
        name=doc.name, group=group, fmt=trep.get("format") or "?",
        fields=len(numbers), correct=len(numbers) - len(wrong), meta_ok=meta_ok,
        status=result["validation"]["status"], seconds=seconds,
        # A long screenshot stacks several printed pages in one image: count those.
        pages=max(1, result["document"]["pages"], deg.get("source_pages") or 0),
        breaks=breaks, flagged=flagged, wrong=wrong, inferred=inferred,
        scan=(f"{deg['dpi']} dpi" + (" binarised" if deg.get("binarize") else "")
              if deg.get("dpi") else ""),
    )


def _score_pair(pair: tuple[Path, Path]) -> DocScore:
    return score(*pair)


def summarize(scores: list[DocScore], label: str) -> str:
    fields = sum(s.fields for s in scores)
    correct = sum(s.correct for s in scores)
    full = sum(1 for s in scores if not s.wrong and s.meta_ok)
    silent = [s for s in scores if s.silent]
    broken = [s for s in scores if s.breaks]
    flagged = sum(1 for s in broken if s.flagged)
    per_page = [s.seconds / s.pages for s in scores]
    meta = sum(1 for s in scores if s.meta_ok)
    inferred = sum(len(s.inferred) for s in scores)
    inferred_wrong = sum(len(set(s.inferred) & set(s.wrong)) for s in scores)
    return (
        f"{label:<16} docs {len(scores):>3}  field accuracy {100 * correct / max(1, fields):7.3f}% "
        f"({correct}/{fields})  fully correct {full}/{len(scores)}  metadata {meta}/{len(scores)}  "
        f"silent errors {len(silent)}  inconsistencies flagged {flagged}/{len(broken)}  "
        f"inferred {inferred - inferred_wrong}/{inferred} right  "
        f"s/page median {statistics.median(per_page):.3f}"
    )


def baseline(scores: list[DocScore], pairs: list[tuple[Path, Path]]) -> None:
    """Plain full-page PP-OCR on the same scanned pages, timed in this run."""
    from bench.ocr_baseline import pages, plain_full_page
    from extractors.ocr import get_engine

    engine = get_engine()
    by_name = {d.name: (d, t) for d, t in pairs}
    ours: dict[str, list[float]] = defaultdict(list)
    plain: dict[str, list[float]] = defaultdict(list)
    for s in scores:
        if not s.group.startswith("scan"):
            continue
        doc, truth_path = by_name[s.name]
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        dpi = (truth.get("degradation") or {}).get("dpi")
        keys = ["all scans"] + ([f"{dpi} dpi"] if dpi else [])
        for key in keys:
            ours[key].append(s.seconds / s.pages)
        for _, image in pages(doc, 200):
            t = plain_full_page(engine, image)  # type: ignore[arg-type]
            for key in keys:
                plain[key].append(t)
    for key in sorted(ours):
        a, b = statistics.median(ours[key]), statistics.median(plain[key])
        print(f"{key:<16} pipeline {a:.2f} s/page (median of {len(ours[key])} documents)  "
              f"plain full-page PP-OCR {b:.2f} s/page (median of {len(plain[key])} pages)  "
              f"ratio {a / b:.2f}")


def main(folders: list[str], jobs: int = 1, limit: int | None = None,
         with_baseline: bool = False) -> int:
    pairs = find_samples(folders)[:limit]
    if not pairs:
        print(f"no <name>.truth.json samples found in {', '.join(folders)}", file=sys.stderr)
        return 2
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            scores = list(pool.map(_score_pair, pairs))
    else:
        scores = [score(d, t) for d, t in pairs]
    for s in scores:
        mark = "SILENT " if s.silent else ""
        more = " …" if len(s.wrong) > 4 else ""
        extra = f" wrong: {', '.join(s.wrong[:4])}{more}" if s.wrong else ""
        brk = f" breaks {s.breaks} {'flagged' if s.flagged else 'NOT FLAGGED'}" if s.breaks else ""
        print(f"  {mark}{s.name:<36} {s.group:<13} {s.fmt} {s.status:<12} "
              f"{s.correct}/{s.fields} {s.seconds / s.pages:.3f}s/page{brk}{extra}"
              f"{'' if s.meta_ok else ' METADATA WRONG'}")
    print()
    groups: dict[str, list[DocScore]] = defaultdict(list)
    for s in scores:
        groups[s.group].append(s)
        groups[f"format {s.fmt}"].append(s)
        if s.scan:
            groups[s.scan].append(s)
    for key in sorted(groups):
        print(summarize(groups[key], key))
    print(summarize(scores, "ALL"))
    if with_baseline:
        print()
        baseline(scores, pairs)
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--baseline", action="store_true",
                    help="also time plain full-page PP-OCR on the scanned pages")
    a = ap.parse_args()
    sys.exit(main(a.folders, a.jobs, a.limit, a.baseline))
