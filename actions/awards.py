"""List the awards the profile earns, and explain how each was decided."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import _runtime
from actions._render import awards_payload, follow_up_buttons, render_awards, render_explanation
from actions._slots import profile_from_slots
from eligibility import evaluate


class ActionListEligibleAwards(Action):
    def name(self) -> str:
        return "action_list_eligible_awards"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if not tracker.get_slot("region"):
            dispatcher.utter_message(response="utter_ask_region")
            return []
        evaluation = evaluate(profile_from_slots(tracker.slots), _runtime.rulebook(), as_of=_runtime.today())
        dispatcher.utter_message(
            text=render_awards(evaluation),
            buttons=follow_up_buttons(evaluation),
            json_message=awards_payload(evaluation),
        )
        return [SlotSet("skipped_facts", [])]


class ActionExplainAwards(Action):
    def name(self) -> str:
        return "action_explain_awards"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if not tracker.get_slot("region"):
            dispatcher.utter_message(text="还没有可以解释的计算结果，请先告诉我所在地区和知识产权情况。")
            return []
        evaluation = evaluate(profile_from_slots(tracker.slots), _runtime.rulebook(), as_of=_runtime.today())
        dispatcher.utter_message(text=render_explanation(evaluation))
        return []
