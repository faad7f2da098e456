"""Real servers for the service tests: redis-server, PostgreSQL, S3 (moto), and the
service's own processes (`nianbao serve`, `nianbao worker`), on free ports in temp dirs."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NIANBAO = [sys.executable, "-m", "worker.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], bool], timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"{what} did not come up within {timeout} s\n{tail}")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def require_binary(name: str, candidates: list[str], install: str) -> str:
    for c in [shutil.which(name) or "", *candidates]:
        if c and os.access(c, os.X_OK):
            return c
    pytest.fail(f"{name} is needed by the service tests and was not found; install it "
                f"({install}). CI installs it: this is not skipped.")


def stop(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Redis:
    """redis-server with append-only persistence in `root`; `kill` and `start` again
    on the same port and folder, as after a crash of the machine it runs on."""

    def __init__(self, root: Path) -> None:
        self.binary = require_binary("redis-server", ["/usr/bin/redis-server"],
                                     "apt-get install redis-server")
        self.root = root
        self.port = free_port()
        self.log = root / "redis.log"
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.root), "--appendonly", "yes", "--save", "", "--logfile", str(self.log)],
        )
        wait_for(lambda: port_open(self.port), 20, "redis-server", self.log)

    def kill(self) -> None:
        """SIGKILL: whatever the append-only file has not synced yet is lost."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def wipe(self) -> None:
        """Delete the persisted data (a restart that lost every message)."""
        for path in self.root.iterdir():
            if path.name.startswith("appendonly") or path.suffix == ".rdb":
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def close(self) -> None:
        stop(self.proc)


class Postgres:
    """A throwaway cluster. As root, it runs as the `postgres` user (postgres refuses root)."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        initdb = require_binary("initdb", found[-1:], "apt-get install postgresql")
        bindir = Path(initdb).resolve().parent
        self.root = Path(tempfile.mkdtemp(prefix="nianbao-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.pg_ctl = [*self.as_user, str(bindir / "pg_ctl"), "-D", str(self.data)]
        subprocess.run([*self.as_user, initdb, "-D", str(self.data), "-A", "trust", "-U",
                        "postgres", "-E", "UTF8", "--no-sync"], check=True,
                       capture_output=True)
        self.opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                     "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self.log = self.root / "postgres.log"
        self.start()
        try:
            import psycopg

            admin = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("CREATE DATABASE nianbao")
        except Exception:
            self.close()  # never leave a server behind
            raise
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/nianbao"

    def create_database(self, name: str) -> str:
        """A new empty database in this cluster; its SQLAlchemy URL."""
        import psycopg

        admin = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run([*self.pg_ctl, "-m", "fast", "-w", "stop"], capture_output=True)

    def start(self) -> None:
        """Start the cluster (again), on the same port and data folder."""
        subprocess.run([*self.pg_ctl, "-o", self.opts, "-l", str(self.log), "-w", "start"],
                       check=True, capture_output=True)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


class S3:
    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.env = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                    "AWS_DEFAULT_REGION": "us-east-1"}
        os.environ.update(self.env)

    def bucket(self, name: str) -> str:
        import boto3

        boto3.client("s3", endpoint_url=self.endpoint).create_bucket(Bucket=name)
        return name

    def close(self) -> None:
        self.server.stop()


def service_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    # The repository first on the path: the service imports the checkout (and tests.service.fakes).
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


def nianbao(
    args: list[str], env: Mapping[str, str], cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    """Run a `nianbao` command to completion."""
    return subprocess.run([*NIANBAO, *args], env=dict(env), cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)


class Process:
    """A `nianbao` command running in the background, its output in a log file."""

    def __init__(self, args: list[str], env: Mapping[str, str], log: Path) -> None:
        self.log = log
        self.handle = log.open("ab")
        # Its own process group, so `kill` takes its children (Celery's pool) with it.
        self.proc = subprocess.Popen([*NIANBAO, *args], env=dict(env), cwd=REPO,
                                     stdout=self.handle, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the process and every child it started (a machine losing power)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.handle.close()

    def close(self) -> None:
        stop(self.proc, timeout=20)
        if self.proc.returncode not in (0, None):  # leave no orphaned pool children behind
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.handle.close()
