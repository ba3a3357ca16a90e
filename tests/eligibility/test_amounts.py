"""Amount shapes and conditions, table by table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from eligibility import parse_profile
from eligibility.amounts import compute, percent, to_yuan
from eligibility.conditions import check
from eligibility.rules import (
    Condition,
    Fixed,
    InterestSubsidy,
    PerItem,
    PerItemPerCountry,
    Range,
    RateCapped,
    ShareOf,
    Tiered,
    Unspecified,
)


def profile(**facts: Any) -> Any:
    return parse_profile({"region": "泽州", **facts})


@pytest.mark.parametrize(
    ("amount", "facts", "expected"),
    [
        (Fixed(kind="fixed", yuan=50000), {}, (50000, 50000)),
        (
            PerItem(kind="per_item", yuan=2000, counts=("invention_patents_granted",)),
            {"invention_patents_granted": 7},
            (14000, 14000),
        ),
        (
            PerItem(kind="per_item", yuan=2000, counts=("invention_patents_granted",), cap_yuan=10000),
            {"invention_patents_granted": 5},
            (10000, 10000),
        ),
        (
            PerItem(kind="per_item", yuan=2000, counts=("invention_patents_granted",), cap_yuan=10000),
            {"invention_patents_granted": 6},
            (10000, 10000),
        ),
        (
            PerItem(kind="per_item", yuan=2000, counts=("invention_patents_granted",), cap_yuan=10000),
            {"invention_patents_granted": 4},
            (8000, 8000),
        ),
        (
            PerItem(kind="per_item", yuan=100, counts=("gi_trademarks_new", "gi_products_new")),
            {"gi_trademarks_new": 2, "gi_products_new": 3},
            (500, 500),
        ),
        (
            PerItemPerCountry(kind="per_item_per_country", yuan=10, counts="foreign_patents"),
            {"foreign_patents": {"US": 2, "JP": 3}},
            (50, 50),
        ),
        (
            Tiered(kind="tiered", by="ip_advantage_enterprise", tiers={"national": 9, "provincial": 4}),
            {"ip_advantage_enterprise": "provincial"},
            (4, 4),
        ),
        (
            Tiered(kind="tiered", by="ip_advantage_enterprise", tiers={"national": 9}),
            {"ip_advantage_enterprise": "municipal"},
            (0, 0),
        ),
        (
            Tiered(kind="tiered", by="patent_awards", tiers={"china_patent_gold": 5, "china_patent_silver": 3}),
            {
                "patent_awards": [
                    "china_patent_gold",
                    "china_patent_gold",
                    "china_patent_silver",
                    "municipal_patent_award",
                ]
            },
            (13, 13),
        ),
        (
            RateCapped(kind="rate_capped", rate=Decimal("0.5"), of="patent_navigation_cost", cap_yuan=100),
            {"patent_navigation_cost": 150},
            (75, 75),
        ),
        (
            RateCapped(kind="rate_capped", rate=Decimal("0.5"), of="patent_navigation_cost", cap_yuan=100),
            {"patent_navigation_cost": 201},
            (100, 100),
        ),
        (
            ShareOf(kind="share_of", rate=Decimal("0.5"), of="city_pledge_interest_subsidy"),
            {"city_pledge_interest_subsidy": 3},
            (2, 2),
        ),
        (
            Range(kind="range", min_yuan=5, max_yuan=10, counts=("provincial_patent_promotion_projects",)),
            {"provincial_patent_promotion_projects": 3},
            (15, 30),
        ),
        (Unspecified(kind="unspecified", support="资金补助"), {}, (None, None)),
        (
            InterestSubsidy(kind="interest_subsidy", rate=Decimal("0.3"), of="pledge_loans", cap_yuan=100000),
            {"pledge_loans": [{"principal": 1_000_000, "annual_benchmark_rate": "4.35%", "months": 12}]},
            (13050, 13050),
        ),
        (
            InterestSubsidy(kind="interest_subsidy", rate=Decimal("0.3"), of="pledge_loans", cap_yuan=10000),
            {"pledge_loans": [{"principal": 1_000_000, "annual_benchmark_rate": "4.35%", "months": 12}]},
            (10000, 10000),
        ),
    ],
)
def test_compute(amount: Any, facts: dict[str, Any], expected: tuple[int | None, int | None]) -> None:
    result = compute(amount, profile(**facts))
    assert (result.amount_min, result.amount_max) == expected
    assert result.formula
    assert all(isinstance(v, int) for v in expected if v is not None)


def test_cap_is_reported_in_formula() -> None:
    amount = PerItem(kind="per_item", yuan=2000, counts=("invention_patents_granted",), cap_yuan=100000)
    result = compute(amount, profile(invention_patents_granted=60))
    assert result.capped
    assert "上限 100000 元" in result.formula


def test_money_is_never_float() -> None:
    amount = InterestSubsidy(kind="interest_subsidy", rate=Decimal("0.3"), of="pledge_loans", cap_yuan=100000)
    loans = [{"principal": 333_333, "annual_benchmark_rate": "3.85%", "months": 5}]
    result = compute(amount, profile(pledge_loans=loans))
    assert type(result.amount_min) is int
    # 333333 × 0.0385 × 5/12 × 0.3 = 1604.16… → 1604
    assert result.amount_min == 1604


@pytest.mark.parametrize(("value", "expected"), [(Decimal("0.5"), 1), (Decimal("1.5"), 2), (Decimal("2.4999"), 2)])
def test_round_half_up(value: Decimal, expected: int) -> None:
    assert to_yuan(value) == expected


def test_percent_text() -> None:
    assert percent(Decimal("0.0435")) == "4.35%"
    assert percent(Decimal("0.5")) == "50%"


@pytest.mark.parametrize(
    ("raw", "value", "outcome"),
    [
        ({"fact": "invention_patents_granted", "gt": 10, "label": "x"}, 10, "fail"),
        ({"fact": "invention_patents_granted", "gt": 10, "label": "x"}, 11, "pass"),
        ({"fact": "invention_patents_granted", "gte": 1, "label": "x"}, None, "unknown"),
        ({"fact": "invention_patents_granted", "lte": 3, "label": "x"}, 3, "pass"),
        ({"fact": "ip_advantage_enterprise", "in": ["national"], "label": "x"}, "provincial", "fail"),
        ({"fact": "ip_advantage_enterprise", "eq": "national", "label": "x"}, "national", "pass"),
        ({"fact": "china_trademark_gold_award", "is_true": True, "label": "x"}, False, "fail"),
        ({"fact": "foreign_patents", "nonempty": True, "label": "x"}, {}, "fail"),
        ({"fact": "foreign_patents", "nonempty": True, "label": "x"}, {"US": 0}, "fail"),
        ({"fact": "foreign_patents", "nonempty": True, "label": "x"}, {"US": 1}, "pass"),
        ({"fact": "pledge_loans", "nonempty": True, "label": "x"}, [], "fail"),
        ({"fact": "patent_awards", "any_in": ["china_patent_gold"], "label": "x"}, ["municipal_patent_award"], "fail"),
        ({"fact": "patent_awards", "any_in": ["china_patent_gold"], "label": "x"}, None, "unknown"),
    ],
)
def test_conditions(raw: dict[str, Any], value: Any, outcome: str) -> None:
    assert check(Condition.model_validate(raw), value) == outcome


def test_condition_needs_exactly_one_operator() -> None:
    with pytest.raises(ValueError, match="exactly one operator"):
        Condition.model_validate({"fact": "x", "gt": 1, "lte": 3, "label": "x"})
