"""Answers to questions about a place's plans: the rules, the status, the documents, the departments."""

from __future__ import annotations

from typing import Any

from conversation import render
from conversation.profile import evaluate_profile, policies_for
from conversation.prompts import compiled_awards
from conversation.types import Context, Reply
from eligibility.rules import ENTITY_TYPES


def region_buttons(ctx: Context) -> list[dict[str, str]]:
    names = dict.fromkeys(p.jurisdiction.name for p in ctx.book.knowledge.policies)
    return [{"title": name, "payload": name} for name in names]


def ask_region(ctx: Context, ack: str | None = None) -> Reply:
    covered = "、".join(ctx.book.knowledge.covered_names())
    text = f"请问贵单位注册在哪个县（市、区）？目前收录：{covered}。"
    return Reply("\n".join(filter(None, [ack, text])), region_buttons(ctx))


def rules_reply(region: str, topic: str | None, ctx: Context, ack: str | None) -> Reply | None:
    evaluation = evaluate_profile({"region": region}, ctx)
    text = render.rules_text(ctx.book, policies_for(region, ctx), evaluation.policies, topic, ctx.as_of)
    if text is None:
        return None
    return Reply("\n".join(filter(None, [ack, text])))


def status_reply(region: str, ctx: Context) -> Reply:
    evaluation = evaluate_profile({"region": region}, ctx)
    if not evaluation.policies:
        return Reply("\n".join(evaluation.notes))
    kb = ctx.book.knowledge
    leads = {view.id: kb.policy(view.id).coordinator.departments for view in evaluation.policies}
    return Reply(
        render.status_text(evaluation.policies, evaluation.place.full_name if evaluation.place else region, leads)
    )


def source_reply(profile: dict[str, Any], ctx: Context, explain: bool) -> Reply:
    if not profile.get("region"):
        return Reply("还没有算出金额。请先告诉我贵单位所在的县（市、区）和知识产权情况。")
    evaluation = evaluate_profile(profile, ctx, trace=explain)
    if explain:
        return Reply(render.explanation_text(evaluation))
    if not evaluation.awards:
        names = "、".join(render.policy_name(v.title, v.doc_number) for v in evaluation.policies)
        return Reply(f"{profile['region']}适用的文件：{names or '暂未收录'}。目前还没有算出金额的奖励。")
    lines = ["以上金额的依据："]
    for n, award in enumerate(evaluation.awards, 1):
        lines.append(f"{n}. {award.name}：{award.citation.rendered}：“{award.citation.quote}”")
    return Reply("\n".join(lines))


def documents_reply(region: str, ctx: Context) -> Reply:
    evaluation = evaluate_profile({"region": region}, ctx)
    if not evaluation.policies:
        return Reply("\n".join(evaluation.notes))
    kb = ctx.book.knowledge
    lines = [f"{region}适用的文件："]
    lines += [
        f"· 《{v.title}》（{v.doc_number or '原文无文号'}），{v.issuer}{v.issued_on:%Y年%m月%d日}{kb.policy(v.id).issue_verb}，状态：{v.status_label}"
        for v in evaluation.policies
    ]
    return Reply("\n".join(lines))


def coordinator_reply(region: str, ctx: Context) -> Reply:
    """“整个方案是哪个局牵头？”: the office each plan puts in charge of the whole plan, with its clause."""
    evaluation = evaluate_profile({"region": region}, ctx)
    if not evaluation.policies:
        return Reply("\n".join(evaluation.notes))
    lines = []
    for view in evaluation.policies:
        policy = ctx.book.knowledge.policy(view.id)
        clause = policy.clause(policy.coordinator.clause)
        where = f"（{policy.citation_name}{clause.path}）" if clause else ""
        lines.append(f"{policy.citation_name}的牵头部门：{'、'.join(policy.coordinator.departments)}{where}")
    return Reply("\n".join(lines))


def departments_reply(profile: dict[str, Any], ctx: Context, topic: str | None = None) -> Reply:
    """“找哪个部门？”: the departments of the awards the question is about, found, or all of the region's."""
    evaluation = evaluate_profile(profile, ctx)
    if not evaluation.policies:
        return Reply("\n".join(evaluation.notes))
    compiled = compiled_awards(ctx.book)
    about = [r for r in evaluation.results if topic and render.relevant(compiled[r.award_id], topic)]
    results = about or evaluation.awards or tuple(r for r in evaluation.results if r.status != "not_eligible")
    lines: list[str] = []
    for result in results:
        if line := render.departments_line(result.citation):
            entry = f"{result.name}：{line.removeprefix('负责部门：')}"
            if entry not in lines:
                lines.append(entry)
    if not lines:
        return Reply("文件没有写明负责部门，请向当地市场监督管理局咨询。")
    return Reply("负责部门（按文件所写，第一个为牵头部门）：\n" + "\n".join(f"· {line}" for line in lines[:8]))


def subjects_reply(profile: dict[str, Any], subject: str, ctx: Context) -> Reply | None:
    """“我们是合作社，也能报吗？”: whom each award found so far is for, in the clause's own words."""
    evaluation = evaluate_profile(profile, ctx)
    if not evaluation.awards:
        return None
    compiled = compiled_awards(ctx.book)
    lines = [f"按文件原文，已算出的各项奖励的对象如下（{subject}能否申请，以原文所写的对象为准）："]
    for result in evaluation.awards:
        award = compiled[result.award_id]
        who = "原文未限定单位类型" if set(award.applies_to) >= set(ENTITY_TYPES) else award.entity_label
        lines.append(f"· {result.name}（{who}）：{result.citation.rendered}：“{result.citation.quote}”")
    if line := render.departments_line(evaluation.awards[0].citation):
        lines.append(f"具体能否受理，可向负责部门确认。{line}")
    return Reply("\n".join(lines))


def rules_everywhere(topic: str, ctx: Context) -> Reply | None:
    """A rule question without a region (“贯标有补助吗？”): each covered place's rule, then ask where."""
    parts = []
    for name in dict.fromkeys(p.jurisdiction.name for p in ctx.book.knowledge.policies):
        reply = rules_reply(name, topic, ctx, None)
        if reply is not None and reply.text:
            parts.append(f"【{name}】\n" + reply.text.rsplit("\n", 1)[0])
    if not parts:
        return None
    parts.append("各地规定不同。告诉我贵单位所在的县（市、区）和具体情况，我按当地政策算出金额。")
    return Reply("\n".join(parts), region_buttons(ctx))
