"""Data integrity: the knowledge base is verbatim, the rules cite it exactly, and every award is tested."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from eligibility import load_rulebook
from eligibility.loader import RULES_DIR
from knowledge import Clause, Policy, load_policies, squash
from knowledge.yamlio import load_yaml

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
POLICIES = load_policies()


def seed_text(policy: Policy) -> str:
    return (SEEDS / policy.source.file).read_text(encoding="utf-8")


@pytest.fixture(scope="module", autouse=True)
def _seeds_present() -> None:
    if not SEEDS.is_dir():
        pytest.fail(f"the seeds must sit beside the checkout at {SEEDS}")


def test_all_five_documents_are_transcribed() -> None:
    assert sorted(p.jurisdiction.name for p in POLICIES) == ["上杭县", "柞水县", "桓台县", "泽州县", "长治市"]
    assert len({p.source.file for p in POLICIES}) == 5


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_seed_hash_matches(policy: Policy) -> None:
    digest = hashlib.sha256(seed_text(policy).encode("utf-8")).hexdigest()
    assert digest == policy.source.sha256, f"{policy.source.file} changed since it was transcribed"


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_every_clause_and_heading_is_verbatim(policy: Policy) -> None:
    seed = squash(seed_text(policy))
    for clause in policy.clauses:
        assert squash(clause.text) in seed, f"{policy.id} {clause.id} is not verbatim"
        for heading in clause.headings:
            assert squash(heading) in seed, f"{policy.id} {clause.id}: heading {heading!r} is not in the seed"


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_clause_ids_unique(policy: Policy) -> None:
    ids = [c.id for c in policy.clauses]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_numbered_items_are_all_there(policy: Policy) -> None:
    """Each numbered item of 三、 (the tasks) is transcribed, with no gap in the numbering."""
    items = [c for c in policy.clauses if c.id.startswith(("s3.", "s2.")) and c.id.count(".") == 2]
    numbers = sorted(int(c.id.rsplit(".", 1)[1]) for c in items)
    if policy.id == "hzz-2022-73":  # 桓台 restarts numbering under each (一)(二)…
        assert len(items) == 4 + 17
    else:
        assert numbers == list(range(1, len(numbers) + 1)), numbers


def test_document_facts() -> None:
    by_name = {p.jurisdiction.name: p for p in POLICIES}
    assert by_name["泽州县"].doc_no == "泽政办发〔2021〕16号"
    assert by_name["桓台县"].doc_no == "桓政字〔2022〕73号"
    assert by_name["柞水县"].doc_no == "柞政办函〔2024〕27号"
    assert by_name["上杭县"].doc_no is None
    assert by_name["长治市"].doc_no is None
    assert by_name["长治市"].status == "draft"
    assert {p.jurisdiction.name: str(p.period_end) for p in POLICIES} == {
        "泽州县": "2025-12-31", "桓台县": "2025-12-31", "上杭县": "2020-12-31",
        "长治市": "2025-12-31", "柞水县": "2026-12-31",
    }  # fmt: skip


def test_every_quote_is_in_its_clause_and_ids_unique() -> None:
    book = load_rulebook()
    ids = [a.global_id for a in book.all_awards()]
    assert len(ids) == len(set(ids))
    for compiled in book.all_awards():
        assert squash(compiled.citation.quote) in squash(compiled.citation.clause_text), compiled.global_id


def test_award_counts_per_document() -> None:
    book = load_rulebook()
    with_amount = {
        pid: sum(1 for a in awards if a.award.amount.kind != "unspecified") for pid, awards in book.awards.items()
    }
    without = {
        pid: sum(1 for a in awards if a.award.amount.kind == "unspecified") for pid, awards in book.awards.items()
    }
    assert with_amount == {
        "zzbf-2021-16": 21,  # the 可参照 reading for universities, institutes and agencies is its own line
        "changzhi-2023-draft": 9,
        "shanghang-2017": 3,
        "hzz-2022-73": 0,
        "zzbh-2024-27": 0,
    }
    assert without["shanghang-2017"] == 10  # + 优势 split from 示范（试点）, 版权精品, 知识产权保护资金
    assert without["zzbf-2021-16"] == 1  # 小微企业知识产权托管
    assert without["hzz-2022-73"] >= 1 and without["zzbh-2024-27"] >= 1


def test_every_award_has_cases() -> None:
    book = load_rulebook()
    for policy_id, awards in book.awards.items():
        case_files = list(RULES_DIR.glob(f"*/{policy_id}.cases.yaml"))
        assert len(case_files) == 1, f"{policy_id}: no cases file"
        named = {award for case in load_yaml(case_files[0]) for award in case.get("expect", {})}
        for compiled in awards:
            assert compiled.award.id in named, f"{compiled.global_id} has no case"


def test_rule_files_mirror_policy_files() -> None:
    policy_dirs = {
        p.stem: p.parent.name for p in Path(RULES_DIR.parent.parent / "knowledge" / "policies").glob("*/*.yaml")
    }
    for rule_file in RULES_DIR.glob("*/*.yaml"):
        stem = rule_file.name.removesuffix(".cases.yaml").removesuffix(".yaml")
        assert policy_dirs.get(stem) == rule_file.parent.name, rule_file


# --- whom to contact: the departments of each clause -------------------------------------------
# A clause names its responsible departments in one of three ways: “（县市场监督管理局、县财政局按职责分工负责）”,
# “责任单位：县经信科技局、财政局” (with “配合单位：…” in 柞水县), or the 责任部门/参与部门 cells of 桓台县's table.
DEPARTMENT_TEXT = re.compile(r"责任单位[：:][^。]*$|[（(][^（）()]*负责[）)]\s*$")


def _department_text(policy: Policy, clause: Clause) -> str:
    """The source words that name the clause's departments ('' when it names none)."""
    found = DEPARTMENT_TEXT.search(clause.text)
    if found:
        return squash(found.group(0))
    if policy.id == "hzz-2022-73":  # the attachment's cells for the same 主要举措 (merged rows share them)
        match = re.fullmatch(r"(?:s3|att)\.(\d)\.(\d)(?:\.\d+)?", clause.id)
        if match:
            prefix = f"att.{match.group(1)}.{match.group(2)}."
            cells = [
                cell
                for row in policy.clauses
                if row.id.startswith(prefix) and row.task_table
                for cell in (row.task_table.responsible, row.task_table.participating)
                if cell
            ]
            return "、".join(squash(cell) for cell in cells)
    return ""


