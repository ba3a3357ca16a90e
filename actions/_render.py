"""Chinese replies and the structured payloads the web page draws. Pure functions."""

from __future__ import annotations

import json
from typing import Any

from eligibility import FIELD_LABELS, AwardResult, Evaluation, evaluation_to_dict, total_text
from eligibility import amount_text as amount_text_of
from knowledge.retrieval import SearchResult, search_to_dict, snippet

MAX_QUOTE = 120
RELATED_QUESTIONS = 3


def amount_text(award: AwardResult) -> str:
    text = amount_text_of(award)
    return text + "（具体以评审为准）" if award.amount_min != award.amount_max else text


def render_awards(evaluation: Evaluation) -> str:
    if not evaluation.policies:
        return "\n".join(evaluation.notes)
    lines = []
    for policy in evaluation.policies:
        number = f"（{policy.doc_number}）" if policy.doc_number else ""
        lines.append(f"适用政策：《{policy.title}》{number}，状态：{policy.status_label}")
    awards = evaluation.awards
    if not awards:
        lines.append("按目前提供的信息，暂未发现可申请的奖励。")
    for n, award in enumerate(awards, 1):
        lines.append(f"{n}. {award.name}：{amount_text(award)}")
        lines.append(f"   计算：{award.calculation}")
        lines.append(f"   {award.citation.rendered}：“{award.citation.quote}”")
        lines.extend(f"   说明：{note}" for note in award.notes)
    if awards:
        line = f"合计（已明确金额部分）：{total_text(evaluation)}"
        if evaluation.unspecified_count:
            line += f"；另有 {evaluation.unspecified_count} 项金额未明确"
        lines.append(line)
    lines.extend(f"提示：{note}" for note in evaluation.notes)
    if evaluation.missing_facts:
        more = "、".join(FIELD_LABELS[f].split("（")[0] for f in evaluation.missing_facts[:3])
        lines.append(f"如果还有{more}等情况，告诉我可以再算一遍。")
    lines.append("也可以继续问政策问题。")
    return "\n".join(lines)


def follow_up_buttons(evaluation: Evaluation) -> list[dict[str, str]]:
    """After an answer: the calculation, then questions on clauses this unit may also benefit from.

    The related questions name awards still waiting for facts, one per clause, leaving out the
    clauses the answer already quoted; the payload carries the question itself, so the bot answers
    it from the clause index whatever the intent classifier would have made of the title.
    """
    buttons = [{"title": "查看计算过程", "payload": "/ask_explanation"}] if evaluation.awards else []
    seen = {(a.policy_id, a.citation.clause_id) for a in evaluation.awards}
    for result in evaluation.pending:
        clause = (result.policy_id, result.citation.clause_id)
        if clause in seen:
            continue
        seen.add(clause)
        question = f"{result.name}有什么规定？"
        entities = json.dumps({"question": question}, ensure_ascii=False)
        buttons.append({"title": question, "payload": f"/ask_policy_question{entities}"})
        if len(buttons) == RELATED_QUESTIONS + 1:
            break
    return buttons


def awards_payload(evaluation: Evaluation) -> dict[str, Any]:
    return {"type": "awards", "data": evaluation_to_dict(evaluation)}


def render_explanation(evaluation: Evaluation) -> str:
    if not evaluation.results:
        return "\n".join(evaluation.notes) or "还没有可以解释的计算结果，请先告诉我所在地区和知识产权情况。"
    marks = {"pass": "✓", "fail": "✗", "unknown": "？", "info": "·"}
    lines = [f"{s.label}：{s.observed}" for s in evaluation.steps]
    for result in evaluation.results:
        checked = any(s.outcome == "fail" and not s.label.startswith(("适用主体", "金额")) for s in result.steps)
        if result.status != "eligible" and not (result.status == "not_eligible" and checked):
            continue  # awards for other kinds of units, or waiting for facts, are not part of the answer
        lines.append(f"【{result.name}】{result.citation.rendered}")
        lines.extend(f"  {marks[s.outcome]} {s.label}：{s.observed}" for s in result.steps)
        lines.append("  → " + ("可申请 " + amount_text(result) if result.status == "eligible" else "不符合"))
    return "\n".join(lines)


def render_passages(result: Any) -> str:
    if not result.hits:
        return "\n".join(result.notes) or "没有找到相关条款，请换个说法试试。"
    lines = ["相关政策条款："]
    for n, hit in enumerate(result.hits, 1):
        p = hit.passage
        number = f"（{p.doc_number}）" if p.doc_number else ""
        text = snippet(p.text, result.question, MAX_QUOTE)
        lines.append(f"{n}. 《{p.policy_title}》{number}{p.path}：{text}")
    lines.extend(f"提示：{note}" for note in result.notes)
    return "\n".join(lines)


def passages_payload(result: SearchResult) -> dict[str, Any]:
    return {"type": "passages", "data": search_to_dict(result)}
