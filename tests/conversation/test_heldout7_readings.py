"""Readings mended after held-out set 7's unseen run (tests/conversations/heldout7), on the real rule book."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conversation.test_respond import Chat, total
from understanding.acts import read_cues
from understanding.facts import extract


@pytest.mark.parametrize(
    ("text", "loan"),
    [
        (
            "上杭县的企业，拿专利质押贷了300个w，基准利率4.35，贷期一年",
            {"principal": 3_000_000, "annual_benchmark_rate": "4.35%", "months": 12},
        ),
        (
            "我们用商标质押贷了5百万，贷期半年，利率按4.35%算",
            {"principal": 5_000_000, "annual_benchmark_rate": "4.35%", "months": 6},
        ),
        (
            "还有一笔专利权质押的，两百万，12个月，年化3.85",
            {"principal": 2_000_000, "annual_benchmark_rate": "3.85%", "months": 12},
        ),
        (  # the subsidy is on the benchmark rate, not the bank's
            "专利质押贷款200万，银行给的执行利率是5.2%，同期基准利率4.35%，贷了一年",
            {"principal": 2_000_000, "annual_benchmark_rate": "4.35%", "months": 12},
        ),
        (  # other percentages in the message are not the loan's rate
            "专利导航费用9万，听说政府补50%；还有商标质押贷款100万，年利率4.35%，贷了12个月，听说贴30%",
            {"principal": 1_000_000, "annual_benchmark_rate": "4.35%", "months": 12},
        ),
    ],
)
def test_loans_as_people_write_them(text: str, loan: dict[str, Any]) -> None:
    assert extract(text).facts["pledge_loans"] == [loan]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("今年5月8日授权了1件发明专利，3月份还下来2件", 3),
        ("今年授权了3件专利，其中1件是实用新型，另外2件是发明", 2),
        ("今年授权了3件专利，其中1件是实用新型", 2),
        ("那5件里面有1件其实是实用新型，我搞混了", 4),
        ("这是我们公司成立以来的第3件发明专利，今年授权的就这1件", 1),
        ("外观设计专利8件、实用新型15件、发明专利2件、软件著作权6个、注册商标10件", 2),
    ],
)
def test_invention_counts_in_traps(text: str, count: int) -> None:
    assert extract(text).facts.get("invention_patents_granted") == count


def test_other_readings() -> None:
    assert extract("还有一个谷子的品种权证书3月份也下来了").facts.get("plant_variety_rights") == 1
    assert extract("今年布图登记证书拿了6个").facts.get("ic_layout_designs") == 6
    assert extract("学校第一次通过了《高等学校知识产权管理规范》的认证").facts.get("ip_management_certified_first_time")
    assert extract("沁源县企业，国家级版权示范单位，能奖多少钱").facts.get("copyright_demonstration_unit") == "national"
    assert extract("今年发明专利一二十件吧").vague
    assert extract("一件延伸了7个国家，一件延伸了2个国家").facts.get("madrid_designated_countries") == 9


@pytest.mark.parametrize(
    ("text", "process", "status"),
    [
        ("这钱是县里直接打到公司对公账户吗？一般多久能到账？", True, False),
        ("申请截止到几月几号？要交哪些材料？", True, True),
        ("柞水县那个知识产权强县的方案是什么时候发的，管到哪年？", False, True),
    ],
)
def test_process_questions_are_not_status_questions(text: str, process: bool, status: bool) -> None:
    cues = read_cues(text)
    assert cues.process is process and cues.status is status


def test_a_process_question_says_the_documents_do_not_say_and_whom_to_ask() -> None:
    chat = Chat()
    chat.say("泽州县企业，初次通过贯标认证，发明3件")
    reply = chat.say("这钱是县里直接打到公司对公账户吗？一般多久能到账？")
    assert "的文件没有规定申报时间、申报材料、资金拨付方式和到账时间" in reply and "泽州县市场监督管理局" in reply


def test_the_total_and_the_department_in_one_question_get_both() -> None:
    chat = Chat()
    chat.say("泽州县，今年地理标志商标批了1件，品种权1个")
    reply = chat.say("那总共多少？品种权的奖励是哪个部门审核？")
    assert f"合计（已明确金额部分）：{total(chat.profile)} 元" in reply and "泽州县农业农村局" in reply


def test_adding_facts_with_zai_jia_shang_is_not_a_what_if() -> None:
    chat = Chat()
    chat.say("泽州的企业，市里贴息3万6")
    reply = chat.say("再加上今年授权的发明专利2件")
    assert reply.startswith("已记录：本年度国内授权发明专利 2 件") and chat.profile["invention_patents_granted"] == 2


def test_a_what_if_about_a_loan_reads_the_loan_not_the_last_fact() -> None:
    chat = Chat()
    chat.say("上杭县，地理标志商标1件")
    chat.say("专利导航费用16万")
    reply = chat.say("假如再加一笔专利质押贷款，300万，利率4.35%，贷一年，总数会变成多少？")
    assert reply.startswith("假设（知识产权质押贷款：本金 3,000,000 元、年基准利率 4.35%、12 个月）")
    whatif = {
        **chat.profile,
        "pledge_loans": [{"principal": 3_000_000, "annual_benchmark_rate": "4.35%", "months": 12}],
    }
    assert f"合计（已明确金额部分）：{total(whatif)} 元" in reply


def test_a_county_inside_the_city_already_known_is_a_refinement_and_a_new_client_elsewhere_starts_afresh() -> None:
    chat = Chat()
    chat.say("我是长治市市场监管局的，替企业咨询一下：国家级版权示范单位市里奖多少？")
    first = chat.say("第一家客户在长治市潞州区，今年被评为国家级版权示范单位")
    assert first.startswith("已记录：山西省长治市潞州区") and not chat.state.pending
    second = chat.say("第二家是另外一个企业，在晋城泽州县，是省级版权示范单位")
    assert second.startswith("已记录：山西省晋城市泽州县；版权示范单位：省级")
    assert chat.profile == {"region": "山西省晋城市泽州县", "copyright_demonstration_unit": "provincial"}


def test_a_second_filing_corrected_by_its_number() -> None:
    chat = Chat()
    for text in ("长治武乡县的企业", "今年新申请了马德里商标国际注册2件", "一件延伸了7个国家，一件延伸了2个国家"):
        chat.say(text)
    assert chat.profile["madrid_designated_countries"] == 9
    reply = chat.say("等一下，第二件是延伸了3个国家，我看错了")
    assert chat.profile["madrid_designated_countries"] == 10 and f"{total(chat.profile)} 元" in reply


def test_a_pledge_loan_in_zezhou_offers_the_city_subsidy_it_depends_on_first() -> None:
    chat = Chat()
    reply = chat.say("泽州县的企业，专利质押贷了200万，利率3.45，一年期，县里能给贴息吗？")
    offers = reply.split("如有以下情况，告诉我可以再算（可不回答）：")[1]
    assert offers.lstrip().startswith("· 已获市级专利权质押贷款贴息金额") and "50%" in offers


def test_a_dispute_with_no_new_fact_gets_the_calculation_again() -> None:
    chat = Chat()
    chat.say("上杭县，专利质押贷款200万，基准利率4.35%，贷了一年")
    reply = chat.say("你算错了吧，贴息30%，200万的30%应该是60万才对")
    assert reply.startswith("按文件原文重新核对如下") and "基准利率" in reply
    assert f"合计（已明确金额部分）：{total(chat.profile)} 元" in reply and "600,000" not in reply


def test_someone_with_nothing_yet_gets_the_region_s_list() -> None:
    chat = Chat()
    reply = chat.say("我们是刚注册的小公司，在泽州县，目前啥知识产权都还没有，想先了解下以后能拿到哪些补贴")
    assert "2000 元" in reply and "泽政办发〔2021〕16号" in reply and "合计 0 元" not in reply


def test_which_awards_with_facts_known_is_still_the_enterprise_s_answer() -> None:
    chat = Chat()
    chat.say("地标商标批下来一个")
    reply = chat.say("公司位于上杭 能申请哪些奖励？")
    assert f"合计（已明确金额部分）：{total(chat.profile)} 元" in reply


def test_a_rule_asked_by_topic_before_any_fact_is_answered_with_the_rule() -> None:
    chat = Chat()
    reply = chat.say("我是长治市市场监管局的，替企业咨询一下：国家级版权示范单位市里奖多少？")
    assert "100,000" in reply or "10万" in reply
