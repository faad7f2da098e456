"""Hostile and broken uploads through the HTTP API of the real service (Celery, Redis,
PostgreSQL, the real pipeline): each gets a clear per-document error, the good
documents of the same batch finish, and no answer shows a path or a traceback."""

from __future__ import annotations

import io
import os
import socket
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability.conftest import Rig
from tests.service.servers import REPO

pytestmark = pytest.mark.slow

GOOD = REPO / "samples" / "digital" / "xingzhuang-2023.pdf"
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
LEAKS = ("Traceback", "/tmp/", "/work/", "site-packages", "psycopg", "sqlalchemy", "redis://")


def assert_clean(r: httpx.Response) -> None:
    for leak in LEAKS:
        assert leak not in r.text, (leak, r.text[:500])


def text_pdf(text: str, **canvas_kw: Any) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("zh", FONT, subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, **canvas_kw)
    c.setFont("zh", 12)
    c.drawString(72, 780, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def many_pages(n: int) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(n):
        doc.new_page(595, 842)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A PNG header declaring width x height pixels, with almost no data behind it."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def zip_of(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


# filename -> (bytes, the error codes that describe it); the rig's limits: 4 MiB per
# document, 10 MiB unzipped per upload, 50 pages.
HOSTILE: dict[str, tuple[bytes, set[str]]] = {}


def hostile() -> dict[str, tuple[bytes, set[str]]]:
    if HOSTILE:
        return HOSTILE
    good = GOOD.read_bytes()
    HOSTILE.update({
        "empty.pdf": (b"", {"empty"}),
        "truncated.pdf": (good[: len(good) // 3], {"corrupt"}),
        "corrupt.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 40, {"corrupt"}),
        "encrypted.pdf": (text_pdf("机密", encrypt="secret"), {"encrypted"}),
        "thousands-of-pages.pdf": (many_pages(3000), {"too_large"}),
        "bomb-30000x30000.png": (png_bomb(30000, 30000), {"too_large"}),
        "minutes.pdf": (text_pdf("会议纪要：本次会议讨论了下一年度的预算安排。"), {"not_a_report"}),
        "text-named.pdf": ("这不是PDF，只是文字。".encode(), {"unsupported_type"}),
        "too-big.pdf": (b"%PDF-1.7\n" + b"0" * (5 * 2**20), {"too_large"}),
    })
    return HOSTILE


def zip_bomb() -> bytes:
    """Entries that inflate far past the limits: one 64 MiB run of zeros (the header
    says so), then five of 3 MiB each (under the per-document limit, over the upload's
    unzipped total together), and a nested zip."""
    zeros = zip_of([("bomb.pdf", b"\0" * (64 * 2**20))])
    entries = [(f"part-{i}.pdf", b"\0" * (3 * 2**20)) for i in range(5)]
    return zip_of([("bomb.pdf", b"\0" * (64 * 2**20)), *entries, ("nested.zip", zeros)])


def test_hostile_files_fail_one_by_one_and_the_batch_goes_on(rig: Rig) -> None:
    files = [(name, data) for name, (data, _) in hostile().items()]
    files += [("real-report.jpg", GOOD.read_bytes()),  # the extension lies: sniffed
              ("report.zip", GOOD.read_bytes())]  # a PDF named .zip is a PDF
    batch = rig.upload(files)
    done = rig.client().wait(batch["batch_id"], timeout=120)
    by_name = {d["filename"]: d for d in done["documents"]}
    client = rig.client()
    for name, (_, codes) in hostile().items():
        doc = by_name[name]
        assert doc["status"] == "failed", doc
        assert doc["error"]["code"] in codes, doc
        r = client.get(f"/v1/documents/{doc['id']}/result")
        assert r.status_code in (413, 415, 422), r.text
        assert r.json()["error"]["message"]
        assert_clean(r)
    for name in ("real-report.jpg", "report.zip"):
        assert by_name[name]["status"] == "done", by_name[name]


def test_zip_bomb_and_unsafe_entries(rig: Rig) -> None:
    good = GOOD.read_bytes()
    archive = zip_of([("../escape.pdf", good), ("/etc/passwd", b"root"),
                      ("C:/windows/win.ini", b"x"), ("ok.pdf", good)])
    bomb = zip_bomb()
    assert len(bomb) < 2 * 2**20  # small on the wire
    batch = rig.upload([("entries.zip", archive), ("zip-named.pdf", zip_of([("inner.pdf", good)])),
                        ("bomb.zip", bomb), ("after.pdf", good)])
    done = rig.client().wait(batch["batch_id"], timeout=120)
    by_name = {d["filename"]: d for d in done["documents"]}
    for name in ("../escape.pdf", "/etc/passwd", "C:/windows/win.ini"):
        assert by_name[name]["error"]["code"] == "unsafe_entry", by_name[name]
    assert by_name["ok.pdf"]["status"] == "done"
    assert by_name["inner.pdf"]["status"] == "done"  # a zip is known by its content
    assert by_name["bomb.pdf"]["error"]["code"] == "too_large"
    parts = [by_name[f"part-{i}.pdf"] for i in range(5)]
    budget = [p for p in parts if "NIANBAO_MAX_BATCH_BYTES" in (p.get("error") or {}).get(
        "message", "")]
    assert budget, parts  # the upload's unzipped total stopped the bomb
    assert by_name["nested.zip"]["status"] == "failed"  # never expanded twice
    # Past the upload's unzipped total, nothing more is read.
    assert "NIANBAO_MAX_BATCH_BYTES" in by_name["after.pdf"]["error"]["message"]
    assert not any(Path(p).exists() for p in ("/escape.pdf", "/tmp/escape.pdf"))


@pytest.mark.parametrize("headers,body", [
    ({"Content-Type": "multipart/form-data; boundary=xyz"}, b"--xyz\r\nContent-Disp"),
    ({"Content-Type": "multipart/form-data"}, b"--\r\n\r\n"),
    ({"Content-Type": "multipart/form-data; boundary=xyz"},
     b'--xyz\r\nContent-Disposition: form-data; name="other"; filename="a.pdf"\r\n\r\n'
     b"x\r\n--xyz--\r\n"),
    ({"Content-Type": "application/json"}, b'{"files": "a.pdf"}'),
    ({"Content-Type": "multipart/form-data; boundary=xyz"}, os.urandom(4096)),
], ids=["cut", "no-boundary", "wrong-field", "json", "noise"])
def test_malformed_requests_get_a_clear_4xx(rig: Rig, headers: dict[str, str],
                                            body: bytes) -> None:
    r = httpx.post(rig.url + "/v1/batches", content=body, timeout=30,
                   headers={**headers, "Authorization": f"Bearer {rig.token}"})
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    error = r.json()["error"]
    assert error["code"] in ("bad_request", "invalid_request") and error["message"]
    assert_clean(r)


def test_upload_over_the_request_limit_is_413(rig: Rig) -> None:
    # NIANBAO_MAX_UPLOAD_BYTES is 512 MiB by default: a declared length over it is
    # refused before a byte of the body is read (a raw socket: clients refuse to lie).
    host, port = rig.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"POST /v1/batches HTTP/1.1\r\nHost: {host}\r\n"
                     f"Authorization: Bearer {rig.token}\r\n"
                     "Content-Type: multipart/form-data; boundary=x\r\n"
                     f"Content-Length: {2**30}\r\n\r\n".encode())
        # The headers and the body may come in separate segments: read until the
        # error body has arrived or the server closes.
        received = b""
        while b"upload_too_large" not in received:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            received += chunk
        answer = received.decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413"), answer
    assert '"upload_too_large"' in answer
