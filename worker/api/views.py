"""JSON answers for batches and documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from worker.db.models import QUEUED, RUNNING, Batch, Document


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def _seconds(a: datetime | None, b: datetime | None) -> float | None:
    return round((b - a).total_seconds(), 3) if a and b else None


def error(doc: Document) -> dict[str, str | None] | None:
    if doc.error_code is None:
        return None
    return {"code": doc.error_code, "message": doc.error_message}


def document_brief(doc: Document) -> dict[str, Any]:
    out: dict[str, Any] = {"id": doc.id, "filename": doc.filename, "status": doc.status}
    if doc.error_code:
        out["error"] = error(doc)
    return out


def document_detail(doc: Document, result: dict[str, Any] | None) -> dict[str, Any]:
    validation = (result or {}).get("validation") or {}
    return {
        "id": doc.id,
        "batch_id": doc.batch_id,
        "filename": doc.filename,
        "sha256": doc.sha256,
        "size": doc.size,
        "kind": doc.kind,
        "status": doc.status,
        "attempts": doc.attempts,
        "error": error(doc),
        "timings": {
            "created_at": _iso(doc.created_at),
            "started_at": _iso(doc.started_at),
            "finished_at": _iso(doc.finished_at),
            "queued_seconds": _seconds(doc.created_at, doc.started_at),
            "processing_seconds": _seconds(doc.started_at, doc.finished_at),
        },
        "validation_status": validation.get("status"),
        "findings": validation.get("findings", []),
    }


def batch_detail(batch: Batch, counts: dict[str, int]) -> dict[str, Any]:
    pending = counts.get(QUEUED, 0) + counts.get(RUNNING, 0)
    return {
        "batch_id": batch.id,
        "created_at": _iso(batch.created_at),
        "status": "running" if pending else "complete",
        "total": sum(counts.values()),
        "counts": counts,
        "documents": [document_brief(d) for d in batch.documents],
    }
