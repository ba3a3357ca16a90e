"""Multi-turn conversations over REST against the real servers; amounts checked against the engine."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from datetime import date

from eligibility import evaluate, load_rulebook, parse_profile
from tests.e2e.conftest import Servers

AS_OF = date(2024, 6, 1)  # the servers run with INCENTIVES_AS_OF=2024-06-01


def engine_total(profile: dict[str, object]) -> int:
    return evaluate(parse_profile(profile), load_rulebook(), as_of=AS_OF).total_min


def total_in(text: str) -> int:
    match = re.search(r"合计（已明确金额部分）：([\d,]+) 元", text)
    assert match, text
    return int(match.group(1).replace(",", ""))


def test_multi_turn_eligibility_matches_the_engine(servers: Servers) -> None:
    sender = "e2e-zezhou"
    assert "知识产权惠企政策助手" in servers.text(sender, "你好")
    reply = servers.text(sender, "我们在泽州县，今年授权了12件发明专利，还有2件美国专利，能拿多少钱")
    assert "布图设计" in reply  # asks only what 泽州县's rules still need
    assert "专利奖" in servers.text(sender, "没有")
    servers.text(sender, "拿了中国专利银奖")
    messages = servers.say(sender, "就这些，帮我算一下")
    answer = "\n".join(m.get("text", "") for m in messages)
    expected = engine_total({
        "region": "泽州县", "invention_patents_granted": 12, "foreign_patents": {"US": 2},
        "ic_layout_designs": 0, "patent_awards": ["china_patent_silver"],
    })  # fmt: skip
    assert total_in(answer) == expected == 368000  # 24000 + 24000 + 20000 + 300000
    assert "泽政办发〔2021〕16号" in answer and "三、(一) 3." in answer
    # Follow-ups: the calculation, then a related clause (三、(一) 4.: trademarks), then the typed "why" again.
    buttons = [b for m in messages for b in m.get("buttons", [])]
    assert buttons[0] == {"title": "查看计算过程", "payload": "/ask_explanation"}
    assert "✓ 年度授权发明专利超过10件：12" in servers.text(sender, buttons[0]["payload"])
    assert buttons[1]["title"] == "中国商标金奖奖励有什么规定？"
    related = servers.say(sender, buttons[1]["payload"])
    passages = next(m["custom"]["data"]["passages"] for m in related if m.get("custom"))
    assert passages[0]["clause"] == "三、(一) 4." and "中国商标金奖" in passages[0]["text"]
    assert "✓" in servers.text(sender, "为什么")


def test_correction_skip_and_policy_question_mid_form(servers: Servers) -> None:
    sender = "e2e-corrections"
    assert "县（市、区）" in servers.text(sender, "我能申请哪些奖励")
    assert "发明专利" in servers.text(sender, "泽州")
    servers.text(sender, "12件")
    interrupted = servers.text(sender, "专利质押贷款有贴息吗？")
    assert "相关政策条款" in interrupted and "贴息" in interrupted
    servers.text(sender, "不对，是6件")
    servers.text(sender, "不清楚")
    answer = servers.text(sender, "就这些")
    assert total_in(answer) == 12000  # 6 × 2000; no bonus at 6


def test_uncovered_region_gets_no_amounts(servers: Servers) -> None:
    sender = "e2e-gaoping"
    reply = servers.text(sender, "我们在高平市，有20件发明专利，能拿多少钱")
    assert "暂未收录" in reply and "泽州县" in reply
    assert "元" not in reply.split("暂未收录")[0]


def test_draft_and_range_over_rest(servers: Servers) -> None:
    sender = "e2e-changzhi"
    servers.text(sender, "我们在长治市潞州区，有1个省级专利推广实施资助项目")
    answer = servers.text(sender, "就这些")
    assert "50,000—100,000 元" in answer and "征求意见稿" in answer


def test_small_talk_and_fallbacks(servers: Servers) -> None:
    assert "自动问答助手" in servers.text("e2e-chat", "你是机器人吗")
    assert "超出了我的范围" in servers.text("e2e-chat", "今天天气怎么样")
    assert "12330" in servers.text("e2e-chat", "12330是什么热线")


def test_bad_requests_get_clear_errors(servers: Servers) -> None:
    url = f"http://127.0.0.1:{servers.rasa_port}/webhooks/rest/webhook"
    for body, status in ((b"not json", 400), (json.dumps({"message": "hi"}).encode(), 400),
                         (json.dumps({"sender": "x", "message": "问" * 3000}).encode(), 413)):  # fmt: skip
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=30)
            raise AssertionError("expected an error status")
        except urllib.error.HTTPError as exc:
            assert exc.code == status
            assert "error" in json.load(exc)


def test_action_server_down_gives_the_apology_then_recovers(servers: Servers) -> None:
    sender = "e2e-outage"
    servers.stop("actions")
    try:
        assert "抱歉，系统暂时无法完成处理" in servers.text(sender, "我们在上杭县，有1件地理标志商标")
    finally:
        servers.start_actions()
        servers.wait("actions")
    answer = servers.text("e2e-after-outage", "我们在上杭县，有1件地理标志商标，帮我算一下能拿多少")
    answer += servers.text("e2e-after-outage", "就这些")
    assert "150,000 元" in answer


def test_conversation_survives_a_rasa_restart(servers: Servers) -> None:
    sender = "e2e-restart"
    servers.text(sender, "我们在泽州县，今年授权了3件发明专利，能拿多少")
    servers.stop("rasa")
    servers.start_rasa()
    servers.wait("rasa")
    answer = servers.text(sender, "就这些")  # region and facts come back from the SQLite tracker store
    assert total_in(answer) == 6000
