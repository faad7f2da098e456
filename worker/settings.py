"""Service configuration, read from `NIANBAO_*` environment variables.

Nothing needs to be set: the defaults give the embedded service (SQLite and a
local blob folder under `./data`, an in-process worker pool). SERVICE.md has the
table of every variable.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NIANBAO_", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"), description="embedded database and local blobs live here"
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<data_dir>/nianbao.db"
    )
    broker_url: str | None = Field(
        default=None, description="redis://...; unset = in-process worker pool"
    )
    blob_url: str | None = Field(
        default=None, description="file:///path or s3://bucket/prefix; default <data_dir>/blobs"
    )
    s3_endpoint_url: str | None = Field(default=None, description="S3-compatible endpoint")
    s3_region: str = "us-east-1"

    max_upload_bytes: int = Field(default=512 * 1024 * 1024, description="one HTTP request")
    max_document_bytes: int = Field(default=200 * 1024 * 1024, description="one document")
    max_documents_per_batch: int = 1000
    max_zip_entries: int = 5000
    max_batch_bytes: int = Field(
        default=2 * 1024 * 1024 * 1024, description="all documents of one upload, unzipped"
    )
    max_pages: int = Field(default=200, description="pages per document")
    max_pixels: int = Field(default=80_000_000, description="decoded pixels per page image")
    ocr_engine: str = Field(default="rapidocr",
                            description="OCR engine: rapidocr (embedded) or paddle")
    ocr_model_dir: str | None = Field(default=None,
                                      description="paddle engine: the PaddleOCR model directory")

    workers: int = Field(default=0, description="in-process pool size; 0 = CPU count")
    task_time_limit: int = Field(default=900, description="seconds, hard limit per document")
    max_retries: int = Field(default=3, description="retries of transient engine errors")
    retry_backoff: float = Field(default=5.0, description="seconds, doubled each retry")
    sweep_interval: float = Field(default=30.0, description="seconds between lease sweeps")
    retry_after: int = Field(default=5, description="Retry-After seconds on 503 answers")
    lease_seconds: int = Field(
        default=60, description="a running document's claim; renewed by a heartbeat"
    )
    requeue_after: float = Field(
        default=300.0, description="seconds a queued document may sit unseen by the broker"
    )
    db_retry_seconds: float = Field(
        default=120.0, description="how long a worker waits for the database before giving up"
    )
    max_tasks_per_child: int = Field(default=200, description="Celery: recycle a child after N")
    max_memory_per_child: int = Field(
        default=2_000_000, description="Celery: KiB of resident memory before recycling"
    )
    auto_migrate: bool = Field(default=True, description="upgrade the schema when serving")
    extractor: str = Field(
        default="extractors:extract", description="module:function of the pipeline (tests)"
    )

    @property
    def heartbeat_seconds(self) -> float:
        # Three renewals per lease: one missed beat (a busy GIL, a slow query) is not fatal.
        return max(0.2, self.lease_seconds / 3)

    @property
    def soft_time_limit(self) -> int:
        # The soft limit fails the document cleanly; the hard limit kills what ignores it.
        return max(1, self.task_time_limit - min(30, self.task_time_limit // 5))

    @property
    def max_attempts(self) -> int:
        """Claims of one document before it fails: retries of transient errors, and runs
        cut short by a dead worker, count alike."""
        return self.max_retries + 1

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir.resolve() / 'nianbao.db'}"

    @property
    def resolved_blob_url(self) -> str:
        return self.blob_url or (self.data_dir.resolve() / "blobs").as_uri()

    @property
    def pool_size(self) -> int:
        return self.workers or os.cpu_count() or 1


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
