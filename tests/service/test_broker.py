"""The worker's broker transport: a task that ends after Redis went away and its
connection was torn down acknowledges without stopping the worker, and its message
stays with Redis to be handed out again."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from kombu import Exchange, Queue

from tests.service.servers import Redis
from worker.broker import TRANSPORT, Transport, transport_for
from worker.settings import Settings
from worker.tasks import make_app


def test_only_a_plain_redis_url_gets_the_transport() -> None:
    assert transport_for("redis://127.0.0.1:6379/0") == TRANSPORT
    assert transport_for("rediss://example:6380/0") is None
    assert transport_for("amqp://guest@localhost//") is None
    assert transport_for(None) is None


def test_an_ack_on_a_connection_torn_down_while_redis_was_away_is_logged(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    redis = Redis(tmp_path)
    app = make_app(Settings(broker_url=redis.url))
    try:
        conn = app.connection_for_write()
        assert isinstance(conn.transport, Transport)
        # every write synced, so that the kill below loses none of them
        conn.default_channel.client.config_set("appendfsync", "always")
        queue = Queue("acks", Exchange("acks"), "acks")
        with conn.Producer() as producer:
            producer.publish({"doc": 1}, exchange=queue.exchange, routing_key="acks",
                             declare=[queue])
        message = queue(conn.default_channel).get(no_ack=False)
        assert message is not None
        channel = message.channel
        # Redis dies under a running task; the worker closes its connection (kombu
        # leaves the channel with its pool gone and its connection's client None,
        # as in the CI run where the worker stopped) and Redis comes back.
        redis.kill()
        conn.close()
        channel._disconnect_pools()
        redis.start()
        with caplog.at_level(logging.CRITICAL):
            message.ack_log_error(logging.getLogger("celery.worker"), conn.connection_errors)
        assert "Couldn't ack" in caplog.text and "connection that is closed" in caplog.text
        with app.connection_for_read() as fresh:
            held = fresh.default_channel.client.hkeys(fresh.default_channel.unacked_key)
        assert message.delivery_tag.encode() in held  # handed out again after the timeout
    finally:
        app.close()
        redis.close()
