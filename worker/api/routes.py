"""The /v1 routes. Every lookup is scoped to the caller's tenant: another tenant's
batch or document is answered 404, exactly like one that does not exist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse

from worker import errors
from worker.api import export, views
from worker.api.state import State, TenantId
from worker.batches import batch_of, create_batch, submit
from worker.db import repo
from worker.db.models import FAILED, TERMINAL
from worker.ingest import Budget, Upload, expand

router = APIRouter(prefix="/v1")


def _basename(name: str | None) -> str:
    return PurePosixPath((name or "").replace("\\", "/")).name or "document"


@router.post("/batches", status_code=202, summary="Upload documents (files or a zip)")
def post_batch(
    state: State, tenant: TenantId,
    files: Annotated[list[UploadFile], File(description="documents; a .zip is expanded")],
) -> dict[str, Any]:
    """Store the documents and queue one job each. A `.zip`'s top-level files are
    documents; each top-level folder is one document of page images."""
    settings = state.settings
    budget = Budget(settings.max_batch_bytes)

    def uploads() -> Iterator[Upload]:
        for f in files:
            f.file.seek(0)
            data = f.file.read(settings.max_upload_bytes + 1)
            yield from expand(
                _basename(f.filename), data, max_document_bytes=settings.max_document_bytes,
                max_entries=settings.max_zip_entries, budget=budget,
            )

    created = create_batch(
        state.db, state.blobs, tenant, uploads(), source="api",
        max_documents=settings.max_documents_per_batch,
    )
    submit(state.db, state.queue, created.queued)
    with state.db.session() as s:
        docs = [repo.get_document(s, tenant, doc_id) for doc_id, _, _ in created.documents]
        return {"batch_id": created.batch_id,
                "documents": [views.document_brief(d) for d in docs if d is not None]}


@router.get("/batches/{batch_id}", summary="Status of a batch and its documents")
def get_batch(state: State, tenant: TenantId, batch_id: str) -> dict[str, Any]:
    batch = batch_of(state.db, tenant, batch_id)
    with state.db.session() as s:
        counts = repo.status_counts(s, batch.id)
    return views.batch_detail(batch, counts)


@router.get("/batches/{batch_id}/results", summary="Every result of a batch")
def get_batch_results(
    state: State, tenant: TenantId, batch_id: str,
    format: Annotated[Literal["jsonl", "csv", "zip"], Query()] = "jsonl",
) -> StreamingResponse:
    """JSON Lines (one object per document: id, filename, status, error, result), CSV
    (one row per document, one column per contract path), or a zip of result files."""
    batch = batch_of(state.db, tenant, batch_id)
    name = f"batch-{batch.id}"
    if format == "csv":
        return StreamingResponse(
            export.csv_rows(state.db, batch.id), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if format == "zip":
        return StreamingResponse(
            export.iter_file(export.zip_file(state.db, batch.id)), media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{name}.zip"'},
        )
    return StreamingResponse(export.jsonl(state.db, batch.id), media_type="application/x-ndjson")


@router.get("/documents/{document_id}", summary="Status, timings and findings of a document")
def get_document(state: State, tenant: TenantId, document_id: str) -> dict[str, Any]:
    with state.db.session() as s:
        doc = repo.get_document(s, tenant, document_id)
        if doc is None:
            raise errors.NotFound(f"No document {document_id}.")
        return views.document_detail(doc, repo.get_result(s, doc.id))


@router.get(
    "/documents/{document_id}/result", summary="The result JSON of a document",
    responses={409: {"description": "not finished yet"},
               422: {"description": "the document failed; the error says why"}},
)
def get_document_result(state: State, tenant: TenantId, document_id: str) -> Any:
    """The result once done. While queued or running: 409. A failed document answers
    the HTTP status of its error code (422 corrupt, 415 unsupported_type, ...)."""
    with state.db.session() as s:
        doc = repo.get_document(s, tenant, document_id)
        if doc is None:
            raise errors.NotFound(f"No document {document_id}.")
        if doc.status not in TERMINAL:
            raise errors.NotReady(f"The document is {doc.status}; try again later.")
        if doc.status == FAILED:
            return JSONResponse(
                {"error": {"code": doc.error_code, "message": doc.error_message},
                 "result": repo.get_result(s, doc.id)},
                status_code=errors.http_status(doc.error_code),
            )
        return repo.get_result(s, doc.id)
