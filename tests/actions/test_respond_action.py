"""The one Rasa action, with a real Tracker and CollectingDispatcher (no Rasa server)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.respond import ActionRespond


@pytest.fixture(autouse=True)
def _pin_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCENTIVES_AS_OF", "2024-06-01")


def run(
    text: str, intent: str, slots: dict[str, Any], entities: list[dict[str, Any]] | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    tracker = Tracker(
        sender_id="test",
        slots=slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionRespond().run(dispatcher, tracker, {}))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}, dispatcher.messages


def test_two_turns_through_the_slots() -> None:
    slots, messages = run("我们在泽州县，今年授权了12件发明专利", "inform", {})
    assert slots["profile"] == {"region": "山西省晋城市泽州县", "invention_patents_granted": 12}
    text = messages[0]["text"]
    assert "合计（已明确金额部分）：48,000 元" in text  # 12 × 2000 + 12 × 2000 (more than 10: the extra 2000 each)
    assert messages[0]["custom"]["type"] == "awards" and messages[0]["buttons"][0]["title"] == "查看计算过程"
    slots, messages = run("不对，是6件", "correct_fact", slots)
    assert slots["profile"]["invention_patents_granted"] == 6 and "12,000 元" in messages[0]["text"]


def test_small_talk_is_a_domain_response() -> None:
    slots, messages = run("你好", "greet", {"profile": None, "dialogue": None})
    assert messages[0]["response"] == "utter_greet" and slots["profile"] == {}
