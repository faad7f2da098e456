"""A small HTTP client for the service tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx


class Client:
    def __init__(self, base_url: str, token: str | None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=base_url, headers=headers, timeout=60)

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.get(path, **kw)

    def upload(self, files: list[tuple[str, bytes]]) -> httpx.Response:
        return self.http.post("/v1/batches", files=[("files", (n, b)) for n, b in files])

    def upload_paths(self, paths: list[Path]) -> httpx.Response:
        return self.upload([(p.name, p.read_bytes()) for p in paths])

    def wait(self, batch_id: str, timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            r = self.get(f"/v1/batches/{batch_id}")
            r.raise_for_status()
            body: dict[str, Any] = r.json()
            if body["status"] == "complete":
                return body
            if time.monotonic() > deadline:
                raise AssertionError(f"batch not complete after {timeout} s: {body['counts']}")
            time.sleep(0.3)

    def close(self) -> None:
        self.http.close()
