"""From uploaded bytes to documents: zip expansion with safe names, page folders.

A zip upload (known by its content, not its name) is expanded: each top-level
file is one document, each top-level folder is one document made of the page
images inside it (sorted by name). Unsafe entries (absolute paths, `..`, links),
entries over the per-document limit, and whatever comes after the upload's
unzipped total passes its limit (a zip bomb) become documents that fail with a
clear error, never files on disk. Everything is yielded one document at a time,
and no entry is inflated past its limit, to bound memory and time.
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from extractors import Source

IGNORED_PARTS = {"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini"}
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# Zips that are documents themselves (Office, OpenDocument): passed on whole, not expanded.
DOCUMENT_ZIP_MARKERS = ("[Content_Types].xml", "mimetype", "META-INF/manifest.xml")


class Budget:
    """Bytes an upload may still unzip to (NIANBAO_MAX_BATCH_BYTES)."""

    def __init__(self, limit: int) -> None:
        self.limit = self.left = limit

    def take(self, n: int) -> bool:
        if n > self.left:
            self.left = 0
            return False
        self.left -= n
        return True

    def message(self) -> str:
        return (f"The upload unzips to more than {self.limit} bytes (NIANBAO_MAX_BATCH_BYTES); "
                "this document was not read. Split the upload.")


@dataclass
class Upload:
    """One document to be: a file's bytes, or a folder's pages; or why it cannot be."""

    filename: str
    data: bytes | None = None
    pages: list[tuple[str, bytes]] = field(default_factory=list)
    error_code: str | None = None
    error_message: str | None = None

    @property
    def kind(self) -> str:
        return "pages" if self.data is None and self.pages else "file"

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else sum(len(b) for _, b in self.pages)

    @property
    def sha256(self) -> str:
        # Same bytes extract() hashes for result.document.id.
        h = hashlib.sha256()
        if self.data is not None:
            h.update(self.data)
        else:
            for _, b in self.pages:
                h.update(b)
        return h.hexdigest()

    def blob(self) -> tuple[str, bytes]:
        """(blob key, bytes to store): the file itself, or the pages packed in a zip."""
        if self.data is not None:
            return f"sha256/{self.sha256}", self.data
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            for name, data in self.pages:
                z.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), data)
        return f"pages/{self.sha256}.zip", buf.getvalue()


def failed(filename: str, code: str, message: str) -> Upload:
    return Upload(filename, error_code=code, error_message=message)


def unpack(kind: str, blob: bytes) -> Source:
    """The pipeline's source for a stored blob (inverse of `Upload.blob`)."""
    if kind != "pages":
        return blob
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return [(info.filename, z.read(info)) for info in z.infolist()]


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name; archives made on Chinese Windows store GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _safe_parts(name: str) -> tuple[str, ...] | None:
    name = name.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or (name[1:2] == ":"):
        return None
    parts = tuple(p for p in path.parts if p not in ("", "."))
    if not parts or ".." in parts:
        return None
    return parts


def _ignored(parts: Sequence[str]) -> bool:
    return any(p in IGNORED_PARTS or p.startswith("._") for p in parts)


def _open_zip(data: bytes) -> zipfile.ZipFile | None:
    """The archive when `data` is a zip of documents; None for any other file (an Office
    file is a zip too, and goes to the pipeline whole)."""
    if data[:4] not in ZIP_MAGIC:
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if names & set(DOCUMENT_ZIP_MARKERS):
        archive.close()
        return None
    return archive


def expand(
    filename: str, data: bytes, *, max_document_bytes: int, max_entries: int,
    budget: Budget | None = None,
) -> Iterator[Upload]:
    """The documents in one upload: itself, or the entries of a zip (by content: a zip
    named .pdf is expanded, a PDF named .zip is a PDF)."""
    budget = budget or Budget(1 << 62)
    archive = _open_zip(data)
    if archive is None:
        if filename.lower().endswith(".zip") and data[:4] in ZIP_MAGIC:
            yield failed(filename, "corrupt", "The zip archive could not be read; upload "
                         "it again.")
        elif len(data) > max_document_bytes:
            yield failed(filename, "too_large", _too_large(len(data), max_document_bytes))
        elif not budget.take(len(data)):
            yield failed(filename, "too_large", budget.message())
        else:
            yield Upload(filename, data=data)
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > max_entries:
            yield failed(filename, "too_large", f"The zip has {len(infos)} entries; the limit "
                         f"is {max_entries}. Split it into several uploads.")
            return
        yield from _expand_zip(archive, infos, max_document_bytes, budget)


