"""The whole service over HTTP, in both deployments: upload the digital samples with
some bad files, wait, download JSON, JSONL and CSV, and compare with the truth.

    celery:   PostgreSQL + Redis + S3 (moto) + `nianbao worker` + `nianbao serve`
    embedded: `nianbao serve` alone (SQLite, local folder, in-process pool)
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import pytest

from schemas import get_path, numbers
from tests.service.conftest import Stack
from tests.service.fakes import SECRET
from worker.api.export import contract_columns

pytestmark = pytest.mark.slow

BAD = {  # filename -> (bytes, the error codes that describe it)
    "empty.pdf": (b"", {"empty"}),
    "notes.txt": ("这不是年报，只是一段文字。\n".encode(), {"unsupported_type", "not_a_report"}),
    "corrupt.pdf": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pa", {"corrupt"}),
}


def truth_of(pdf: Path) -> dict[str, Any]:
    truth: dict[str, Any] = json.loads(pdf.with_suffix(".truth.json").read_text())
    return truth


def same(got: Any, want: Any) -> bool:
    if want is None or got is None:
        return got is None and want is None
    return math.isclose(float(got), float(want), abs_tol=1e-6)


def mismatches(got: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    return [f"{p}: got {got.get(p)!r}, truth {v!r}" for p, v in truth["numbers"].items()
            if not same(got.get(p), v)]


def csv_number(text: str) -> float | None:
    return None if text == "" else float(text)


@pytest.fixture(scope="module", params=["celery", "embedded"])
def finished(request: pytest.FixtureRequest, sample_pdfs: list[Path]) -> dict[str, Any]:
    """One batch per deployment, uploaded and waited for; shared by the tests below."""
    stack: Stack = request.getfixturevalue(f"{request.param}_stack")
    client = stack.client()
    files = [(p.name, p.read_bytes()) for p in sample_pdfs]
    files += [(name, data) for name, (data, _) in BAD.items()]
    files += [("crash.pdf", b"FAKE:crash"), ("flaky.pdf", b"FAKE:engine-error:1")]
    r = client.upload(files)
    assert r.status_code == 202, r.text
    body = r.json()
    assert [d["filename"] for d in body["documents"]] == [n for n, _ in files]
    try:
        batch = client.wait(body["batch_id"], timeout=150)
    except AssertionError:
        pytest.fail(f"batch did not finish; service logs:\n{stack.logs()}")
    by_name = {d["filename"]: d for d in batch["documents"]}
    return {"stack": stack, "client": client, "batch": batch, "by_name": by_name,
            "pdfs": sample_pdfs}


def test_batch_counts(finished: dict[str, Any]) -> None:
    batch = finished["batch"]
    n = len(finished["pdfs"])
    assert batch["counts"] == {"queued": 0, "running": 0, "done": n + 1, "failed": len(BAD) + 1}
    assert batch["total"] == n + len(BAD) + 2


def test_result_json_matches_truth(finished: dict[str, Any]) -> None:
    client, by_name = finished["client"], finished["by_name"]
    wrong: dict[str, list[str]] = {}
    for pdf in finished["pdfs"]:
        doc = by_name[pdf.name]
        assert doc["status"] == "done", doc
        r = client.get(f"/v1/documents/{doc['id']}/result")
        assert r.status_code == 200, r.text
        result, truth = r.json(), truth_of(pdf)
        assert result["document"]["filename"] == pdf.name
        for key in ("issuer", "year", "format"):
            assert result["report"][key] == truth["report"][key], (pdf.name, key)
        if bad := mismatches(numbers(result, truth["report"]["format"]), truth):
            wrong[pdf.name] = bad[:5]
    assert not wrong, f"numbers differ from the truth: {wrong}"


def test_jsonl_matches_truth(finished: dict[str, Any]) -> None:
    client, batch = finished["client"], finished["batch"]
    r = client.get(f"/v1/batches/{batch['batch_id']}/results", params={"format": "jsonl"})
    assert r.status_code == 200
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert [ln["id"] for ln in lines] == [d["id"] for d in batch["documents"]]
    by_name = {ln["filename"]: ln for ln in lines}
    for pdf in finished["pdfs"]:
        truth = truth_of(pdf)
        line = by_name[pdf.name]
        assert line["status"] == "done"
        assert not mismatches(numbers(line["result"], truth["report"]["format"]), truth), pdf.name


def test_csv_matches_truth(finished: dict[str, Any]) -> None:
    client, batch = finished["client"], finished["batch"]
    r = client.get(f"/v1/batches/{batch['batch_id']}/results", params={"format": "csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == batch["total"]
    header = list(rows[0])
    for column in ("issuer", "year", "format", "status", "applications.results.total.total",
                   "applications.results.other.all.total", "active_disclosure.administrative_fees",
                   "active_disclosure.government_procurement.total_amount"):
        assert column in header
    assert header[-len(contract_columns()):] == contract_columns()
    by_name = {row["filename"]: row for row in rows}
    for pdf in finished["pdfs"]:
        truth, row = truth_of(pdf), by_name[pdf.name]
        assert row["status"] == "done"
        assert (row["issuer"], row["year"], row["format"]) == (
            truth["report"]["issuer"], str(truth["report"]["year"]), truth["report"]["format"])
        got = {p: csv_number(row[p]) for p in truth["numbers"]}
        assert not mismatches(got, truth), pdf.name
        other = "2019" if truth["report"]["format"] == "2021" else "2021"
        only_other = set(contract_columns()) - set(numbers({"report": {"format": truth[
            "report"]["format"]}}))
        assert only_other and all(row[p] == "" for p in only_other), other


def test_zip_has_one_json_per_document(finished: dict[str, Any]) -> None:
    client, batch = finished["client"], finished["batch"]
    r = client.get(f"/v1/batches/{batch['batch_id']}/results", params={"format": "zip"})
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        results = [json.loads(z.read(n)) for n in z.namelist()]
    assert len(results) == batch["total"]
    names = {res["document"]["filename"] for res in results}
    assert {p.name for p in finished["pdfs"]} <= names


def test_bad_input_fails_per_document_with_a_clear_error(finished: dict[str, Any]) -> None:
    client, by_name = finished["client"], finished["by_name"]
    for name, (_, codes) in BAD.items():
        doc = by_name[name]
        assert doc["status"] == "failed", doc
        assert doc["error"]["code"] in codes, doc
        assert doc["error"]["message"], doc
        detail = client.get(f"/v1/documents/{doc['id']}").json()
        assert detail["error"]["code"] == doc["error"]["code"]
        r = client.get(f"/v1/documents/{doc['id']}/result")
        assert r.status_code in (415, 422), r.text
        assert r.json()["error"]["code"] == doc["error"]["code"]


def test_crash_is_a_generic_error_without_traceback(finished: dict[str, Any]) -> None:
    client, doc = finished["client"], finished["by_name"]["crash.pdf"]
    assert doc["status"] == "failed" and doc["error"]["code"] == "internal"
    for path in (f"/v1/documents/{doc['id']}", f"/v1/documents/{doc['id']}/result",
                 f"/v1/batches/{finished['batch']['batch_id']}/results"):
        text = client.get(path).text
        assert SECRET not in text and "Traceback" not in text, path


def test_transient_engine_error_is_retried(finished: dict[str, Any]) -> None:
    client, doc = finished["client"], finished["by_name"]["flaky.pdf"]
    assert doc["status"] == "done"
    detail = client.get(f"/v1/documents/{doc['id']}").json()
    # The fake fails once per worker process, and Celery may run the retry in another one.
    assert 2 <= detail["attempts"] <= 4
    timings = detail["timings"]
    assert timings["started_at"] and timings["finished_at"]
    assert timings["processing_seconds"] >= 0


def test_document_detail_has_timings_and_findings(finished: dict[str, Any]) -> None:
    client = finished["client"]
    pdf = finished["pdfs"][0]
    detail = client.get(f"/v1/documents/{finished['by_name'][pdf.name]['id']}").json()
    assert detail["status"] == "done"
    assert detail["validation_status"] in ("valid", "repaired", "needs_review")
    assert isinstance(detail["findings"], list)
    assert detail["sha256"] == get_path(
        client.get(f"/v1/documents/{detail['id']}/result").json(), "document.id")


def test_other_tenant_gets_404_everywhere(finished: dict[str, Any]) -> None:
    stack: Stack = finished["stack"]
    rival = stack.client(stack.other_token)
    batch = finished["batch"]
    doc_id = batch["documents"][0]["id"]
    routes = [f"/v1/batches/{batch['batch_id']}", f"/v1/documents/{doc_id}",
              f"/v1/documents/{doc_id}/result"]
    routes += [f"/v1/batches/{batch['batch_id']}/results?format={f}"
               for f in ("jsonl", "csv", "zip")]
    for route in routes:
        r = rival.get(route)
        assert r.status_code == 404, (route, r.status_code)
        assert r.json()["error"]["code"] == "not_found"
        assert finished["client"].get(route).status_code == 200, route
    anonymous = stack.client("")
    for route in routes:
        assert anonymous.get(route).status_code == 401, route


def test_health_ready_metrics_openapi(finished: dict[str, Any]) -> None:
    client = finished["stack"].client("")
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok",
                                                                    "queue": "ok"}
    metrics = client.get("/metrics").text
    assert 'nianbao_documents{status="done"}' in metrics
    assert "nianbao_http_requests_total" in metrics
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/batches", "/v1/batches/{batch_id}", "/v1/batches/{batch_id}/results",
            "/v1/documents/{document_id}", "/v1/documents/{document_id}/result"} <= set(paths)
