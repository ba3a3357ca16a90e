"""Data integrity: the knowledge base is verbatim, the rules cite it exactly, and every award is tested."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from eligibility import load_rulebook
from eligibility.loader import RULES_DIR
from knowledge import Policy, load_policies, squash
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
        "zzbf-2021-16": 20,
        "changzhi-2023-draft": 9,
        "shanghang-2017": 3,
        "hzz-2022-73": 0,
        "zzbh-2024-27": 0,
    }
    assert without["shanghang-2017"] == 7
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
