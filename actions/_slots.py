"""Slots ⇄ profile. Pure: no Rasa imports, tested on plain dicts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eligibility import EnterpriseProfile, ProfileError, parse_profile
from eligibility.profile import FACT_FIELDS

PROFILE_SLOTS: tuple[str, ...] = ("region", "entity_type", *FACT_FIELDS)


def profile_from_slots(slots: Mapping[str, Any]) -> EnterpriseProfile:
    """The profile the slots describe (unset slots stay "not stated")."""
    data = {name: slots[name] for name in PROFILE_SLOTS if slots.get(name) is not None}
    return parse_profile(data)


def check_fact(name: str, value: Any) -> str | None:
    """None if ``value`` is acceptable for ``name``; else the Chinese reason (e.g. absurd number)."""
    try:
        parse_profile({"region": "泽州县", name: value})
    except ProfileError as exc:
        return exc.message_zh
    return None
