"""Lazily created shared objects and the one clock read of the action server."""

from __future__ import annotations

import os
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from eligibility import RuleBook, load_rulebook

if TYPE_CHECKING:
    from knowledge.retrieval import Retriever


@cache
def rulebook() -> RuleBook:
    return load_rulebook()


@cache
def retriever() -> Retriever:
    from knowledge.retrieval import Retriever

    return Retriever()


def today() -> date:
    """``INCENTIVES_AS_OF`` (YYYY-MM-DD) pins the date for demos and tests; otherwise today."""
    pinned = os.environ.get("INCENTIVES_AS_OF")
    return date.fromisoformat(pinned) if pinned else date.today()
