"""The enterprise's profile as the conversation keeps it: a dict of EnterpriseProfile fields."""

from __future__ import annotations

from typing import Any

from conversation.describe import short_label
from conversation.types import Context
from eligibility import Evaluation, ProfileError, evaluate, parse_profile
from eligibility.profile import COUNT_FIELDS, COUNTRY_FIELDS, FACT_FIELDS

PROFILE_FIELDS: tuple[str, ...] = ("region", "entity_type", *FACT_FIELDS)


def check_fact(name: str, value: Any) -> str | None:
    """None if ``value`` is acceptable for ``name``; else the Chinese reason (e.g. an absurd number)."""
    try:
        parse_profile({"region": "泽州县", name: value})
    except ProfileError as exc:
        return exc.message_zh
    return None


def clean_profile(value: Any) -> dict[str, Any]:
    """The stored profile, keeping only known fields with valid values (a stale slot never breaks a turn)."""
    if not isinstance(value, dict):
        return {}
    return {
        k: v
        for k, v in value.items()
        if k in PROFILE_FIELDS and v is not None and (isinstance(v, str) if k == "region" else check_fact(k, v) is None)
    }


def apply_facts(
    profile: dict[str, Any], facts: dict[str, Any], increment: bool = False
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """The profile with ``facts`` stated (the last statement wins), the facts that changed, and problems."""
    updated = dict(profile)
    changes: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in facts.items():
        if increment and name in COUNT_FIELDS and isinstance(updated.get(name), int):
            value = updated[name] + value
        elif increment and name in COUNTRY_FIELDS and isinstance(updated.get(name), dict):
            merged = dict(updated[name])
            for code, count in value.items():
                merged[code] = merged.get(code, 0) + count
            value = merged
        if name != "region" and (problem := check_fact(name, value)):
            problems.append(f"“{short_label(name)}”没有记录：{problem}")
            continue
        if updated.get(name) != value:
            changes[name] = value
        updated[name] = value
    return updated, changes, problems


def evaluate_profile(profile: dict[str, Any], ctx: Context, trace: bool = False) -> Evaluation:
    return evaluate(parse_profile(profile), ctx.book, as_of=ctx.as_of, trace=trace)


def policies_for(region: str, ctx: Context) -> tuple[Any, ...]:
    kb = ctx.book.knowledge
    place = kb.gazetteer.resolve(region).place
    return kb.policies_covering(place) if place else ()
