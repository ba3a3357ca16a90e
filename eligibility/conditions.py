"""Three-valued conditions: ``pass``, ``fail`` or ``unknown`` (the fact was not stated)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from eligibility.rules import Condition

Outcome = Literal["pass", "fail", "unknown"]


def _sized(value: Any) -> int:
    return sum(value.values()) if isinstance(value, dict) else len(value)


Test = Callable[[Any, Any], bool]

TESTS: dict[str, Test] = {
    "eq": operator.eq,
    "in": lambda fact, ref: fact in ref,
    "gte": operator.ge,
    "gt": operator.gt,
    "lte": operator.le,
    "is_true": lambda fact, ref: fact is True,
    "nonempty": lambda fact, ref: _sized(fact) > 0,
    "any_in": lambda fact, ref: any(item in ref for item in fact),
}


def check(condition: Condition, value: Any) -> Outcome:
    """Evaluate ``condition`` on the fact's ``value``; ``None`` means not stated."""
    if value is None:
        return "unknown"
    return "pass" if TESTS[condition.op](value, condition.value) else "fail"


def _designations(profile: Any) -> int | None:
    registrations = profile.madrid_registrations
    return len(registrations) if registrations else None


def _applications(profile: Any) -> int | None:
    registrations = profile.madrid_registrations
    return max(registrations.values()) if registrations else None


# Lower bounds of a count that other stated facts imply, for "at least" conditions only: Madrid
# registrations by country (美国 2、日本 1…) mean at least that many designated countries and at
# least as many applications as the most registrations in one country. Used when the count itself
# is not stated, so 长治's "新申请2件…延伸注册国10个以上" does not ask again in other terms.
AT_LEAST: dict[str, Callable[[Any], int | None]] = {
    "madrid_designated_countries": _designations,
    "madrid_new_applications": _applications,
}
MONOTONE: tuple[str, ...] = ("gte", "gt")  # the operators a lower bound can satisfy


class Check(NamedTuple):
    """A condition compiled once at load time: the operator looked up, the implied lower bound chosen."""

    fact: str
    test: Test
    reference: Any
    label: str
    at_least: Callable[[Any], int | None] | None  # ``AT_LEAST[fact]`` for a monotone test, else None


def compile_condition(condition: Condition) -> Check:
    at_least = AT_LEAST.get(condition.fact) if condition.op in MONOTONE else None
    return Check(condition.fact, TESTS[condition.op], condition.value, condition.label, at_least)
