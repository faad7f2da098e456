"""Prometheus metrics: HTTP requests, uploads, and documents by status (read from the
database at scrape time, so they cover every worker on every machine)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from worker.db.models import STATUSES, Document
from worker.db.session import Database


class DocumentsCollector(Collector):
    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily("nianbao_documents", "Documents by status", labels=["status"])
        try:
            with self.db.session() as s:
                counts = dict(s.execute(
                    select(Document.status, func.count()).group_by(Document.status)
                ).all())
        except SQLAlchemyError:
            return  # the database is down: /readyz says so; scrape the rest
        for status in STATUSES:
            gauge.add_metric([status], counts.get(status, 0))
        yield gauge


class Metrics:
    def __init__(self, db: Database) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "nianbao_http_requests", "HTTP requests", ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "nianbao_http_request_seconds", "HTTP request latency", ["route"],
            registry=self.registry,
        )
        self.registry.register(DocumentsCollector(db))


class MetricsMiddleware:
    """Counts requests by route template (not raw path, to bound label values)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, status = time.perf_counter(), 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - start)
