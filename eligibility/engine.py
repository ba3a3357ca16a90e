"""The engine: a pure function from (profile, rules, date) to an evaluation with its trace.

No file, network or clock access here: ``as_of`` is always an argument.
Each award goes validity → entity type → conditions → amount (→ cap), and each
stage appends a ``Step`` so ``incentives explain`` can show the reasoning.
"""

from __future__ import annotations

from datetime import date

from eligibility.amounts import compute
from eligibility.conditions import AT_LEAST, MONOTONE, Outcome
from eligibility.loader import CompiledAward, RuleBook
from eligibility.profile import FIELD_LABELS, EnterpriseProfile
from eligibility.result import AwardResult, AwardStatus, Evaluation, PolicyView, Step
from knowledge import STATUS_LABELS, Policy, PolicyStatus, policy_status


def evaluate_award(
    compiled: CompiledAward, profile: EnterpriseProfile, status: PolicyStatus, trace: bool = True
) -> AwardResult:
    """One award: validity → entity type → conditions → required facts → amount.

    With ``trace`` off no ``Step`` is built (like OpenFisca's tracer switch): the
    verdict, amount and calculation are identical, only ``steps`` is empty.
    """
    steps: list[Step] = []
    state: AwardStatus
    low = high = None
    calculation = ""
    missing: list[str] = []
    if status == "not_yet_issued":
        if trace:
            steps.append(Step("政策已印发", "fail", text=STATUS_LABELS[status]))
        state = "not_in_effect"
    elif profile.entity_type not in compiled.applies_to:
        if trace:
            steps.append(Step(compiled.entity_label, "fail", profile.entity_type))
        state = "not_eligible"
    else:
        if trace:
            steps.append(Step("适用主体", "pass", profile.entity_type))
        failed = False
        for fact, test, reference, label in compiled.checks:
            value = getattr(profile, fact)
            implied = AT_LEAST[fact](profile) if value is None and fact in AT_LEAST and test in MONOTONE else None
            if implied is not None and test(implied, reference):
                outcome: Outcome = "pass"  # at least ``implied``, already enough (a lower bound never fails)
                value = f"至少 {implied}（由马德里各国注册情况推算，视为本年度新申请）"
            elif value is None:
                missing.append(fact)
                outcome = "unknown"
            elif test(value, reference):
                outcome = "pass"
            else:
                failed = True
                outcome = "fail"
            if trace:
                steps.append(Step(label, outcome, value))
        if not failed:
            for fact in compiled.amount_facts:
                if getattr(profile, fact) is None and fact not in missing:
                    missing.append(fact)
                    if trace:
                        steps.append(Step(f"需要：{FIELD_LABELS[fact]}", "unknown"))
        # An additive amount (地理标志商标 + 地理标志保护产品) pays for the counts already stated:
        # only the facts it does not add up, or all of its counts unstated, keep the award waiting.
        blocking = [fact for fact in missing if fact not in compiled.additive_facts]
        partial = bool(missing) and not blocking and len(missing) < len(compiled.additive_facts)
        if failed:
            state = "not_eligible"
        elif missing and not partial:
            state = "needs_info"
        else:
            low, high, calculation, _, lower_bound = compute(compiled.award.amount, profile)
            # Nothing earned yet: not eligible, or still waiting when unstated counts could earn it.
            state = ("needs_info" if lower_bound else "not_eligible") if high == 0 else "eligible"
            if trace:
                steps.append(Step("金额", "fail" if state == "not_eligible" else "info", text=calculation))
            if state == "needs_info":
                low = high = None
                calculation = ""
    return AwardResult(
        compiled.global_id,
        compiled.award.name,
        compiled.citation.policy_id,
        state,
        low,
        high,
        calculation,
        compiled.citation,
        compiled.award.notes,
        tuple(steps),
        tuple(missing),
        state == "eligible" and bool(missing),
    )


def _policy_view(policy: Policy, status: PolicyStatus) -> PolicyView:
    return PolicyView(
        policy.id,
        policy.title,
        policy.doc_no,
        policy.issuer,
        status,
        STATUS_LABELS[status],
        policy.issued_on,
        policy.period_end,
        policy.period_text,
    )


def _status_note(policy: Policy, status: PolicyStatus, as_of: date) -> str | None:
    name = policy.citation_name
    if status == "draft":
        return f"{name}是征求意见稿，尚未正式印发施行；所列金额仅供参考，以正式文件为准。"
    if status == "period_ended":
        return (
            f"{name}的计划期为{policy.period_text}，截至{as_of:%Y-%m-%d}已过计划期；"
            "所列金额按原文测算，申请前请向负责部门确认是否仍在执行。"
        )
    if status == "not_yet_issued":
        return f"{name}于{policy.issued_on:%Y-%m-%d}印发，{as_of:%Y-%m-%d}时尚未施行，不计算奖励。"
    return None


def evaluate(profile: EnterpriseProfile, book: RuleBook, *, as_of: date, trace: bool = True) -> Evaluation:
    """Every award ``profile`` may claim in its region on ``as_of``, with amounts, citations and trace.

    ``trace=False`` skips building the step-by-step explanation (for bulk use);
    everything else in the evaluation is the same.
    """
    kb = book.knowledge
    resolution = kb.gazetteer.resolve(profile.region)
    place = resolution.place
    steps = [Step("识别地区", "pass" if place else "fail", text=place.full_name if place else profile.region)]
    policies = kb.policies_covering(place) if place else ()
    if not policies:
        uncovered = kb.coverage_notes(place, profile.region, resolution.candidates)
        return Evaluation(as_of, profile.region, place, resolution.candidates, (), (), tuple(uncovered), tuple(steps))

    views: list[PolicyView] = []
    results: list[AwardResult] = []
    notes: list[str] = []
    for policy in policies:
        status = policy_status(policy, as_of)
        views.append(_policy_view(policy, status))
        steps.append(Step(f"适用政策 {policy.citation_name}", "info", text=STATUS_LABELS[status]))
        note = _status_note(policy, status, as_of)
        if note:
            notes.append(note)
        if policy.references:
            notes.append(f"{policy.citation_name}引用的上级文件（{'；'.join(policy.references)}）未收录，未据此计算。")
        results.extend(evaluate_award(compiled, profile, status, trace) for compiled in book.awards.get(policy.id, ()))
    return Evaluation(as_of, profile.region, place, (), tuple(views), tuple(results), tuple(notes), tuple(steps))
