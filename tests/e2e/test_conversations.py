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


def test_facts_are_answered_in_the_first_turn(servers: Servers) -> None:
    sender = "e2e-zezhou"
    assert "知识产权惠企政策助手" in servers.text(sender, "你好")
    messages = servers.say(sender, "我们在泽州县，今年授权了12件发明专利，还有2件美国专利，能拿多少钱")
    answer = "\n".join(m.get("text", "") for m in messages)
    assert answer.startswith("已记录：山西省晋城市泽州县；本年度国内授权发明专利 12 件；获得境外专利权：美国 2 件")
    assert (
        total_in(answer)
        == engine_total({"region": "泽州县", "invention_patents_granted": 12, "foreign_patents": {"US": 2}})
        == 68000
    )  # 24000 + 24000 + 20000
    assert "泽政办发〔2021〕16号" in answer and "三、(一) 3." in answer and "负责部门：" in answer
    buttons = [b for m in messages for b in m.get("buttons", [])]
    assert buttons[0] == {"title": "查看计算过程", "payload": "/ask_explanation"}
    assert 1 < len(buttons) <= 4 and all(b["title"].startswith("补充：") for b in buttons[1:])
    assert "✓ 年度授权发明专利超过10件：12" in servers.text(sender, buttons[0]["payload"])
    servers.text(sender, "拿了山西省专利奖二等奖")  # a province inside an award name is not a region
    answer = servers.text(sender, "不对，美国专利是1件")
    assert total_in(answer) == engine_total({
        "region": "泽州县", "invention_patents_granted": 12, "foreign_patents": {"US": 1},
        "patent_awards": ["provincial_patent_second"],
    })  # fmt: skip
    related = servers.say(sender, '/ask_policy_question{"question": "中国商标金奖奖励有什么规定？"}')
    passages = next(m["custom"]["data"]["passages"] for m in related if m.get("custom"))
    assert passages[0]["clause"] == "三、(一) 4." and "中国商标金奖" in passages[0]["text"]


def test_correction_and_policy_question_mid_way(servers: Servers) -> None:
    sender = "e2e-corrections"
    assert "县（市、区）" in servers.text(sender, "我能申请哪些奖励")
    servers.text(sender, "泽州")
    assert total_in(servers.text(sender, "我们有12件发明专利")) == 48000
    interrupted = servers.text(sender, "专利质押贷款有贴息吗？")
    assert "贴息" in interrupted and "三、(三) 11." in interrupted  # answered from the rule, with its clause
    answer = servers.text(sender, "不对，是6件")
    assert total_in(answer) == 12000  # 6 × 2000; no bonus at 6


def test_uncovered_region_gets_no_amounts(servers: Servers) -> None:
    sender = "e2e-gaoping"
    reply = servers.text(sender, "我们在高平市，有20件发明专利，能拿多少钱")
    assert "暂未收录" in reply and "泽州县" in reply
    assert "元" not in reply.split("暂未收录")[0]


def test_draft_and_range_over_rest(servers: Servers) -> None:
    sender = "e2e-changzhi"
    answer = servers.text(sender, "我们在长治市潞州区，有1个省级专利推广实施资助项目")
    assert "50,000—100,000 元" in answer and answer.index("征求意见稿") < answer.index("50,000—100,000 元")


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
