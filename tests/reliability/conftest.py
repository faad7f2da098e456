"""A service made of real processes that the reliability tests kill and restart:
redis-server (append-only file), PostgreSQL, `nianbao worker` (Celery, 2 processes)
and `nianbao serve`, with short leases and limits so that recovery takes seconds.

Each test starts from a healthy rig: `rig` revives whatever an earlier test left dead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tests.service.client import Client
from tests.service.servers import Postgres, Process, Redis, nianbao, service_env, wait_for
from tests.service.stack import serve, token
from worker.db.models import Document, ResultRecord
from worker.db.session import Database

pytestmark = pytest.mark.slow

RIG_ENV = {
    "NIANBAO_EXTRACTOR": "tests.service.fakes:extract",
    "NIANBAO_LEASE_SECONDS": "3",  # heartbeat every second
    "NIANBAO_SWEEP_INTERVAL": "0.5",
    "NIANBAO_REQUEUE_AFTER": "4",
    "NIANBAO_TASK_TIME_LIMIT": "5",  # soft limit 4 s
    "NIANBAO_MAX_RETRIES": "1",  # two attempts in all
    "NIANBAO_RETRY_BACKOFF": "0.2",
    "NIANBAO_RETRY_AFTER": "1",
    "NIANBAO_DB_RETRY_SECONDS": "60",
    "NIANBAO_MAX_DOCUMENT_BYTES": str(4 * 2**20),
    "NIANBAO_MAX_BATCH_BYTES": str(10 * 2**20),
    "NIANBAO_MAX_PAGES": "50",
}


@dataclass
class Rig:
    root: Path
    redis: Redis
    postgres: Postgres
    env: dict[str, str]
    db: Database
    api: Process | None = None
    worker: Process | None = None
    url: str = ""
    token: str = ""
    other_token: str = ""
    clients: list[Client] = field(default_factory=list)
    generation: int = 0

    def client(self, token: str | None = None) -> Client:
        c = Client(self.url, self.token if token is None else token)
        self.clients.append(c)
        return c

    def start_worker(self) -> Process:
        self.generation += 1
        log = self.root / f"worker-{self.generation}.log"
        self.worker = Process(["worker", "--concurrency", "2"], self.env, log)
        wait_for(lambda: "ready." in log.read_text(errors="replace"), 60, "celery worker", log)
        return self.worker

    def start_api(self) -> None:
        self.generation += 1
        self.url, self.api = serve(self.env, self.root / f"serve-{self.generation}.log")

    def revive(self) -> None:
        """Bring back whatever is down, so every test starts from a healthy service."""
        if self.redis.proc.poll() is not None:
            self.redis.start()
        try:
            self.db.ping()
        except Exception:  # any failure: start the cluster again
            self.postgres.start()
        # A process that died is closed first: its log file, and any pool children left.
        if self.worker is None or self.worker.proc.poll() is not None:
            if self.worker is not None:
                self.worker.close()
            self.start_worker()
        if self.api is None or self.api.proc.poll() is not None:
            if self.api is not None:
                self.api.close()
            self.start_api()

    def doc(self, doc_id: str) -> Document:
        with self.db.session() as s:
            found = s.get(Document, doc_id)
            assert found is not None
            return found

    def results(self, doc_id: str) -> int:
        with self.db.session() as s:
            return int(s.scalar(select(func.count()).select_from(ResultRecord)
                                .where(ResultRecord.document_id == doc_id)) or 0)

    def wait_running(self, doc_id: str, timeout: float = 30) -> Document:
        wait_for(lambda: self.doc(doc_id).status == "running", timeout, f"{doc_id} running")
        return self.doc(doc_id)

    def upload(self, files: list[tuple[str, bytes]]) -> dict[str, Any]:
        r = self.client().upload(files)
        assert r.status_code == 202, r.text
        body: dict[str, Any] = r.json()
        return body

    def logs(self) -> str:
        return "\n".join(p.output()[-3000:] for p in (self.api, self.worker) if p)

    def close(self) -> None:
        for c in self.clients:
            c.close()
        for p in (self.api, self.worker):
            if p:
                p.close()
        self.db.dispose()


@pytest.fixture(scope="session")
def rig_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    root = tmp_path_factory.mktemp("rig")
    redis = Redis(root)
    postgres = Postgres()
    env = service_env({
        **RIG_ENV,
        "NIANBAO_DATABASE_URL": postgres.url,
        "NIANBAO_BROKER_URL": redis.url,
        "NIANBAO_DATA_DIR": str(root / "data"),
        "NIANBAO_BLOB_URL": (root / "blobs").as_uri(),
    })
    rig = Rig(root, redis, postgres, env, Database(postgres.url))
    try:
        migrated = nianbao(["migrate"], env)
        assert migrated.returncode == 0, migrated.stderr
        rig.token, rig.other_token = token(env, "acme"), token(env, "rival")
        yield rig
    finally:
        rig.close()
        redis.close()
        postgres.close()


@pytest.fixture
def rig(rig_session: Rig) -> Rig:
    rig_session.revive()
    return rig_session


def unique(command: str, n: int) -> list[tuple[str, bytes]]:
    """`n` documents running the fake extractor's `command`, each with its own bytes."""
    stamp = time.time_ns()
    return [(f"{command.replace(':', '-')}-{i}.pdf", f"FAKE:{command}:{stamp}-{i}".encode())
            for i in range(n)]


def get_json(url: str, path: str, token: str) -> httpx.Response:
    return httpx.get(url + path, headers={"Authorization": f"Bearer {token}"}, timeout=10)
