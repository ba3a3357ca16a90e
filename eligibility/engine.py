"""The engine: a pure function from (profile, rules, date) to an evaluation with its trace.

No file, network or clock access here: ``as_of`` is always an argument.
Each award goes validity → entity type → conditions → amount (→ cap), and each
stage appends a ``Step`` so ``incentives explain`` can show the reasoning.
"""

from __future__ import annotations

from datetime import date

from knowledge import STATUS_LABELS, KnowledgeBase, Place, Policy, PolicyStatus, policy_status

from eligibility.amounts import compute
from eligibility.conditions import check
from eligibility.loader import CompiledAward, RuleBook
from eligibility.profile import CODE_LABELS, FIELD_LABELS, EnterpriseProfile
from eligibility.result import AwardResult, Evaluation, PolicyView, Step

NOT_IN_KB = "该地区的知识产权政策暂未收录，不会套用其他地区的政策。目前已收录："


def _observed(value: object) -> str:
    if value is None:
        return "未提供"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(CODE_LABELS.get(str(v), str(v)) for v in value) or "无"
    if isinstance(value, str):
        return CODE_LABELS.get(value, value)
    return str(value)


def evaluate_award(compiled: CompiledAward, profile: EnterpriseProfile, status: PolicyStatus) -> AwardResult:
    award = compiled.award
    steps: list[Step] = []

    def result(state: str, low: int | None = None, high: int | None = None, calc: str = "", missing: tuple[str, ...] = ()) -> AwardResult:
        return AwardResult(
            compiled.global_id, award.name, compiled.citation.policy_id, state,  # type: ignore[arg-type]
            low, high, calc, compiled.citation, award.notes, tuple(steps), missing,
        )

    if status == "not_yet_issued":
        steps.append(Step("政策已印发", "fail", STATUS_LABELS[status]))
        return result("not_in_effect")
    entity = profile.entity_type
    if entity not in compiled.applies_to:
        named = "、".join(CODE_LABELS[t] for t in award.applies_to)
        steps.append(Step(f"适用主体（{named}）", "fail", CODE_LABELS[entity]))
        return result("not_eligible")
    steps.append(Step("适用主体", "pass", CODE_LABELS[entity]))

    unknown: list[str] = []
    failed = False
    for condition in award.conditions:
        value = getattr(profile, condition.fact)
        outcome = check(condition, value)
        steps.append(Step(condition.label, outcome, _observed(value)))
        if outcome == "fail":
            failed = True
        elif outcome == "unknown":
            unknown.append(condition.fact)
    if failed:
        return result("not_eligible")
    for fact in compiled.facts:
        if getattr(profile, fact) is None and fact not in unknown:
            unknown.append(fact)
            steps.append(Step(f"需要：{FIELD_LABELS[fact]}", "unknown", "未提供"))
    if unknown:
        return result("needs_info", missing=tuple(unknown))

    computed = compute(award.amount, profile)
    if computed.amount_max == 0:
        steps.append(Step("金额", "fail", computed.formula))
        return result("not_eligible", 0, 0, computed.formula)
    steps.append(Step("金额", "info", computed.formula))
    return result("eligible", computed.amount_min, computed.amount_max, computed.formula)


def _policy_view(policy: Policy, status: PolicyStatus) -> PolicyView:
    return PolicyView(
        policy.id, policy.title, policy.doc_no, policy.issuer, status, STATUS_LABELS[status],
        policy.issued_on, policy.period_end, policy.period_text,
    )


def _status_note(policy: Policy, status: PolicyStatus, as_of: date) -> str | None:
    name = policy.citation_name
    if status == "draft":
        return f"{name}是征求意见稿，尚未正式印发施行；所列金额仅供参考，以正式文件为准。"
    if status == "period_ended":
        return (
            f"{name}的计划期为{policy.period_text}，截至{as_of:%Y-%m-%d}已过计划期；"
            "以下金额按原文计算，申请前请向主管部门确认是否仍在执行。"
        )
    if status == "not_yet_issued":
        return f"{name}于{policy.issued_on:%Y-%m-%d}印发，{as_of:%Y-%m-%d}时尚未施行，不计算奖励。"
    return None


def _coverage_notes(kb: KnowledgeBase, place: Place | None, query: str, candidates: tuple[Place, ...]) -> list[str]:
    covered = "、".join(kb.covered_names())
    if candidates:
        names = "、".join(c.full_name for c in candidates)
        return [f"“{query}”对应多个地区（{names}），请写明所在的市和县（区）。"]
    if place is None:
        return [f"未能识别地区“{query}”。{NOT_IN_KB}{covered}。"]
    notes = [f"{place.full_name}：{NOT_IN_KB}{covered}。"]
    inside = kb.policies_inside(place)
    if inside:
        names = "、".join(p.jurisdiction.name for p in inside)
        notes.append(f"{place.name}范围内已收录{names}的政策，请告诉我具体所在的县（市、区）。")
    elif place.level == "county":
        siblings = [p for p in kb.policies if p.jurisdiction.city == place.city and p.jurisdiction.level == "county"]
        for policy in siblings:
            notes.append(f"{place.name}与{policy.jurisdiction.name}同属{place.city}，但{policy.citation_name}只适用于{policy.jurisdiction.name}。")
    return notes


def evaluate(profile: EnterpriseProfile, book: RuleBook, *, as_of: date) -> Evaluation:
    """Every award ``profile`` may claim in its region on ``as_of``, with amounts, citations and trace."""
    kb = book.knowledge
    resolution = kb.gazetteer.resolve(profile.region)
    place = resolution.place
    steps = [Step("识别地区", "pass" if place else "fail", place.full_name if place else profile.region)]
    policies = kb.policies_covering(place) if place else ()
    if not policies:
        notes = _coverage_notes(kb, place, profile.region, resolution.candidates)
        return Evaluation(as_of, profile.region, place, resolution.candidates, (), (), tuple(notes), tuple(steps))

    views: list[PolicyView] = []
    results: list[AwardResult] = []
    notes: list[str] = []
    for policy in policies:
        status = policy_status(policy, as_of)
        views.append(_policy_view(policy, status))
        steps.append(Step(f"适用政策 {policy.citation_name}", "info", STATUS_LABELS[status]))
        note = _status_note(policy, status, as_of)
        if note:
            notes.append(note)
        if policy.references:
            notes.append(f"{policy.citation_name}引用的上级文件（{'；'.join(policy.references)}）未收录，未据此计算。")
        results.extend(evaluate_award(compiled, profile, status) for compiled in book.awards.get(policy.id, ()))
    return Evaluation(as_of, profile.region, place, (), tuple(views), tuple(results), tuple(notes), tuple(steps))
