"""Shared fixtures and the golden-file switch."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"

# Set NIANBAO_REGEN_GOLDEN=1 to rewrite the golden files from the current output;
# tests/test_golden_switch.py fails while it is set, so it cannot be left on.
REGEN_GOLDEN = os.environ.get("NIANBAO_REGEN_GOLDEN") == "1"


def sample_documents(folder: str) -> list[Path]:
    """Each document that has a `<name>.truth.json` beside it."""
    out = []
    for truth in sorted((SAMPLES / folder).glob("*.truth.json")):
        name = truth.name[: -len(".truth.json")]
        doc = truth.parent / name
        if not doc.is_dir():
            cands = [p for p in truth.parent.glob(f"{name}.*") if not p.name.endswith(".json")]
            if not cands:
                continue
            doc = cands[0]
        out.append(doc)
    return out
