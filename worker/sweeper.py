"""Re-queue documents the queue lost, from the database state alone.

Two cases: a running document whose lease ran out (its worker died), and a
queued document never handed to a queue (broker down at upload; in-process pool
gone with its server). Safe to run in several processes at once: moving a
document back is a conditional update, and a duplicate message finds the
document claimed or finished.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from worker import errors
from worker.batches import submit
from worker.db import repo
from worker.db.models import utcnow
from worker.db.session import Database
from worker.dispatch import Dispatcher

log = logging.getLogger("nianbao.sweeper")

GRACE = timedelta(seconds=30)  # leave fresh uploads to the request that made them


def sweep(db: Database, dispatcher: Dispatcher, *, all_queued: bool = False) -> int:
    """One pass; the number of documents queued again. `all_queued` also takes queued
    documents marked as enqueued (the embedded pool's queue dies with its process)."""
    now = utcnow()
    with db.session() as s:
        expired = repo.expire_leases(s, now)
        waiting = repo.unenqueued(s, now if all_queued else now - GRACE, all_queued=all_queued)
    ids = list(dict.fromkeys(expired + waiting))
    if ids:
        log.info("re-queueing %d documents (%d with expired leases)", len(ids), len(expired))
        submit(db, dispatcher, ids)
    return len(ids)


class Sweeper(threading.Thread):
    """Runs `sweep` every `interval` seconds until stopped."""

    def __init__(self, db: Database, dispatcher: Dispatcher, interval: float) -> None:
        super().__init__(name="nianbao-sweeper", daemon=True)
        self.db, self.dispatcher, self.interval = db, dispatcher, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                sweep(self.db, self.dispatcher)
            except (SQLAlchemyError, errors.ServiceError) as e:
                log.warning("sweep failed, will try again: %s", e)

    def stop(self) -> None:
        self.stopped.set()
