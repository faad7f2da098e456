"""The Celery app and its one task: process one document.

The database, not Celery's result backend, holds status (results are ignored).
Messages are acknowledged after the task (acks_late) and given back when the
worker process dies (reject_on_worker_lost), one message prefetched at a time.
A redelivered message is harmless: the claim in the database lets one worker in.
Celery and kombu exceptions stay in this module.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import KombuError, OperationalError

from worker import errors
from worker.broker import transport_for
from worker.processing import Outcome, Processor
from worker.settings import Settings, get_settings

log = logging.getLogger("nianbao.tasks")

TASK_NAME = "nianbao.process_document"
QUEUE = "nianbao"


def make_app(settings: Settings) -> Celery:
    url = settings.broker_url or "redis://localhost:6379/0"
    app = Celery("nianbao", broker=url)
    app.conf.update(
        # kombu's Redis transport, with acknowledgements that survive a lost broker
        broker_transport=transport_for(url),
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
        broker_connection_max_retries=None,  # a restarted Redis is waited for, forever
        # Running tasks finish on a lost connection; their result goes to the database.
        worker_cancel_long_running_tasks_on_connection_loss=False,
        # Redis redelivers unacknowledged messages after this; it should outlast a task
        # (an early redelivery is harmless: the claim in the database lets one worker in).
        broker_transport_options={"visibility_timeout": settings.task_time_limit + 300},
        # Bounded memory: a child is replaced after N documents or above the RSS limit.
        worker_max_tasks_per_child=settings.max_tasks_per_child or None,
        worker_max_memory_per_child=settings.max_memory_per_child or None,
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
def process_document(self: Task, document_id: str, engine_retries: int = 0) -> str:
    """Process one document; retries transient errors with exponential backoff (counted
    in `engine_retries`), and waits out a database outage without counting it."""
    processor = _processor()
    settings = processor.settings
    final = engine_retries >= settings.max_retries
    try:
        try:
            outcome = processor.process(document_id, final_attempt=final)
        except SoftTimeLimitExceeded:
            outcome = processor.fail(document_id, errors.TIMEOUT, f"Extraction took longer "
                                     f"than {settings.soft_time_limit} s and was stopped; split "
                                     "the document or raise NIANBAO_TASK_TIME_LIMIT.")
    except errors.DatabaseUnavailable:
        log.warning("document %s: database down, trying again in %d s", document_id,
                    settings.retry_after)
        raise self.retry(countdown=settings.retry_after,
                         kwargs={"engine_retries": engine_retries}) from None
    if outcome is Outcome.RETRY:
        countdown = settings.retry_backoff * 2**engine_retries
        raise self.retry(countdown=countdown, kwargs={"engine_retries": engine_retries + 1})
    return outcome.value


def _document_ids(payloads: Iterable[bytes | str], hashed: bool) -> set[str]:
    """Document ids in raw Redis messages (kombu's envelope around Celery protocol 2)."""
    ids: set[str] = set()
    for raw in payloads:
        try:
            message = json.loads(raw)
            if hashed:  # the unacked hash stores [message, exchange, routing_key]
                message = message[0]
            if message.get("headers", {}).get("task") != TASK_NAME:
                continue
            body = message["body"]
            if message.get("properties", {}).get("body_encoding") == "base64":
                body = base64.b64decode(body)
            args = json.loads(body)[0]
            ids.add(str(args[0]))
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            continue  # not ours, or not readable: it is never a reason to fail the sweep
    return ids


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

    def held(self) -> set[str] | None:
        """Ids in the Redis queue lists and in the unacknowledged hash (messages taken by
        a worker, eta retries included). None for another broker or when Redis is down."""
        try:
            with self.app.connection_for_read() as conn:
                if conn.transport.driver_type != "redis":
                    return None
                conn.ensure_connection(max_retries=1, timeout=2)
                channel: Any = conn.default_channel
                client = channel.client
                waiting: list[bytes] = []
                for priority in channel.priority_steps:
                    waiting += client.lrange(channel._q_for_pri(QUEUE, priority), 0, -1)
                taken = client.hvals(channel.unacked_key)
        except Exception as e:  # redis-py and kombu errors alike: the answer is "unknown"
            log.warning("cannot list the broker's messages: %s", e)
            return None
        return _document_ids(waiting, hashed=False) | _document_ids(taken, hashed=True)

    def close(self) -> None:
        self.app.close()


def worker_main(argv: Sequence[str]) -> Any:
    """Start a Celery worker consuming the document queue (`nianbao worker`)."""
    return app.worker_main(["worker", "-Q", QUEUE, *argv])
