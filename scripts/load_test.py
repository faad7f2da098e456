"""Load test of the service on this machine: N documents over HTTP, 2 Celery workers.

Starts its own redis-server, PostgreSQL, `nianbao worker --concurrency W` and
`nianbao serve` (the helpers of tests/service/servers.py), uploads N copies of the
digital samples (each with one byte changed after %%EOF, so hashes differ and no
result is reused), polls status while they run, and prints:

    documents: done/failed/lost/duplicated results
    status-call latency under load: p50/p95/p99 (ms)
    throughput (documents/s)
    worker memory: RSS of the Celery pool children at start, peak, end (MiB)

Exit status 1 when a document is lost or has more than one result.

    .venv/bin/python scripts/load_test.py --documents 300 --workers 2
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from tests.service.servers import Postgres, Process, Redis, nianbao, service_env, wait_for  # noqa: E402
from tests.service.stack import serve, token  # noqa: E402
from worker.db.models import Document, ResultRecord  # noqa: E402
from worker.db.session import Database  # noqa: E402


def documents(n: int) -> list[tuple[str, bytes]]:
    pdfs = sorted((REPO / "samples" / "digital").glob("*.pdf"))
    out = []
    for i in range(n):
        pdf = pdfs[i % len(pdfs)]
        out.append((f"{i:04d}-{pdf.name}", pdf.read_bytes() + f"\n% load {i}\n".encode()))
    return out


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def pool_children(parent: int) -> list[int]:
    """Processes of the worker's process group other than the parent (the pool)."""
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, pgid = int(stat.parent.name), int(fields[2])
        if pgid == parent and pid != parent:
            kids.append(pid)
    return kids


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--documents", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--per-upload", type=int, default=50, help="documents per POST")
    ap.add_argument("--pollers", type=int, default=4, help="threads calling status routes")
    ap.add_argument("--max-tasks-per-child", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="nianbao-load-"))
    redis, postgres = Redis(root), Postgres()
    env = service_env({
        "NIANBAO_DATABASE_URL": postgres.url, "NIANBAO_BROKER_URL": redis.url,
        "NIANBAO_DATA_DIR": str(root / "data"), "NIANBAO_BLOB_URL": (root / "blobs").as_uri(),
        "NIANBAO_MAX_TASKS_PER_CHILD": str(args.max_tasks_per_child),
    })
    processes: list[Process] = []
    db = Database(postgres.url)
    try:
        assert nianbao(["migrate"], env).returncode == 0
        worker = Process(["worker", "--concurrency", str(args.workers)], env, root / "worker.log")
        processes.append(worker)
        wait_for(lambda: "ready." in worker.output(), 60, "celery worker")
        url, api = serve(env, root / "serve.log")
        processes.append(api)
        headers = {"Authorization": f"Bearer {token(env, 'load')}"}
        http = httpx.Client(base_url=url, headers=headers, timeout=60)

        memory: list[tuple[float, float, float]] = []  # (t, sum of children, max child)
        latencies: list[float] = []
        stop = threading.Event()
        batches: list[str] = []
        doc_ids: list[str] = []

        def sample_memory() -> None:
            while not stop.is_set():
                rss = [rss_mib(p) for p in pool_children(worker.proc.pid)]
                memory.append((time.monotonic(), sum(rss), max(rss, default=0.0)))
                stop.wait(1.0)

        def poll(k: int) -> None:
            with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
                i = k
                while not stop.is_set():
                    if not batches:
                        time.sleep(0.1)
                        continue
                    path = (f"/v1/batches/{batches[i % len(batches)]}" if i % 2 else
                            f"/v1/documents/{doc_ids[i % len(doc_ids)]}")
                    t = time.perf_counter()
                    r = client.get(path)
                    latencies.append(time.perf_counter() - t)
                    assert r.status_code == 200, r.text
                    i += 1
                    time.sleep(0.05)

        threads = [threading.Thread(target=sample_memory, daemon=True)]
        threads += [threading.Thread(target=poll, args=(k,), daemon=True)
                    for k in range(args.pollers)]
        for t in threads:
            t.start()
        docs = documents(args.documents)
        start = time.monotonic()
        upload_seconds = []
        for i in range(0, len(docs), args.per_upload):
            chunk = docs[i:i + args.per_upload]
            t = time.perf_counter()
            r = http.post("/v1/batches", files=[("files", f) for f in chunk])
            upload_seconds.append(time.perf_counter() - t)
            r.raise_for_status()
            doc_ids.extend(d["id"] for d in r.json()["documents"])
            batches.append(r.json()["batch_id"])
        while time.monotonic() - start < args.timeout:
            pending = sum(1 for b in batches if http.get(f"/v1/batches/{b}").json()[
                "status"] != "complete")
            if not pending:
                break
            time.sleep(1)
        elapsed = time.monotonic() - start
        stop.set()
        for t in threads:
            t.join(timeout=5)

        with db.session() as s:
            statuses = dict(s.execute(select(Document.status, func.count()).where(
                Document.id.in_(doc_ids)).group_by(Document.status)).all())
            per_doc = dict(s.execute(select(ResultRecord.document_id, func.count()).where(
                ResultRecord.document_id.in_(doc_ids)).group_by(ResultRecord.document_id))
                .all())
        lost = [d for d in doc_ids if per_doc.get(d, 0) == 0]
        doubled = [d for d in doc_ids if per_doc.get(d, 0) > 1]
        ms = [x * 1000 for x in latencies]
        settled = [m for m in memory if m[1] > 0]
        print(f"documents: {len(docs)} uploaded in {len(batches)} requests, "
              f"{len(set(doc_ids))} ids; status {statuses}; lost {len(lost)}; "
              f"duplicated results {len(doubled)}")
        print(f"elapsed {elapsed:.1f} s, throughput {len(docs) / elapsed:.2f} documents/s "
              f"with {args.workers} worker processes")
        print(f"upload of {args.per_upload} documents: median "
              f"{statistics.median(upload_seconds) * 1000:.0f} ms")
        if ms:
            print(f"status calls under load: {len(ms)} calls, p50 {percentile(ms, .5):.1f} ms, "
                  f"p95 {percentile(ms, .95):.1f} ms, p99 {percentile(ms, .99):.1f} ms")
        if settled:
            first, last = settled[min(5, len(settled) - 1)], settled[-1]
            print(f"worker pool RSS (sum of {args.workers} children): after start "
                  f"{first[1]:.0f} MiB, peak {max(m[1] for m in settled):.0f} MiB, end "
                  f"{last[1]:.0f} MiB; largest child peak {max(m[2] for m in settled):.0f} MiB "
                  f"(children recycled every {args.max_tasks_per_child} documents)")
        http.close()
        return 1 if lost or doubled or len(set(doc_ids)) != len(docs) else 0
    finally:
        for p in reversed(processes):
            p.close()
        db.dispose()
        redis.close()
        postgres.close()


if __name__ == "__main__":
    sys.exit(main())
