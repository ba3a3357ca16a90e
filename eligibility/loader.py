"""Load and check the rule files against the knowledge base (I/O lives here, not in the engine).

Every data problem surfaces at load time with the file, award id and key named:
a citation that does not match its clause, a condition on an unknown fact, an
amount that reads a fact of the wrong shape, a tier code the profile cannot hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from eligibility.amounts import AmountRule, additive_facts, compile_amount, required_facts
from eligibility.conditions import Check, Test, compile_condition
from eligibility.errors import CitationError, RuleDataError
from eligibility.profile import (
    BOOL_FIELDS,
    CODE_FIELDS,
    CODE_LABELS,
    COUNT_FIELDS,
    COUNTRY_FIELDS,
    FACT_FIELDS,
    LOAN_FIELDS,
    YUAN_FIELDS,
)
from eligibility.result import Citation
from eligibility.rules import (
    Award,
    InterestSubsidy,
    PerItem,
    PerItemPerCountry,
    Range,
    RateCapped,
    RuleFile,
    ShareOf,
    Tiered,
)
from knowledge import KnowledgeBase, load_knowledge_base
from knowledge.yamlcache import ParsedFiles
from knowledge.yamlio import gc_paused, load_yaml

if TYPE_CHECKING:
    from eligibility.engine import Setting

RULES_DIR = Path(__file__).resolve().parent / "rules"


@dataclass(frozen=True, slots=True)
class CompiledAward:
    """An award with everything the engine needs precomputed.

    Compiled once here, like OpenFisca's parameters: the operators are looked up, the amount shape
    becomes a function of the profile, and the labels are formatted, so that evaluating an award
    for one more enterprise does only the comparisons and the arithmetic.
    """

    award: Award
    global_id: str
    citation: Citation
    amount_facts: tuple[str, ...]  # facts the amount reads that no condition already checks
    additive_facts: tuple[str, ...]  # facts the amount adds up: stating some of them already earns money
    applies_to: frozenset[str]
    entity_label: str  # 适用主体（企业、高等学校…）
    conditions: tuple[Check, ...]  # one per condition, in the rule's order
    amount: AmountRule  # ``award.amount`` compiled: profile → amount and its calculation

    @property
    def checks(self) -> tuple[tuple[str, Test, Any, str], ...]:
        """(fact, test, reference, label) per condition."""
        return tuple((c.fact, c.test, c.reference, c.label) for c in self.conditions)


@dataclass(frozen=True)
class RuleBook:
    knowledge: KnowledgeBase
    awards: dict[str, tuple[CompiledAward, ...]]  # by policy id
    # The engine's memo of what depends only on (region text, date): the region resolved, the policies
    # covering it with their status, notes and trace lines (``engine.Setting``). A cache of a pure
    # function of this immutable book, like ``KnowledgeBase``'s; never part of equality.
    settings: dict[tuple[str, date], Setting] = field(default_factory=dict, repr=False, compare=False)
    # SHA-256 of each rule file as loaded (policy id → hex), for reports that name what they used
    rule_hashes: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def all_awards(self) -> tuple[CompiledAward, ...]:
        return tuple(award for awards in self.awards.values() for award in awards)


def _check_fact_shapes(award: Award, where: str) -> None:
    for condition in award.conditions:
        if condition.fact not in FACT_FIELDS:
            raise RuleDataError(f"{where}: condition on unknown fact {condition.fact!r}")
        if condition.fact in CODE_FIELDS and condition.op in {"eq", "in", "any_in"}:
            values = condition.value if isinstance(condition.value, list) else [condition.value]
            unknown = sorted(set(values) - CODE_FIELDS[condition.fact])
            if unknown:
                raise RuleDataError(f"{where}: condition uses unknown codes {unknown} for {condition.fact!r}")
        if condition.op == "is_true" and condition.fact not in BOOL_FIELDS:
            raise RuleDataError(f"{where}: is_true on non-boolean fact {condition.fact!r}")
    amount = award.amount
    wanted = {
        PerItem: COUNT_FIELDS,
        Range: COUNT_FIELDS,
        PerItemPerCountry: COUNTRY_FIELDS,
        Tiered: frozenset(CODE_FIELDS),
        RateCapped: YUAN_FIELDS,
        ShareOf: YUAN_FIELDS,
        InterestSubsidy: LOAN_FIELDS,
    }.get(type(amount), frozenset())
    for fact in required_facts(amount):
        if fact not in wanted:
            raise RuleDataError(f"{where}: amount {amount.kind!r} cannot read fact {fact!r}")
    if isinstance(amount, Tiered):
        unknown = sorted(set(amount.tiers) - CODE_FIELDS[amount.by])
        if unknown:
            raise RuleDataError(f"{where}: tiers {unknown} are not codes of {amount.by!r}")


def _compile(rule_file: RuleFile, kb: KnowledgeBase, file_name: str) -> tuple[CompiledAward, ...]:
    try:
        policy = kb.policy(rule_file.document)
    except KeyError:
        raise RuleDataError(f"{file_name}: document {rule_file.document!r} is not in the knowledge base") from None
    compiled = []
    for award in rule_file.awards:
        where = f"{file_name}: award {award.id!r}"
        clause = policy.clause(award.cite.clause)
        if clause is None:
            raise CitationError(f"{where}: cites clause {award.cite.clause!r}, which {policy.id} does not have")
        if not clause.contains(award.cite.quote):
            raise CitationError(f"{where}: quote {award.cite.quote!r} is not in clause {clause.id}")
        _check_fact_shapes(award, where)
        contacts = policy.contacts(clause)
        strangers = [d for d in award.departments if d not in contacts]
        if strangers:
            raise RuleDataError(f"{where}: departments {strangers} are not among clause {clause.id}'s {list(contacts)}")
        checked = {c.fact for c in award.conditions}
        amount_facts = tuple(f for f in required_facts(award.amount) if f not in checked)
        entity_label = f"适用主体（{'、'.join(CODE_LABELS[t] for t in award.applies_to)}）"
        citation = Citation(
            policy.id,
            policy.title,
            policy.doc_no,
            clause.id,
            clause.path,
            award.cite.quote,
            clause.text,
            departments=award.departments or contacts,
            caveat=award.caveat,
            kind_of_support=award.kind_of_support,
        )
        compiled.append(
            CompiledAward(
                award,
                f"{policy.id}/{award.id}",
                citation,
                amount_facts,
                additive_facts(award.amount),
                frozenset(award.applies_to),
                entity_label,
                tuple(compile_condition(c) for c in award.conditions),
                compile_amount(award.amount),
            )
        )
    ids = [c.global_id for c in compiled]
    if len(ids) != len(set(ids)):
        raise RuleDataError(f"{file_name}: duplicate award ids")
    return tuple(compiled)


def _describe(path: Path, raw: Any, exc: ValidationError) -> str:
    """OpenFisca-style message: file, award id, key; a misspelt key before the missing one it causes."""
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    error = errors[0]
    loc = list(error["loc"])
    where = path.name
    if len(loc) >= 2 and loc[0] == "awards" and isinstance(loc[1], int):
        try:
            where += f": award {raw['awards'][loc[1]]['id']!r}"
        except (KeyError, IndexError, TypeError):
            where += f": award #{loc[1] + 1}"
        loc = loc[2:]
    key = ".".join(str(part) for part in loc)
    if error["type"] == "extra_forbidden":
        allowed = f". Allowed: {sorted(Award.model_fields)}" if len(loc) == 1 and "award" in where else ""
        return f"{where}: unexpected key {key!r}{allowed}"
    return f"{where}: {key}: {error['msg']}"


def load_rule_file(path: Path, parsed: ParsedFiles | None = None) -> RuleFile:
    """One rule file, validated (``parsed``: the folder's store of parsed files, when loading many)."""
    try:
        raw = load_yaml(path) if parsed is None else parsed.load(path)
        return RuleFile.model_validate(raw)
    except ValidationError as exc:
        raise RuleDataError(_describe(path, raw, exc)) from None
    except ValueError as exc:
        raise RuleDataError(f"{path.name}: {exc}") from None


def load_rulebook(rules_dir: Path = RULES_DIR, knowledge: KnowledgeBase | None = None) -> RuleBook:
    """Load every ``<region>/<doc-id>.yaml`` rule file (not ``*.cases.yaml``) and check it."""
    kb = knowledge or load_knowledge_base()
    awards: dict[str, tuple[CompiledAward, ...]] = {policy.id: () for policy in kb.policies}
    hashes: dict[str, str] = {}
    paths = [p for p in sorted(rules_dir.glob("*/*.yaml")) if not p.name.endswith(".cases.yaml")]
    with gc_paused(), ParsedFiles(rules_dir, len(paths)) as parsed:  # load speed at scale only
        for path in paths:
            rule_file = load_rule_file(path, parsed)
            if path.stem != rule_file.document:
                raise RuleDataError(f"{path.name}: document {rule_file.document!r} does not match the file name")
            awards[rule_file.document] = _compile(rule_file, kb, path.name)
            hashes[rule_file.document] = parsed.digests[path]
    return RuleBook(kb, awards, rule_hashes=hashes)
