"""Pipeline driver (placeholder until the stages land)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from extractors.options import ExtractOptions
from schemas import DocumentInfo, Finding, Result, Validation

# One document: its bytes, or the (name, bytes) of each page image of a folder.
Source = bytes | Sequence[tuple[str, bytes]]


def extract(source: Source, filename: str, options: ExtractOptions | None = None) -> Result:
    data = source if isinstance(source, bytes) else b"".join(b for _, b in source)
    return Result(
        document=DocumentInfo(id=hashlib.sha256(data).hexdigest(), filename=filename, pages=0),
        validation=Validation(
            status="failed",
            findings=[Finding(code="engine_failure", severity="error", message="not implemented")],
        ),
    )


def extract_path(path: str | Path, options: ExtractOptions | None = None) -> Result:
    p = Path(path)
    if p.is_dir():
        pages = [(f.name, f.read_bytes()) for f in sorted(p.iterdir()) if f.is_file()]
        return extract(pages, p.name, options)
    return extract(p.read_bytes(), p.name, options)
