"""The scan path on the committed scans: golden results, and never a silent error.

Golden files hold what matters and does not drift with OCR's last decimal: the
report, every number, the status and the finding codes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractors import extract_path
from schemas import load_result
from schemas.access import get_path, numbers
from tests.conftest import GOLDEN, REGEN_GOLDEN, sample_documents

SCANS = sample_documents("scans")


def _truth(doc: Path) -> dict[str, Any]:
    name = doc.name if doc.is_dir() else doc.name.rsplit(".", 1)[0]
    return json.loads((doc.parent / f"{name}.truth.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    out = {}
    for d in SCANS:
        result = extract_path(d)
        load_result(result.model_dump(mode="json"))
        out[d.name] = result.model_dump(mode="json")
    return out


def _essence(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "report": result["report"],
        "kind": result["document"]["kind"],
        "status": result["validation"]["status"],
        "codes": sorted({f["code"] for f in result["validation"]["findings"]}),
        "numbers": numbers(result),
        "corrected": sorted(
            p for p, c in result["cells"].items() if c["corrected_from"] is not None
        ),
    }


def test_scan_samples_cover_every_level() -> None:
    levels = {_truth(d)["degradation"]["level"] for d in SCANS}
    assert levels == {"clean", "light", "medium", "heavy"}


@pytest.mark.parametrize("doc", SCANS, ids=lambda d: d.name)
def test_golden(doc: Path, results: dict[str, dict[str, Any]]) -> None:
    golden = GOLDEN / "scans" / f"{doc.name}.json"
    got = _essence(results[doc.name])
    if REGEN_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert golden.exists(), f"no golden file {golden}; run with NIANBAO_REGEN_GOLDEN=1"
    assert got == json.loads(golden.read_text("utf-8"))


@pytest.mark.parametrize("doc", SCANS, ids=lambda d: d.name)
def test_no_silent_error(doc: Path, results: dict[str, dict[str, Any]]) -> None:
    """A wrong number is allowed only in a document that asks for review."""
    truth, got = _truth(doc), results[doc.name]
    wrong = [p for p, v in truth["numbers"].items() if get_path(got, p) != v]
    if wrong:
        assert got["validation"]["status"] == "needs_review", wrong
    assert got["document"]["kind"] == "scan"
    for key in ("issuer", "year", "format"):
        assert got["report"][key] == truth["report"][key]


@pytest.mark.parametrize("doc", SCANS, ids=lambda d: d.name)
def test_printed_inconsistencies_are_flagged(doc: Path,
                                             results: dict[str, dict[str, Any]]) -> None:
    truth, got = _truth(doc), results[doc.name]
    if truth["breaks"]:
        assert got["validation"]["status"] == "needs_review"
