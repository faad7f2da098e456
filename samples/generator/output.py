"""Write documents and their truth files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def truth_json(truth: dict[str, Any]) -> str:
    return json.dumps(truth, ensure_ascii=False, indent=1) + "\n"


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_truth(directory: Path, name: str, truth: dict[str, Any]) -> Path:
    path = directory / f"{name}.truth.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(truth_json(truth), encoding="utf-8")
    return path
