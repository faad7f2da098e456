"""A running service made of subprocesses, shared by tests/service and tests/reliability."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.service.client import Client
from tests.service.servers import Process, free_port, nianbao, wait_for


@dataclass
class Stack:
    """A running service: its URL, environment, tokens of two tenants, processes."""

    url: str
    env: dict[str, str]
    token: str
    other_token: str
    processes: list[Process]
    clients: list[Client] = field(default_factory=list)

    def client(self, token: str | None = None) -> Client:
        client = Client(self.url, self.token if token is None else token)
        self.clients.append(client)
        return client

    def close(self) -> None:
        for c in self.clients:
            c.close()
        for p in self.processes:
            p.close()

    def logs(self) -> str:
        return "\n".join(p.output()[-4000:] for p in self.processes)


def token(env: dict[str, str], tenant: str) -> str:
    done = nianbao(["token", "create", "--tenant", tenant], env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def serve(env: dict[str, str], log: Path) -> tuple[str, Process]:
    port = free_port()
    proc = Process(["serve", "--host", "127.0.0.1", "--port", str(port)], env, log)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if proc.proc.poll() is not None:
            pytest.fail(f"nianbao serve exited:\n{proc.output()[-3000:]}")
        try:
            return httpx.get(url + "/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy, 60, "nianbao serve", log)
    except BaseException:
        proc.close()
        raise
    return url, proc
