"""Create batches from uploads and hand their documents to the queue.

Shared by every way in: HTTP upload, `nianbao enqueue`, the watched inbox.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from worker import errors
from worker.blobs import BlobStore
from worker.db import repo
from worker.db.models import FAILED, QUEUED, Batch, Document, ResultRecord, utcnow
from worker.db.session import Database
from worker.dispatch import Dispatcher
from worker.ingest import Upload
from worker.processing import failure_result

log = logging.getLogger("nianbao.batches")


@dataclass(frozen=True)
class Created:
    batch_id: str
    documents: list[tuple[str, str, str]]  # (id, filename, status)

    @property
    def queued(self) -> list[str]:
        return [doc_id for doc_id, _, status in self.documents if status == QUEUED]


def create_batch(
    db: Database, blobs: BlobStore, tenant_id: str, uploads: Iterable[Upload], *,
    source: str = "api", max_documents: int = 1000,
) -> Created:
    """Store each upload's bytes, then record the batch and its documents in one
    transaction. Uploads that are already known to be bad become failed documents.
    Raises BadRequest (no documents, too many), BlobError (storage down)."""
    docs: list[Document] = []
    for position, upload in enumerate(uploads):
        if position >= max_documents:
            raise errors.BadRequest(f"A batch holds at most {max_documents} documents; "
                                    "split the upload.")
        doc = Document(filename=upload.filename[:500], position=position, size=upload.size,
                       kind=upload.kind, status=QUEUED)
        if upload.error_code is None and upload.size == 0:
            upload.error_code, upload.error_message = "empty", "The file is empty (0 bytes)."
        if upload.error_code is not None:
            doc.status, doc.finished_at = FAILED, utcnow()
            doc.error_code, doc.error_message = upload.error_code, upload.error_message
            doc.sha256 = upload.sha256 if upload.data is not None else None
        else:
            key, data = upload.blob()
            if not blobs.exists(key):
                blobs.put(key, data)
            doc.sha256, doc.blob_key = upload.sha256, key
        docs.append(doc)
    if not docs:
        raise errors.BadRequest("No documents in the upload: send one or more files in "
                                "the multipart field 'files'.")
    with db.session() as s:
        batch = Batch(tenant_id=tenant_id, source=source)
        s.add(batch)
        s.flush()
        for doc in docs:
            doc.batch_id, doc.tenant_id = batch.id, tenant_id
            s.add(doc)
        s.flush()
        for doc in docs:
            if doc.status == FAILED:  # every document has a result, so exports are complete
                s.add(ResultRecord(
                    document_id=doc.id, sha256=doc.sha256 or "", extractor_version="",
                    validation_status="failed", data=failure_result(
                        doc, doc.error_code or "", doc.error_message or ""),
                ))
        return Created(batch.id, [(d.id, d.filename, d.status) for d in docs])


def submit(db: Database, dispatcher: Dispatcher, document_ids: Sequence[str]) -> bool:
    """Queue the documents. A broker outage is logged, not raised: the documents are
    safe in the database and the sweeper queues them once the broker is back."""
    if not document_ids:
        return True
    try:
        dispatcher.submit(document_ids)
    except errors.QueueError as e:
        log.error("could not queue %d documents, the sweeper will: %s", len(document_ids), e)
        return False
    with db.session() as s:
        repo.mark_enqueued(s, document_ids)
    return True


def batch_of(db: Database, tenant_id: str, batch_id: str) -> Batch:
    with db.session() as s:
        batch = repo.get_batch(s, tenant_id, batch_id)
        if batch is None:
            raise errors.NotFound(f"No batch {batch_id}.")
        _ = batch.documents  # load while the session is open
        return batch
