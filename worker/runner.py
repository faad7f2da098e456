"""In-process worker pool for the embedded service (no broker).

Child processes (spawned, so no state from the API's threads leaks in) each
build one Processor from the settings they are given; only document ids cross
the process boundary. A SIGALRM timer enforces the time limit per document.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from types import FrameType
from typing import Any

from worker import errors
from worker.dispatch import run_with_retries
from worker.processing import Outcome, Processor
from worker.settings import Settings

log = logging.getLogger("nianbao.runner")

_processor: Processor | None = None


class _TimeLimit(BaseException):
    # BaseException: the pipeline's `except Exception` must not swallow it.
    pass


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _TimeLimit


def _init_child(settings_data: dict[str, Any]) -> None:
    global _processor
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    _processor = Processor.from_settings(Settings(**settings_data))
    signal.signal(signal.SIGALRM, _on_alarm)


def _run(document_id: str) -> str:
    assert _processor is not None
    signal.setitimer(signal.ITIMER_REAL, _processor.settings.task_time_limit)
    try:
        return run_with_retries(_processor, document_id, _processor.settings).value
    except _TimeLimit:
        limit = _processor.settings.task_time_limit
        return _processor.fail(document_id, errors.TIMEOUT, f"Extraction took longer than "
                               f"{limit} s and was stopped; split the document or raise "
                               "NIANBAO_TASK_TIME_LIMIT.").value
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


class PoolDispatcher:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = self._new_pool()
        self._lock = threading.Lock()
        self._pending: Counter[str] = Counter()  # ids submitted and not finished

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.settings.pool_size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_child,
            initargs=(self.settings.model_dump(),),
        )

    def submit(self, document_ids: Sequence[str]) -> None:
        if getattr(self.pool, "_broken", False):
            # A child died (OOM killer, SIGKILL): the executor is unusable, start another.
            log.warning("worker pool was broken by a dead child; starting a new one")
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new_pool()
        for doc_id in document_ids:
            try:
                future = self.pool.submit(_run, doc_id)
            except RuntimeError as e:  # broken or shut-down pool
                raise errors.QueueError(f"the worker pool is not running: {e}") from e
            with self._lock:
                self._pending[doc_id] += 1
            future.add_done_callback(self._done(doc_id))

    def _done(self, doc_id: str) -> Any:
        log_outcome = _log_outcome(doc_id)

        def done(future: Future[str]) -> None:
            with self._lock:
                self._pending[doc_id] -= 1
                if self._pending[doc_id] <= 0:
                    del self._pending[doc_id]
            log_outcome(future)

        return done

    def ping(self) -> None:
        if getattr(self.pool, "_shutdown_thread", False):
            raise errors.QueueError("the in-process worker pool has stopped")

    def held(self) -> set[str] | None:
        with self._lock:
            return set(self._pending)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _log_outcome(doc_id: str) -> Any:
    def done(future: Future[str]) -> None:
        exc = future.exception()
        if exc is not None:
            # A dead child (OOM, SIGKILL) leaves a lease; the sweeper re-queues the document.
            log.error("worker pool lost document %s: %r", doc_id, exc)
        elif future.result() != Outcome.SKIPPED.value:
            log.info("document %s: %s", doc_id, future.result())

    return done
