"""The input contract: every bad field gets a message naming it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from eligibility import ProfileError, parse_profile


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({}, "region", "必填"),
        ({"region": ""}, "region", "不能为空"),
        ({"region": 12}, "region", "字符串"),
        ({"region": "泽州", "invention_patents_granted": -1}, "invention_patents_granted", "不能小于0"),
        ({"region": "泽州", "invention_patents_granted": 100_001}, "invention_patents_granted", "上限"),
        ({"region": "泽州", "invention_patents_granted": "12"}, "invention_patents_granted", "整数"),
        ({"region": "泽州", "invention_patents_granted": Decimal("2.5")}, "invention_patents_granted", "整数"),
        ({"region": "泽州", "invention_patents_granted": True}, "invention_patents_granted", "整数"),
        ({"region": "泽州", "invention_patent": 3}, "invention_patent", "未知字段"),
        ({"region": "泽州", "entity_type": "company"}, "entity_type", "未知代码"),
        ({"region": "泽州", "patent_awards": ["gold"]}, "patent_awards.0", "未知代码"),
        ({"region": "泽州", "patent_awards": "china_patent_gold"}, "patent_awards", "数组"),
        ({"region": "泽州", "foreign_patents": {"火星": 1}}, "foreign_patents", "无法识别"),
        ({"region": "泽州", "foreign_patents": {"中国": 1}}, "foreign_patents", "境外"),
        ({"region": "泽州", "foreign_patents": {"欧洲": 1}}, "foreign_patents", "不是单个国家"),
        ({"region": "泽州", "foreign_patents": {"美国": 1, "US": 2}}, "foreign_patents", "重复"),
        ({"region": "泽州", "foreign_patents": {"美国": -1}}, "foreign_patents.美国", "不能小于0"),
        ({"region": "泽州", "foreign_patents": [1]}, "foreign_patents", "对象"),
        ({"region": "泽州", "ip_demonstration_enterprise": "county"}, "ip_demonstration_enterprise", "未知代码"),
        ({"region": "泽州", "copyright_demonstration_unit": "municipal"}, "copyright_demonstration_unit", "未知代码"),
        ({"region": "泽州", "china_trademark_gold_award": "yes"}, "china_trademark_gold_award", "true"),
        ({"region": "泽州", "patent_navigation_cost": -5}, "patent_navigation_cost", "不能小于0"),
        ({"region": "泽州", "city_pledge_interest_subsidy": 10**12}, "city_pledge_interest_subsidy", "上限"),
        (
            {"region": "泽州", "pledge_loans": [{"principal": 0, "annual_benchmark_rate": "4%", "months": 12}]},
            "pledge_loans.0.principal",
            "必须大于0",
        ),
        (
            {"region": "泽州", "pledge_loans": [{"principal": 1, "annual_benchmark_rate": "4.35", "months": 12}]},
            "pledge_loans.0.annual_benchmark_rate",
            "不超过20%",
        ),
        (
            {"region": "泽州", "pledge_loans": [{"principal": 1, "annual_benchmark_rate": "abc", "months": 12}]},
            "pledge_loans.0.annual_benchmark_rate",
            "利率应为",
        ),
        (
            {"region": "泽州", "pledge_loans": [{"principal": 1, "annual_benchmark_rate": "4%", "months": 13}]},
            "pledge_loans.0.months",
            "上限",
        ),
        (
            {"region": "泽州", "pledge_loans": [{"principal": 1, "annual_benchmark_rate": "4%"}]},
            "pledge_loans.0.months",
            "必填",
        ),
        (
            {"region": "泽州", "pledge_loans": [{"principal": 1, "annual_benchmark_rate": "4%", "months": 1, "x": 1}]},
            "pledge_loans.0.x",
            "未知字段",
        ),
    ],
)
def test_bad_field_is_named(data: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile(data)
    assert info.value.field == field
    assert fragment in info.value.message_zh


def test_not_an_object() -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile([1, 2])
    assert info.value.field == "profile"


def test_missing_facts_stay_none() -> None:
    profile = parse_profile({"region": "泽州", "invention_patents_granted": None})
    assert profile.invention_patents_granted is None
    assert profile.entity_type == "enterprise"


@pytest.mark.parametrize(
    ("given", "rate"),
    [("4.35%", Decimal("0.0435")), (Decimal("0.0435"), Decimal("0.0435")), ("0.0435", Decimal("0.0435"))],
)
def test_rate_forms(given: Any, rate: Decimal) -> None:
    profile = parse_profile(
        {"region": "上杭", "pledge_loans": [{"principal": 1, "annual_benchmark_rate": given, "months": 1}]}
    )
    assert profile.pledge_loans is not None
    assert profile.pledge_loans[0].annual_benchmark_rate == rate


def test_country_names_normalised() -> None:
    profile = parse_profile({"region": "泽州", "foreign_patents": {"美国": 1, "Japan": 2, "de": 1, "韩国": 1}})
    assert profile.foreign_patents == {"US": 1, "JP": 2, "DE": 1, "KR": 1}


@pytest.mark.parametrize("region", ["   ", "\u3000\u3000", "\t\n"])
def test_blank_region_is_refused_like_an_empty_one(region: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile({"region": region})
    assert caught.value.field == "region" and "不能为空" in caught.value.message_zh
