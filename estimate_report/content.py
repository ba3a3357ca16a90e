"""The 测算报告 as pure data: everything the PDF (and any other rendering) shows, in the order it shows it.

Built from what the engine already computed — the profile, its ``Evaluation``, the hints — plus the
rule book (for the rate of each award still waiting for a fact, and the files whose hashes make the
report reproducible). No file is written, no clock read: the date of the estimate is the evaluation's.

Order (issue 14): the facts as understood; the date; each policy with its status first, then its
awards (amount or lower bound, range, 原文未规定具体金额; the one-line calculation; the verbatim clause with
document number and clause path; departments; notes and readings); the total of specified amounts;
the facts still unknown and what each could add; the hints; the standing notice; the footer data
(software version, a short hash of each document used).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import metadata

from eligibility import FIELD_LABELS, AwardResult, EnterpriseProfile, Evaluation, RuleBook, amount_text, total_text
from eligibility.hints import MAX_SHOWN
from eligibility.rates import rate_text
from eligibility.report import ESTIMATE_NOTICE, OTHER_SUPPORT_HEADING, departments_text, split_support, status_heading
from eligibility.result import describe

TITLE = "知识产权奖励测算报告"
MAX_HINTS = MAX_SHOWN  # the same two or three the chat shows
SHORT_HASH = 12  # hex digits of SHA-256: enough to tell two versions of a file apart
NO_POLICY = "该地区的政策尚未收录，本报告不含奖励测算。"


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class AwardBlock:
    """One award as printed: everything that must stay on one page together."""

    number: int
    award_id: str
    title: str
    amount: str  # 24,000 元 · 至少 60,000 元 · 50,000—100,000 元 · 原文未规定具体金额
    caveat: str | None
    calculation: str | None  # None when the policy names no amount
    citation: str  # 依据《…》（文号）三、(一) 3.
    doc_number: str | None
    clause_path: str
    quote: str
    departments: str
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PolicySection:
    title: str
    doc_number: str | None
    status: str
    status_label: str
    period_text: str
    status_line: str  # said before any amount: the status in words
    awards: tuple[AwardBlock, ...]
    other_support: tuple[AwardBlock, ...]


@dataclass(frozen=True, slots=True)
class UnknownFact:
    field: str
    label: str
    could_add: tuple[str, ...]  # “国内授权发明专利资助：每件 2,000 元”, one per award waiting for the fact


@dataclass(frozen=True, slots=True)
class DocumentHash:
    policy_id: str
    title: str
    doc_number: str | None
    text_sha: str  # knowledge/policies/<region>/<id>.yaml: the clauses as transcribed
    rules_sha: str  # eligibility/rules/<region>/<id>.yaml: the awards as data


@dataclass(frozen=True, slots=True)
class ReportContent:
    title: str
    region: str  # as resolved, with the user's wording when it differs
    as_of: date
    facts: tuple[Fact, ...]
    policies: tuple[PolicySection, ...]
    total: str | None  # None when no policy applies
    unspecified_count: int
    award_count: int
    region_notes: tuple[str, ...]  # the engine's notes (uncovered region, interpretations)
    unknown_facts: tuple[UnknownFact, ...]
    hints: tuple[str, ...]
    notice: str
    version: str
    documents: tuple[DocumentHash, ...]

    @property
    def other_support_heading(self) -> str:
        return OTHER_SUPPORT_HEADING


def software_version() -> str:
    try:
        return metadata.version("ip-incentive-assistant")
    except metadata.PackageNotFoundError:  # running from a tree that was never installed
        return "未安装版本"


def document_hash(book: RuleBook, policy_id: str, title: str, doc_number: str | None) -> DocumentHash:
    """Short SHA-256 of the policy file and the rule file this rule book was loaded from."""
    text = book.knowledge.file_hashes.get(policy_id)
    rules = book.rule_hashes.get(policy_id)
    return DocumentHash(
        policy_id, title, doc_number, text[:SHORT_HASH] if text else "无", rules[:SHORT_HASH] if rules else "无"
    )


def profile_facts(profile: EnterpriseProfile, evaluation: Evaluation) -> tuple[Fact, ...]:
    """The facts as understood: the region as resolved, then every stated field in the profile's order."""
    facts = [Fact("所在地区", region_text(evaluation))]
    for name, value in profile:
        if name == "region" or value is None:
            continue
        facts.append(Fact(FIELD_LABELS[name], describe(value)))
    return tuple(facts)


