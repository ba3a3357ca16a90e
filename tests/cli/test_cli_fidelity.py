"""Issue 12 §4–§5 in the command line: departments, caveats, status headings, other support, explain --all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eligibility.report import ESTIMATE_NOTICE, OTHER_SUPPORT_HEADING
from incentives_cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def write(tmp_path: Path, data: dict[str, Any]) -> str:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_json_awards_carry_departments_caveat_and_kind(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    profile = {"region": "泽州县", "invention_patents_granted": 2, "city_pledge_interest_subsidy": 10000}
    data = json.loads(run(capsys, "check", write(tmp_path, profile), "--as-of", "2024-06-01", "--json"))
    by_id = {a["id"].split("/")[1]: a for a in data["awards"]}
    grant = by_id["invention-grant"]
    assert grant["departments"][:2] == ["泽州县市场监督管理局", "泽州县工业和信息化局"]
    assert grant["departments_text"].startswith("泽州县市场监督管理局（牵头）、泽州县工业和信息化局")
    assert grant["caveat"] is None and grant["kind_of_support"] == "payment" and grant["other_support"] is False
    matching = by_id["pledge-loan-matching"]
    assert matching["amount_min"] == 5000
    assert matching["caveat"] == "须已获得省、市专利权质押贷款贴息，在此基础上配套"
    assert matching["departments"] == ["泽州县市场监督管理局", "泽州县财政局"]
    assert data["notice"] == ESTIMATE_NOTICE
    assert data["policies"][0]["heading"] is None  # in force: nothing to state before the amounts
    assert data["other_support"] == []


def test_loan_is_other_support_not_an_award(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    profile = {
        "region": "桓台县",
        "invention_patents_granted": 1,
        "pledge_loans": [{"principal": 1000000, "annual_benchmark_rate": "3.45%", "months": 12}],
    }
    path = write(tmp_path, profile)
    data = json.loads(run(capsys, "check", path, "--as-of", "2024-06-01", "--json"))
    assert [a["id"] for a in data["other_support"]] == ["hzz-2022-73/pledge-priority-loan"]
    assert data["other_support"][0]["kind_of_support"] == "loan" and data["other_support"][0]["other_support"]
    assert "hzz-2022-73/pledge-priority-loan" not in [a["id"] for a in data["awards"]]
    assert data["unspecified_count"] == len(data["awards"])  # the loan is not a promise of money
    out = run(capsys, "check", path, "--as-of", "2024-06-01")
    table, rest = out.split(OTHER_SUPPORT_HEADING, 1)
    assert "知识产权质押优先贷款" not in table and "知识产权质押优先贷款" in rest
    assert "负责部门：桓台县市场监管局" in rest


def test_ended_plan_is_stated_before_the_amounts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = run(capsys, "check", write(tmp_path, {"region": "上杭县", "gi_trademarks_new": 1}), "--as-of", "2024-06-01")
    heading = out.index("以下按《上杭县加快知识产权强县建设实施方案》原文测算；该方案的计划期为")
    assert "已过计划期，是否仍在执行请向负责部门确认" in out
    assert heading < out.index("150,000 元")
    assert "以下金额" not in out  # the trailing note no longer says 以下 after the amounts
    assert "负责部门：上杭县市场监管局" in out
    assert ESTIMATE_NOTICE in out


def test_zezhou_heading_only_after_its_plan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, {"region": "泽州县", "invention_patents_granted": 1})
    last_day = json.loads(run(capsys, "check", path, "--as-of", "2025-12-31", "--json"))
    after = json.loads(run(capsys, "check", path, "--as-of", "2026-01-01", "--json"))
    assert last_day["policies"][0]["heading"] is None
    assert after["policies"][0]["heading"].startswith(
        "以下按《泽州县全面推进知识产权强县建设行动方案》（泽政办发〔2021〕16号）"
    )


def test_changzhi_draft_heading_and_not_yet_issued(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, {"region": "长治市", "gi_trademarks_new": 1, "gi_products_new": 0})
    out = run(capsys, "check", path, "--as-of", "2024-06-01")
    assert out.index("该文件是征求意见稿，尚未正式印发施行") < out.index("30,000 元")
    before = json.loads(run(capsys, "check", path, "--as-of", "2023-04-25", "--json"))
    assert before["policies"][0]["status"] == "not_yet_issued"
    assert before["awards"] == [] and before["total_min"] == 0
    assert "尚未发布" in before["policies"][0]["heading"]


def test_caveat_next_to_the_amount(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = run(
        capsys, "check", write(tmp_path, {"region": "上杭县", "patent_navigation_cost": 40000}), "--as-of", "2019-06-01"
    )
    amount_column = "".join(line.split("│")[3].replace(" ", "") for line in out.splitlines() if line.count("│") == 6)
    assert amount_column.startswith("20,000元（须注意：须经县里遴选为专利导航试点企业")


def test_explain_shows_applicable_awards_unless_all(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, {"region": "泽州县", "entity_type": "school", "ip_education_school": "provincial_pilot"})
    out = run(capsys, "explain", path, "--as-of", "2024-06-01")
    assert "合计（已明确金额部分）：20,000 元" in out
    assert "【知识产权教育示范、试点学校工作经费资助】" in out
    assert "须注意：仅限新列入的学校" in out
    assert "【中国商标金奖奖励】" not in out
    assert "加 --all 查看" in out
    full = run(capsys, "explain", path, "--as-of", "2024-06-01", "--all")
    assert "【中国商标金奖奖励】" in full
    assert "→ 不适用：本项只适用于企业，您的单位类型是中小学校。" in full
    assert "加 --all 查看" not in full


def test_explain_all_states_a_failed_condition_as_a_sentence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, {"region": "泽州县", "invention_patents_granted": 10})
    full = run(capsys, "explain", path, "--as-of", "2024-06-01", "--all")
    assert "→ 不适用：本项要求“年度授权发明专利超过10件”，按您提供的信息（10）不符合。" in full


def test_madrid_region_counts_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, {"region": "泽州县", "madrid_registrations": {"欧盟": 1, "OAPI": 1, "美国": 1}})
    data = json.loads(run(capsys, "check", path, "--as-of", "2024-06-01", "--json"))
    madrid = next(a for a in data["awards"] if a["id"].endswith("madrid-registration"))
    assert madrid["amount_min"] == 15000
    assert "欧盟 1 件" in madrid["calculation"] and "非洲知识产权组织（OAPI） 1 件" in madrid["calculation"]


@pytest.mark.parametrize(
    ("designation", "fragment"), [("ARIPO", "不是马德里体系的缔约方"), ("荷兰", "比荷卢"), ("EP", "欧盟")]
)
def test_madrid_designation_errors_name_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, designation: str, fragment: str
) -> None:
    code = main(["check", write(tmp_path, {"region": "泽州县", "madrid_registrations": {designation: 1}})])
    _, err = capsys.readouterr()
    assert code == 2 and "madrid_registrations" in err and fragment in err
    assert len(err.strip().splitlines()) == 1
