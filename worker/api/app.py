"""The FastAPI application: routes, errors mapped to HTTP in one place, health,
metrics, and the lifespan that starts the queue and the sweeper."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from worker import errors
from worker.api.limits import UploadLimit
from worker.api.metrics import Metrics, MetricsMiddleware
from worker.api.routes import router
from worker.api.state import AppState, State
from worker.blobs import open_blob_store
from worker.db.migrate import upgrade
from worker.db.session import Database
from worker.dispatch import Dispatcher, open_dispatcher
from worker.settings import Settings
from worker.sweeper import Sweeper, sweep

log = logging.getLogger("nianbao.api")


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Any:
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


def create_app(settings: Settings, dispatcher: Dispatcher | None = None) -> FastAPI:
    """The API for `settings`. Without a `dispatcher`, the lifespan opens Celery (broker
    configured) or the in-process pool."""
    db = Database(settings.resolved_database_url)
    state = AppState(settings, db, open_blob_store(settings), dispatcher)
    metrics = Metrics(db)
    retry_after = {"Retry-After": str(settings.retry_after)}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.auto_migrate:
            upgrade(settings.resolved_database_url)
        owned = state.dispatcher is None
        if owned:
            state.dispatcher = open_dispatcher(settings)
        if not settings.broker_url:
            # The in-process queue died with the previous server: take its documents again.
            try:
                sweep(db, state.queue, all_queued=True)
            except SQLAlchemyError as e:
                log.error("database unreachable at start; the sweeper will retry: %s", e)
        sweeper = Sweeper(db, state.queue, settings.sweep_interval)
        if settings.sweep_interval > 0:
            sweeper.start()
        try:
            yield
        finally:
            sweeper.stop()
            if owned:
                state.queue.close()
            db.dispose()

    app = FastAPI(
        title="Nianbao", version="1",
        description="Government information-disclosure annual reports to validated JSON.",
        lifespan=lifespan,
    )
    app.state.nianbao = state
    app.include_router(router)
    app.add_middleware(UploadLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(MetricsMiddleware, metrics=metrics)

    @app.exception_handler(errors.ServiceError)
    async def service_error(_: Request, e: errors.ServiceError) -> Any:
        headers: dict[str, str] = {}
        if isinstance(e, errors.Unavailable):
            headers = retry_after
        if isinstance(e, errors.Unauthorized):
            headers = {"WWW-Authenticate": "Bearer"}
        return _error(e.http_status, e.code, e.message, headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    async def database_down(_: Request, e: SQLAlchemyError) -> Any:
        # Vendor errors stop here: the client learns only that it should come back.
        log.error("database error: %s", e)
        return _error(503, "database_unavailable", "The database cannot be reached; "
                      "try again shortly.", retry_after)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz(state: State) -> Any:
        """The database and the queue (broker or in-process pool) are reachable."""
        checks: dict[str, str] = {}
        try:
            state.db.ping()
            checks["database"] = "ok"
        except SQLAlchemyError:
            checks["database"] = "unreachable"
        try:
            state.queue.ping()
            checks["queue"] = "ok"
        except errors.Unavailable as e:
            checks["queue"] = e.message
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks},
                            200 if ok else 503, headers=None if ok else retry_after)

    @app.get("/metrics", tags=["health"], include_in_schema=False)
    def prometheus() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app
