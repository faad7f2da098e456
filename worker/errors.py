"""Errors of the service, and the one table from error code to HTTP status.

    ServiceError                 code                HTTP
    ├── Unauthorized             unauthorized        401
    ├── NotFound                 not_found           404
    ├── NotReady                 not_ready           409
    ├── BadRequest               bad_request         400
    ├── UploadTooLarge           upload_too_large    413
    └── Unavailable              unavailable         503 (+ Retry-After)
        ├── BlobError            storage_unavailable 503
        ├── QueueError           queue_unavailable   503
        └── DatabaseUnavailable  database_unavailable 503

A document that fails carries an error code: one of the pipeline's
(`extractors.errors.ERROR_TABLE`) or one of DOCUMENT_ERRORS below. Both feed
`http_status()`, so `GET /v1/documents/{id}/result` of a failed document answers
the status its code maps to. Vendor exceptions (SQLAlchemy, botocore, kombu) are
translated into these at the boundary.
"""

from __future__ import annotations

from extractors.errors import ERROR_TABLE, ErrorInfo


class ServiceError(Exception):
    code = "error"
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unauthorized(ServiceError):
    code = "unauthorized"
    http_status = 401


class NotFound(ServiceError):
    code = "not_found"
    http_status = 404


class NotReady(ServiceError):
    code = "not_ready"
    http_status = 409


class BadRequest(ServiceError):
    code = "bad_request"
    http_status = 400


class UploadTooLarge(ServiceError):
    code = "upload_too_large"
    http_status = 413


class Unavailable(ServiceError):
    code = "unavailable"
    http_status = 503


class BlobError(Unavailable):
    code = "storage_unavailable"


class QueueError(Unavailable):
    code = "queue_unavailable"


class DatabaseUnavailable(Unavailable):
    code = "database_unavailable"


# Document failures found by the service rather than the pipeline.
INTERNAL = "internal"  # the pipeline raised something it should not: a bug
INVALID_RESULT = "invalid_result"  # the pipeline's result failed schema validation
TIMEOUT = "timeout"  # over the time limit
MISSING_BLOB = "missing_blob"  # the uploaded bytes are gone from the blob store
UNSAFE_ENTRY = "unsafe_entry"  # a zip entry with an absolute or '..' path, or a link
WORKER_LOST = "worker_lost"  # every run died with its worker (crash, OOM, hard time limit)

DOCUMENT_ERRORS: dict[str, ErrorInfo] = {
    INTERNAL: ErrorInfo(INTERNAL, 500, "failed", False),
    INVALID_RESULT: ErrorInfo(INVALID_RESULT, 500, "failed", False),
    TIMEOUT: ErrorInfo(TIMEOUT, 504, "failed", False),
    MISSING_BLOB: ErrorInfo(MISSING_BLOB, 500, "failed", False),
    UNSAFE_ENTRY: ErrorInfo(UNSAFE_ENTRY, 422, "failed", False),
    WORKER_LOST: ErrorInfo(WORKER_LOST, 500, "failed", False),
}

ALL_DOCUMENT_ERRORS: dict[str, ErrorInfo] = {**ERROR_TABLE, **DOCUMENT_ERRORS}


def http_status(code: str | None) -> int:
    """HTTP status for a document error code (422 for codes of bad input not listed)."""
    info = ALL_DOCUMENT_ERRORS.get(code or "")
    return info.http_status if info else 422
