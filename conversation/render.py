"""Chinese replies built from evaluations and rules. Pure functions, no Rasa.

Order inside an answer: what was understood, the plans' status (before any amount), the total,
each award with its calculation, clause and department, then what could add more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from conversation.describe import short_label
from conversation.prompts import Prompt
from eligibility import AwardResult, Citation, Evaluation, PolicyView, RuleBook, amount_text, total_text
from eligibility.hints import HINTS_HEADING
from eligibility.loader import CompiledAward
from eligibility.rates import names_amount, rate_text
from eligibility.report import ESTIMATE_NOTICE, OTHER_SUPPORT_HEADING, departments_text, split_support, status_heading
from knowledge import Policy

MAX_PROMPTS = 3


def policy_name(title: str, doc_number: str | None) -> str:
    return f"《{title}》" + (f"（{doc_number}）" if doc_number else "")


def status_line(view: PolicyView, as_of: date) -> str:
    """The plan's status, said before any amount (ended plans and drafts first of all)."""
    heading = status_heading(view, as_of)
    if heading:
        return f"注意：{heading}"
    return f"适用政策：{policy_name(view.title, view.doc_number)}，执行中（计划期：{view.period_text}）。"


def departments_line(citation: Citation) -> str | None:
    return f"负责部门：{departments_text(citation.departments)}" if citation.departments else None


def award_lines(n: int, award: AwardResult) -> list[str]:
    lines = [f"{n}. {award.name}：{amount_text(award)}"]
    if award.citation.caveat:
        lines.append(f"   注意：{award.citation.caveat}")
    if award.amount_min is not None:
        lines.append(f"   计算：{award.calculation}")
    lines.append(f"   {award.citation.rendered}：“{award.citation.quote}”")
    if line := departments_line(award.citation):
        lines.append(f"   {line}")
    lines.extend(f"   说明：{note}" for note in award.notes)
    return lines


def prompt_lines(prompts: Sequence[Prompt]) -> list[str]:
    if not prompts:
        return []
    lines = ["如有以下情况，告诉我可以再算（可不回答）："]
    lines += [
        f"· {short_label(p.field)}（{p.award}：{p.rate}）"
        if len(p.rate) <= 24
        else f"· {short_label(p.field)}（{p.award}）"
        for p in prompts[:MAX_PROMPTS]
    ]
    return lines


def answer_text(
    evaluation: Evaluation, prompts: Sequence[Prompt], ack: str | None = None, hints: Sequence[str] = ()
) -> str:
    """The answer to everything known so far (plans that name no amount are answered from their rules);
    ``hints``: what one more patent, a higher title… would add (eligibility.hints), after the awards."""
    lines = [ack] if ack else []
    if not evaluation.policies:
        return "\n".join([*lines, *evaluation.notes])
    lines += [status_line(view, evaluation.as_of) for view in evaluation.policies]
    money, other = split_support(evaluation.awards)
    awards = [a for a in money if a.amount_min is not None]
    promised = [a for a in money if a.amount_min is None]
    if awards:
        more = f"；另有 {len(promised)} 项支持未规定金额" if promised else ""
        lines.append(f"按目前信息可申请 {len(awards)} 项，合计（已明确金额部分）：{total_text(evaluation)}{more}。")
    else:
        lines.append("按目前提供的信息，还没有能确定金额的奖励（合计 0 元）。")
    for n, award in enumerate([*awards, *promised], 1):
        lines += award_lines(n, award)
    if other:
        lines.append(OTHER_SUPPORT_HEADING + "：")
        for n, award in enumerate(other, 1):
            lines += award_lines(n, award)
    if awards:
        lines.append(ESTIMATE_NOTICE)
    if hints:
        lines.append(HINTS_HEADING + "：")
        lines += [f"· {hint}" for hint in hints]
    lines += prompt_lines(prompts)
    return "\n".join(lines)


def prompt_buttons(prompts: Sequence[Prompt], has_awards: bool) -> list[dict[str, str]]:
    buttons = [{"title": "查看计算过程", "payload": "/ask_explanation"}] if has_awards else []
    buttons += [
        {"title": f"补充：{short_label(p.field)}", "payload": f"补充：{short_label(p.field)}"}
        for p in prompts[:MAX_PROMPTS]
    ]
    return buttons