def _unqualified(department: str, policy: Policy) -> tuple[str, ...]:
    """How the source may write ``department``: 泽州县财政局 → 县财政局 or 财政局 (“县经信科技局、财政局”)."""
    jurisdiction = policy.jurisdiction
    for stem in (jurisdiction.name[:-1], jurisdiction.city[:-1]):
        if department.startswith(stem):
            rest = department[len(stem) :]
            return (rest, rest[1:])
    return (department,)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_every_clause_with_department_text_lists_its_departments(policy: Policy) -> None:
    named = 0
    for clause in policy.clauses:
        text = _department_text(policy, clause)
        if not text:
            continue
        named += 1
        assert clause.departments, f"{policy.id} {clause.id} names departments ({text}) but lists none"
        position = 0
        for department in clause.departments:  # each one is in the source, in the source's order (lead first)
            hits = [text.find(form, position) for form in _unqualified(department, policy)]
            hits = [hit for hit in hits if hit >= 0]
            assert hits, f"{policy.id} {clause.id}: {department} is not in {text} (or out of order)"
            position = min(hits)
        assert len(set(clause.departments)) == len(clause.departments)
    assert named >= 12, f"{policy.id}: only {named} clauses name departments"


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_departments_name_the_county_or_city(policy: Policy) -> None:
    places = (policy.jurisdiction.name[:-1], policy.jurisdiction.city[:-1], "国家金融监管总局", "人保财险上杭")
    for clause in policy.clauses:
        for department in clause.departments:
            assert department.startswith(places), f"{policy.id} {clause.id}: {department} does not say which 局"
    coordinator = policy.clause(policy.coordinator.clause)
    assert coordinator is not None
    for department in policy.coordinator.departments:
        assert any(form in squash(coordinator.text) for form in _unqualified(department, policy)), department


def test_huantai_task_table_restored_verbatim() -> None:
    policy = next(p for p in POLICIES if p.id == "hzz-2022-73")
    seed = squash(seed_text(policy))
    rows = [c for c in policy.clauses if c.id.startswith("att.")]
    assert len(rows) == 36
    with_cells = [c for c in rows if c.task_table is not None]
    assert len(with_cells) == 20  # the other rows sit in cells merged with the row above
    for clause in with_cells:
        table = clause.task_table
        assert table is not None and table.progress in {"2022年完成", "2022年启动"}
        assert table.responsible, clause.id
        for cell in (table.progress, table.responsible, table.participating):
            if cell:
                assert squash(cell) in seed, f"{clause.id}: {cell!r} is not in the seed"
    first = policy.clause("att.1.1.1")
    assert first is not None and first.task_table is not None
    assert first.task_table.participating == "县发展改革局、县科技局、县工业和信息化局"
    assert first.departments == ("桓台县市场监管局", "桓台县发展改革局", "桓台县科技局", "桓台县工业和信息化局")
    merged = policy.clause("att.1.3.2")  # 指导企业构建专利池: merged with 1.3.1's 县市场监管局
    assert merged is not None and merged.task_table is None and merged.departments == ("桓台县市场监管局",)
