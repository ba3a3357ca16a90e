"""The enterprise profile form: facts from free text, region first, then only what the engine misses."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import _runtime
from actions._slots import check_fact, profile_from_slots
from actions.facts import extract
from eligibility import evaluate

# Intents whose text never answers a question about the enterprise: they leave the slots alone and
# the form hands over to the rules (answer the policy question, compute, say goodbye …). Anything
# else, including a low-confidence guess (nlu_fallback) such as a bare “泽州”, is read for facts.
NON_FACT_INTENTS = {
    "ask_policy_question", "done", "goodbye", "ask_help", "out_of_scope", "bot_challenge",
    "greet", "thank", "ask_explanation",
}  # fmt: skip


class ValidateEnterpriseProfileForm(FormValidationAction):
    def name(self) -> str:
        return "validate_enterprise_profile_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """Region first; then the facts the engine reports missing for that region, minus skipped ones."""
        if not tracker.get_slot("region"):
            return ["region"]
        evaluation = evaluate(
            profile_from_slots(tracker.slots), _runtime.rulebook(), as_of=_runtime.today(), trace=False
        )
        if not evaluation.policies:
            return ["region"]
        skipped = set(tracker.get_slot("skipped_facts") or [])
        return ["region", *(fact for fact in evaluation.missing_facts if fact not in skipped)]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events = self._facts_from_message(dispatcher, tracker)
        tracker.add_slots(events)
        next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
        return events + ([next_slot] if next_slot else [])

    def _facts_from_message(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        if intent in NON_FACT_INTENTS:
            return []
        requested = tracker.get_slot("requested_slot")
        target = tracker.get_slot("last_filled") if intent == "correct_fact" else requested
        extraction = extract(message.get("text") or "", requested=target)
        events: list[EventType] = []
        if extraction.vague:
            dispatcher.utter_message(text="请告诉我准确的数量（例如“32件”），这样才能按政策算出准确金额。")
            return [SlotSet("clarify", True)]
        facts = dict(extraction.facts)
        events += self._region_events(message.get("text") or "", requested, dispatcher)
        for name, value in facts.items():
            problem = check_fact(name, value)
            if problem:
                dispatcher.utter_message(text=f"“{name}”的取值有问题：{problem}，请重新告诉我。")
                continue
            events.append(SlotSet(name, value))
        if events and requested and any(isinstance(e, dict) and e.get("name") == requested for e in events):
            events.append(SlotSet("last_filled", requested))
        if extraction.skipped and requested and requested != "region" and not facts:
            skipped = list(tracker.get_slot("skipped_facts") or [])
            events.append(SlotSet("skipped_facts", [*skipped, requested]))
        return events

    @staticmethod
    def _region_events(text: str, requested: str | None, dispatcher: CollectingDispatcher) -> list[EventType]:
        """Set the region when the message names a covered place; say why not when it names an
        uncovered or ambiguous one, or answers the region question with an unknown place."""
        kb = _runtime.rulebook().knowledge
        resolution = kb.gazetteer.resolve(text)
        place = resolution.place
        if place is None and not resolution.candidates and not (requested == "region" and text.strip()):
            return []
        if place is not None and kb.policies_covering(place):
            return [SlotSet("region", place.full_name)]
        notes = kb.coverage_notes(place, text.strip(), resolution.candidates)
        dispatcher.utter_message(
            text="\n".join(notes) + "\n因此无法计算该地区的奖励金额。如果贵单位在以上地区，请告诉我具体的县（区）。"
        )
        return [SlotSet("region", None)]
