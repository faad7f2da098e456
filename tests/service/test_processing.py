"""One document's life: claim, extract, validate, store once; faults injected through
the extractor interface (tests.service.fakes)."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import func, select, update

from tests.service import fakes
from tests.service.conftest import Local
from tests.service.fakes import SECRET
from worker.batches import create_batch
from worker.db import repo
from worker.db.models import Document, ResultRecord, utcnow
from worker.dispatch import InlineDispatcher, run_with_retries
from worker.ingest import Upload
from worker.processing import Outcome, Processor
from worker.sweeper import sweep


def one(local: Local, data: bytes, name: str = "a.pdf") -> str:
    created = create_batch(local.db, local.blobs, local.tenant(), [Upload(name, data=data)])
    return created.documents[0][0]


def doc(local: Local, doc_id: str) -> Document:
    with local.db.session() as s:
        found = repo.get_document(s, None, doc_id)
        assert found is not None
        return found


def results(local: Local, doc_id: str) -> int:
    with local.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(ResultRecord)
                            .where(ResultRecord.document_id == doc_id)) or 0)


def run(local: Local, doc_id: str) -> Outcome:
    return run_with_retries(local.processor, doc_id, local.settings, sleep=lambda _: None)


def test_ok_document_is_done_with_a_validated_result(local: Local) -> None:
    doc_id = one(local, b"FAKE:ok")
    assert run(local, doc_id) is Outcome.DONE
    d = doc(local, doc_id)
    assert (d.status, d.attempts, d.error_code) == ("done", 1, None)
    assert d.started_at and d.finished_at and d.lease_owner is None
    with local.db.session() as s:
        result = repo.get_result(s, doc_id)
    assert result and result["report"]["issuer"] == "测试镇人民政府"
    assert result["document"]["id"] == d.sha256


def test_invalid_result_is_never_stored_as_done(local: Local) -> None:
    doc_id = one(local, b"FAKE:invalid")
    assert run(local, doc_id) is Outcome.FAILED
    d = doc(local, doc_id)
    assert (d.status, d.error_code) == ("failed", "invalid_result")
    with local.db.session() as s:
        stored = repo.get_result(s, doc_id)
    assert stored and stored["validation"]["status"] == "failed"  # the failure, not the result


def test_crash_fails_with_a_generic_message(local: Local) -> None:
    doc_id = one(local, b"FAKE:crash")
    assert run(local, doc_id) is Outcome.FAILED
    d = doc(local, doc_id)
    assert d.error_code == "internal" and SECRET not in (d.error_message or "")


def test_transient_errors_are_retried_then_succeed(local: Local) -> None:
    doc_id = one(local, b"FAKE:engine-error:2")
    assert run(local, doc_id) is Outcome.DONE
    assert doc(local, doc_id).attempts == 3


def test_transient_errors_are_bounded(local: Local) -> None:
    doc_id = one(local, b"FAKE:engine-error:99")
    assert run(local, doc_id) is Outcome.FAILED
    d = doc(local, doc_id)
    assert (d.error_code, d.attempts) == ("engine_failure", local.settings.max_retries + 1)


def test_missing_blob_fails_after_retries(local: Local) -> None:
    doc_id = one(local, b"FAKE:ok")
    local.blobs.delete(doc(local, doc_id).blob_key or "")
    assert run(local, doc_id) is Outcome.FAILED
    assert doc(local, doc_id).error_code == "missing_blob"


def test_a_dead_workers_document_gets_exactly_one_result(local: Local) -> None:
    doc_id = one(local, b"FAKE:ok")
    dead = Processor(local.db, local.blobs, local.processor.extract, local.settings, "dead:1")
    with local.db.session() as s:  # the dead worker claimed it, then was SIGKILLed
        assert repo.claim(s, doc_id, "dead:1", 60) is repo.Claim.CLAIMED
    assert local.processor.process(doc_id, final_attempt=True) is Outcome.SKIPPED  # live lease
    with local.db.session() as s:
        s.execute(update(Document).where(Document.id == doc_id)
                  .values(lease_expires_at=utcnow() - timedelta(seconds=1)))
    queue = InlineDispatcher(local.processor, sleep=lambda _: None)
    assert sweep(local.db, queue) == 1  # the sweeper re-queues it, the live worker finishes it
    assert doc(local, doc_id).status == "done"
    # The dead worker "wakes up" and tries to store its result: refused, lease lost.
    assert dead._store(doc(local, doc_id), {"validation": {"status": "valid"}}) is \
        Outcome.SKIPPED
    assert local.processor.process(doc_id, final_attempt=True) is Outcome.SKIPPED
    assert results(local, doc_id) == 1


def test_same_bytes_reuse_the_result(local: Local) -> None:
    calls: list[str] = []

    def counting(source: object, filename: str, options: object) -> object:
        calls.append(filename)
        return local.processor.extract(source, filename, options)  # type: ignore[arg-type]

    proc = Processor(local.db, local.blobs, counting, local.settings, "test:2")
    first, second = one(local, b"FAKE:ok", "first.pdf"), one(local, b"FAKE:ok", "second.pdf")
    assert first != second
    assert proc.process(first, final_attempt=True) is Outcome.DONE
    assert proc.process(second, final_attempt=True) is Outcome.DONE
    assert calls == ["first.pdf"]
    with local.db.session() as s:
        result = repo.get_result(s, second)
    assert result and result["document"]["filename"] == "second.pdf"


def test_sweeper_queues_documents_no_queue_knows(local: Local) -> None:
    doc_id = one(local, b"FAKE:ok")  # created, never submitted (broker down at upload)
    queue = InlineDispatcher(local.processor, sleep=lambda _: None)
    assert sweep(local.db, queue) == 0  # within the grace period: the uploader may still submit
    assert sweep(local.db, queue, all_queued=True) == 1
    assert doc(local, doc_id).status == "done"


def test_embedded_pool_time_limit(local: Local) -> None:
    import signal

    from worker import runner

    doc_id = one(local, b"FAKE:sleep:5")
    settings = local.settings.model_copy(update={"task_time_limit": 1})
    previous = signal.getsignal(signal.SIGALRM)
    try:
        runner._init_child(settings.model_dump())  # what each pool process does at start
        assert runner._run(doc_id) == "failed"
    finally:
        signal.signal(signal.SIGALRM, previous)
        runner._processor = None
    d = doc(local, doc_id)
    assert d.error_code == "timeout" and "NIANBAO_TASK_TIME_LIMIT" in (d.error_message or "")


def test_queue_time_limit_passes_through(local: Local) -> None:
    from celery.exceptions import SoftTimeLimitExceeded

    def over_time(source: object, filename: str, options: object) -> object:
        raise SoftTimeLimitExceeded

    proc = Processor(local.db, local.blobs, over_time, local.settings, "test:3",
                     passthrough=(SoftTimeLimitExceeded,))
    doc_id = one(local, b"FAKE:ok")
    try:
        proc.process(doc_id, final_attempt=True)
    except SoftTimeLimitExceeded:
        assert proc.fail(doc_id, "timeout", "too slow") is Outcome.FAILED
    else:
        raise AssertionError("the time limit was swallowed")
    assert doc(local, doc_id).error_code == "timeout"


def test_the_time_limit_running_out_while_the_database_is_down_queues_it_again(
        local: Local) -> None:
    import signal

    import pytest
    from celery.exceptions import SoftTimeLimitExceeded
    from sqlalchemy import text

    from worker import errors
    from worker.db.session import Database

    # A document done extracting waits to store its result while PostgreSQL restarts;
    # the soft time limit ran out meanwhile, and it failed as "took longer than 4 s"
    # (test_postgres_restarted_mid_batch, on a loaded machine).
    down = Database("postgresql+psycopg://postgres@127.0.0.1:1/nianbao")  # nothing listens
    proc = Processor(down, local.blobs, fakes.extract, local.settings, "test:4",
                     passthrough=(SoftTimeLimitExceeded,))

    def soft_limit(signum: int, frame: object) -> None:
        raise SoftTimeLimitExceeded  # as Celery's pool does, from a signal

    before = signal.signal(signal.SIGALRM, soft_limit)
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        with pytest.raises(errors.DatabaseUnavailable):
            proc.tx(lambda s: s.execute(text("select 1")))
        # with the database up, the time limit is the document's own, as before
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        up = Processor(local.db, local.blobs, fakes.extract, local.settings, "test:5",
                       passthrough=(SoftTimeLimitExceeded,))
        with pytest.raises(SoftTimeLimitExceeded):
            up.tx(lambda s: time.sleep(1))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
