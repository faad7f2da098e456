"""The Celery app and its one task: process one document.

The database, not Celery's result backend, holds status (results are ignored).
Messages are acknowledged after the task (acks_late) and given back when the
worker process dies (reject_on_worker_lost), one message prefetched at a time.
A redelivered message is harmless: the claim in the database lets one worker in.
Celery and kombu exceptions stay in this module.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import KombuError, OperationalError

from worker import errors
from worker.processing import Outcome, Processor
from worker.settings import Settings, get_settings

log = logging.getLogger("nianbao.tasks")

TASK_NAME = "nianbao.process_document"
QUEUE = "nianbao"


def make_app(settings: Settings) -> Celery:
    app = Celery("nianbao", broker=settings.broker_url or "redis://localhost:6379/0")
    app.conf.update(
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=settings.task_time_limit,
        task_soft_time_limit=settings.soft_time_limit,
        task_ignore_result=True,
        result_backend=None,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        # Redis redelivers unacknowledged messages after this; it must outlast a task.
        broker_transport_options={"visibility_timeout": settings.lease_seconds + 300},
        worker_hijack_root_logger=False,
        worker_send_task_events=True,  # for Flower
        task_send_sent_event=True,
    )
    return app


app = make_app(get_settings())


@lru_cache(maxsize=1)
def _processor() -> Processor:
    # One per worker process, built after the fork.
    processor = Processor.from_settings(get_settings())
    processor.passthrough = (SoftTimeLimitExceeded,)
    return processor


@app.task(name=TASK_NAME, bind=True, max_retries=None)
def process_document(self: Task, document_id: str) -> str:
    """Process one document; retries transient errors with exponential backoff."""
    processor = _processor()
    settings = processor.settings
    final = self.request.retries >= settings.max_retries
    try:
        outcome = processor.process(document_id, final_attempt=final)
    except SoftTimeLimitExceeded:
        outcome = processor.fail(document_id, errors.TIMEOUT, f"Extraction took longer than "
                                 f"{settings.soft_time_limit} s and was stopped.")
    if outcome is Outcome.RETRY:
        countdown = settings.retry_backoff * 2**self.request.retries
        raise self.retry(countdown=countdown)
    return outcome.value


class CeleryDispatcher:
    """Dispatcher over Celery: one message per document."""

    def __init__(self, settings: Settings) -> None:
        self.app = make_app(settings)

    def submit(self, document_ids: Sequence[str]) -> None:
        try:
            for doc_id in document_ids:
                self.app.send_task(TASK_NAME, args=[doc_id], queue=QUEUE)
        except (KombuError, OSError) as e:
            raise errors.QueueError(f"the broker cannot be reached: {e}") from e

    def ping(self) -> None:
        try:
            with self.app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except (OperationalError, KombuError, OSError) as e:
            raise errors.QueueError(f"the broker cannot be reached: {e}") from e

    def close(self) -> None:
        self.app.close()


def worker_main(argv: Sequence[str]) -> Any:
    """Start a Celery worker consuming the document queue (`nianbao worker`)."""
    return app.worker_main(["worker", "-Q", QUEUE, *argv])
