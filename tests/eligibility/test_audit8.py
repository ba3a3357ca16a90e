"""Findings of the independent engine audit (held-out cases written from the documents alone)."""

from __future__ import annotations

from datetime import date

from eligibility import evaluate, load_rulebook, parse_profile
from eligibility.engine import INFERRED_NOTE

BOOK = load_rulebook()
AS_OF = date(2024, 6, 1)


def _award(profile: dict[str, object], award_id_part: str):  # type: ignore[no-untyped-def]
    evaluation = evaluate(parse_profile(profile), BOOK, as_of=AS_OF)
    return next(a for a in evaluation.awards if award_id_part in a.award_id)


def test_a_madrid_award_inferred_from_registrations_says_so_with_the_award() -> None:
    countries = ["美国", "日本", "英国", "德国", "法国", "韩国", "俄罗斯", "澳大利亚", "加拿大", "印度"]
    inferred = _award({"region": "长治市", "madrid_registrations": dict.fromkeys(countries, 2)}, "madrid")
    assert inferred.amount_min == 20_000 and INFERRED_NOTE in inferred.notes
    stated = {"region": "长治市", "madrid_new_applications": 2, "madrid_designated_countries": 12}
    assert INFERRED_NOTE not in _award(stated, "madrid").notes


def test_a_share_that_is_not_whole_yuan_shows_the_rounding() -> None:
    matching = _award({"region": "泽州县", "city_pledge_interest_subsidy": 12_345}, "pledge")
    assert matching.amount_min == 6_173 and "= 6172.5 元，四舍五入为 6173 元" in matching.calculation
    whole = _award({"region": "泽州县", "city_pledge_interest_subsidy": 12_000}, "pledge")
    assert "= 6000 元" in whole.calculation and "四舍五入" not in whole.calculation


def test_passing_certification_for_the_first_time_is_holding_the_certificate() -> None:
    evaluation = evaluate(
        parse_profile({"region": "上杭县", "ip_management_certified_first_time": True}), BOOK, as_of=AS_OF
    )
    certificate = next(r for r in evaluation.results if "certif" in r.award_id)
    assert certificate.status == "eligible" and "ip_management_certified" not in certificate.missing
    stated = parse_profile(
        {"region": "上杭县", "ip_management_certified_first_time": True, "ip_management_certified": False}
    )
    assert stated.ip_management_certified is False  # what the user says wins
