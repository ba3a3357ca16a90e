"""Rule-data problems surface at load time, naming the file, award and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eligibility import CitationError, RuleDataError, load_rulebook
from eligibility.loader import RULES_DIR
from knowledge import load_knowledge_base

KB = load_knowledge_base()
GOOD = """\
document: zzbf-2021-16
awards:
  - id: invention-grant
    name: 国内授权发明专利资助
    cite: {clause: s3.1.3, quote: "对每件国内授权发明专利一次性给予 2000 元资助"}
    applies_to: all
    amount: {kind: per_item, yuan: 2000, counts: [invention_patents_granted]}
"""


def write_rules(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "zezhou"
    folder.mkdir()
    (folder / "zzbf-2021-16.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_good_file_loads(tmp_path: Path) -> None:
    book = load_rulebook(write_rules(tmp_path, GOOD), KB)
    assert [a.global_id for a in book.awards["zzbf-2021-16"]] == ["zzbf-2021-16/invention-grant"]


@pytest.mark.parametrize(
    ("old", "new", "error", "fragment"),
    [
        ("amount:", "ammount:", RuleDataError, "ammount"),
        ("s3.1.3", "s9.9", CitationError, "s9.9"),
        ("给予 2000 元资助", "给予 3000 元资助", CitationError, "not in clause"),
        ("counts: [invention_patents_granted]", "counts: [foreign_patents]", RuleDataError, "cannot read fact"),
        ("counts: [invention_patents_granted]", "counts: [invention_patent]", RuleDataError, "cannot read fact"),
        ("kind: per_item", "kind: per_thing", RuleDataError, "kind"),
        ("applies_to: all", "applies_to: [company]", RuleDataError, "applies_to"),
        ("yuan: 2000", "yuan: 2000.5", RuleDataError, "yuan"),
        (
            "    amount:",
            "    conditions:\n      - {fact: nope, gte: 1, label: x}\n    amount:",
            RuleDataError,
            "unknown fact",
        ),
        ("    amount:", "    amount: {kind: fixed, yuan: 1}\n    amount:", RuleDataError, "duplicate key"),
        ("document: zzbf-2021-16", "document: nowhere-2020", RuleDataError, "does not match"),
    ],
)
def test_bad_rule_data_is_named(tmp_path: Path, old: str, new: str, error: type[Exception], fragment: str) -> None:
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    with pytest.raises(error) as info:
        load_rulebook(write_rules(tmp_path, text), KB)
    assert fragment in str(info.value)
    assert "zzbf-2021-16.yaml" in str(info.value)


def test_tier_codes_checked(tmp_path: Path) -> None:
    text = GOOD.replace(
        "amount: {kind: per_item, yuan: 2000, counts: [invention_patents_granted]}",
        "amount: {kind: tiered, by: ip_advantage_enterprise, tiers: {county: 5}}",
    )
    with pytest.raises(RuleDataError, match="not codes of"):
        load_rulebook(write_rules(tmp_path, text), KB)


def test_shipped_rules_load() -> None:
    book = load_rulebook()
    assert set(book.awards) == {p.id for p in KB.policies}
    assert Path(RULES_DIR).is_dir()
    assert shutil.which("true")  # the environment has a shell for the CLI tests
