"""Region, time and coverage behaviour of the engine as a whole."""

from __future__ import annotations

from datetime import date

import pytest

from eligibility import evaluate, evaluation_to_dict, load_rulebook, parse_profile

BOOK = load_rulebook()
DAY = date(2024, 6, 1)


def run(as_of: date = DAY, **facts: object):  # type: ignore[no-untyped-def]
    return evaluate(parse_profile(facts), BOOK, as_of=as_of)


@pytest.mark.parametrize("region", ["泽州", "泽州县", "晋城泽州", "晋城市泽州县", "山西省晋城市泽州县", " 泽州县 "])
def test_zezhou_written_many_ways(region: str) -> None:
    evaluation = run(region=region, invention_patents_granted=1)
    assert [p.id for p in evaluation.policies] == ["zzbf-2021-16"]
    assert evaluation.total_min == 2000


def test_gaoping_is_not_zezhou() -> None:
    evaluation = run(region="高平市", invention_patents_granted=20)
    assert evaluation.policies == ()
    assert evaluation.results == ()
    assert evaluation.total_min == 0
    text = " ".join(evaluation.notes)
    assert "暂未收录" in text and "只适用于泽州县" in text


@pytest.mark.parametrize("region", ["长治县", "潞城市", "屯留区", "武乡县", "长治市潞州区", "长治郊区"])
def test_every_unit_of_changzhi_is_covered(region: str) -> None:
    evaluation = run(region=region, patent_awards=["provincial_patent_first"])
    assert [p.id for p in evaluation.policies] == ["changzhi-2023-draft"]
    assert evaluation.policies[0].status == "draft"
    assert any("征求意见稿" in note for note in evaluation.notes)


def test_uncovered_region_gets_no_other_rules() -> None:
    evaluation = run(region="北京市海淀区", invention_patents_granted=3)
    data = evaluation_to_dict(evaluation)
    assert data["region"]["matched"] is None
    assert data["awards"] == [] and data["policies"] == []
    assert "泽州县" in data["notes"][0]  # lists what is covered


def test_city_with_only_a_county_policy_asks_for_the_county() -> None:
    evaluation = run(region="晋城市", invention_patents_granted=3)
    assert evaluation.policies == ()
    assert any("泽州县" in note and "具体" in note for note in evaluation.notes)


def test_ambiguous_region() -> None:
    evaluation = run(region="城区")
    assert evaluation.place is None
    assert len(evaluation.candidates) == 0 or len(evaluation.candidates) > 1
    assert evaluation.policies == ()


def test_missing_facts_only_for_the_region() -> None:
    shanghang = run(region="上杭县")
    assert "patent_navigation_cost" in shanghang.missing_facts
    assert "ic_layout_designs" not in shanghang.missing_facts  # a 泽州 fact
    zezhou = run(region="泽州县")
    assert "ic_layout_designs" in zezhou.missing_facts
    assert "patent_navigation_cost" not in zezhou.missing_facts


def test_period_ended_note() -> None:
    evaluation = run(as_of=date(2026, 11, 22), region="泽州县", invention_patents_granted=1)
    assert evaluation.policies[0].status == "period_ended"
    assert any("已过计划期" in note for note in evaluation.notes)
    assert evaluation.total_min == 2000


def test_interpretation_notes_travel_with_awards() -> None:
    evaluation = run(region="泽州县", invention_patents_granted=11)
    bonus = next(r for r in evaluation.awards if r.award_id.endswith("invention-volume-bonus"))
    assert any("恰好10件不追加" in note for note in bonus.notes)


def test_json_contract_fields() -> None:
    data = evaluation_to_dict(run(region="上杭县", gi_trademarks_new=1, ip_advantage_enterprise="national"), trace=True)
    for key in (
        "as_of",
        "region",
        "policies",
        "awards",
        "total_min",
        "total_max",
        "unspecified_count",
        "missing_facts",
        "notes",
        "trace",
    ):
        assert key in data
    award = data["awards"][0]
    for key in (
        "policy_title",
        "doc_number",
        "clause",
        "title",
        "amount_min",
        "amount_max",
        "calculation",
        "quote",
        "notes",
    ):
        assert key in award
    assert data["unspecified_count"] == 1
    assert data["total_min"] == 150000


def test_evaluation_is_deterministic() -> None:
    first = evaluation_to_dict(run(region="泽州县", invention_patents_granted=12, foreign_patents={"美国": 1}))
    second = evaluation_to_dict(run(region="泽州县", invention_patents_granted=12, foreign_patents={"美国": 1}))
    assert first == second
