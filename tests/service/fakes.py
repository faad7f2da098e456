"""A fault-injecting stand-in for `extractors.extract`, selected with
NIANBAO_EXTRACTOR=tests.service.fakes:extract. The document's bytes say what to do:

    FAKE:ok               a valid 2021-format result
    FAKE:engine-error:N   raise EngineError on the first N attempts (per process)
    FAKE:crash            raise an unexpected exception (a bug)
    FAKE:invalid          return a result that breaks the schema
    FAKE:sleep:S          sleep S seconds, then ok
    FAKE:hang             ignore Celery's soft time limit (SIGUSR1) and sleep: only the
                          hard limit stops it, by killing the process
    FAKE:die              SIGKILL the process running it (a segfault, the OOM killer)
    anything else         the real pipeline
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
from collections import Counter
from typing import Any

from extractors import ExtractOptions, Source
from extractors import extract as real_extract
from extractors.errors import EngineError
from schemas import unflatten

ATTEMPTS: Counter[str] = Counter()
SECRET = "SECRET-TRACEBACK-DETAIL"


def ok_result(sha: str, filename: str) -> dict[str, Any]:
    numbers = {"applications.new_received.total": 7, "applications.results.total.total": 7,
               "reviews_and_litigation.administrative_review.total": 1}
    return {
        "document": {"id": sha, "filename": filename, "pages": 1, "kind": "digital"},
        "report": {"issuer": "测试镇人民政府", "year": 2023, "format": "2021"},
        **unflatten(numbers),
        "validation": {"status": "valid", "findings": []},
    }


def extract(source: Source, filename: str, options: ExtractOptions | None = None) -> Any:
    data = source if isinstance(source, bytes) else b"".join(b for _, b in source)
    if not data.startswith(b"FAKE:"):
        return real_extract(source, filename, options)
    sha = hashlib.sha256(data).hexdigest()
    command = data[5:].decode().strip().split(":")
    ATTEMPTS[sha] += 1
    if command[0] == "engine-error" and ATTEMPTS[sha] <= int(command[1]):
        raise EngineError("the OCR engine ran out of memory", hint="try again")
    if command[0] == "crash":
        raise RuntimeError(SECRET)
    if command[0] == "invalid":
        bad = ok_result(sha, filename)
        bad["validation"] = {"status": "valid", "findings": [
            {"code": "balance", "severity": "error", "message": "x"}]}
        return bad
    if command[0] == "hang":
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
        time.sleep(3600)
    if command[0] == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if command[0] == "sleep":
        time.sleep(float(command[1]))
    return ok_result(sha, filename)
