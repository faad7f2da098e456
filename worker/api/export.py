"""A batch's results as JSON Lines, CSV (one row per document, one column per
contract path) or a zip of JSON files. Rows are read and written one at a time."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import select

from schemas import FORMATS, get_path, number_paths
from worker.db.models import Document, ResultRecord
from worker.db.session import Database

META_COLUMNS = ("document_id", "filename", "sha256", "status", "error_code",
                "validation_status", "issuer", "year", "format")


def contract_columns() -> list[str]:
    """Every number path of both formats, in document order, each once."""
    return list(dict.fromkeys(p for fmt in FORMATS for p in number_paths(fmt)))


def _rows(db: Database, batch_id: str) -> Iterator[tuple[Document, dict[str, Any] | None]]:
    with db.session() as s:
        q = (
            select(Document, ResultRecord.data)
            .outerjoin(ResultRecord, ResultRecord.document_id == Document.id)
            .where(Document.batch_id == batch_id)
            .order_by(Document.position)
            .execution_options(yield_per=50)
        )
        yield from ((doc, data) for doc, data in s.execute(q))  # Row unpacks like a tuple


def jsonl(db: Database, batch_id: str) -> Iterator[bytes]:
    for doc, result in _rows(db, batch_id):
        line = {"id": doc.id, "filename": doc.filename, "status": doc.status,
                "error": {"code": doc.error_code, "message": doc.error_message}
                if doc.error_code else None,
                "result": result}
        yield json.dumps(line, ensure_ascii=False).encode() + b"\n"


def _csv_value(v: Any) -> Any:
    return "" if v is None else v


def csv_rows(db: Database, batch_id: str) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    paths = contract_columns()

    def flush() -> bytes:
        out = buf.getvalue().encode()
        buf.seek(0)
        buf.truncate()
        return out

    buf.write("\ufeff")  # so spreadsheet programs read the Chinese text as UTF-8
    writer.writerow([*META_COLUMNS, *paths])
    yield flush()
    for doc, result in _rows(db, batch_id):
        report = (result or {}).get("report") or {}
        validation = (result or {}).get("validation") or {}
        meta = [doc.id, doc.filename, doc.sha256, doc.status, doc.error_code,
                validation.get("status"), report.get("issuer"), report.get("year"),
                report.get("format")]
        own = set(number_paths(report["format"])) if report.get("format") in FORMATS else set()
        # Only the document's own format: a 2019 object at a 2021 scalar path is not a value.
        values = [get_path(result, p) if p in own else None for p in paths]
        writer.writerow([_csv_value(v) for v in (*meta, *values)])
        yield flush()


_UNSAFE = re.compile(r"[^\w.\-]+")


def zip_file(db: Database, batch_id: str) -> IO[bytes]:
    """A zip of `<position>-<filename>.json` per document with a result (spooled to disk)."""
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as z:
        for doc, result in _rows(db, batch_id):
            if result is None:
                continue
            stem = _UNSAFE.sub("_", doc.filename.rsplit(".", 1)[0])[:80] or "document"
            name = f"{doc.position + 1:04d}-{stem}.json"
            z.writestr(name, json.dumps(result, ensure_ascii=False, indent=1))
    spool.seek(0)
    return spool


def iter_file(f: IO[bytes], chunk: int = 1 << 16) -> Iterator[bytes]:
    with f:
        while block := f.read(chunk):
            yield block
