"""A Redis lock store whose ticket operations are atomic across Rasa instances.

Rasa Open Source's ``RedisLockStore`` issues and returns conversation tickets with a plain
GET, a change in Python, and a SET. Two Rasa instances taking messages of the same sender at
the same moment can both read the same lock, both be given the same ticket, process at once,
and the tracker store then keeps only one of the two messages (measured: 1 of 5 simultaneous
messages lost with two instances). The fix Rasa made (``ConcurrentRedisLockStore``) is not in
the open-source release, so this class keeps Rasa's ticket-lock logic and runs every
read-modify-write of a lock inside a Redis optimistic transaction (WATCH / MULTI / EXEC),
retrying when another instance changed the lock in between.

endpoints.yml: ``lock_store: {type: bot.lock_store.AtomicRedisLockStore, url, port, password, db}``
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import WatchError

logger = logging.getLogger(__name__)
T = TypeVar("T")
MAX_ATTEMPTS = 100


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _transact(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Apply ``change`` to the stored lock atomically; it returns (lock to store or None to delete, result)."""
        key = self.key_prefix + conversation_id
        for _ in range(MAX_ATTEMPTS):
            with self.red.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    current = TicketLock.from_dict(json.loads(raw)) if raw else None
                    updated, result = change(current)
                    pipe.multi()
                    if updated is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, updated.dumps())
                    pipe.execute()
                    return result
                except WatchError:
                    continue  # another instance changed the lock between our read and write: read again
        raise LockError(f"Could not update the lock of conversation '{conversation_id}' (too much contention)")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._transact(conversation_id, issue)
        except LockError:
            raise
        except Exception as exc:  # the same contract as Rasa's: any failure is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: str) -> None:
        def expire(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._transact(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._transact(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def release(lock: TicketLock | None) -> tuple[TicketLock | None, Any]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._transact(conversation_id, release)
