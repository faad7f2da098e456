"""Service commands of `nianbao`: serve, worker, enqueue, watch, token, migrate.

Heavy imports (FastAPI, Celery, SQLAlchemy) happen inside each command, so
`nianbao extract` does not pay for them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

DEFAULT_TENANT = "default"


def register(sub: Any) -> None:
    """Add the service subcommands to the `nianbao` parser's subparsers."""
    p = sub.add_parser("serve", help="run the HTTP API (and, without a broker, the workers)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=None,
                   help="in-process worker pool size (embedded mode; default: CPU count)")
    p.set_defaults(func=serve)

    p = sub.add_parser("worker", help="run a Celery worker (needs NIANBAO_BROKER_URL)")
    p.add_argument("--concurrency", type=int, default=None)
    p.add_argument("--loglevel", default="INFO")
    p.add_argument("celery_args", nargs=argparse.REMAINDER, help="more `celery worker` options")
    p.set_defaults(func=worker)

    p = sub.add_parser("enqueue", help="queue files, zips or page folders as one batch")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--tenant", default=DEFAULT_TENANT)
    p.set_defaults(func=enqueue)

    p = sub.add_parser("watch", help="take files dropped in an inbox folder")
    p.add_argument("dir", type=Path)
    p.add_argument("--tenant", default=DEFAULT_TENANT)
    p.add_argument("--interval", type=float, default=2.0, help="seconds between scans")
    p.add_argument("--once", action="store_true", help="exit when the inbox is empty")
    p.set_defaults(func=watch)

    p = sub.add_parser("token", help="create, revoke or list API tokens")
    tsub = p.add_subparsers(dest="token_command", required=True)
    t = tsub.add_parser("create", help="print a new token for a tenant (created if new)")
    t.add_argument("--tenant", required=True)
    t.set_defaults(func=token_create)
    t = tsub.add_parser("revoke", help="revoke a token (the token itself or its id)")
    t.add_argument("token")
    t.set_defaults(func=token_revoke)
    t = tsub.add_parser("list", help="list tokens (ids and prefixes, never the tokens)")
    t.add_argument("--tenant", default=None)
    t.set_defaults(func=token_list)

    p = sub.add_parser("migrate", help="create or upgrade the database schema")
    p.set_defaults(func=migrate)


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")


def _settings(**overrides: Any) -> Any:
    from worker.settings import Settings

    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _database(settings: Any) -> Any:
    from worker.db.migrate import upgrade
    from worker.db.session import Database

    if settings.auto_migrate:
        upgrade(settings.resolved_database_url)
    return Database(settings.resolved_database_url)


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from worker.api import create_app

    _logging()
    settings = _settings(workers=args.workers)
    mode = f"broker {settings.broker_url}" if settings.broker_url else \
        f"in-process pool of {settings.pool_size}"
    logging.getLogger("nianbao").info("serving on %s:%d, %s", args.host, args.port, mode)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_config=None)
    return 0


def worker(args: argparse.Namespace) -> int:
    settings = _settings()
    if not settings.broker_url:
        print("nianbao worker needs a broker: set NIANBAO_BROKER_URL=redis://host:6379/0 "
              "(without one, `nianbao serve` runs its own workers).", file=sys.stderr)
        return 2
    _logging()
    from worker.tasks import worker_main

    argv = [f"--loglevel={args.loglevel}"]
    if args.concurrency:
        argv.append(f"--concurrency={args.concurrency}")
    worker_main([*argv, *args.celery_args])
    return 0


def _queue(settings: Any) -> Any:
    """Celery when a broker is configured; else run the documents here, now."""
    if settings.broker_url:
        from worker.dispatch import open_dispatcher

        return open_dispatcher(settings)
    from worker.dispatch import InlineDispatcher
    from worker.processing import Processor

    return InlineDispatcher(Processor.from_settings(settings))


def enqueue(args: argparse.Namespace) -> int:
    from worker import errors
    from worker.batches import create_batch, submit
    from worker.blobs import open_blob_store
    from worker.db import repo
    from worker.ingest import from_path

    _logging()
    settings = _settings()
    db = _database(settings)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    with db.session() as s:
        tenant = repo.tenant(s, args.tenant)
        assert tenant is not None
        tenant_id = tenant.id
    uploads = (u for p in args.paths for u in from_path(
        p, max_document_bytes=settings.max_document_bytes, max_entries=settings.max_zip_entries))
    try:
        created = create_batch(db, open_blob_store(settings), tenant_id, uploads,
                               source="enqueue", max_documents=settings.max_documents_per_batch)
    except errors.ServiceError as e:
        print(e.message, file=sys.stderr)
        return 1
    queue = _queue(settings)
    queued = submit(db, queue, created.queued)
    queue.close()
    with db.session() as s:
        docs = [repo.get_document(s, tenant_id, doc_id) for doc_id, _, _ in created.documents]
    print(f"batch {created.batch_id}")
    for d in docs:
        if d is not None:
            print(f"{d.id}\t{d.status}\t{d.filename}\t{d.error_code or ''}")
    return 0 if queued else 1


def watch(args: argparse.Namespace) -> int:
    from worker.blobs import open_blob_store
    from worker.db import repo
    from worker.watch import Inbox

    _logging()
    settings = _settings()
    db = _database(settings)
    with db.session() as s:
        tenant = repo.tenant(s, args.tenant)
        assert tenant is not None
        tenant_id = tenant.id
    queue = _queue(settings)
    inbox = Inbox(args.dir, settings, db, open_blob_store(settings), queue, tenant_id)
    try:
        inbox.run(args.interval, once=args.once)
    except KeyboardInterrupt:
        pass
    finally:
        queue.close()
    return 0


def token_create(args: argparse.Namespace) -> int:
    from worker.db import repo

    db = _database(_settings())
    with db.session() as s:
        token, clear = repo.create_token(s, args.tenant)
        print(f"token id {token.id} for tenant {args.tenant}; keep the token, it is shown "
              "once:", file=sys.stderr)
    print(clear)
    return 0


def token_revoke(args: argparse.Namespace) -> int:
    from worker.db import repo

    db = _database(_settings())
    with db.session() as s:
        n = repo.revoke_token(s, args.token)
    print("revoked" if n else "no such live token", file=sys.stderr)
    return 0 if n else 1


def token_list(args: argparse.Namespace) -> int:
    from worker.db import repo

    db = _database(_settings())
    with db.session() as s:
        for t in repo.list_tokens(s, args.tenant):
            state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "live"
            print(f"{t.id}\t{t.tenant.name}\t{t.prefix}…\t{t.created_at:%Y-%m-%d}\t{state}")
    return 0


def migrate(args: argparse.Namespace) -> int:
    from worker.db.migrate import upgrade

    settings = _settings()
    upgrade(settings.resolved_database_url)
    print(f"database at head: {settings.resolved_database_url.split('@')[-1]}", file=sys.stderr)
    return 0
