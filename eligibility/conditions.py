"""Three-valued conditions: ``pass``, ``fail`` or ``unknown`` (the fact was not stated)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from eligibility.rules import Condition

Outcome = Literal["pass", "fail", "unknown"]


def _sized(value: Any) -> int:
    return sum(value.values()) if isinstance(value, dict) else len(value)


Test = Callable[[Any, Any], bool]

TESTS: dict[str, Test] = {
    "eq": lambda fact, ref: fact == ref,
    "in": lambda fact, ref: fact in ref,
    "gte": lambda fact, ref: fact >= ref,
    "gt": lambda fact, ref: fact > ref,
    "lte": lambda fact, ref: fact <= ref,
    "is_true": lambda fact, ref: fact is True,
    "nonempty": lambda fact, ref: _sized(fact) > 0,
    "any_in": lambda fact, ref: any(item in ref for item in fact),
}


def check(condition: Condition, value: Any) -> Outcome:
    """Evaluate ``condition`` on the fact's ``value``; ``None`` means not stated."""
    if value is None:
        return "unknown"
    return "pass" if TESTS[condition.op](value, condition.value) else "fail"
