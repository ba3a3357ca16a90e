"""Natural-language understanding off Rasa's event loop.

Rasa parses a message inside its event loop (``MessageProcessor.parse_message`` runs the NLU
graph synchronously), so a long message held every other conversation until it was understood
(measured: a 2,000-character message stalled a bystander's "你好" for 3–4 s). The channels call
``understand`` first: the NLU graph runs in a worker thread and its result goes into the
``UserMessage`` as ``parse_data``, which Rasa then uses instead of parsing again.

The cost is the e5 sentence embedding, superlinear in length (measured: 100 characters 0.14 s,
300 characters 0.5 s, 1,000 characters 1.6 s of CPU; it runs in C without the GIL). Long messages
therefore go to their own single worker thread with a low CPU priority (nice 10, a thread's own
value on Linux: about a tenth of the CPU when everything else is busy, so they still progress, and
the thread is rarely descheduled while it holds the GIL), so on a busy machine they take mostly
the CPU that short messages leave, queue behind each other rather than in front of anyone else,
and one sender's long messages cannot starve the others. Short messages have several workers at
normal priority.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)
LONG_TEXT_CHARS = 200


LONG_NICE = 10


def _low_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):  # Linux: setpriority on a thread id is per thread
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LONG_NICE)


_SHORT = ThreadPoolExecutor(max_workers=4, thread_name_prefix="nlu")
_LONG = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu-long", initializer=_low_priority)


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
            _LONG if len(message.text or "") > LONG_TEXT_CHARS else _SHORT,
            processor._parse_message_with_graph,
            message,
            tracker,
            True,
        )
        processor._update_full_retrieval_intent(parse_data)
        processor._check_for_unseen_features(parse_data)
    except Exception:  # e.g. a model still loading: Rasa's own path handles the message
        logger.exception("nlu: parsing off the event loop failed; Rasa parses the message itself")
        return
    message.parse_data = parse_data
