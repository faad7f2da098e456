"""What the routes share: settings, database, blob store, queue; and the caller's tenant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from worker import errors
from worker.blobs import BlobStore
from worker.db import repo
from worker.db.session import Database
from worker.dispatch import Dispatcher
from worker.settings import Settings


@dataclass
class AppState:
    settings: Settings
    db: Database
    blobs: BlobStore
    dispatcher: Dispatcher | None = None

    @property
    def queue(self) -> Dispatcher:
        if self.dispatcher is None:  # pragma: no cover - set by the lifespan
            raise errors.QueueError("the service is starting")
        return self.dispatcher


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.nianbao
    return state


_bearer = HTTPBearer(auto_error=False, description="a token from `nianbao token create`")


def current_tenant(
    state: Annotated[AppState, Depends(app_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The tenant id of the bearer token. Raises Unauthorized (401)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise errors.Unauthorized("Send 'Authorization: Bearer <token>'; create a token with "
                                  "`nianbao token create --tenant NAME`.")
    with state.db.session() as s:
        tenant = repo.authenticate(s, credentials.credentials)
        if tenant is None:
            raise errors.Unauthorized("The token is unknown or revoked.")
        return tenant.id


State = Annotated[AppState, Depends(app_state)]
TenantId = Annotated[str, Depends(current_tenant)]
