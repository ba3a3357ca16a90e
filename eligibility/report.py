"""The JSON output contract of ``incentives check --json`` (also what the chat renders)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from eligibility.loader import RuleBook
from eligibility.profile import FIELD_LABELS
from eligibility.result import AwardResult, Evaluation, PolicyView, Step
from knowledge import STATUS_LABELS, policy_status

# The standing notice on every computed answer, in every channel.
ESTIMATE_NOTICE = "以上金额按已公开的政策原文测算，仅供参考；能否获得及具体金额以负责部门审核认定为准。"
OTHER_SUPPORT_HEADING = "其他支持（非财政资金，不计入合计）"


def status_heading(policy: PolicyView, as_of: date) -> str | None:
    """What every channel states BEFORE a policy's amounts when it is not simply in force (None if it is)."""
    number = f"（{policy.doc_number}）" if policy.doc_number else ""
    name = f"《{policy.title}》{number}"
    if policy.status == "period_ended":
        return (
            f"以下按{name}原文测算；该方案的计划期为{policy.period_text}，截至{as_of:%Y-%m-%d}已过计划期，"
            "是否仍在执行请向负责部门确认。"
        )
    if policy.status == "draft":
        return f"以下按{name}原文测算；该文件是征求意见稿，尚未正式印发施行，金额仅供参考，以正式文件为准。"
    if policy.status == "not_yet_issued":
        return f"{name}于{policy.issued_on:%Y-%m-%d}发布，截至{as_of:%Y-%m-%d}尚未发布，不计算其中的奖励。"
    return None


def departments_text(departments: Sequence[str]) -> str:
    """负责部门 as every channel writes it: 泽州县市场监督管理局（牵头）、泽州县财政局."""
    if len(departments) > 1:
        return "、".join([f"{departments[0]}（牵头）", *departments[1:]])
    return "".join(departments)


def split_support(results: Sequence[AwardResult]) -> tuple[tuple[AwardResult, ...], tuple[AwardResult, ...]]:
    """(money awards, other support such as a bank loan): the second goes under its own heading."""
    money = tuple(r for r in results if not r.citation.other_support)
    other = tuple(r for r in results if r.citation.other_support)
    return money, other


def reason_sentence(result: AwardResult) -> str | None:
    """Why an award does not (yet) apply, as a sentence (None when it applies). Needs the trace."""
    if result.status == "eligible":
        return None
    if result.status == "not_in_effect":
        return "该政策在评估日尚未发布，不计算本项。"
    if result.status == "needs_info":
        return "还需要了解：" + "、".join(FIELD_LABELS[f] for f in result.missing) + "。"
    failed = next((s for s in result.steps if s.outcome == "fail"), None)
    if failed is None:
        return "按已提供的信息不符合本项条件。"
    if failed.label.startswith("适用主体（"):
        return f"本项只适用于{failed.label.removeprefix('适用主体（').removesuffix('）')}，您的单位类型是{failed.observed}。"
    if failed.label == "金额":
        return f"按已提供的信息，本项金额为 0 元（{failed.observed}）。"
    return f"本项要求“{failed.label}”，按您提供的信息（{failed.observed}）不符合。"


def yuan_range(low: int | None, high: int | None) -> str:
    """How every channel writes an amount: 24,000 元 · 50,000—100,000 元 · 原文未规定具体金额."""
    if low is None or high is None:
        return "原文未规定具体金额"
    if low == high:
        return f"{low:,} 元"
    return f"{low:,}—{high:,} 元"


def amount_text(result: AwardResult) -> str:
    text = yuan_range(result.amount_min, result.amount_max)
    return f"至少 {text}" if result.amount_is_lower_bound else text


def total_text(evaluation: Evaluation) -> str:
    text = yuan_range(evaluation.total_min, evaluation.total_max)
    return f"至少 {text}" if evaluation.total_is_lower_bound else text


def _step(step: Step) -> dict[str, str]:
    return {"label": step.label, "outcome": step.outcome, "observed": step.observed}


