"""The queries of the service. Every state change of a document is a conditional
UPDATE, so two workers racing on one document cannot both win."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from worker.db.models import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    Batch,
    Document,
    ResultRecord,
    Tenant,
    Token,
    utcnow,
)

TOKEN_PREFIX = "nb_"


# --- tenants and tokens ---------------------------------------------------------------


def hash_token(token: str) -> str:
    # Tokens are 256-bit random strings: a plain sha256 cannot be brute-forced.
    return hashlib.sha256(token.encode()).hexdigest()


def tenant(s: Session, name: str, *, create: bool = True) -> Tenant | None:
    found = s.scalar(select(Tenant).where(Tenant.name == name))
    if found is None and create:
        found = Tenant(name=name)
        s.add(found)
        s.flush()
    return found


def create_token(s: Session, tenant_name: str) -> tuple[Token, str]:
    """A new token for the tenant (created if new); the clear token, returned once."""
    owner = tenant(s, tenant_name)
    assert owner is not None
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = Token(tenant_id=owner.id, token_hash=hash_token(clear), prefix=clear[:10])
    s.add(token)
    s.flush()
    return token, clear


def revoke_token(s: Session, token_or_id: str) -> int:
    """Revoke by clear token or token id; the number of tokens revoked (0 or 1)."""
    key = hash_token(token_or_id)
    found = s.scalar(
        select(Token).where((Token.token_hash == key) | (Token.id == token_or_id))
    )
    if found is None or found.revoked_at is not None:
        return 0
    found.revoked_at = utcnow()
    return 1


def list_tokens(s: Session, tenant_name: str | None = None) -> Sequence[Token]:
    q = select(Token).join(Tenant).order_by(Token.created_at)
    if tenant_name:
        q = q.where(Tenant.name == tenant_name)
    return s.scalars(q).all()


def authenticate(s: Session, clear: str) -> Tenant | None:
    """The tenant of a live token, or None."""
    key = hash_token(clear)
    found = s.scalar(select(Token).where(Token.token_hash == key))
    if found is None or found.revoked_at is not None:
        return None
    if not hmac.compare_digest(found.token_hash, key):
        return None
    return found.tenant


# --- batches and documents -------------------------------------------------------------


def get_batch(s: Session, tenant_id: str, batch_id: str) -> Batch | None:
    return s.scalar(select(Batch).where(Batch.id == batch_id, Batch.tenant_id == tenant_id))


def get_document(s: Session, tenant_id: str | None, document_id: str) -> Document | None:
    q = select(Document).where(Document.id == document_id)
    if tenant_id is not None:
        q = q.where(Document.tenant_id == tenant_id)
    return s.scalar(q)


def status_counts(s: Session, batch_id: str) -> dict[str, int]:
    rows = s.execute(
        select(Document.status, func.count()).where(Document.batch_id == batch_id)
        .group_by(Document.status)
    ).all()
    counts = {QUEUED: 0, RUNNING: 0, DONE: 0, FAILED: 0}
    counts.update({status: int(n) for status, n in rows})
    return counts


def mark_enqueued(s: Session, ids: Sequence[str]) -> None:
    if ids:
        s.execute(
            update(Document).where(Document.id.in_(ids), Document.status == QUEUED)
            .values(enqueued_at=utcnow())
        )


# --- the life of a document ------------------------------------------------------------


class Claim(Enum):
    CLAIMED = "claimed"
    FINISHED = "finished"  # already done or failed: nothing to do
    BUSY = "busy"  # another worker holds a live lease
    MISSING = "missing"


def claim(s: Session, document_id: str, owner: str, lease_seconds: int) -> Claim:
    """Take the document for `owner`: queued, or running under an expired lease."""
    now = utcnow()
    won = s.execute(
        update(Document)
        .where(
            Document.id == document_id,
            (Document.status == QUEUED)
            | ((Document.status == RUNNING) & (Document.lease_expires_at < now)),
        )
        .values(
            status=RUNNING, lease_owner=owner, attempts=Document.attempts + 1,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            started_at=func.coalesce(Document.started_at, now),
        )
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if won:
        return Claim.CLAIMED
    status = s.scalar(select(Document.status).where(Document.id == document_id))
    if status is None:
        return Claim.MISSING
    return Claim.FINISHED if status in (DONE, FAILED) else Claim.BUSY


def _owned(document_id: str, owner: str) -> Any:
    return (
        (Document.id == document_id) & (Document.status == RUNNING)
        & (Document.lease_owner == owner)
    )


def renew(s: Session, document_id: str, owner: str, lease_seconds: int) -> bool:
    """Extend `owner`'s lease (the heartbeat of a live worker); False once it is lost."""
    return bool(
        s.execute(
            update(Document).where(_owned(document_id, owner))
            .values(lease_expires_at=utcnow() + timedelta(seconds=lease_seconds))
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    )


def release(s: Session, document_id: str, owner: str) -> bool:
    """Give a claimed document back to the queue (before a retry)."""
    return bool(
        s.execute(
            update(Document).where(_owned(document_id, owner))
            .values(status=QUEUED, lease_owner=None, lease_expires_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    )


def finish(
    s: Session, document_id: str, owner: str | None, status: str, *,
    result: dict[str, Any] | None = None, sha256: str | None = None, version: str = "",
    error_code: str | None = None, error_message: str | None = None,
) -> bool:
    """Record the end of a document, once. With a `result` (already validated), the
    result row and the status change commit together; a second writer changes nothing."""
    cond = _owned(document_id, owner) if owner else (
        (Document.id == document_id) & Document.status.in_((QUEUED, RUNNING))
    )
    changed = s.execute(
        update(Document).where(cond)
        .values(status=status, finished_at=utcnow(), lease_owner=None, lease_expires_at=None,
                error_code=error_code, error_message=error_message)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if not changed:
        return False
    if result is not None:
        s.add(ResultRecord(
            document_id=document_id, sha256=sha256 or "", extractor_version=version,
            validation_status=str(result["validation"]["status"]), data=result,
        ))
        s.flush()
    return True


def reusable_result(s: Session, sha256: str, version: str) -> dict[str, Any] | None:
    """A stored result for the same bytes from the same extractor version, if any."""
    return s.scalar(
        select(ResultRecord.data)
        .where(ResultRecord.sha256 == sha256, ResultRecord.extractor_version == version)
        .limit(1)
    )


def get_result(s: Session, document_id: str) -> dict[str, Any] | None:
    return s.scalar(select(ResultRecord.data).where(ResultRecord.document_id == document_id))


# --- sweeping ---------------------------------------------------------------------------


def expire_leases(s: Session, now: datetime) -> list[str]:
    """Documents whose worker died (lease ran out), put back in the queue."""
    ids = list(s.scalars(
        select(Document.id).where(Document.status == RUNNING, Document.lease_expires_at < now)
    ))
    back: list[str] = []
    for doc_id in ids:
        moved = s.execute(
            update(Document)
            .where(Document.id == doc_id, Document.status == RUNNING,
                   Document.lease_expires_at < now)
            .values(status=QUEUED, lease_owner=None, lease_expires_at=None, enqueued_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if moved:
            back.append(doc_id)
    return back


def stale_queued(s: Session, enqueued_before: datetime) -> list[str]:
    """Queued documents handed to a queue before `enqueued_before` and not taken since:
    candidates for a lost message (the sweeper asks the broker before sending again)."""
    return list(s.scalars(
        select(Document.id).where(Document.status == QUEUED, Document.enqueued_at.is_not(None),
                                  Document.enqueued_at < enqueued_before)
        .order_by(Document.created_at)
    ))


def unenqueued(s: Session, older_than: datetime, *, all_queued: bool = False) -> list[str]:
    """Queued documents no queue knows about (the broker was down at upload, or the
    in-process pool died with its server)."""
    q = select(Document.id).where(Document.status == QUEUED, Document.created_at <= older_than)
    if not all_queued:
        q = q.where(Document.enqueued_at.is_(None))
    return list(s.scalars(q.order_by(Document.created_at)))
