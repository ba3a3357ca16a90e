"""The answer-first conversation, turn by turn, on the real rule book (no Rasa, no servers).

Figures are checked against the engine, never typed in twice: each expected total is what
``evaluate`` gives for the profile the user has described.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conversation import Context, DialogueState, Message, respond
from eligibility import evaluate, load_rulebook, parse_profile
from eligibility.report import ESTIMATE_NOTICE, OTHER_SUPPORT_HEADING

AS_OF = date(2024, 6, 1)
BOOK = load_rulebook()
CTX = Context(BOOK, AS_OF, None)  # no clause search: these tests never reach the FAQ


def total(profile: dict[str, Any]) -> str:
    return f"{evaluate(parse_profile(profile), BOOK, as_of=AS_OF).total_min:,}"


class Chat:
    """One user's conversation: the profile and the dialogue state carried between turns."""

    def __init__(self) -> None:
        self.profile: dict[str, Any] = {}
        self.state = DialogueState()
        self.buttons: list[dict[str, str]] = []

    def say(self, text: str, intent: str | None = None) -> str:
        turn = respond(Message(text, intent), self.profile, DialogueState.from_slot(self.state.to_slot()), CTX)
        self.profile, self.state = turn.profile, turn.state
        self.buttons = [b for r in turn.replies for b in r.buttons]
        return "\n".join(r.text or f"<{r.response}>" for r in turn.replies)


def test_facts_with_the_region_are_answered_in_the_same_turn() -> None:
    chat = Chat()
    reply = chat.say("我们在泽州县，今年授权了7件发明专利，能拿多少？", "ask_eligible_awards")
    assert reply.startswith("已记录：山西省晋城市泽州县；本年度国内授权发明专利 7 件")
    assert f"合计（已明确金额部分）：{total({'region': '泽州县', 'invention_patents_granted': 7})} 元" in reply
    assert (
        "泽政办发〔2021〕16号" in reply and "三、(一) 3." in reply and "负责部门：泽州县市场监督管理局（牵头）" in reply
    )
    assert ESTIMATE_NOTICE in reply
    assert chat.buttons[0]["title"] == "查看计算过程" and len(chat.buttons) <= 4


def test_correction_after_the_answer_re_answers() -> None:
    chat = Chat()
    chat.say("我们在泽州县，今年授权了7件发明专利")
    reply = chat.say("不对，是8件", "correct_fact")
    assert "本年度国内授权发明专利 8 件" in reply
    assert total({"region": "泽州县", "invention_patents_granted": 8}) + " 元" in reply
    assert chat.profile["invention_patents_granted"] == 8


def test_award_names_with_a_province_never_move_the_region() -> None:
    chat = Chat()
    chat.say("我们在泽州县")
    reply = chat.say("拿了山西省专利奖二等奖")
    assert chat.profile["region"] == "山西省晋城市泽州县"
    assert total({"region": "泽州县", "patent_awards": ["provincial_patent_second"]}) + " 元" in reply
    assert "暂未收录" not in reply


def test_a_greeting_can_carry_the_region() -> None:
    chat = Chat()
    reply = chat.say("hello，我们公司在泽州县", "greet")
    assert chat.profile["region"] == "山西省晋城市泽州县" and reply.startswith("已记录：山西省晋城市泽州县")


def test_vague_number_keeps_the_rest_and_asks_only_for_it() -> None:
    chat = Chat()
    chat.say("泽州县的")
    reply = chat.say("我们有二十来件发明专利，还有2件美国专利")
    assert "获得境外专利权：美国 2 件" in reply and "准确的本年度国内授权发明专利数量" in reply
    assert "invention_patents_granted" not in chat.profile
    reply = chat.say("22件")
    expected = {"region": "泽州县", "invention_patents_granted": 22, "foreign_patents": {"US": 2}}
    assert total(expected) + " 元" in reply


def test_facts_before_the_region_are_kept() -> None:
    chat = Chat()
    reply = chat.say("我们有7件发明专利，能拿多少", "ask_eligible_awards")
    assert "哪个县" in reply and [b["title"] for b in chat.buttons][:2] == ["上杭县", "泽州县"]
    reply = chat.say("泽州县")
    assert total({"region": "泽州县", "invention_patents_granted": 7}) + " 元" in reply


def test_another_company_starts_from_an_empty_profile() -> None:
    chat = Chat()
    chat.say("我们在上杭县，通过了贯标")
    reply = chat.say("另外我们子公司在泽州县，有3件发明专利")
    assert "重新开始" in reply
    assert chat.profile == {"region": "山西省晋城市泽州县", "invention_patents_granted": 3}


