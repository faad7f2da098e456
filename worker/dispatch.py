"""The queue interface: hand document ids to whatever runs them.

    Dispatcher        submit ids, ping, close
    ├── InlineDispatcher   runs each document now, in this process (CLI, tests)
    ├── PoolDispatcher     in-process worker pool (worker.runner), no broker
    └── CeleryDispatcher   one Celery task per document (worker.tasks), Redis broker
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from worker.processing import Outcome, Processor
from worker.settings import Settings


class Dispatcher(Protocol):
    def submit(self, document_ids: Sequence[str]) -> None:
        """Queue the documents. Raises worker.errors.QueueError when the queue is down."""

    def ping(self) -> None:
        """Raises worker.errors.Unavailable when documents cannot be run."""

    def held(self) -> set[str] | None:
        """Ids of documents the queue holds now (waiting, or taken and not acknowledged);
        None when the queue cannot tell. The sweeper re-sends queued documents missing here."""

    def close(self) -> None: ...


def run_with_retries(
    processor: Processor, document_id: str, settings: Settings,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Attempts with exponential backoff for transient errors, up to settings.max_retries."""
    outcome = Outcome.SKIPPED
    for attempt in range(settings.max_retries + 1):
        outcome = processor.process(document_id, final_attempt=attempt == settings.max_retries)
        if outcome is not Outcome.RETRY:
            break
        sleep(settings.retry_backoff * 2**attempt)
    return outcome


class InlineDispatcher:
    def __init__(self, processor: Processor, sleep: Callable[[float], None] = time.sleep) -> None:
        self.processor = processor
        self.sleep = sleep

    def submit(self, document_ids: Sequence[str]) -> None:
        for doc_id in document_ids:
            run_with_retries(self.processor, doc_id, self.processor.settings, self.sleep)

    def ping(self) -> None:
        return None

    def held(self) -> set[str] | None:
        return set()  # documents run at once: nothing waits

    def close(self) -> None:
        return None


def open_dispatcher(settings: Settings) -> Dispatcher:
    """Celery when a broker is configured, else the in-process pool."""
    if settings.broker_url:
        from worker.tasks import CeleryDispatcher

        return CeleryDispatcher(settings)
    from worker.runner import PoolDispatcher

    return PoolDispatcher(settings)
