"""The JSON output contract of ``incentives check --json`` (also what the chat renders)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from eligibility.loader import RuleBook
from eligibility.profile import FIELD_LABELS
from eligibility.result import AwardResult, Evaluation, Step
from knowledge import STATUS_LABELS, policy_status


def yuan_range(low: int | None, high: int | None) -> str:
    """How every channel writes an amount: 24,000 元 · 50,000—100,000 元 · 金额未明确."""
    if low is None or high is None:
        return "金额未明确"
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
        "notes": list(result.notes),
        "missing": list(result.missing),
    }


def evaluation_to_dict(evaluation: Evaluation, *, trace: bool = False) -> dict[str, Any]:
    place = evaluation.place
    statuses = {p.id: p.status for p in evaluation.policies}
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
            }
            for p in evaluation.policies
        ],
        "awards": [award_to_dict(r, statuses) for r in evaluation.awards],
        "needs_info": [award_to_dict(r, statuses) for r in evaluation.pending],
        "total_min": evaluation.total_min,
        "total_max": evaluation.total_max,
        "total_is_lower_bound": evaluation.total_is_lower_bound,
        "unspecified_count": evaluation.unspecified_count,
        "missing_facts": [{"field": f, "label": FIELD_LABELS[f]} for f in evaluation.missing_facts],
        "notes": list(evaluation.notes),
    }
    if trace:
        out["trace"] = {
            "region": [_step(s) for s in evaluation.steps],
            "awards": [
                {"id": r.award_id, "status": r.status, "steps": [_step(s) for s in r.steps]} for r in evaluation.results
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
