"""Actions with a real Tracker and CollectingDispatcher (no Rasa server, no live services)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import _runtime
from actions._slots import profile_from_slots
from actions.awards import ActionExplainAwards, ActionListEligibleAwards
from actions.policy_qa import ActionAnswerPolicyQuestion
from actions.profile_form import ValidateEnterpriseProfileForm
from eligibility import Evaluation, evaluate

DOMAIN: dict[str, Any] = {"forms": {"enterprise_profile_form": {"required_slots": ["region"]}}, "slots": {}}


@pytest.fixture(autouse=True)
def _pin_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCENTIVES_AS_OF", "2024-06-01")


def tracker(text: str, intent: str, slots: dict[str, Any] | None = None, requested: str | None = None) -> Tracker:
    all_slots = {"requested_slot": requested, **(slots or {})}
    return Tracker(
        sender_id="test",
        slots=all_slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "enterprise_profile_form"},
        latest_action_name="action_listen",
    )


def evaluate_slots(slots: dict[str, Any]) -> Evaluation:
    return evaluate(profile_from_slots(slots), _runtime.rulebook(), as_of=_runtime.today())


def run(action: Any, t: Tracker) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return events, dispatcher


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_first_message_fills_region_and_facts_then_asks_next() -> None:
    events, dispatcher = run(
        ValidateEnterpriseProfileForm(),
        tracker("我们在泽州县，今年授权了12件发明专利，还有2件美国专利", "ask_eligible_awards"),
    )
    slots = slot_events(events)
    assert slots["region"] == "山西省晋城市泽州县"
    assert slots["invention_patents_granted"] == 12
    assert slots["foreign_patents"] == {"US": 2}
    assert slots["requested_slot"] == "ic_layout_designs"  # the next fact 泽州县's rules need
    assert dispatcher.messages == []


def test_uncovered_region_is_refused_with_the_covered_list() -> None:
    events, dispatcher = run(ValidateEnterpriseProfileForm(), tracker("高平市", "inform", requested="region"))
    assert slot_events(events)["region"] is None
    text = dispatcher.messages[0]["text"]
    assert "暂未收录" in text and "泽州县" in text and "无法计算" in text


def test_skip_moves_on() -> None:
    slots = {"region": "山西省晋城市泽州县", "invention_patents_granted": 3}
    events, _ = run(ValidateEnterpriseProfileForm(), tracker("不清楚", "dont_know", slots, requested="foreign_patents"))
    got = slot_events(events)
    assert got["skipped_facts"] == ["foreign_patents"]
    assert got["requested_slot"] not in {"foreign_patents", None}


def test_vague_number_asks_for_the_exact_one() -> None:
    slots = {"region": "山西省晋城市泽州县"}
    events, dispatcher = run(
        ValidateEnterpriseProfileForm(), tracker("三十多件", "inform", slots, requested="invention_patents_granted")
    )
    assert "invention_patents_granted" not in slot_events(events)
    assert "准确的数量" in dispatcher.messages[0]["text"]


def test_correction_applies_to_the_last_answer() -> None:
    slots = {
        "region": "山西省晋城市泽州县",
        "invention_patents_granted": 12,
        "last_filled": "invention_patents_granted",
    }
    events, _ = run(
        ValidateEnterpriseProfileForm(), tracker("不对，是6件", "correct_fact", slots, requested="foreign_patents")
    )
    assert slot_events(events)["invention_patents_granted"] == 6


def test_policy_question_leaves_slots_alone() -> None:
    slots = {"region": "山西省晋城市泽州县"}
    events, _ = run(
        ValidateEnterpriseProfileForm(),
        tracker("有12件发明专利的话有贴息吗", "ask_policy_question", slots, requested="invention_patents_granted"),
    )
    assert "invention_patents_granted" not in slot_events(events)


def test_absurd_number_is_refused() -> None:
    slots = {"region": "山西省晋城市泽州县"}
    events, dispatcher = run(
        ValidateEnterpriseProfileForm(), tracker("200000件", "inform", slots, requested="invention_patents_granted")
    )
    assert "invention_patents_granted" not in slot_events(events)
    assert "上限" in dispatcher.messages[0]["text"]


def test_list_awards_amounts_come_from_the_engine() -> None:
    slots = {"region": "山西省晋城市泽州县", "invention_patents_granted": 12, "foreign_patents": {"US": 2}}
    _, dispatcher = run(ActionListEligibleAwards(), tracker("就这些", "done", slots))
    text = dispatcher.messages[0]["text"]
    assert "国内授权发明专利资助：24,000 元" in text
    assert "12 件 × 2000 元 = 24000 元" in text
    assert "泽政办发〔2021〕16号" in text and "三、(一) 3." in text
    assert "合计（已明确金额部分）：68,000 元" in text  # 24000 + 24000 + 20000
    payload = dispatcher.messages[0]["custom"]
    assert payload["type"] == "awards" and payload["data"]["total_min"] == 68000


def test_answer_offers_the_calculation_and_related_clauses() -> None:
    slots = {"region": "山西省晋城市泽州县", "invention_patents_granted": 3, "foreign_patents": {"US": 2}}
    _, dispatcher = run(ActionListEligibleAwards(), tracker("就这些", "done", slots))
    buttons = dispatcher.messages[0]["buttons"]
    assert buttons[0] == {"title": "查看计算过程", "payload": "/ask_explanation"}
    # Awards still waiting for facts, one per clause, none from the clause already quoted (三、(一) 3.).
    assert [b["title"] for b in buttons[1:]] == [
        "中国商标金奖奖励有什么规定？",
        "植物新品种权奖励有什么规定？",
        "知识产权管理体系认证（贯标）补助有什么规定？",
    ]
    intent, _, entities = buttons[1]["payload"].partition("{")
    assert intent == "/ask_policy_question"
    assert json.loads("{" + entities) == {"question": "中国商标金奖奖励有什么规定？"}


def test_no_award_means_no_calculation_button() -> None:
    _, dispatcher = run(ActionListEligibleAwards(), tracker("就这些", "done", {"region": "山东省淄博市桓台县"}))
    assert all(b["payload"] != "/ask_explanation" for b in dispatcher.messages[0]["buttons"])


def test_draft_and_range_are_said() -> None:
    slots = {"region": "山西省长治市", "provincial_patent_promotion_projects": 1}
    _, dispatcher = run(ActionListEligibleAwards(), tracker("就这些", "done", slots))
    text = dispatcher.messages[0]["text"]
    assert "50,000—100,000 元" in text and "征求意见稿" in text


def test_unspecified_amount_is_never_invented() -> None:
    slots = {"region": "山东省淄博市桓台县", "invention_patents_granted": 3}
    _, dispatcher = run(ActionListEligibleAwards(), tracker("就这些", "done", slots))
    text = dispatcher.messages[0]["text"]
    assert "金额未明确" in text
    assert dispatcher.messages[0]["custom"]["data"]["total_max"] == 0


def test_list_awards_without_region_asks_for_it() -> None:
    _, dispatcher = run(ActionListEligibleAwards(), tracker("算一下", "done", {}))
    assert dispatcher.messages[0]["response"] == "utter_ask_region"


def test_explanation_shows_the_trace() -> None:
    slots = {"region": "山西省晋城市泽州县", "invention_patents_granted": 10}
    _, dispatcher = run(ActionExplainAwards(), tracker("为什么", "ask_explanation", slots))
    text = dispatcher.messages[0]["text"]
    assert "✗ 年度授权发明专利超过10件：10" in text
    assert "中小学校" not in text  # awards for other kinds of units are left out


def test_policy_question_with_real_retrieval() -> None:
    slots = {"region": "山西省晋城市泽州县"}
    _, dispatcher = run(ActionAnswerPolicyQuestion(), tracker("贯标有补助吗", "ask_policy_question", slots))
    assert "三、(一) 6." in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["custom"]["type"] == "passages"


def test_related_question_button_answers_the_question_it_carries() -> None:
    payload = '/ask_policy_question{"question": "中国商标金奖奖励有什么规定？"}'
    t = tracker(payload, "ask_policy_question", {"region": "山西省晋城市泽州县"})
    t.latest_message["entities"] = [{"entity": "question", "value": "中国商标金奖奖励有什么规定？"}]
    _, dispatcher = run(ActionAnswerPolicyQuestion(), t)
    assert dispatcher.messages[0]["custom"]["data"]["passages"][0]["clause_id"] == "s3.1.4"


@pytest.mark.parametrize("region", ["泽州县", "桓台县", "上杭县", "长治市", "柞水县"])
def test_every_related_question_is_answered_by_its_clause(region: str) -> None:
    _, dispatcher = run(ActionListEligibleAwards(), tracker("就这些", "done", {"region": region}))
    offered = [b for b in dispatcher.messages[0]["buttons"] if b["payload"].startswith("/ask_policy_question")]
    assert offered, "an empty profile leaves awards waiting for facts: there is something to suggest"
    pending = {f"{r.name}有什么规定？": r.citation for r in evaluate_slots({"region": region}).pending}
    for button in offered:
        question = button["title"]
        t = tracker(button["payload"], "ask_policy_question", {"region": region})
        t.latest_message["entities"] = [{"entity": "question", "value": question}]
        _, answer = run(ActionAnswerPolicyQuestion(), t)
        shown = [(p["policy_id"], p["clause_id"]) for p in answer.messages[0]["custom"]["data"]["passages"]]
        assert (pending[question].policy_id, pending[question].clause_id) in shown, question


def test_profile_from_slots_ignores_non_profile_slots() -> None:
    profile = profile_from_slots(
        {"region": "泽州", "requested_slot": "x", "skipped_facts": ["a"], "invention_patents_granted": 2}
    )
    assert profile.invention_patents_granted == 2
