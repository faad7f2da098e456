"""Workers killed with SIGKILL, and poison documents: every document ends with exactly
one result, or a clear error, and none blocks the queue."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest

from tests.reliability.conftest import Rig, unique

pytestmark = pytest.mark.slow


def finished(rig: Rig, batch: dict[str, Any], timeout: float = 60) -> dict[str, Any]:
    try:
        return rig.client().wait(batch["batch_id"], timeout=timeout)
    except AssertionError:
        pytest.fail(f"batch did not finish; service logs:\n{rig.logs()}")


def test_sigkilled_worker_process_document_runs_again_once(rig: Rig) -> None:
    batch = rig.upload(unique("sleep:3", 1))
    doc_id = batch["documents"][0]["id"]
    running = rig.wait_running(doc_id)
    pid = int((running.lease_owner or "").rsplit(":", 1)[1])
    assert pid != rig.worker.proc.pid if rig.worker else True  # the pool child, not the parent
    os.kill(pid, signal.SIGKILL)  # mid-document: the heartbeat stops with it
    done = finished(rig, batch)
    assert done["counts"]["done"] == 1
    doc = rig.doc(doc_id)
    assert doc.attempts == 2  # run again by another process after the lease ran out
    assert rig.results(doc_id) == 1


def test_whole_worker_killed_then_replaced(rig: Rig) -> None:
    batch = rig.upload(unique("sleep:3", 2))
    ids = [d["id"] for d in batch["documents"]]
    for doc_id in ids:
        rig.wait_running(doc_id)
    assert rig.worker is not None
    rig.worker.kill()  # the Celery parent and both children, SIGKILL
    rig.start_worker()
    done = finished(rig, batch)
    assert done["counts"] == {"queued": 0, "running": 0, "done": 2, "failed": 0}
    for doc_id in ids:
        assert rig.results(doc_id) == 1
        assert rig.doc(doc_id).attempts == 2


def test_poison_documents_fail_with_a_finding_and_do_not_block(rig: Rig) -> None:
    poison = [("die.pdf", b"FAKE:die:" + os.urandom(8).hex().encode()),
              ("slow.pdf", b"FAKE:sleep:60:" + os.urandom(8).hex().encode()),
              ("hang.pdf", b"FAKE:hang:" + os.urandom(8).hex().encode())]
    batch = rig.upload(poison + unique("ok", 4))
    done = finished(rig, batch, timeout=90)
    by_name = {d["filename"]: d for d in done["documents"]}
    assert done["counts"]["done"] == 4
    # Killed every time it runs: stopped after NIANBAO_MAX_RETRIES + 1 runs.
    assert by_name["die.pdf"]["error"]["code"] == "worker_lost"
    # Too slow: the soft time limit fails it cleanly, once.
    assert by_name["slow.pdf"]["error"]["code"] == "timeout"
    # Deaf to the soft limit: the hard limit kills it, then it is a worker_lost.
    assert by_name["hang.pdf"]["error"]["code"] == "worker_lost"
    client = rig.client()
    for name in ("die.pdf", "slow.pdf", "hang.pdf"):
        doc_id = by_name[name]["id"]
        assert rig.results(doc_id) == 1
        assert rig.doc(doc_id).attempts <= 3
        r = client.get(f"/v1/documents/{doc_id}/result")
        assert r.status_code in (500, 504)
        [finding] = r.json()["result"]["validation"]["findings"]
        assert finding["code"] == by_name[name]["error"]["code"] and finding["message"]
