"""Fixtures that start real servers for the service tests, once per session.

redis-server and PostgreSQL come from the system packages (Debian: redis-server,
postgresql); when one is missing the tests fail with a message, never skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.service import fakes
from tests.service.servers import (
    REPO,
    S3,
    Postgres,
    Process,
    Redis,
    nianbao,
    service_env,
    wait_for,
)
from tests.service.stack import Stack, serve, token
from worker.blobs import BlobStore, open_blob_store
from worker.db import repo
from worker.db.migrate import upgrade
from worker.db.session import Database
from worker.processing import Processor
from worker.settings import Settings

SAMPLES = REPO / "samples" / "digital"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    server = Redis(tmp_path_factory.mktemp("redis"))
    yield server
    server.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = Postgres()
    yield server
    server.close()


@pytest.fixture(scope="session")
def s3() -> Iterator[S3]:
    server = S3()
    yield server
    server.close()


@pytest.fixture(scope="session")
def sample_pdfs() -> list[Path]:
    pdfs = sorted(SAMPLES.glob("*.pdf"))
    if not pdfs:
        pytest.fail(f"no sample PDFs in {SAMPLES}: the service tests upload them")
    return pdfs


@pytest.fixture(scope="session")
def celery_stack(
    tmp_path_factory: pytest.TempPathFactory, redis_server: Redis, postgres: Postgres, s3: S3
) -> Iterator[Stack]:
    """PostgreSQL + Redis + S3 blobs + a `nianbao worker` (Celery) + `nianbao serve`."""
    root = tmp_path_factory.mktemp("celery-stack")
    env = service_env({
        **s3.env,
        "NIANBAO_DATABASE_URL": postgres.url,
        "NIANBAO_BROKER_URL": redis_server.url,
        "NIANBAO_BLOB_URL": f"s3://{s3.bucket('nianbao-e2e')}/uploads",
        "NIANBAO_S3_ENDPOINT_URL": s3.endpoint,
        "NIANBAO_DATA_DIR": str(root / "data"),
        "NIANBAO_EXTRACTOR": "tests.service.fakes:extract",
        "NIANBAO_RETRY_BACKOFF": "0.2",
    })
    migrated = nianbao(["migrate"], env)
    assert migrated.returncode == 0, migrated.stderr
    worker = Process(["worker", "--concurrency", "2"], env, root / "worker.log")
    stack = Stack("", env, "", "", [worker])
    try:  # a server that fails to start must not outlive the session
        wait_for(lambda: "ready." in worker.output(), 60, "nianbao worker (celery)", worker.log)
        stack.url, api = serve(env, root / "serve.log")
        stack.processes.insert(0, api)
        stack.token, stack.other_token = token(env, "acme"), token(env, "rival")
        yield stack
    finally:
        stack.close()


@pytest.fixture(scope="session")
def embedded_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """`nianbao serve` alone: SQLite, local blob folder, in-process workers."""
    root = tmp_path_factory.mktemp("embedded-stack")
    env = service_env({
        "NIANBAO_DATA_DIR": str(root / "data"),
        "NIANBAO_EXTRACTOR": "tests.service.fakes:extract",
        "NIANBAO_WORKERS": "2",
        "NIANBAO_RETRY_BACKOFF": "0.2",
    })
    url, api = serve(env, root / "serve.log")
    stack = Stack(url, env, "", "", [api])
    try:
        stack.token, stack.other_token = token(env, "acme"), token(env, "rival")
        yield stack
    finally:
        stack.close()


# --- in-process fixtures (no servers) ----------------------------------------------------


@dataclass
class Local:
    """An embedded deployment in one process: SQLite, local blobs, the fake extractor."""

    settings: Settings
    db: Database
    blobs: BlobStore
    processor: Processor

    def tenant(self, name: str = "acme") -> str:
        with self.db.session() as s:
            t = repo.tenant(s, name)
            assert t is not None
            return t.id


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Local]:
    settings = Settings(
        data_dir=tmp_path / "data", extractor="tests.service.fakes:extract", retry_backoff=0,
        sweep_interval=0, max_retries=2,
    )
    upgrade(settings.resolved_database_url)
    db = Database(settings.resolved_database_url)
    blobs = open_blob_store(settings)
    yield Local(settings, db, blobs, Processor(db, blobs, fakes.extract, settings, "test:1"))
    db.dispose()