@pytest.mark.parametrize(("choice", "keeps_facts"), [("更正地区为山西省晋城市泽州县", True), ("另一家单位", False)])
def test_an_unclear_new_region_is_asked_about(choice: str, keeps_facts: bool) -> None:
    chat = Chat()
    chat.say("我们在长治市潞州区，有2件地理标志商标")
    reply = chat.say("泽州县的情况呢，我们有3件发明专利")
    assert "是更正地区" in reply and len(chat.buttons) == 2
    chat.say(choice)
    assert chat.profile["region"] == "山西省晋城市泽州县" and chat.profile["invention_patents_granted"] == 3
    assert ("gi_trademarks_new" in chat.profile) is keeps_facts


def test_what_if_shows_the_difference_and_keeps_the_real_profile() -> None:
    chat = Chat()
    chat.say("我们在泽州县，今年授权了12件发明专利")
    before = dict(chat.profile)
    reply = chat.say("如果明年只授权10件呢？")
    assert chat.profile == before
    real, hypothetical = total(before), total({**before, "invention_patents_granted": 10})
    assert hypothetical + " 元" in reply and f"与目前情况下的 {real} 元" in reply
    reply = chat.say("再多一件美国专利呢？")
    assert total({**before, "foreign_patents": {"US": 1}}) + " 元" in reply and chat.profile == before


def test_what_if_in_another_region() -> None:
    chat = Chat()
    chat.say("我们在长治市潞州区，有2件地理标志商标，还有2件地理标志保护产品")
    reply = chat.say("那如果在泽州县呢？")
    assert total({"region": "泽州县", "gi_trademarks_new": 2, "gi_products_new": 2}) + " 元" in reply
    assert chat.profile["region"] == "山西省长治市潞州区"


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("泽州县发明专利每件奖多少？", ["每件 2,000 元", "三、(一) 3."]),
        ("柞水县发明专利每件奖多少？", ["没有规定具体金额"]),
        ("柞水县有没有具体金额？", ["没有规定具体金额", "柞政办函〔2024〕27号"]),
        ("长治马德里商标怎么奖？", ["一次性 20,000 元", "征求意见稿"]),
        ("泽州县都有哪些奖励？", ["每件 2,000 元", "中国专利金奖 500,000 元"]),
    ],
)
def test_rule_questions_are_answered_from_the_rules(question: str, wanted: list[str]) -> None:
    chat = Chat()
    reply = chat.say(question, "ask_policy_question")
    for phrase in wanted:
        assert phrase in reply
    assert chat.profile == {}  # asking about a place's rules does not place the enterprise there


def test_status_question_states_the_plan_period() -> None:
    chat = Chat()
    chat.say("我们是上杭县的，有1件地理标志商标")
    reply = chat.say("这个政策现在还能申请吗？", "ask_policy_question")
    assert "已过计划期" in reply and "请向上杭县经信科技局（方案牵头部门）确认" in reply  # whom to ask, by name


def test_a_loan_is_other_support_not_money() -> None:
    reply = Chat().say("我们是桓台县的国家知识产权示范企业，有专利质押贷款")
    assert "合计（" not in reply
    assert reply.index(OTHER_SUPPORT_HEADING) < reply.index("知识产权质押优先贷款")


def test_status_is_said_before_the_amounts() -> None:
    reply = Chat().say("我们是上杭县的，有1件地理标志商标")
    assert reply.index("已过计划期") < reply.index("合计")
    reply = Chat().say("我们在长治市，有2件地理标志商标")
    assert reply.index("征求意见稿") < reply.index("至少 60,000 元")


def test_source_question_cites_the_last_answer() -> None:
    chat = Chat()
    chat.say("我们在泽州县，今年授权了7件发明专利")
    reply = chat.say("这个是哪个文件规定的？")
    assert "泽政办发〔2021〕16号" in reply and "对每件国内授权发明专利一次性给予 2000 元资助" in reply


def test_explanation_shows_the_trace() -> None:
    chat = Chat()
    chat.say("我们在泽州县，今年授权了12件发明专利")
    assert "✓ 年度授权发明专利超过10件：12" in chat.say("为什么是这个数", "ask_explanation")


@pytest.mark.parametrize("region", ["桓台县", "柞水县"])
def test_regions_without_amounts_say_so_and_ask_nothing(region: str) -> None:
    chat = Chat()
    reply = chat.say(f"我们是{region}的企业，今年授权了5件发明专利")
    assert "没有规定具体金额" in reply and "元" not in reply.split("依据")[0].replace("年", "")
    assert not [b for b in chat.buttons if b["title"].startswith("补充")]


