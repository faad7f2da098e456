"""Alembic environment: the URL comes from the caller or from NIANBAO_* settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from worker.db.models import Base
from worker.db.session import make_engine
from worker.settings import Settings

config = context.config
url = config.attributes.get("url") or Settings().resolved_database_url


def run_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Several replicas may start at once: one migrates, the others wait.
                connection.execute(text("SELECT pg_advisory_xact_lock(7461987)"))
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
