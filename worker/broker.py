"""kombu's Redis transport, with acknowledgements that survive a lost broker.

When Redis goes away, Celery tears the worker's connection down while tasks run on;
a task that ends afterwards acknowledges its message on the old channel. kombu can
leave that channel half closed (its client pool gone, its connection's client None),
and the acknowledgement then fails with an AttributeError that Celery does not
expect: the worker stops for good ("Unrecoverable error"), the queue unserved.

Here that failure is the connection error it is. Celery logs it ("Couldn't ack") and
carries on; the message stays with Redis, which hands it out again after the
visibility timeout, and the claim in the database turns the repeat away.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu.transport import redis


@contextmanager
def _closed_is_a_connection_error(delivery_tag: Any) -> Iterator[None]:
    try:
        yield
    except AttributeError as e:
        raise ConnectionError(f"message {delivery_tag} came by a broker connection that is "
                              f"closed, so it cannot be acknowledged there ({e})") from e


class QoS(redis.QoS):
    def ack(self, delivery_tag: Any) -> None:
        with _closed_is_a_connection_error(delivery_tag):
            super().ack(delivery_tag)

    def reject(self, delivery_tag: Any, requeue: bool = False) -> None:
        with _closed_is_a_connection_error(delivery_tag):
            super().reject(delivery_tag, requeue=requeue)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel


TRANSPORT = f"{__name__}:Transport"


def transport_for(broker_url: str | None) -> str | None:
    """This transport for a plain redis:// URL; None (kombu's choice) for any other."""
    if broker_url and broker_url.split("://", 1)[0] == "redis":
        return TRANSPORT
    return None
