"""Natural-language understanding off Rasa's event loop.

Rasa parses a message inside its event loop (``MessageProcessor.parse_message`` runs the NLU
graph synchronously), so a long message held every other conversation until it was understood
(measured: a 2,000-character message stalled a bystander's "你好" for 3–4 s). The channels call
``understand`` first: the NLU graph runs in a worker thread and its result goes into the
``UserMessage`` as ``parse_data``, which Rasa then uses instead of parsing again. Several workers,
so a long message never queues a short one behind it; the components hold the GIL only in
short slices (the e5 engine, scikit-learn and CRF suite run in C).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)
WORKERS = 4
_POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="nlu")


async def understand(app: Any, message: UserMessage) -> None:
    """Set ``message.parse_data`` from the NLU graph run in a worker thread (unchanged on any failure:
    Rasa then parses the message itself, as it always did)."""
    agent = getattr(app.ctx, "agent", None)
    processor = getattr(agent, "processor", None)
    if processor is None or processor.http_interpreter is not None:
        return
    tracker = DialogueStateTracker.from_events(message.sender_id, [])
    try:
        parse_data = await asyncio.get_running_loop().run_in_executor(
            _POOL, processor._parse_message_with_graph, message, tracker, True
        )
        processor._update_full_retrieval_intent(parse_data)
        processor._check_for_unseen_features(parse_data)
    except Exception:  # e.g. a model still loading: Rasa's own path handles the message
        logger.exception("nlu: parsing off the event loop failed; Rasa parses the message itself")
        return
    message.parse_data = parse_data