def _too_large(size: int, limit: int) -> str:
    return f"The document is {size} bytes; the limit is {limit}. Split or compress it."


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as f:
        data = f.read(limit + 1)  # the header's size may lie: never read past the limit
    if len(data) > limit:
        raise OverflowError
    return data


def _expand_zip(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limit: int, budget: Budget
) -> Iterator[Upload]:
    folders: dict[str, list[zipfile.ZipInfo]] = {}
    for info in infos:
        name = entry_name(info)
        parts = _safe_parts(name)
        if parts is None:
            yield failed(name, "unsafe_entry", "This zip entry's path points outside the "
                         "archive (absolute or '..'); it was skipped.")
            continue
        if info.is_dir() or _ignored(parts):
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            yield failed(name, "unsafe_entry", "Symbolic links in a zip are not followed.")
            continue
        if len(parts) == 1:
            yield _file_entry(archive, info, parts[0], limit, budget)
        else:
            folders.setdefault(parts[0], []).append(info)
    for folder, members in folders.items():
        yield _folder_entry(archive, folder, members, limit, budget)


def _file_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int, budget: Budget
) -> Upload:
    if info.file_size > limit:
        return failed(name, "too_large", _too_large(info.file_size, limit))
    if budget.left <= 0:
        return failed(name, "too_large", budget.message())
    try:
        data = _read(archive, info, min(limit, budget.left))
    except OverflowError:  # the entry inflates past what its header said (a bomb)
        if budget.left < limit:
            budget.left = 0
            return failed(name, "too_large", budget.message())
        return failed(name, "too_large", f"This zip entry unzips to more than {limit} bytes "
                      f"(its header says {info.file_size}); the limit is {limit} "
                      "(NIANBAO_MAX_DOCUMENT_BYTES).")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return failed(name, "corrupt", "This zip entry is damaged (CRC or compression error).")
    except NotImplementedError:
        return failed(name, "unsupported_type", "This zip entry uses an unsupported "
                      "compression method or encryption; re-zip it with deflate.")
    budget.take(len(data))
    return Upload(name, data=data)


def _folder_entry(
    archive: zipfile.ZipFile, folder: str, members: list[zipfile.ZipInfo], limit: int,
    budget: Budget,
) -> Upload:
    pages: list[tuple[str, bytes]] = []
    total = 0
    for info in members:
        name = entry_name(info).replace("\\", "/").split("/", 1)[1]
        page = _file_entry(archive, info, name, limit - total, budget)
        if page.data is None:
            return failed(folder, page.error_code or "corrupt", f"{name}: {page.error_message}")
        total += len(page.data)
        pages.append((name, page.data))
    pages.sort(key=lambda p: p[0])
    return Upload(folder, pages=pages)


def from_path(
    path: Path, *, max_document_bytes: int, max_entries: int, budget: Budget | None = None
) -> Iterator[Upload]:
    """The documents at a local path: a file, a zip, or a folder of page images."""
    if path.is_dir():
        files = sorted(f for f in path.rglob("*") if f.is_file() and not _ignored(f.parts))
        pages = [(f.relative_to(path).as_posix(), f.read_bytes()) for f in files]
        total = sum(len(b) for _, b in pages)
        if total > max_document_bytes:
            yield failed(path.name, "too_large", _too_large(total, max_document_bytes))
        elif not pages:
            yield failed(path.name, "empty", "The folder holds no page images.")
        else:
            yield Upload(path.name, pages=pages)
        return
    yield from expand(
        path.name, path.read_bytes(), max_document_bytes=max_document_bytes,
        max_entries=max_entries, budget=budget,
    )
