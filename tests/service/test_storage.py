"""Migrations on SQLite and PostgreSQL; blob stores on a folder and on S3 (moto)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from tests.service.servers import S3, Postgres
from worker.blobs import LocalBlobStore, S3BlobStore, open_blob_store
from worker.db.migrate import downgrade, upgrade
from worker.db.models import Base
from worker.db.session import make_engine
from worker.errors import BlobError
from worker.settings import Settings


def schema_drift(url: str) -> list[object]:
    engine = make_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff: list[object] = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    return diff


def roundtrip(url: str) -> None:
    upgrade(url)
    assert schema_drift(url) == [], "the models and the migrations disagree"
    downgrade(url, "base")
    upgrade(url)
    upgrade(url)  # idempotent


def test_migrations_sqlite(tmp_path: Path) -> None:
    roundtrip(f"sqlite:///{tmp_path / 'x.db'}")


def test_migrations_postgres_use_jsonb(postgres: Postgres) -> None:
    admin = f"host=127.0.0.1 port={postgres.port} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS migrations_test")
        conn.execute("CREATE DATABASE migrations_test")
    url = postgres.url.rsplit("/", 1)[0] + "/migrations_test"
    roundtrip(url)
    engine = make_engine(url)
    columns = {c["name"]: c for c in inspect(engine).get_columns("results")}
    assert type(columns["data"]["type"]).__name__ == "JSONB"
    engine.dispose()


def test_default_settings_need_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    s = Settings()
    assert s.resolved_database_url == f"sqlite:///{tmp_path / 'data' / 'nianbao.db'}"
    assert s.resolved_blob_url == (tmp_path / "data" / "blobs").as_uri()
    assert s.broker_url is None
    monkeypatch.setenv("NIANBAO_MAX_UPLOAD_BYTES", "123")
    assert Settings().max_upload_bytes == 123


def exercise(store: LocalBlobStore | S3BlobStore) -> None:
    store.ping()
    store.put("sha256/abc", b"hello")
    assert store.exists("sha256/abc") and store.get("sha256/abc") == b"hello"
    store.put("sha256/abc", b"hello")  # same key again: fine
    store.delete("sha256/abc")
    assert not store.exists("sha256/abc")
    with pytest.raises(BlobError):
        store.get("sha256/abc")
    for bad in ("../x", "/abs", "a//b", ""):
        with pytest.raises(BlobError):
            store.put(bad, b"x")


def test_local_blobs(tmp_path: Path) -> None:
    store = open_blob_store(Settings(data_dir=tmp_path))
    assert isinstance(store, LocalBlobStore)
    exercise(store)


def test_s3_blobs(s3: S3) -> None:
    settings = Settings(blob_url=f"s3://{s3.bucket('blobs-test')}/some/prefix",
                        s3_endpoint_url=s3.endpoint)
    store = open_blob_store(settings)
    assert isinstance(store, S3BlobStore) and store.prefix == "some/prefix"
    exercise(store)
    missing = S3BlobStore("no-such-bucket", endpoint_url=s3.endpoint)
    with pytest.raises(BlobError):
        missing.ping()


def test_unknown_blob_url() -> None:
    with pytest.raises(BlobError):
        open_blob_store(Settings(blob_url="ftp://x/y"))
