"""Run with the Rasa environment's Python: hostile sender ids against ReliableSQLTrackerStore.

    .venv-rasa/bin/python tests/channels/tracker_store_probe.py <endpoints.yml>

Prints one JSON line: for each hostile id, whether saving and reading it failed cleanly (an
exception, not an exit), and whether a normal conversation is stored and read back afterwards.
"""

from __future__ import annotations

import asyncio
import json
import sys

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

HOSTILE = ["x\ud800", "\udcff\udcfe", "nul\u0000id", "a" * 10_000]


async def main(endpoints: str) -> dict[str, object]:
    config = read_endpoint_config(endpoints, "tracker_store")
    store = TrackerStore.create(config, Domain.empty())
    raw = getattr(store, "_tracker_store", store)  # the store itself, without Rasa's fail-safe wrapper
    outcome: dict[str, object] = {"store": type(raw).__name__, "hostile": {}}
    for sender in HOSTILE:
        tracker = DialogueStateTracker.from_events(sender, [UserUttered("你好")])
        results = []
        for operation in (raw.save(tracker), raw.retrieve(sender)):
            try:
                await operation
                results.append("ok")
            except SystemExit:
                results.append("exit")
            except Exception as exc:
                results.append(type(exc).__name__)
        outcome["hostile"][repr(sender[:12])] = results  # type: ignore[index]
    await raw.save(DialogueStateTracker.from_events("probe:normal", [UserUttered("我们在泽州县")]))
    back = await raw.retrieve("probe:normal")
    outcome["normal"] = [e.text for e in back.events if isinstance(e, UserUttered)] if back else None
    return outcome


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1])), ensure_ascii=False))
