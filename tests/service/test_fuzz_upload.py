"""Property-based fuzzing of the upload layer (bounded runs): zip expansion never
raises, never yields an unsafe name as a document, never reads past its limits; the
multipart endpoint answers every body with 202 or a clear 4xx, never a 500."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.service.conftest import Local
from worker.api import create_app
from worker.db import repo
from worker.dispatch import InlineDispatcher
from worker.ingest import Budget, expand

LIMIT, BUDGET = 3000, 8000
NAMES = st.one_of(
    st.sampled_from(["a.pdf", "../x.pdf", "/abs.pdf", "C:/w.pdf", "d/p1.png", "d/../../e",
                     "__MACOSX/._a", "./b.pdf", "d\\..\\f", "", "d/", "年报.pdf"]),
    st.text(min_size=1, max_size=30),
)
ENTRIES = st.lists(st.tuples(NAMES, st.binary(max_size=4000)), max_size=8)


def make_zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if (name or "x") in seen:  # zipfile warns on duplicate names
                continue
            seen.add(name or "x")
            try:
                z.writestr(name or "x", data)
            except (ValueError, UnicodeEncodeError, IndexError):
                # zipfile itself cannot write some names ("\x00" is cut to "" and
                # then indexed): such an archive cannot be made here, so skip it.
                continue
    return buf.getvalue()


def check(uploads: list[object]) -> None:
    budget_used = 0
    for u in uploads:
        assert hasattr(u, "filename")
        if u.error_code is not None:  # type: ignore[attr-defined]
            assert u.error_message  # type: ignore[attr-defined]
            continue
        name = u.filename  # type: ignore[attr-defined]
        assert ".." not in name.replace("\\", "/").split("/") and not name.startswith("/")
        assert u.size <= LIMIT  # type: ignore[attr-defined]
        budget_used += u.size  # type: ignore[attr-defined]
    assert budget_used <= BUDGET


@settings(max_examples=150, deadline=None)
@given(ENTRIES, st.integers(min_value=0, max_value=64), st.binary(max_size=16))
def test_zip_expansion_never_raises(entries: list[tuple[str, bytes]], cut: int,
                                    noise: bytes) -> None:
    data = make_zip(entries)
    for variant in (data, data[: max(0, len(data) - cut)], data[:cut] + noise + data[cut:]):
        check(list(expand("u.zip", variant, max_document_bytes=LIMIT, max_entries=6,
                          budget=Budget(BUDGET))))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_documents_or_errors(data: bytes) -> None:
    for name in ("a.zip", "a.pdf"):
        check(list(expand(name, b"PK\x03\x04" + data, max_document_bytes=LIMIT,
                          max_entries=6, budget=Budget(BUDGET))))


@pytest.fixture
def api(local: Local) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with local.db.session() as s:
        _, clear = repo.create_token(s, "acme")
    app = create_app(local.settings, dispatcher=InlineDispatcher(local.processor, lambda _: 0))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, {"Authorization": f"Bearer {clear}"}


PARTS = st.lists(st.sampled_from([
    b"--B\r\n", b'Content-Disposition: form-data; name="files"; filename="a.pdf"\r\n',
    b'Content-Disposition: form-data; name="files"\r\n', b"Content-Type: application/pdf\r\n",
    b"\r\n", b"FAKE:ok", b"--B--\r\n", b"--B", b"\r\n\r\n", b'filename="../../x"',
    b"\xff\xfe", b"Content-Disposition: attachment\r\n",
]), max_size=14)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(PARTS, st.sampled_from(["multipart/form-data; boundary=B", "multipart/form-data",
                               "multipart/form-data; boundary=", "text/plain"]))
def test_multipart_never_500(api: tuple[TestClient, dict[str, str]], parts: list[bytes],
                             content_type: str) -> None:
    client, headers = api
    r = client.post("/v1/batches", content=b"".join(parts),
                    headers={**headers, "Content-Type": content_type})
    assert r.status_code in (202, 400, 413, 422), (r.status_code, r.text)
    if r.status_code != 202:
        assert r.json()["error"]["message"]
    assert "Traceback" not in r.text
