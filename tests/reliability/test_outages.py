"""Redis and PostgreSQL stopped and restarted under a running batch: the batch
completes, each document with one result; the API says 503 + Retry-After meanwhile
and recovers by itself."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest

from tests.reliability.conftest import Rig, unique
from tests.service.servers import Process, service_env, wait_for
from tests.service.stack import serve
from worker.settings import Settings
from worker.tasks import CeleryDispatcher

pytestmark = pytest.mark.slow


def complete(rig: Rig, batch: dict[str, Any], timeout: float = 90) -> dict[str, Any]:
    try:
        done = rig.client().wait(batch["batch_id"], timeout=timeout)
    except AssertionError:
        pytest.fail(f"batch did not finish; service logs:\n{rig.logs()}")
    failed = [(d["filename"], d.get("error")) for d in done["documents"]
              if d["status"] != "done"]
    assert done["counts"] == {"queued": 0, "running": 0, "done": len(batch["documents"]),
                              "failed": 0}, f"{failed}\n{rig.logs()}"
    for d in batch["documents"]:
        assert rig.results(d["id"]) == 1, d
    return done


def some_done(rig: Rig, batch: dict[str, Any]) -> bool:
    return any(rig.doc(d["id"]).status == "done" for d in batch["documents"])


@pytest.mark.parametrize("lose_data", [False, True], ids=["append-only-file", "data-lost"])
def test_redis_killed_mid_batch(rig: Rig, lose_data: bool) -> None:
    batch = rig.upload(unique("sleep:0.3", 16))
    wait_for(lambda: some_done(rig, batch), 30, "first documents")
    rig.redis.kill()
    if lose_data:  # worst case: every queued message is gone; the database still knows
        rig.redis.wipe()
    time.sleep(1)
    rig.redis.start()
    complete(rig, batch)
    if lose_data:  # the sweeper found them missing from the broker and sent them again
        assert re.search(r", [1-9]\d* lost by the queue\)", rig.api.output() if rig.api else "")


def test_broker_reports_the_documents_it_holds(rig: Rig) -> None:
    # A database no worker consumes: the messages stay where the sweeper can see them.
    settings = Settings(broker_url=rig.redis.url.rsplit("/", 1)[0] + "/5")
    queue = CeleryDispatcher(settings)
    try:
        queue.submit(["doc-a", "doc-b"])
        assert queue.held() == {"doc-a", "doc-b"}
    finally:
        queue.app.connection_for_write().default_channel.client.flushdb()
        queue.close()
    assert CeleryDispatcher(Settings(broker_url="redis://127.0.0.1:1/0")).held() is None


def test_postgres_restarted_mid_batch(rig: Rig) -> None:
    batch = rig.upload(unique("sleep:1", 6))
    rig.wait_running(batch["documents"][0]["id"])
    client = rig.client()
    rig.postgres.stop()
    try:
        path = f"/v1/batches/{batch['batch_id']}"
        r = client.get(path)
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"] == "1"
        assert r.json()["error"]["code"] == "database_unavailable"
        assert "psycopg" not in r.text and "127.0.0.1" not in r.text
        up = client.upload(unique("ok", 1))
        assert up.status_code == 503 and up.headers["retry-after"] == "1"
        assert client.get("/readyz").status_code == 503
        time.sleep(2)  # workers finish their documents meanwhile and wait to store them
    finally:
        rig.postgres.start()
    wait_for(lambda: client.get(path).status_code == 200, 20, "API back after PostgreSQL")
    assert client.get("/readyz").status_code == 200
    complete(rig, batch)


def test_embedded_server_restarted_while_the_database_is_down(rig: Rig) -> None:
    url = rig.postgres.create_database(f"embedded_{time.time_ns()}")
    env = service_env({**{k: v for k, v in rig.env.items() if k.startswith("NIANBAO_")},
                       "NIANBAO_BROKER_URL": "", "NIANBAO_DATABASE_URL": url,
                       "NIANBAO_WORKERS": "2"})
    env.pop("NIANBAO_BROKER_URL")
    api_url, api = serve(env, rig.root / "embedded-1.log")
    second: Process | None = None
    try:
        from tests.service.stack import token

        headers = {"Authorization": f"Bearer {token(env, 'acme')}"}
        files = [("files", (n, b)) for n, b in unique("sleep:1", 6)]
        r = httpx.post(api_url + "/v1/batches", files=files, headers=headers, timeout=30)
        assert r.status_code == 202, r.text
        batch_id = r.json()["batch_id"]
        time.sleep(0.5)
        api.kill()  # the server and its pool, mid-batch
        rig.postgres.stop()
        try:
            api_url, second = serve(env, rig.root / "embedded-2.log")  # starts without a DB
            ready = httpx.get(api_url + "/readyz", timeout=10)
            assert ready.status_code == 503 and ready.headers["retry-after"] == "1"
        finally:
            rig.postgres.start()

        def complete() -> bool:
            got = httpx.get(f"{api_url}/v1/batches/{batch_id}", headers=headers, timeout=10)
            return got.status_code == 200 and got.json()["status"] == "complete"

        wait_for(complete, 60, "embedded batch after the restart", rig.root / "embedded-2.log")
        got = httpx.get(f"{api_url}/v1/batches/{batch_id}", headers=headers, timeout=10).json()
        assert got["counts"]["done"] == 6
    finally:
        for p in (api, second):
            if p is not None:
                p.close()
