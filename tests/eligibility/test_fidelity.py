"""Issue 12: departments and caveats on every award, status headings, reasons, Madrid regions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eligibility import RuleDataError, evaluate, load_rulebook, parse_profile
from eligibility.countries import CountryError, country_code, country_name_zh, madrid_code
from eligibility.profile import BOOL_FIELDS, CODE_FIELDS, CODE_LABELS, FACT_FIELDS, FIELD_LABELS
from eligibility.report import departments_text, reason_sentence, split_support, status_heading
from knowledge import load_knowledge_base

BOOK = load_rulebook()
KB = load_knowledge_base()


def run(profile: dict[str, object], as_of: str = "2024-06-01"):  # type: ignore[no-untyped-def]
    return evaluate(parse_profile(profile), BOOK, as_of=date.fromisoformat(as_of))


def test_every_award_has_departments_naming_its_county_or_city() -> None:
    for compiled in BOOK.all_awards():
        departments = compiled.citation.departments
        assert departments, compiled.global_id
        policy = KB.policy(compiled.citation.policy_id)
        stems = (policy.jurisdiction.name[:-1], policy.jurisdiction.city[:-1])
        assert departments[0].startswith(stems), (compiled.global_id, departments)


def test_award_departments_must_come_from_the_clause(tmp_path: Path) -> None:
    folder = tmp_path / "zezhou"
    folder.mkdir()
    (folder / "zzbf-2021-16.yaml").write_text(
        """document: zzbf-2021-16
awards:
  - id: invention-grant
    name: 国内授权发明专利资助
    cite: {clause: s3.1.3, quote: "对每件国内授权发明专利一次性给予 2000 元资助"}
    applies_to: all
    amount: {kind: per_item, yuan: 2000, counts: [invention_patents_granted]}
    departments: [泽州县教育局]
""",
        encoding="utf-8",
    )
    with pytest.raises(RuleDataError, match="泽州县教育局"):
        load_rulebook(tmp_path, KB)


def test_departments_text_marks_the_lead() -> None:
    assert departments_text(["泽州县市场监督管理局", "泽州县财政局"]) == "泽州县市场监督管理局（牵头）、泽州县财政局"
    assert departments_text(["上杭县经信科技局"]) == "上杭县经信科技局"
    assert departments_text([]) == ""


def test_status_headings() -> None:
    views = {p.id: p for p in run({"region": "上杭县"}, "2021-01-01").policies}
    heading = status_heading(views["shanghang-2017"], date(2021, 1, 1))
    assert heading is not None and heading.startswith("以下按《上杭县加快知识产权强县建设实施方案》原文测算")
    assert "是否仍在执行请向负责部门确认" in heading
    (zezhou,) = run({"region": "泽州县"}, "2025-12-31").policies
    assert status_heading(zezhou, date(2025, 12, 31)) is None
    (draft,) = run({"region": "长治市"}).policies
    text = status_heading(draft, date(2024, 6, 1))
    assert text is not None and "征求意见稿" in text


def test_loan_is_split_from_money() -> None:
    evaluation = run(
        {"region": "桓台县", "pledge_loans": [{"principal": 100, "annual_benchmark_rate": "3%", "months": 1}]}
    )
    money, other = split_support(evaluation.awards)
    assert [r.award_id for r in other] == ["hzz-2022-73/pledge-priority-loan"]
    assert other[0].citation.kind_of_support == "loan" and other[0].citation.other_support
    assert all(not r.citation.other_support for r in money)


def test_reason_sentences() -> None:
    results = {r.award_id.split("/")[1]: r for r in run({"region": "泽州县", "entity_type": "school"}).results}
    assert reason_sentence(results["china-trademark-gold"]) == "本项只适用于企业，您的单位类型是中小学校。"
    assert reason_sentence(results["ip-education-school"]) == "还需要了解：知识产权教育示范/试点学校级别。"
    results = {r.award_id.split("/")[1]: r for r in run({"region": "泽州县", "invention_patents_granted": 3}).results}
    assert reason_sentence(results["invention-grant"]) is None
    assert (
        reason_sentence(results["invention-volume-bonus"])
        == "本项要求“年度授权发明专利超过10件”，按您提供的信息（3）不符合。"
    )
    (result,) = [r for r in run({"region": "长治市"}, "2023-01-01").results if r.award_id.endswith("gi-registration")]
    assert reason_sentence(result) == "该政策在评估日尚未发布，不计算本项。"


@pytest.mark.parametrize(
    ("name", "code"), [("欧盟", "EM"), ("EU", "EM"), ("em", "EM"), ("比荷卢", "BX"), ("OAPI", "OA"), ("美国", "US")]
)
def test_madrid_codes(name: str, code: str) -> None:
    assert madrid_code(name) == code


@pytest.mark.parametrize("name", ["ARIPO", "比利时", "NL", "卢森堡", "EP", "PCT", "中国", "火星"])
def test_madrid_codes_refused(name: str) -> None:
    with pytest.raises(CountryError):
        madrid_code(name)


def test_regions_stay_refused_for_patents() -> None:
    with pytest.raises(CountryError):
        country_code("欧盟")  # an EU patent does not exist: a European patent counts per validated country
    assert country_name_zh("EM") == "欧盟" and country_name_zh("OA") == "非洲知识产权组织（OAPI）"


def test_new_facts_have_labels_and_codes() -> None:
    new_bools = {
        "ip_management_certified", "ip_trusteeship", "ip_rights_enforcement", "copyright_quality_work",
        "patent_industrialization_project", "patent_agency_registered_locally", "gi_industry_business",
    }  # fmt: skip
    assert new_bools <= BOOL_FIELDS
    assert set(FACT_FIELDS) <= set(FIELD_LABELS)
    for codes in CODE_FIELDS.values():
        assert codes <= set(CODE_LABELS)
    assert CODE_FIELDS["enterprise_size"] == {"large", "medium", "small", "micro"}
    assert {"pilot_national", "pilot_provincial", "pilot_municipal"} <= CODE_FIELDS["ip_demonstration_enterprise"]
