"""`nianbao` service commands, run as a user would (subprocesses, embedded default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.service.servers import nianbao, service_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return service_env({"NIANBAO_DATA_DIR": str(tmp_path / "data"),
                        "NIANBAO_EXTRACTOR": "tests.service.fakes:extract"})


def test_tokens(env: dict[str, str]) -> None:
    created = nianbao(["token", "create", "--tenant", "acme"], env)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("nb_") and len(token) > 40
    listed = nianbao(["token", "list"], env)
    assert "acme" in listed.stdout and token not in listed.stdout and "live" in listed.stdout
    assert nianbao(["token", "revoke", token], env).returncode == 0
    assert nianbao(["token", "revoke", token], env).returncode == 1
    assert "revoked" in nianbao(["token", "list", "--tenant", "acme"], env).stdout


def test_enqueue_without_broker_runs_inline(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"FAKE:ok")
    (tmp_path / "b.txt").write_bytes(b"")
    done = nianbao(["enqueue", str(tmp_path / "a.pdf"), str(tmp_path / "b.txt")], env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("batch ")
    assert "\tdone\ta.pdf" in lines[1] and "\tfailed\tb.txt\tempty" in lines[2]
    assert nianbao(["enqueue", str(tmp_path / "missing.pdf")], env).returncode == 2


def test_watch_once(env: dict[str, str], tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.pdf").write_bytes(b"FAKE:ok")
    done = nianbao(["watch", str(inbox), "--interval", "0.2", "--once"], env)
    assert done.returncode == 0, done.stderr
    assert (inbox / "done" / "a.pdf").exists() and (inbox / "done" / "a.pdf.json").exists()


def test_worker_needs_a_broker(env: dict[str, str]) -> None:
    done = nianbao(["worker"], env)
    assert done.returncode == 2 and "NIANBAO_BROKER_URL" in done.stderr
