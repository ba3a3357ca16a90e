"""The answer-first conversation: every message is read for facts and answered in the same turn.

Pure (no Rasa): ``respond`` takes the message, the profile and the dialogue state as plain data
and returns the replies and the new profile and state; ``actions/`` only moves them in and out
of Rasa's tracker.
"""

from conversation.respond import respond
from conversation.state import DialogueState
from conversation.types import Context, Message, Reply, Turn

__all__ = ["Context", "DialogueState", "Message", "Reply", "Turn", "respond"]
