"""The digital path on the committed samples: golden JSON and generator truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractors import extract_path
from schemas import load_result
from schemas.access import get_path
from tests.conftest import GOLDEN, REGEN_GOLDEN, sample_documents

DIGITAL = sample_documents("digital")


def _truth(doc: Path) -> dict[str, Any]:
    return json.loads(doc.with_name(doc.name.rsplit(".", 1)[0] + ".truth.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    return {d.name: extract_path(d).model_dump(mode="json") for d in DIGITAL}


def test_there_are_digital_samples_of_both_formats() -> None:
    formats = {_truth(d)["report"]["format"] for d in DIGITAL}
    assert formats == {"2021", "2019"}
    assert len(DIGITAL) >= 10


@pytest.mark.parametrize("doc", DIGITAL, ids=lambda d: d.stem)
def test_golden(doc: Path, results: dict[str, dict[str, Any]]) -> None:
    golden = GOLDEN / "digital" / f"{doc.stem}.json"
    got = results[doc.name]
    if REGEN_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert golden.exists(), f"no golden file {golden}; run with NIANBAO_REGEN_GOLDEN=1"
    assert got == json.loads(golden.read_text("utf-8"))
    load_result(got)  # the golden file itself is a valid result


@pytest.mark.parametrize("doc", DIGITAL, ids=lambda d: d.stem)
def test_numbers_and_metadata_match_truth(doc: Path, results: dict[str, dict[str, Any]]) -> None:
    truth, got = _truth(doc), results[doc.name]
    wrong = {p: (get_path(got, p), v) for p, v in truth["numbers"].items()
             if get_path(got, p) != v}
    assert wrong == {}
    for key in ("issuer", "year", "format", "title"):
        assert got["report"][key] == truth["report"][key]
    assert got["document"]["kind"] == "digital"
    assert got["document"]["pages"] == truth["pages"]


@pytest.mark.parametrize("doc", DIGITAL, ids=lambda d: d.stem)
def test_status_follows_the_printed_figures(doc: Path, results: dict[str, dict[str, Any]]) -> None:
    truth, got = _truth(doc), results[doc.name]
    status = got["validation"]["status"]
    codes = {f["code"] for f in got["validation"]["findings"]}
    uncertain = any(v is None for v in truth["numbers"].values())
    if truth["breaks"] or uncertain:
        assert status == "needs_review"
        assert set(truth["breaks"]) <= codes
    else:
        assert status == "valid", got["validation"]["findings"]


def test_provenance_of_numbers(results: dict[str, dict[str, Any]]) -> None:
    got = results["xingzhuang-2023.pdf"]
    cell = got["cells"]["applications.results.total.total"]
    assert cell["source"] == "pdf_text" and cell["raw"] == "0" and cell["page"] >= 1
    assert len(cell["bbox"]) == 4
    roles = {t["role"] for t in got["tables"]}
    assert {"active_disclosure", "applications", "reviews_and_litigation"} <= roles
    [t3] = [t for t in got["tables"] if t["role"] == "applications"]
    corner = next(c for c in t3["cells"] if c["row"] == 0 and c["col"] == 0)
    assert (corner["row_span"], corner["col_span"]) == (3, 3)
    assert "勾稽关系" in corner["text"]
