"""Lazily created shared objects and the one clock read of the action server."""

from __future__ import annotations

import os
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from eligibility import RuleBook, load_rulebook, pinned_as_of

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
    """The date policies are judged on (see eligibility.as_of); read on every call, so it is today."""
    return pinned_as_of(os.environ) or date.today()


# A mistyped pin stops the action server at start-up with the variable named, not every message later.
pinned_as_of(os.environ)
