"""The number parser and the fact extractor, table by table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from understanding.facts import extract
from understanding.numbers import first_int, is_vague, money, normalise, percent


@pytest.mark.parametrize(
    ("text", "number"),
    [("十二件", 12), ("两件", 2), ("一百零五件", 105), ("１２件", 12), ("二十", 20), ("3件", 3), ("两百", 200)],
)
def test_first_int(text: str, number: int) -> None:
    assert first_int(text) == number


@pytest.mark.parametrize(
    ("text", "yuan"), [("1.5万", 15000), ("12万元", 120000), ("24000元", 24000), ("二十四万", 240000), ("3千", 3000)]
)
def test_money(text: str, yuan: int) -> None:
    assert money(text) == yuan


@pytest.mark.parametrize(("text", "rate"), [("4.35%", Decimal("0.0435")), ("百分之四点三五", Decimal("0.0435"))])
def test_percent(text: str, rate: Decimal) -> None:
    assert percent(text) == rate


@pytest.mark.parametrize("text", ["三十多件", "几件", "十来个", "好几件", "一两件", "20多项"])
def test_vague(text: str) -> None:
    assert is_vague(text)


@pytest.mark.parametrize("text", ["十二件", "两件", "12件", "一百零五件"])
def test_not_vague(text: str) -> None:
    assert not is_vague(text)


def test_normalise_keeps_words() -> None:
    assert normalise("两件发明专利") == "2件发明专利"


@pytest.mark.parametrize(
    ("text", "requested", "facts"),
    [
        (
            "我们在泽州县，今年授权了12件发明专利，还有2件美国专利",
            None,
            {"invention_patents_granted": 12, "foreign_patents": {"US": 2}},
        ),
        ("发明专利十二件", None, {"invention_patents_granted": 12}),
        ("两件发明专利", None, {"invention_patents_granted": 2}),
        ("在美国和日本各有1件专利", None, {"foreign_patents": {"US": 1, "JP": 1}}),
        (
            "拿了中国专利银奖和省专利奖二等奖",
            None,
            {"patent_awards": ["china_patent_silver", "provincial_patent_second"]},
        ),
        ("我们是省级知识产权优势企业", None, {"ip_advantage_enterprise": "provincial"}),
        ("没有贯标", None, {"ip_management_certified": False, "ip_management_certified_first_time": False}),
        ("通过了贯标", None, {"ip_management_certified": True}),  # 初次 only when said
        ("今年第一次通过贯标", None, {"ip_management_certified": True, "ip_management_certified_first_time": True}),
        ("去年贯标复审通过了", None, {"ip_management_certified": True, "ip_management_certified_first_time": False}),
        ("有3项省级专利推广实施资助", None, {"provincial_patent_promotion_projects": 3}),
        ("省里的专利推广资助项目8个", None, {"provincial_patent_promotion_projects": 8}),
        ("我们在做专利成果转化产业化", None, {"patent_industrialization_project": True}),
        ("没有专利转化项目", None, {"patent_industrialization_project": False}),
        ("生產地理標誌產品", None, {"gi_industry_business": True}),
        ("我们是小型企业", None, {"enterprise_size": "small", "entity_type": "enterprise"}),
        ("委托服务机构做了知识产权托管", None, {"ip_trusteeship": True}),
        ("有一部影视剧本属于版权精品", None, {"copyright_quality_work": True}),
        ("正在维权，被侵权了", None, {"ip_rights_enforcement": True}),
        (
            "我们是新注册成立的专利代理机构",
            None,
            {"patent_agency_registered_locally": True, "entity_type": "ip_service_agency"},
        ),
        (
            "質押貸款：本金8000000元、年基準利率3.85%、本年計息9個月",
            None,
            {"pledge_loans": [{"principal": 8000000, "annual_benchmark_rate": "3.85%", "months": 9}]},
        ),
        ("专利申请了12件", None, {}),
        (
            "质押贷款：本金500万、年基准利率4.35%、本年计息12个月",
            None,
            {"pledge_loans": [{"principal": 5000000, "annual_benchmark_rate": "4.35%", "months": 12}]},
        ),
        (
            "专利权质押融资一千万元，利率3.85%，计息十二个月",
            None,
            {"pledge_loans": [{"principal": 10000000, "annual_benchmark_rate": "3.85%", "months": 12}]},
        ),
        (
            "有两笔专利质押贷款：一笔200万贷了12个月，一笔100万贷了6个月，基准利率都是4.35%",
            None,
            {
                "pledge_loans": [
                    {"principal": 2000000, "annual_benchmark_rate": "4.35%", "months": 12},
                    {"principal": 1000000, "annual_benchmark_rate": "4.35%", "months": 6},
                ]
            },
        ),
        ("有2个品种拿到了植物新品种权", None, {"plant_variety_rights": 2}),
        ("授权发明超过10件有额外奖励吗？", None, {}),
        (
            "延伸注册国一共12个，新申请了2件马德里商标国际注册",
            None,
            {"madrid_new_applications": 2, "madrid_designated_countries": 12},
        ),
        (
            "获得山西省专利奖二等奖两项",
            None,
            {"patent_awards": ["provincial_patent_second", "provincial_patent_second"]},
        ),
        ("他们有一件新注册的地理标志商标", None, {"gi_trademarks_new": 1}),
        ("说错了，是一等奖", "patent_awards", {"patent_awards": ["provincial_patent_first"]}),
        ("发明专利还没授权，申请了5件", None, {}),
        ("美日各一件专利", None, {"foreign_patents": {"US": 1, "JP": 1}}),
        ("二十来件发明专利，还有2件美国专利", None, {"foreign_patents": {"US": 2}}),
        ("市里给了3万贴息", None, {"city_pledge_interest_subsidy": 30000}),
        ("成功注册了两个地标商标", None, {"gi_trademarks_new": 2}),
        ("拿了个省二等奖", None, {"patent_awards": ["provincial_patent_second"]}),
        (
            "新申请了2件马德里，延伸注册了12个国家",
            None,
            {"madrid_new_applications": 2, "madrid_designated_countries": 12},
        ),
        ("马德里在美国、德国注册了", None, {"madrid_registrations": {"US": 1, "DE": 1}}),
        (
            "质押贷款500万，利率4.35%，贷了12个月",
            None,
            {"pledge_loans": [{"principal": 5000000, "annual_benchmark_rate": "4.35%", "months": 12}]},
        ),
        ("市里贴息2.4万", None, {"city_pledge_interest_subsidy": 24000}),
        ("专利导航花了12万元", None, {"patent_navigation_cost": 120000}),
        ("有1件地理标志商标", None, {"gi_trademarks_new": 1}),
        ("我们是高校", None, {"entity_type": "university"}),
        ("12件", "invention_patents_granted", {"invention_patents_granted": 12}),
        ("十二", "ic_layout_designs", {"ic_layout_designs": 12}),
        ("没有", "ic_layout_designs", {"ic_layout_designs": 0}),
        (
            "是的",
            "ip_management_certified_first_time",
            {"ip_management_certified_first_time": True, "ip_management_certified": True},
        ),
        ("否", "china_trademark_gold_award", {"china_trademark_gold_award": False}),
        ("国家级", "ip_demonstration_enterprise", {"ip_demonstration_enterprise": "national"}),
        ("不是", "ip_advantage_enterprise", {"ip_advantage_enterprise": "none"}),
        ("都没有", "patent_awards", {"patent_awards": []}),
        ("没有", "foreign_patents", {"foreign_patents": {}}),
        ("没有", "pledge_loans", {"pledge_loans": []}),
        ("3万", "city_pledge_interest_subsidy", {"city_pledge_interest_subsidy": 30000}),
        ("不对，是6件", "invention_patents_granted", {"invention_patents_granted": 6}),
        # A message that names its fact does not also answer the question asked (found by the load test).
        ("不对，发明专利是6件", "ic_layout_designs", {"invention_patents_granted": 6}),
        ("还有2件美国专利", "ic_layout_designs", {"foreign_patents": {"US": 2}}),
        ("3件，另外还有2件美国专利", "ic_layout_designs", {"ic_layout_designs": 3, "foreign_patents": {"US": 2}}),
    ],
)
def test_extract(text: str, requested: str | None, facts: dict[str, Any]) -> None:
    got = extract(text, requested=requested).facts
    got.pop("entity_type", None) if "entity_type" not in facts else None
    assert got == facts


def test_vague_quantity_is_not_guessed() -> None:
    extraction = extract("我们有三十多件发明专利")
    assert extraction.vague and "invention_patents_granted" not in extraction.facts


def test_skip() -> None:
    extraction = extract("这个不清楚", requested="plant_variety_rights")
    assert extraction.skipped and extraction.facts == {}


def test_policy_question_has_no_facts() -> None:
    assert extract("专利质押贷款有贴息吗？").facts == {}