def region_text(evaluation: Evaluation) -> str:
    place = evaluation.place
    if place is None:
        return f"{evaluation.region_query}（未能确定地区）"
    if place.full_name == evaluation.region_query:
        return place.full_name
    return f"{place.full_name}（输入：{evaluation.region_query}）"


def award_block(number: int, result: AwardResult) -> AwardBlock:
    citation = result.citation
    return AwardBlock(
        number=number,
        award_id=result.award_id,
        title=result.name,
        amount=amount_text(result),
        caveat=citation.caveat,
        calculation=result.calculation if result.amount_min is not None else None,
        citation=citation.rendered,
        doc_number=citation.doc_number,
        clause_path=citation.path,
        quote=citation.quote,
        departments=departments_text(citation.departments),
        notes=tuple(result.notes),
    )


def _status_line(evaluation: Evaluation, index: int) -> str:
    policy = evaluation.policies[index]
    heading = status_heading(policy, evaluation.as_of)
    if heading is not None:
        return f"状态：{policy.status_label}。{heading}"
    return f"状态：{policy.status_label}（计划期：{policy.period_text}）。"


def unknown_facts(evaluation: Evaluation, book: RuleBook) -> tuple[UnknownFact, ...]:
    """Each fact still unknown with what each award waiting for it pays by its rule (“每件 2,000 元”)."""
    compiled = {c.global_id: c.award for c in book.all_awards()}
    adds: dict[str, list[str]] = {field: [] for field in evaluation.missing_facts}
    for result in evaluation.results:
        if result.status not in {"needs_info", "eligible"}:
            continue
        award = compiled.get(result.award_id)
        if award is None:
            continue
        for field in result.missing:
            if field in adds:
                line = f"{award.name}：{rate_text(award.amount)}"
                if line not in adds[field]:
                    adds[field].append(line)
    return tuple(UnknownFact(field, FIELD_LABELS[field], tuple(lines)) for field, lines in adds.items())


def build_report(
    profile: EnterpriseProfile, evaluation: Evaluation, book: RuleBook, *, hints: Sequence[str] = ()
) -> ReportContent:
    """The report's content, in the order it is printed. ``hints``: one Chinese line each, best first."""
    money, other = split_support(evaluation.awards)
    sections = []
    number = 0
    for index, policy in enumerate(evaluation.policies):
        awards = []
        for result in money:
            if result.policy_id == policy.id:
                number += 1
                awards.append(award_block(number, result))
        support = []
        for result in other:
            if result.policy_id == policy.id:
                number += 1
                support.append(award_block(number, result))
        sections.append(
            PolicySection(
                policy.title,
                policy.doc_number,
                policy.status,
                policy.status_label,
                policy.period_text,
                _status_line(evaluation, index),
                tuple(awards),
                tuple(support),
            )
        )
    return ReportContent(
        title=TITLE,
        region=region_text(evaluation),
        as_of=evaluation.as_of,
        facts=profile_facts(profile, evaluation),
        policies=tuple(sections),
        total=total_text(evaluation) if evaluation.policies else None,
        unspecified_count=sum(1 for r in money if r.amount_min is None),
        award_count=len(money),
        region_notes=tuple(evaluation.notes),
        unknown_facts=unknown_facts(evaluation, book),
        hints=tuple(hints)[:MAX_HINTS],
        notice=ESTIMATE_NOTICE,
        version=software_version(),
        documents=tuple(document_hash(book, p.id, p.title, p.doc_number) for p in evaluation.policies),
    )
