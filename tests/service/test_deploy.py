"""The compose file, the Dockerfile and the Celery settings (no Docker engine needed)."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import yaml

from tests.service.servers import REPO
from worker.settings import Settings
from worker.tasks import make_app


def compose() -> dict[str, Any]:
    """`docker compose config` where that client works, else the file through PyYAML."""
    docker = shutil.which("docker")
    if docker:
        done = subprocess.run([docker, "compose", "-f", str(REPO / "docker-compose.yml"),
                               "config", "--format", "json"], capture_output=True, text=True,
                              check=False, timeout=60)
        if done.returncode == 0:
            data: dict[str, Any] = json.loads(done.stdout)
            return data
    data = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return data


def test_compose_services() -> None:
    services = compose()["services"]
    assert {"api", "worker", "redis", "postgres", "flower", "migrate"} <= set(services)
    redis = services["redis"]
    assert "--appendonly" in redis["command"] and "yes" in redis["command"]
    worker = services["worker"]
    assert "container_name" not in worker and not worker.get("ports")  # --scale worker=N
    assert worker["command"][:2] == ["nianbao", "worker"]
    assert services["api"]["command"][:2] == ["nianbao", "serve"]
    for role in ("api", "worker"):
        env = services[role]["environment"]
        assert env["NIANBAO_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert env["NIANBAO_BROKER_URL"].startswith("redis://redis:")
        assert services[role]["build"]


def test_dockerfile_runs_the_service() -> None:
    text = (REPO / "Dockerfile").read_text()
    assert "pip install '.[service]'" in text and '"nianbao", "serve"' in text
    assert "USER nianbao" in text


def test_celery_reliability_settings() -> None:
    conf = make_app(Settings(broker_url="redis://x:6379/0", task_time_limit=100)).conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit == 100 and conf.task_soft_time_limit == 80
    assert conf.task_ignore_result  # the database holds status
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
