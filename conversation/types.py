"""The values a turn takes and gives: the message, the replies, the context, the turn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from conversation.state import DialogueState
from eligibility import RuleBook


class SearchLike(Protocol):
    def search(self, question: str, *, region: str | None = None, top_k: int = 3) -> Any: ...


@dataclass(frozen=True)
class Message:
    text: str
    intent: str | None = None
    question: str | None = None  # a related-question button carries its question


@dataclass
class Reply:
    text: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None
    response: str | None = None  # a response of the Rasa domain (utter_greet …) instead of text


@dataclass(frozen=True)
class Context:
    book: RuleBook
    as_of: date
    retriever: Callable[[], SearchLike] | None = None


@dataclass
class Turn:
    replies: list[Reply]
    profile: dict[str, Any]
    state: DialogueState
