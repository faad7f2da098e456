"""Re-queue documents the queue lost, from the database state alone.

Three cases: a running document whose lease ran out (its worker died: a live one
renews its lease with a heartbeat); a queued document never handed to a queue
(broker down at upload; in-process pool gone with its server); and a queued
document handed to a queue long ago that the queue no longer holds (Redis lost
the message). Safe to run in several processes at once: moving a document back
is a conditional update, and a duplicate message finds the document claimed or
finished.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from worker import errors
from worker.batches import submit
from worker.db import repo
from worker.db.migrate import upgrade
from worker.db.models import utcnow
from worker.db.session import Database
from worker.dispatch import Dispatcher

log = logging.getLogger("nianbao.sweeper")

GRACE = timedelta(seconds=30)  # leave fresh uploads to the request that made them


def sweep(
    db: Database, dispatcher: Dispatcher, *, all_queued: bool = False,
    requeue_after: float | None = None,
) -> int:
    """One pass; the number of documents queued again. `all_queued` also takes queued
    documents marked as enqueued (the embedded pool's queue dies with its process).
    `requeue_after`: queued documents enqueued longer ago than this many seconds are
    sent again when the queue does not hold them (a lost message)."""
    now = utcnow()
    with db.session() as s:
        expired = repo.expire_leases(s, now)
        waiting = repo.unenqueued(s, now if all_queued else now - GRACE, all_queued=all_queued)
        stale = repo.stale_queued(s, now - timedelta(seconds=requeue_after)) \
            if requeue_after and not all_queued else []
    lost: list[str] = []
    if stale:
        held = dispatcher.held()
        lost = [] if held is None else [i for i in stale if i not in held]
    ids = list(dict.fromkeys(expired + waiting + lost))
    if ids:
        log.info("re-queueing %d documents (%d with expired leases, %d lost by the queue)",
                 len(ids), len(expired), len(lost))
        submit(db, dispatcher, ids)
    return len(ids)


class Sweeper(threading.Thread):
    """Runs `sweep` every `interval` seconds until stopped. With `recover`, the first
    pass that reaches the database migrates it and takes every queued document (the
    embedded server started while the database was down)."""

    def __init__(
        self, db: Database, dispatcher: Dispatcher, interval: float, *,
        requeue_after: float | None = None, recover: bool = False, migrate: bool = False,
    ) -> None:
        super().__init__(name="nianbao-sweeper", daemon=True)
        self.db, self.dispatcher, self.interval = db, dispatcher, interval
        self.requeue_after, self.recover, self.migrate = requeue_after, recover, migrate
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.once()

    def once(self) -> None:
        try:
            if self.migrate:
                upgrade(self.db.url)
                self.migrate = False
            sweep(self.db, self.dispatcher, all_queued=self.recover,
                  requeue_after=self.requeue_after)
            self.recover = False
        except (SQLAlchemyError, errors.ServiceError) as e:
            log.warning("sweep failed, will try again: %s", e)

    def stop(self) -> None:
        self.stopped.set()
