"""The report's content as data: the order and the words of issue 14, before any PDF."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from eligibility import RuleBook, amount_text, evaluate, parse_profile
from estimate_report import build_report, report_for_profile
from tests.report.conftest import AS_OF, PROFILES


def test_facts_as_understood_start_with_the_resolved_region(book: RuleBook) -> None:
    content = report_for_profile(parse_profile({"region": "泽州", "invention_patents_granted": 3}), book, as_of=AS_OF)
    assert content.facts[0].label == "所在地区"
    assert content.facts[0].value == "山西省晋城市泽州县（输入：泽州）"
    assert ("本年度国内授权发明专利数量（件）", "3") in [(f.label, f.value) for f in content.facts]
    assert content.as_of == AS_OF


def test_each_award_in_engine_order_with_amount_calculation_citation_departments(book: RuleBook) -> None:
    profile = parse_profile(PROFILES["zezhou"])
    evaluation = evaluate(profile, book, as_of=AS_OF)
    content = build_report(profile, evaluation, book, hints=["a", "b", "c", "d"])
    blocks = [b for s in content.policies for b in s.awards]
    assert [b.award_id for b in blocks] == [a.award_id for a in evaluation.awards if not a.citation.other_support]
    assert [b.number for b in blocks] == list(range(1, len(blocks) + 1))
    for block, award in zip(blocks, evaluation.awards, strict=False):
        assert block.amount == amount_text(award)
        assert block.doc_number == "泽政办发〔2021〕16号"
        assert block.clause_path == award.citation.path
        assert block.citation.startswith("依据《泽州县全面推进知识产权强县建设行动方案》（泽政办发〔2021〕16号）")
    assert content.hints == ("a", "b", "c")  # at most three
    assert content.total == "503,000 元"
    assert content.policies[0].status_line.startswith("状态：执行中")


def test_an_award_without_amount_says_so_and_has_no_calculation(book: RuleBook) -> None:
    content = report_for_profile(parse_profile(PROFILES["long"]), book, as_of=AS_OF)
    trusteeship = next(b for s in content.policies for b in s.awards if b.award_id.endswith("ip-trusteeship"))
    assert trusteeship.amount == "原文未规定具体金额"
    assert trusteeship.calculation is None
    assert content.unspecified_count == 1


def test_unknown_facts_say_what_each_could_add(book: RuleBook) -> None:
    content = report_for_profile(parse_profile({"region": "泽州县"}), book, as_of=AS_OF)
    by_field = {u.field: u for u in content.unknown_facts}
    assert "国内授权发明专利资助：每件 2,000 元" in by_field["invention_patents_granted"].could_add
    assert by_field["invention_patents_granted"].label == "本年度国内授权发明专利数量（件）"


def test_lower_bound_and_draft_status(book: RuleBook) -> None:
    # 长治市: 地理标志商标 2 件 with 地理标志保护产品 unknown is a lower bound (README)
    content = report_for_profile(parse_profile({"region": "长治市", "gi_trademarks_new": 2}), book, as_of=AS_OF)
    assert content.policies[0].status == "draft"
    assert "征求意见稿" in content.policies[0].status_line
    amounts = [b.amount for s in content.policies for b in s.awards]
    assert any(a.startswith("至少 ") for a in amounts)
    assert content.total is not None and content.total.startswith("至少 ")


def test_documents_used_carry_short_hashes(book: RuleBook) -> None:
    content = report_for_profile(parse_profile(PROFILES["changzhi"]), book, as_of=AS_OF)
    assert [d.policy_id for d in content.documents] == ["changzhi-2023-draft"]
    doc = content.documents[0]
    assert len(doc.text_sha) == 12 and len(doc.rules_sha) == 12
    int(doc.text_sha, 16), int(doc.rules_sha, 16)


def test_document_hashes_are_those_of_the_files_the_rule_book_was_loaded_from(tmp_path: Path) -> None:
    """A rule book loaded from other files (edited after start-up, or another folder) names those files."""
    from eligibility import load_rulebook
    from eligibility.loader import RULES_DIR
    from knowledge import load_knowledge_base
    from knowledge.base import POLICY_DIR

    shutil.copytree(POLICY_DIR, tmp_path / "policies")
    shutil.copytree(RULES_DIR, tmp_path / "rules")
    edited = tmp_path / "policies" / "changzhi" / "changzhi-2023-draft.yaml"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\n# a comment changes the bytes, not the data\n", encoding="utf-8"
    )
    book = load_rulebook(tmp_path / "rules", load_knowledge_base(policy_dir=tmp_path / "policies"))
    doc = report_for_profile(parse_profile(PROFILES["changzhi"]), book, as_of=AS_OF).documents[0]
    assert doc.text_sha == hashlib.sha256(edited.read_bytes()).hexdigest()[:12]
    packaged = hashlib.sha256((POLICY_DIR / "changzhi" / "changzhi-2023-draft.yaml").read_bytes()).hexdigest()
    assert doc.text_sha != packaged[:12]
    rules = tmp_path / "rules" / "changzhi" / "changzhi-2023-draft.yaml"
    assert doc.rules_sha == hashlib.sha256(rules.read_bytes()).hexdigest()[:12]
