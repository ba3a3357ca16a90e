"""Answer a policy question from the clauses themselves, region-aware when the region is known."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import _runtime
from actions._render import passages_payload, render_passages
from knowledge.retrieval import QuestionError

log = logging.getLogger(__name__)


class ActionAnswerPolicyQuestion(Action):
    def name(self) -> str:
        return "action_answer_policy_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        # A related-question button sends its question as an entity; typed questions are the text.
        question = (
            next(tracker.get_latest_entity_values("question"), None) or (tracker.latest_message or {}).get("text") or ""
        )
        try:
            result = _runtime.retriever().search(question, region=tracker.get_slot("region"), top_k=3)
        except QuestionError as exc:
            dispatcher.utter_message(text=exc.zh)
            return []
        dispatcher.utter_message(text=render_passages(result), json_message=passages_payload(result))
        return []
