"""Zip expansion with safe names, page folders, and the watched inbox."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from tests.service.conftest import Local
from worker.dispatch import InlineDispatcher
from worker.ingest import Upload, expand, from_path, unpack
from worker.watch import Inbox

LIMITS = {"max_document_bytes": 1000, "max_entries": 50}


def make_zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


def test_plain_file_is_one_document() -> None:
    [u] = expand("a.pdf", b"%PDF", **LIMITS)
    assert (u.filename, u.kind, u.data, u.error_code) == ("a.pdf", "file", b"%PDF", None)


def test_zip_files_and_folders() -> None:
    data = make_zip([
        ("a.pdf", b"A"), ("scan/p2.png", b"P2"), ("scan/p1.png", b"P1"),
        ("__MACOSX/._a.pdf", b"junk"), ("scan/.DS_Store", b"junk"), ("b.pdf", b"B"),
    ])
    uploads = {u.filename: u for u in expand("batch.zip", data, **LIMITS)}
    assert set(uploads) == {"a.pdf", "b.pdf", "scan"}
    scan = uploads["scan"]
    assert scan.kind == "pages" and [n for n, _ in scan.pages] == ["p1.png", "p2.png"]
    assert scan.sha256 == hashlib.sha256(b"P1P2").hexdigest()  # what extract() hashes
    key, blob = scan.blob()
    assert key == f"pages/{scan.sha256}.zip"
    assert unpack("pages", blob) == scan.pages
    assert scan.blob() == (key, blob)  # deterministic: same key, same bytes


@pytest.mark.parametrize("name", ["../evil.pdf", "/etc/passwd", "a/../../evil.pdf", "C:/x.pdf",
                                  "..\\evil.pdf"])
def test_unsafe_entries_fail_without_touching_disk(name: str, tmp_path: Path) -> None:
    [u] = expand("x.zip", make_zip([(name, b"x")]), **LIMITS)
    assert u.error_code == "unsafe_entry" and u.data is None


def test_symlink_entry_is_refused() -> None:
    info = zipfile.ZipInfo("link.pdf")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    [u] = expand("x.zip", make_zip([(info, b"/etc/passwd")]), **LIMITS)
    assert u.error_code == "unsafe_entry"


def test_gbk_names_without_the_utf8_flag() -> None:
    name = "邢庄镇2023年报.pdf"
    gbk = name.encode("gbk")
    placeholder = b"q" * len(gbk)
    # What Windows' zip writes: GBK bytes, no UTF-8 flag. Python would set the flag, so
    # write an ASCII name of the same length and patch the bytes in.
    raw = make_zip([(placeholder.decode(), b"%PDF")]).replace(placeholder, gbk)
    [u] = expand("x.zip", raw, **LIMITS)
    assert u.filename == name


def test_corrupt_zip_and_large_entries() -> None:
    [u] = expand("x.zip", b"PK\x03\x04 not really", **LIMITS)
    assert u.error_code == "corrupt"
    [u] = expand("x.zip", make_zip([("big.pdf", b"0" * 5000)]), **LIMITS)
    assert u.error_code == "too_large"
    [u] = expand("big.pdf", b"0" * 5000, **LIMITS)
    assert u.error_code == "too_large"
    many = make_zip([(f"{i}.pdf", b"x") for i in range(60)])
    [u] = expand("x.zip", many, **LIMITS)
    assert u.error_code == "too_large" and "entries" in (u.error_message or "")


def test_folder_on_disk_is_one_document(tmp_path: Path) -> None:
    (tmp_path / "doc").mkdir()
    (tmp_path / "doc" / "2.png").write_bytes(b"2")
    (tmp_path / "doc" / "1.png").write_bytes(b"1")
    [u] = from_path(tmp_path / "doc", **LIMITS)
    assert u.pages == [("1.png", b"1"), ("2.png", b"2")]
    (tmp_path / "nothing").mkdir()
    [u] = from_path(tmp_path / "nothing", **LIMITS)
    assert u.error_code == "empty"


def test_upload_sha_matches_bytes() -> None:
    assert Upload("a", data=b"abc").sha256 == hashlib.sha256(b"abc").hexdigest()


def test_watched_inbox(local: Local, tmp_path: Path) -> None:
    inbox_dir = tmp_path / "inbox"
    queue = InlineDispatcher(local.processor, sleep=lambda _: None)
    inbox = Inbox(inbox_dir, local.settings, local.db, local.blobs, queue, local.tenant())
    (inbox_dir / "good.pdf").write_bytes(b"FAKE:ok")
    (inbox_dir / "bad.pdf").write_bytes(b"FAKE:crash")
    (inbox_dir / "pages").mkdir()
    (inbox_dir / "pages" / "1.png").write_bytes(b"FAKE:ok-pages")
    assert inbox.scan() == []  # first sight: not yet known to be stable
    growing = inbox_dir / "growing.pdf"
    growing.write_bytes(b"FAKE:")
    stable = inbox.scan()
    assert [p.name for p in stable] == ["bad.pdf", "good.pdf", "pages"]
    with growing.open("ab") as f:
        f.write(b"ok and more")
    assert len(inbox.take(stable)) == 3
    assert inbox.settle() == 3
    assert (inbox_dir / "done" / "good.pdf").exists()
    result = json.loads((inbox_dir / "done" / "good.pdf.json").read_text())
    assert result["document"]["filename"] == "good.pdf"
    assert (inbox_dir / "done" / "pages" / "1.png").exists()
    assert (inbox_dir / "failed" / "bad.pdf").exists()
    assert "internal" in (inbox_dir / "failed" / "bad.pdf.error.txt").read_text()
    assert growing.exists()
    assert inbox.scan() == []  # it changed since the last scan: left alone
    assert [p.name for p in inbox.scan()] == ["growing.pdf"]  # stopped growing
    assert not list((inbox_dir / ".processing").iterdir())


def test_inbox_takes_back_what_a_crashed_watcher_left(local: Local, tmp_path: Path) -> None:
    inbox_dir = tmp_path / "inbox"
    queue = InlineDispatcher(local.processor, sleep=lambda _: None)
    inbox = Inbox(inbox_dir, local.settings, local.db, local.blobs, queue, local.tenant())
    # Moved to .processing/ by a watcher killed before it wrote the id file.
    (inbox_dir / ".processing" / "orphan.pdf").write_bytes(b"FAKE:ok")
    assert [p.name for p in inbox.recover()] == ["orphan.pdf"]
    inbox.scan()
    assert len(inbox.take(inbox.scan())) == 1 and inbox.settle() == 1
    assert (inbox_dir / "done" / "orphan.pdf.json").exists()
