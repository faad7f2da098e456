"""The FastAPI application: routes, errors mapped to HTTP in one place, health,
metrics, and the lifespan that starts the queue and the sweeper."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from starlette.exceptions import HTTPException

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

# What a client is told when something behind the API is down; the detail goes to the log.
UNAVAILABLE = {
    errors.BlobError.code: "The document store cannot be reached; try again shortly.",
    errors.QueueError.code: "The queue cannot be reached; try again shortly.",
    errors.DatabaseUnavailable.code: "The database cannot be reached; try again shortly.",
}
HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
              413: "upload_too_large", 415: "unsupported_media_type"}


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
        migrate = recover = False
        if settings.auto_migrate:
            try:
                upgrade(settings.resolved_database_url)
            except SQLAlchemyError as e:  # serve anyway (503s); the sweeper migrates later
                log.error("database unreachable at start; will migrate when it is back: %s", e)
                migrate = True
        owned = state.dispatcher is None
        if owned:
            state.dispatcher = open_dispatcher(settings)
        if not settings.broker_url:
            # The in-process queue died with the previous server: take its documents again.
            try:
                sweep(db, state.queue, all_queued=True)
            except SQLAlchemyError as e:
                log.error("database unreachable at start; the sweeper will retry: %s", e)
                recover = True
        sweeper = Sweeper(db, state.queue, settings.sweep_interval,
                          requeue_after=settings.requeue_after, recover=recover,
                          migrate=migrate)
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
        message = e.message
        if isinstance(e, errors.Unavailable):
            headers = retry_after
            log.error("%s: %s", e.code, e.message)  # may name hosts or keys: log only
            message = UNAVAILABLE.get(e.code, "A service behind the API is down; try again "
                                      "shortly.")
        if isinstance(e, errors.Unauthorized):
            headers = {"WWW-Authenticate": "Bearer"}
        return _error(e.http_status, e.code, message, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, e: RequestValidationError) -> Any:
        # Field locations and reasons only: never the submitted values.
        where = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', 'invalid')}"
            for err in e.errors()[:5]
        )
        return _error(422, "invalid_request", f"The request is not valid ({where}). Upload "
                      "files in the multipart field 'files'.")

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, e: HTTPException) -> Any:
        code = HTTP_CODES.get(e.status_code, "error")
        message = str(e.detail) if e.status_code < 500 else "Internal error."
        if e.status_code == 400 and "pars" in message:
            message = ("The request body could not be read as multipart/form-data; send "
                       "files in the multipart field 'files'.")
        return _error(e.status_code, code, message, dict(e.headers or {}))

    @app.exception_handler(Exception)
    async def internal(_: Request, e: Exception) -> Any:
        log.error("unhandled error in a request", exc_info=e)
        return _error(500, "internal", "Internal error; it has been logged. Try again later "
                      "or report it.")

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
            log.warning("readiness: %s", e.message)
            checks["queue"] = "unreachable"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks},
                            200 if ok else 503, headers=None if ok else retry_after)

    @app.get("/metrics", tags=["health"], include_in_schema=False)
    def prometheus() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app
