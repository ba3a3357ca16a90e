"""The one action that answers every message: moves the tracker's data in and out of ``conversation``."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import _runtime
from conversation import Context, DialogueState, Message, respond


def message_of(tracker: Tracker) -> Message:
    latest: dict[str, Any] = tracker.latest_message or {}
    intent = (latest.get("intent") or {}).get("name")
    question = next(tracker.get_latest_entity_values("question"), None)
    return Message(str(latest.get("text") or ""), intent, question if isinstance(question, str) else None)


def warm() -> None:
    """Pay the first message's one-off costs (rule book, national gazetteer, OpenCC, cn2an: ≈ 0.5 s) at
    start-up instead of on a user's first message."""
    context = Context(_runtime.rulebook(), _runtime.today(), None)
    respond(Message("我们在泽州县，今年授权了3件发明专利"), {}, DialogueState(), context)


warm()


class ActionRespond(Action):
    def name(self) -> str:
        return "action_respond"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        context = Context(_runtime.rulebook(), _runtime.today(), _runtime.retriever)
        turn = respond(
            message_of(tracker),
            tracker.get_slot("profile"),
            DialogueState.from_slot(tracker.get_slot("dialogue")),
            context,
        )
        for reply in turn.replies:
            if reply.response:
                dispatcher.utter_message(response=reply.response)
            else:
                dispatcher.utter_message(text=reply.text, buttons=reply.buttons, json_message=reply.custom)
        return [SlotSet("profile", turn.profile), SlotSet("dialogue", turn.state.to_slot())]