def relevant(compiled: CompiledAward, topic: str | None) -> bool:
    if topic is None:
        return True
    facts = {c.fact for c in compiled.award.conditions} | set(compiled.amount_facts)
    if topic == "madrid_registrations":
        return any(f.startswith("madrid") for f in facts)
    if topic in {"gi_trademarks_new", "gi_products_new"}:
        return bool(facts & {"gi_trademarks_new", "gi_products_new", "gi_industry_business"})
    if topic == "pledge_loans":
        return bool(facts & {"pledge_loans", "city_pledge_interest_subsidy"}) or "质押" in compiled.award.name
    if topic in {"ip_management_certified_first_time", "ip_management_certified"}:
        return bool(facts & {"ip_management_certified_first_time", "ip_management_certified"})
    return topic in facts


def rules_text(
    book: RuleBook,
    policies: Iterable[Policy],
    views: Sequence[PolicyView],
    topic: str | None,
    as_of: date,
) -> str | None:
    """“泽州县发明专利每件奖多少？” from the rules themselves: the rate with its clause, or what the plan promises."""
    lines = [status_line(view, as_of) for view in views]
    found = 0
    named_amounts = False
    for policy in policies:
        compiled = [c for c in book.awards.get(policy.id, ()) if relevant(c, topic)]
        if not compiled:
            continue
        specified = [c for c in compiled if names_amount(c.award.amount)]
        named_amounts = named_amounts or bool(specified)
        if not specified:
            lines.append(f"{policy.citation_name}对此没有规定具体金额，只承诺：")
        # Money first; a bank loan (桓台 质押优先贷款) under its own heading, never among the payments.
        compiled.sort(key=lambda c: c.citation.other_support)
        for c in compiled:
            if c.citation.other_support and (found == 0 or not lines[-1].startswith(OTHER_SUPPORT_HEADING)):
                lines.append(OTHER_SUPPORT_HEADING + "：")
            found += 1
            lines.append(f"{found}. {c.award.name}：{rate_text(c.award.amount)}")
            lines.append(f"   {c.citation.rendered}：“{c.citation.quote}”")
            if line := departments_line(c.citation):
                lines.append(f"   {line}")
    if not found:
        return None
    if named_amounts:
        lines.append("告诉我贵单位的具体情况（例如授权件数），我可以直接算出金额。")
    else:
        lines.append("以上支持没有规定金额，具体标准请向负责部门咨询。")
    return "\n".join(lines)


def status_text(views: Sequence[PolicyView], region: str, leads: Mapping[str, Sequence[str]]) -> str:
    """Each plan's status and what it means for applying; ``leads``: each plan's coordinating office by id."""
    lines = []
    for view in views:
        name = policy_name(view.title, view.doc_number)
        lead = "、".join(leads.get(view.id, ())) or "负责部门"
        if view.status == "in_force":
            advice = f"目前在计划期内，可以按方案申请；原文没有规定申报时间和材料，以负责部门的通知为准（方案牵头部门：{lead}）。"
        elif view.status == "period_ended":
            advice = f"计划期已结束，是否仍在执行、还能否申请，请向{lead}（方案牵头部门）确认。"
        elif view.status == "draft":
            advice = "这是征求意见稿，尚未正式印发施行；正式文件出台前不能据此申请，出台后以正式文件为准。"
        else:
            advice = "尚未印发施行。"
        lines.append(f"{region}适用{name}：状态为{view.status_label}，计划期{view.period_text}。{advice}")
    return "\n".join(lines)


def explanation_text(evaluation: Evaluation) -> str:
    if not evaluation.results:
        return "\n".join(evaluation.notes) or "还没有可以解释的计算结果，请先告诉我所在地区和知识产权情况。"
    marks = {"pass": "✓", "fail": "✗", "unknown": "？", "info": "·"}
    lines = [f"{s.label}：{s.observed}" for s in evaluation.steps]
    for result in evaluation.results:
        checked = any(s.outcome == "fail" and not s.label.startswith(("适用主体", "金额")) for s in result.steps)
        if result.status != "eligible" and not (result.status == "not_eligible" and checked):
            continue
        lines.append(f"【{result.name}】{result.citation.rendered}：“{result.citation.quote}”")
        lines.extend(f"  {marks[s.outcome]} {s.label}：{s.observed}" for s in result.steps)
        lines.append("  → " + ("可申请 " + amount_text(result) if result.status == "eligible" else "不符合"))
    if len(lines) == len(evaluation.steps):
        lines.append("目前还没有算出金额的奖励。")
    return "\n".join(lines)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；！？])", text) if s.strip()]


def best_sentence(text: str, question: str) -> str:
    """The whole sentence of ``text`` that shares the most two-character terms with ``question``."""
    grams = {question[i : i + 2] for i in range(len(question) - 1)}
    sentences = _sentences(text) or [text]
    return max(sentences, key=lambda s: sum(1 for i in range(len(s) - 1) if s[i : i + 2] in grams))
