"""Rasa's SQL tracker store, with connections checked before use and no request able to stop Rasa.

After PostgreSQL restarts, every pooled connection of ``SQLTrackerStore`` is dead. Rasa wraps
the tracker store in ``FailSafeTrackerStore``, which turns the failed read into "no tracker",
so the next message of an ongoing conversation would silently start a new one (measured: the
bot asked for the region again after a restart). ``pool_pre_ping`` makes SQLAlchemy test each
connection as it leaves the pool and replace a dead one, so a restart costs nothing.

Rasa's ``session_scope`` treats every ``ValueError`` raised inside it as a missing PostgreSQL
schema and calls ``sys.exit(1)``. A sender id with a lone surrogate (SQLite's
``UnicodeEncodeError``) or a NUL (psycopg2's ``ValueError``) thus ended the whole server. Here a
failure inside a session rolls that session back and is raised to the caller: Rasa's
``FailSafeTrackerStore`` logs it and that one request fails, nothing else. A missing schema is
reported the same way, on every request, with its name.

endpoints.yml: ``tracker_store: {type: bot.tracker_store.ReliableSQLTrackerStore, dialect: …, …}``
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Generator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, ensure_schema_exists

logger = logging.getLogger(__name__)


class TrackerStoreRequestError(RuntimeError):
    """One tracker-store operation failed; the server goes on."""


class ReliableSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, host: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, host=host, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        session = self.sessionmaker()
        try:
            try:
                ensure_schema_exists(session)
            except ValueError as exc:  # Rasa's signal for a missing POSTGRESQL_SCHEMA
                raise TrackerStoreRequestError(f"PostgreSQL schema {exc} was not found in the database") from None
            try:
                yield session
            except Exception as exc:
                session.rollback()
                if isinstance(exc, ValueError):  # e.g. UnicodeEncodeError, NUL: the request's data, not the store
                    raise TrackerStoreRequestError(f"tracker store refused a request: {type(exc).__name__}") from exc
                raise
        finally:
            session.close()
