"""A watched inbox folder: queue-driven ingestion without HTTP.

Files (or folders of page images) dropped in DIR are taken once their size and
modification time stop changing between two scans. Each is moved to
DIR/.processing/ and queued; when its document finishes, it moves to DIR/done/
(with NAME.json, the result) or DIR/failed/ (with NAME.error.txt). The document id
sits next to the file in .processing/, so a restarted watcher picks up where the
last one stopped.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from worker import errors
from worker.batches import create_batch, submit
from worker.blobs import BlobStore
from worker.db import repo
from worker.db.models import DONE, TERMINAL
from worker.db.session import Database
from worker.dispatch import Dispatcher
from worker.ingest import Budget, from_path
from worker.settings import Settings

log = logging.getLogger("nianbao.watch")

PROCESSING, DONE_DIR, FAILED_DIR = ".processing", "done", "failed"
ID_SUFFIX = ".nianbao-id"
RESERVED = {PROCESSING, DONE_DIR, FAILED_DIR}


def _signature(path: Path) -> tuple[int, float]:
    if path.is_dir():
        files = [f.stat() for f in path.rglob("*") if f.is_file()]
        return sum(s.st_size for s in files), max((s.st_mtime for s in files), default=0.0)
    st = path.stat()
    return st.st_size, st.st_mtime


def _unique(target: Path) -> Path:
    n, candidate = 1, target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
        n += 1
    return candidate


@dataclass
class Inbox:
    root: Path
    settings: Settings
    db: Database
    blobs: BlobStore
    dispatcher: Dispatcher
    tenant_id: str
    seen: dict[Path, tuple[int, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in RESERVED:
            (self.root / name).mkdir(parents=True, exist_ok=True)

    def scan(self) -> list[Path]:
        """Entries that did not change since the last scan (taken now)."""
        stable: list[Path] = []
        current: dict[Path, tuple[int, float]] = {}
        for entry in sorted(self.root.iterdir()):
            if entry.name in RESERVED or entry.name.startswith("."):
                continue
            try:
                sig = _signature(entry)
            except OSError:
                continue  # vanished or unreadable mid-scan: next time
            if self.seen.get(entry) == sig:
                stable.append(entry)
            else:
                current[entry] = sig
        self.seen = current
        return stable

    def take(self, entries: list[Path]) -> list[str]:
        """Move stable entries to .processing/ and queue each as a batch; the batch ids."""
        batches = []
        for entry in entries:
            path = self._move(entry, self.root / PROCESSING)
            uploads = from_path(path, max_document_bytes=self.settings.max_document_bytes,
                                max_entries=self.settings.max_zip_entries,
                                budget=Budget(self.settings.max_batch_bytes))
            try:
                created = create_batch(self.db, self.blobs, self.tenant_id, uploads,
                                       source="watch", max_documents=10**6)
            except errors.BadRequest as e:
                target = self._move(path, self.root / FAILED_DIR)
                target.with_name(target.name + ".error.txt").write_text(e.message + "\n")
                continue
            # The marker first: a watcher restarted now still knows the documents.
            marker = path.with_name(path.name + ID_SUFFIX)
            marker.write_text("\n".join(doc_id for doc_id, _, _ in created.documents))
            submit(self.db, self.dispatcher, created.queued)
            log.info("%s: queued %d documents", path.name, len(created.documents))
            batches.append(created.batch_id)
        return batches

    def recover(self) -> list[Path]:
        """Put back in the inbox what a crashed watcher moved to .processing/ without
        recording its documents (it is taken again on the next scans)."""
        back = []
        processing = self.root / PROCESSING
        for entry in sorted(processing.iterdir()):
            if entry.name.endswith(ID_SUFFIX) or entry.name.startswith("."):
                continue
            if not entry.with_name(entry.name + ID_SUFFIX).exists():
                log.warning("%s was left in %s by a stopped watcher; taking it again",
                            entry.name, PROCESSING)
                back.append(self._move(entry, self.root))
        return back

    def settle(self) -> int:
        """Move entries whose documents all finished to done/ or failed/."""
        finished = 0
        for marker in sorted((self.root / PROCESSING).glob("*" + ID_SUFFIX)):
            entry = marker.with_name(marker.name[: -len(ID_SUFFIX)])
            ids = [i for i in marker.read_text().split() if i]
            with self.db.session() as s:
                docs = [repo.get_document(s, self.tenant_id, i) for i in ids]
                if any(d is None or d.status not in TERMINAL for d in docs):
                    continue
                results = {d.id: repo.get_result(s, d.id) for d in docs if d is not None}
            ok = all(d is not None and d.status == DONE for d in docs)
            target = self._move(entry, self.root / (DONE_DIR if ok else FAILED_DIR))
            if ok:
                out = [results[d.id] for d in docs if d is not None]
                target.with_name(target.name + ".json").write_text(
                    json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=1)
                )
            else:
                lines = [f"{d.filename}: {d.status} {d.error_code or ''} {d.error_message or ''}"
                         for d in docs if d is not None]
                target.with_name(target.name + ".error.txt").write_text("\n".join(lines) + "\n")
            marker.unlink()
            finished += 1
        return finished

    def _move(self, entry: Path, folder: Path) -> Path:
        target = _unique(folder / entry.name)
        shutil.move(str(entry), target)
        return target

    def run(self, interval: float, *, once: bool = False) -> None:
        """Scan every `interval` seconds (an entry is taken on the scan after it stops
        changing). `once`: stop when nothing is left to take or settle."""
        self.recover()
        while True:
            self.take(self.scan())
            self.settle()
            if once and not self.seen and not any((self.root / PROCESSING).glob("*" + ID_SUFFIX)):
                return
            time.sleep(interval)
