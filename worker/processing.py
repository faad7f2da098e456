"""Process one document: claim it, run the pipeline, validate, store, once.

The one consume step behind every queue (Celery task, in-process pool, inline).
Only a document id comes in; the outcome says what the caller should do next.
A result is stored only after `schemas.Result` validates it, in the same
transaction that marks the document finished, and only by the lease holder:
a worker killed mid-document leaves a lease that runs out, never a second result.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from extractors import ExtractOptions, Source
from extractors.errors import EngineError, NianbaoError
from schemas import DocumentInfo, Finding, Result, Validation
from worker import errors
from worker.blobs import BlobStore, open_blob_store
from worker.db import repo
from worker.db.models import DONE, FAILED, Document
from worker.db.session import Database
from worker.ingest import unpack
from worker.settings import Settings

log = logging.getLogger("nianbao.worker")
T = TypeVar("T")

# What a database outage looks like through SQLAlchemy (server stopped, connection cut).
DB_DOWN = (OperationalError, InterfaceError)

Extract = Callable[[Source, str, ExtractOptions], Any]


class Outcome(Enum):
    DONE = "done"
    FAILED = "failed"
    RETRY = "retry"  # transient failure; the document is queued again
    SKIPPED = "skipped"  # finished already, or another worker holds it


@lru_cache(maxsize=1)
def extractor_version() -> str:
    try:
        return version("nianbao")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


def load_extractor(spec: str) -> Extract:
    """`module:function` -> the function (tests point this at fault injectors)."""
    module, _, name = spec.partition(":")
    fn: Extract = getattr(importlib.import_module(module), name or "extract")
    return fn


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def failure_result(doc: Document, code: str, message: str) -> dict[str, Any]:
    """A schema-valid `failed` result for a document the pipeline produced none for."""
    result = Result(
        document=DocumentInfo(id=doc.sha256 or "", filename=doc.filename, pages=0),
        validation=Validation(
            status="failed",
            findings=[Finding(code=code, severity="error", message=message)],
        ),
    )
    return result.model_dump(mode="json")


def validated(raw: Any) -> dict[str, Any]:
    """The pipeline's output as JSON after a full schema validation (raises ValidationError)."""
    data = raw.model_dump(mode="json") if isinstance(raw, Result) else raw
    return Result.model_validate(data).model_dump(mode="json")


