"""Rasa's SQL tracker store, with connections checked before use.

After PostgreSQL restarts, every pooled connection of ``SQLTrackerStore`` is dead. Rasa wraps
the tracker store in ``FailSafeTrackerStore``, which turns the failed read into "no tracker",
so the next message of an ongoing conversation would silently start a new one (measured: the
bot asked for the region again after a restart). ``pool_pre_ping`` makes SQLAlchemy test each
connection as it leaves the pool and replace a dead one, so a restart costs nothing.

endpoints.yml: ``tracker_store: {type: bot.tracker_store.ReliableSQLTrackerStore, dialect: postgresql, …}``
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class ReliableSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, host: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, host=host, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
