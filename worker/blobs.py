"""Blob store for uploaded documents: a local folder, or S3-compatible storage.

Keys are content addressed (`sha256/<hex>`), so one file uploaded twice is
stored once. Vendor errors (botocore, OSError) become `BlobError` here.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse

from worker.errors import BlobError
from worker.settings import Settings


class BlobStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def ping(self) -> None: ...


def _check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise BlobError(f"invalid blob key {key!r}")
    return key


class LocalBlobStore:
    """Files under one folder; writes are atomic (temp file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except OSError as e:
            raise BlobError(f"cannot write blob {key}: {e.strerror}") from e

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except OSError as e:
            raise BlobError(f"cannot read blob {key}: {e.strerror}") from e

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def ping(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise BlobError(f"blob folder {self.root} is not usable: {e.strerror}") from e


class S3BlobStore:
    """Objects in one bucket under a prefix (any S3-compatible server)."""

    def __init__(
        self, bucket: str, prefix: str = "", endpoint_url: str | None = None,
        region: str = "us-east-1",
    ) -> None:
        import boto3  # lazy: only S3 deployments pay for it

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)

    def _key(self, key: str) -> str:
        _check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _call(self, what: str, fn: object, **kw: object) -> object:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return fn(Bucket=self.bucket, **kw)  # type: ignore[operator]
        except (BotoCoreError, ClientError) as e:
            raise BlobError(f"object storage: cannot {what}: {e}") from e

    def put(self, key: str, data: bytes) -> None:
        self._call(f"write {key}", self.client.put_object, Key=self._key(key), Body=data)

    def get(self, key: str) -> bytes:
        obj = self._call(f"read {key}", self.client.get_object, Key=self._key(key))
        return obj["Body"].read()  # type: ignore[index]

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise BlobError(f"object storage: cannot check {key}: {e}") from e

    def delete(self, key: str) -> None:
        self._call(f"delete {key}", self.client.delete_object, Key=self._key(key))

    def ping(self) -> None:
        self._call("reach the bucket", self.client.head_bucket)


def open_blob_store(settings: Settings) -> BlobStore:
    """The store named by `settings.resolved_blob_url` (file://... or s3://bucket/prefix)."""
    url = urlparse(settings.resolved_blob_url)
    if url.scheme == "file":
        return LocalBlobStore(Path(unquote(url.path)))
    if url.scheme == "s3":
        return S3BlobStore(
            url.netloc, url.path, endpoint_url=settings.s3_endpoint_url, region=settings.s3_region
        )
    raise BlobError(f"unsupported blob URL {settings.resolved_blob_url!r}: use file:// or s3://")
