"""The HTTP contract in one process (FastAPI TestClient, inline or no queue)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.service.conftest import Local
from worker.api import create_app
from worker.db import repo
from worker.dispatch import InlineDispatcher
from worker.settings import Settings


class HeldQueue:
    """A queue that keeps documents waiting (to see them queued)."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def submit(self, document_ids: Sequence[str]) -> None:
        self.ids.extend(document_ids)

    def ping(self) -> None:
        return None

    def close(self) -> None:
        return None


def token(local: Local, tenant: str = "acme") -> dict[str, str]:
    with local.db.session() as s:
        _, clear = repo.create_token(s, tenant)
    return {"Authorization": f"Bearer {clear}"}


def client_for(settings: Settings, queue: Any) -> Iterator[TestClient]:
    with TestClient(create_app(settings, dispatcher=queue)) as c:
        yield c


@pytest.fixture
def api(local: Local) -> Iterator[TestClient]:
    yield from client_for(local.settings, InlineDispatcher(local.processor, lambda _: None))


def test_upload_zip_and_files(api: TestClient, local: Local) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("one.pdf", b"FAKE:ok")
        z.writestr("scan/p1.png", b"FAKE:ok-scan")
        z.writestr("../escape.pdf", b"x")
    files = [("files", ("in.zip", buf.getvalue())), ("files", ("two.pdf", b"FAKE:ok-2"))]
    r = api.post("/v1/batches", files=files, headers=token(local))
    assert r.status_code == 202, r.text
    docs = r.json()["documents"]
    assert [(d["filename"], d["status"]) for d in docs] == [
        ("one.pdf", "done"), ("../escape.pdf", "failed"), ("scan", "done"), ("two.pdf", "done")]
    assert docs[1]["error"]["code"] == "unsafe_entry"
    batch = api.get(f"/v1/batches/{r.json()['batch_id']}", headers=token(local)).json()
    assert batch["counts"] == {"queued": 0, "running": 0, "done": 3, "failed": 1}


def test_auth_required_and_revocable(api: TestClient, local: Local) -> None:
    assert api.post("/v1/batches", files=[("files", ("a.pdf", b"x"))]).status_code == 401
    bad = {"Authorization": "Bearer nb_nope"}
    r = api.get("/v1/batches/x", headers=bad)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    with local.db.session() as s:
        _, clear = repo.create_token(s, "acme")
    headers = {"Authorization": f"Bearer {clear}"}
    assert api.get("/v1/batches/x", headers=headers).status_code == 404
    with local.db.session() as s:
        assert repo.revoke_token(s, clear) == 1
        assert repo.revoke_token(s, clear) == 0
    assert api.get("/v1/batches/x", headers=headers).status_code == 401
    with local.db.session() as s:  # only the hash is stored
        assert all(clear not in (t.token_hash, t.prefix) for t in repo.list_tokens(s))


def test_result_is_409_while_queued(local: Local) -> None:
    queue = HeldQueue()
    for api in client_for(local.settings, queue):
        headers = token(local)
        r = api.post("/v1/batches", files=[("files", ("a.pdf", b"FAKE:ok"))], headers=headers)
        doc_id = r.json()["documents"][0]["id"]
        assert queue.ids == [doc_id]
        r = api.get(f"/v1/documents/{doc_id}/result", headers=headers)
        assert r.status_code == 409 and r.json()["error"]["code"] == "not_ready"
        batch = api.get(f"/v1/batches/{r.json() and doc_id}", headers=headers)
        assert batch.status_code == 404
        detail = api.get(f"/v1/documents/{doc_id}", headers=headers).json()
        assert detail["status"] == "queued" and detail["timings"]["started_at"] is None


def test_upload_limits(local: Local) -> None:
    settings = local.settings.model_copy(update={"max_upload_bytes": 2000,
                                                 "max_documents_per_batch": 2})
    for api in client_for(settings, HeldQueue()):
        headers = token(local)
        r = api.post("/v1/batches", files=[("files", ("a.pdf", b"0" * 5000))], headers=headers)
        assert r.status_code == 413 and r.json()["error"]["code"] == "upload_too_large"
        files = [("files", (f"{i}.pdf", b"x")) for i in range(3)]
        r = api.post("/v1/batches", files=files, headers=headers)
        assert r.status_code == 400 and "at most 2" in r.json()["error"]["message"]
        assert api.post("/v1/batches", headers=headers).status_code == 422


def test_database_outage_is_503_with_retry_after(tmp_path: Any) -> None:
    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://x@127.0.0.1:1/x",
                        auto_migrate=False, sweep_interval=0, retry_after=7)
    for api in client_for(settings, HeldQueue()):
        r = api.get("/v1/batches/b", headers={"Authorization": "Bearer nb_x"})
        assert r.status_code == 503 and r.headers["retry-after"] == "7"
        assert r.json()["error"]["code"] == "database_unavailable"
        assert "psycopg" not in r.text
        ready = api.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["database"] == "unreachable"
        assert api.get("/healthz").status_code == 200


def test_broker_outage_keeps_the_upload(local: Local) -> None:
    settings = local.settings.model_copy(update={"broker_url": "redis://127.0.0.1:1/0"})
    from worker.tasks import CeleryDispatcher

    for api in client_for(settings, CeleryDispatcher(settings)):
        headers = token(local)
        r = api.post("/v1/batches", files=[("files", ("a.pdf", b"FAKE:ok"))], headers=headers)
        assert r.status_code == 202  # stored; the sweeper queues it when the broker is back
        assert r.json()["documents"][0]["status"] == "queued"
        ready = api.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["database"] == "ok"