def test_prompts_offer_only_facts_that_pay_in_the_region() -> None:
    chat = Chat()
    chat.say("我们在长治市潞州区，今年授权了5件发明专利")
    offered = [b["title"] for b in chat.buttons if b["title"].startswith("补充")]
    assert offered and all("中国专利" not in title for title in offered)  # 长治's draft pays nothing for 中国专利奖
    assert len(offered) <= 3


def test_a_prompt_button_asks_its_question_and_a_bare_answer_fills_it() -> None:
    chat = Chat()
    chat.say("我们在泽州县，今年授权了3件发明专利")
    reply = chat.say("补充：获得境外专利权")
    assert "美国2件" in reply
    reply = chat.say("美国2件")
    assert total({"region": "泽州县", "invention_patents_granted": 3, "foreign_patents": {"US": 2}}) + " 元" in reply


def test_retraction_removes_one_country() -> None:
    chat = Chat()
    chat.say("我们在泽州县，美国和日本各有1件专利")
    reply = chat.say("美国那件不算")
    assert chat.profile["foreign_patents"] == {"JP": 1}
    assert total({"region": "泽州县", "foreign_patents": {"JP": 1}}) + " 元" in reply


def test_walkthrough_asks_one_fact_at_a_time_until_done() -> None:
    chat = Chat()
    chat.say("我们在上杭县")
    reply = chat.say("逐项帮我核对")
    asked = chat.state.asked
    assert asked is not None and "？" in reply
    for _ in range(40):
        if chat.state.asked is None:
            break
        chat.say("没有")
    assert chat.state.asked is None and not chat.state.walkthrough


def test_lower_bound_is_said() -> None:
    reply = Chat().say("我们在长治市潞州区，成功注册了2件地理标志商标")
    assert "至少 60,000 元" in reply


def test_uncovered_place_is_told_plainly() -> None:
    chat = Chat()
    reply = chat.say("我们公司在高平市，有5件发明专利")
    assert "暂未收录" in reply and "不会套用其他地区的政策" in reply and "合计" not in reply


@pytest.mark.parametrize(("profile", "dialogue"), [("garbage", 5), ({"region": 3, "nope": 1}, {"asked": 7})])
def test_stale_slots_never_break_a_turn(profile: Any, dialogue: Any) -> None:
    turn = respond(Message("我们在泽州县，有2件发明专利"), profile, DialogueState.from_slot(dialogue), CTX)
    assert total({"region": "泽州县", "invention_patents_granted": 2}) + " 元" in (turn.replies[-1].text or "")


def test_small_talk_uses_the_domain_responses() -> None:
    assert Chat().say("你好", "greet") == "<utter_greet>"
    assert Chat().say("嗯嗯好", "nlu_fallback") == "<utter_rephrase>"


def test_help_lists_the_covered_places_from_the_knowledge_base() -> None:
    chat = Chat()
    reply = chat.say("你能做什么", "ask_help")
    assert reply.startswith("<utter_help>")
    for name in BOOK.knowledge.covered_names():
        assert name in reply
    assert len(chat.buttons) == len({p.jurisdiction.name for p in BOOK.knowledge.policies})


def test_another_company_in_an_uncovered_place_starts_anew_and_says_so() -> None:
    chat = Chat()
    chat.say("我们在泽州县，今年授权了7件发明专利")
    reply = chat.say("另外我们有家子公司在高平市")
    assert "重新开始" in reply and "暂未收录" in reply
    assert chat.profile == {"region": "山西省晋城市高平市"}


def test_a_comparison_of_two_places_answers_each_and_records_nothing() -> None:
    chat = Chat()
    reply = chat.say("地理标志商标，泽州和上杭分别奖多少？", "ask_policy_question")
    assert "【泽州县】" in reply and "【上杭县】" in reply
    assert "每件 30,000 元" in reply and "150,000 元" in reply and chat.profile == {}


def test_a_total_in_a_what_if_is_the_total_not_an_increase() -> None:
    chat = Chat()
    chat.say("我们在长治市长子县，有1个省级专利推广实施资助项目")
    reply = chat.say("如果明年再拿到2个，一共3个呢")
    assert "150,000—300,000 元" in reply  # 3 × (5—10万): the range of the clause, for the total said
    assert chat.profile["provincial_patent_promotion_projects"] == 1


def test_whether_awards_stack_is_answered_from_the_awards_notes() -> None:
    chat = Chat()
    chat.say("我们是上杭县的，新注册了1件地理标志商标")
    assert "叠加" in chat.say("这个跟省里的补助能叠加吗？", "ask_policy_question")