@contextmanager
def heartbeat(renew: Callable[[], bool], interval: float) -> Iterator[None]:
    """Renew a lease every `interval` seconds while the body runs. A killed worker stops
    beating, so its lease runs out within one lease time and the sweeper hands the
    document to another worker."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(interval):
            try:
                if not renew():
                    log.warning("lease lost while working; the result will not be stored")
                    return
            except SQLAlchemyError as e:  # the database is down: keep trying until it is back
                log.warning("lease renewal failed, will retry: %s", e)

    thread = threading.Thread(target=beat, name="nianbao-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _first_error(result: dict[str, Any]) -> tuple[str, str]:
    findings = result["validation"]["findings"]
    errors_first = [f for f in findings if f["severity"] == "error"] + findings
    worst = errors_first[0] if errors_first else None
    if worst is None:
        return errors.INTERNAL, "The document could not be read, and no reason was given."
    return str(worst["code"]), str(worst["message"])


@dataclass
class Processor:
    db: Database
    blobs: BlobStore
    extract: Extract
    settings: Settings
    owner: str
    # Exceptions that must reach the caller (the queue's time limit), not become `internal`.
    passthrough: tuple[type[BaseException], ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> Processor:
        return cls(
            Database(settings.resolved_database_url), open_blob_store(settings),
            load_extractor(settings.extractor), settings, worker_id(),
        )

    def tx(self, fn: Callable[[Session], T]) -> T:
        """Run `fn` in one transaction, waiting out a database outage for up to
        `db_retry_seconds`. Raises errors.DatabaseUnavailable after that, or when the
        time limit (an exception in `passthrough`) runs out while it waits."""
        deadline = time.monotonic() + self.settings.db_retry_seconds
        delay = 0.2
        waiting = False
        while True:
            try:
                if waiting:
                    time.sleep(delay)
                    delay = min(delay * 2, 5.0)
                with self.db.session() as s:
                    return fn(s)
            except DB_DOWN as e:
                if time.monotonic() + delay > deadline:
                    raise errors.DatabaseUnavailable("the database cannot be reached") from e
                log.warning("database unreachable, retrying in %.1f s: %s", delay, e)
                waiting = True
            except self.passthrough as e:
                if not waiting:
                    raise
                # The time limit ran out while the database was down (storing a finished
                # result, say): the outage's doing, not the document's, so it is no
                # "took too long" failure; the document is queued again.
                raise errors.DatabaseUnavailable("the database cannot be reached") from e

    def options(self) -> ExtractOptions:
        """The pipeline's limits from the service settings."""
        s = self.settings
        return ExtractOptions(max_bytes=s.max_document_bytes, max_pages=s.max_pages,
                              max_pixels=s.max_pixels, ocr_engine=s.ocr_engine,
                              ocr_model_dir=s.ocr_model_dir)

    def process(self, document_id: str, *, final_attempt: bool = False) -> Outcome:
        """Run one attempt. On a transient error the document goes back to the queue
        (RETRY), unless this is the final attempt (by the caller's count or the
        database's), when it fails. A document whose earlier runs all died with their
        worker fails `worker_lost` instead of running again. Raises
        errors.DatabaseUnavailable when the database stays down."""
        lease = self.settings.lease_seconds

        def take(s: Session) -> tuple[repo.Claim, Document | None]:
            return repo.claim(s, document_id, self.owner, lease), \
                repo.get_document(s, None, document_id)

        claim, doc = self.tx(take)
        if claim is not repo.Claim.CLAIMED or doc is None:
            log.info("document %s not claimed: %s", document_id, claim.value)
            return Outcome.SKIPPED
        limit = self.settings.max_attempts
        if doc.attempts > limit:
            return self.fail(doc.id, errors.WORKER_LOST, f"The worker processing this document "
                             f"stopped {doc.attempts - 1} times without finishing (a crash, "
                             "out of memory, or the hard time limit); it is not tried again. "
                             "Check the file, or split it.")
        final = final_attempt or doc.attempts >= limit

        def renew() -> bool:
            with self.db.session() as s:
                return repo.renew(s, document_id, self.owner, lease)

        with heartbeat(renew, self.settings.heartbeat_seconds):
            return self._run(doc, final)

    def _run(self, doc: Document, final: bool) -> Outcome:
        try:
            source = unpack(doc.kind, self.blobs.get(doc.blob_key or ""))
        except errors.BlobError as e:
            return self._transient(doc, errors.MISSING_BLOB, e.message, final)

        reused = self.tx(lambda s: repo.reusable_result(s, doc.sha256 or "",
                                                         extractor_version()))
        if reused is not None:
            reused = {**reused, "document": {**reused["document"], "filename": doc.filename}}
            return self._store(doc, reused)

        try:
            raw = self.extract(source, doc.filename, self.options())
        except EngineError as e:
            return self._transient(doc, e.code, str(e), final)
        except NianbaoError as e:  # the pipeline should have returned these; honour the code
            return self.fail(doc.id, e.code, str(e))
        except self.passthrough:
            raise
        except Exception:  # a bug: log it, never show a traceback to the user
            log.exception("pipeline crashed on document %s (%s)", doc.id, doc.filename)
            return self.fail(doc.id, errors.INTERNAL, "Internal error while extracting this "
                             "document; it has been logged. Try again later or report it.")
        try:
            result = validated(raw)
        except ValidationError as e:
            log.error("invalid result for document %s: %s", doc.id, e)
            return self.fail(doc.id, errors.INVALID_RESULT, "The extractor produced a result "
                             "that does not follow the schema; it was not stored. Report it.")
        return self._store(doc, result)

    def _store(self, doc: Document, result: dict[str, Any]) -> Outcome:
        status = FAILED if result["validation"]["status"] == "failed" else DONE
        code, message = _first_error(result) if status == FAILED else (None, None)
        stored = self.tx(lambda s: repo.finish(
            s, doc.id, self.owner, status, result=result, sha256=doc.sha256,
            version=extractor_version(), error_code=code, error_message=message,
        ))
        if not stored:
            log.warning("document %s: lease lost before the result was stored", doc.id)
            return Outcome.SKIPPED
        return Outcome.DONE if status == DONE else Outcome.FAILED

    def _transient(self, doc: Document, code: str, message: str, final: bool) -> Outcome:
        if final:
            return self.fail(doc.id, code, message)
        self.tx(lambda s: repo.release(s, doc.id, self.owner))
        log.warning("document %s: transient error (%s), will retry: %s", doc.id, code, message)
        return Outcome.RETRY

    def fail(self, document_id: str, code: str, message: str) -> Outcome:
        """Mark a claimed document failed, with a failure result so exports stay complete."""
        def mark(s: Session) -> bool:
            doc = repo.get_document(s, None, document_id)
            return doc is not None and repo.finish(
                s, document_id, self.owner, FAILED, result=failure_result(doc, code, message),
                sha256=doc.sha256, version="", error_code=code, error_message=message,
            )

        return Outcome.FAILED if self.tx(mark) else Outcome.SKIPPED