def award_to_dict(result: AwardResult, statuses: Mapping[str, str]) -> dict[str, Any]:
    citation = result.citation
    return {
        "id": result.award_id,
        "policy_title": citation.policy_title,
        "doc_number": citation.doc_number,
        "policy_status": statuses.get(citation.policy_id),
        "clause": citation.path,
        "clause_id": citation.clause_id,
        "title": result.name,
        "status": result.status,
        "amount_min": result.amount_min,
        "amount_max": result.amount_max,
        "amount_is_lower_bound": result.amount_is_lower_bound,
        "calculation": result.calculation,
        "quote": citation.quote,
        "clause_text": citation.clause_text,
        "citation": citation.rendered,
        "caveat": citation.caveat,
        "departments": list(citation.departments),
        "departments_text": departments_text(citation.departments),
        "kind_of_support": citation.kind_of_support,
        "other_support": citation.other_support,
        "notes": list(result.notes),
        "missing": list(result.missing),
    }


def evaluation_to_dict(evaluation: Evaluation, *, trace: bool = False) -> dict[str, Any]:
    place = evaluation.place
    statuses = {p.id: p.status for p in evaluation.policies}
    money, other = split_support(evaluation.awards)
    out: dict[str, Any] = {
        "as_of": evaluation.as_of.isoformat(),
        "region": {
            "query": evaluation.region_query,
            "matched": place.full_name if place and evaluation.policies else None,
            "resolved": place.full_name if place else None,
            "candidates": [c.full_name for c in evaluation.candidates],
        },
        "policies": [
            {
                "id": p.id,
                "title": p.title,
                "doc_number": p.doc_number,
                "issuer": p.issuer,
                "status": p.status,
                "status_label": p.status_label,
                "issued_on": p.issued_on.isoformat(),
                "period_end": p.period_end.isoformat() if p.period_end else None,
                "period_text": p.period_text,
                "heading": status_heading(p, evaluation.as_of),
            }
            for p in evaluation.policies
        ],
        "notice": ESTIMATE_NOTICE if evaluation.policies else None,
        "awards": [award_to_dict(r, statuses) for r in money],
        "other_support": [award_to_dict(r, statuses) for r in other],
        "needs_info": [award_to_dict(r, statuses) for r in evaluation.pending],
        "total_min": evaluation.total_min,
        "total_max": evaluation.total_max,
        "total_is_lower_bound": evaluation.total_is_lower_bound,
        "unspecified_count": sum(1 for r in money if r.amount_min is None),
        "missing_facts": [{"field": f, "label": FIELD_LABELS[f]} for f in evaluation.missing_facts],
        "notes": list(evaluation.notes),
    }
    if trace:
        out["trace"] = {
            "region": [_step(s) for s in evaluation.steps],
            "awards": [
                {
                    "id": r.award_id,
                    "status": r.status,
                    "reason": reason_sentence(r),
                    "steps": [_step(s) for s in r.steps],
                }
                for r in evaluation.results
            ],
        }
    return out


def policies_to_dict(book: RuleBook, as_of: date) -> dict[str, Any]:
    """The policies in the knowledge base with their status on ``as_of`` (CLI ``policies --json``, staff page)."""
    policies = []
    for p in book.knowledge.policies:
        status = policy_status(p, as_of)
        policies.append({
            "id": p.id, "title": p.title, "doc_number": p.doc_no, "issuer": p.issuer,
            "region": p.jurisdiction.name, "level": p.jurisdiction.level,
            "issued_on": p.issued_on.isoformat(),
            "period_end": p.period_end.isoformat() if p.period_end else None,
            "period_text": p.period_text, "status": status, "status_label": STATUS_LABELS[status],
            "clauses": len(p.clauses), "awards": len(book.awards.get(p.id, ())), "source": p.source.file,
        })  # fmt: skip
    return {"as_of": as_of.isoformat(), "policies": policies}
