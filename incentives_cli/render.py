"""Readable Chinese reports for the terminal (rich handles the width of CJK text in tables)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from eligibility import FIELD_LABELS, Evaluation, amount_text, total_text
from knowledge import STATUS_LABELS, KnowledgeBase, policy_status

if TYPE_CHECKING:
    from knowledge.retrieval import SearchResult

OUTCOME_MARKS = {"pass": "✓", "fail": "✗", "unknown": "？", "info": "·"}


def _print_list(console: Console, title: str, items: Sequence[str]) -> None:
    if items:
        console.print(f"\n{title}")
        for item in items:
            console.print(f"  - {item}")


def _header(console: Console, evaluation: Evaluation) -> None:
    place = evaluation.place
    where = place.full_name if place else "未识别"
    console.print(f"地区：{where}（输入：{evaluation.region_query}）    评估日期：{evaluation.as_of:%Y-%m-%d}")
    for policy in evaluation.policies:
        number = f"（{policy.doc_number}）" if policy.doc_number else ""
        console.print(f"适用政策：《{policy.title}》{number}  [{policy.status_label}，计划期：{policy.period_text}]")


def render_check(console: Console, evaluation: Evaluation) -> None:
    _header(console, evaluation)
    awards = evaluation.awards
    if evaluation.policies:
        console.print()
        if awards:
            table = Table(title=f"可申请的奖励（{len(awards)} 项）", show_lines=True)
            for column in ("#", "奖励", "金额", "计算", "依据"):
                table.add_column(column, overflow="fold")
            for number, award in enumerate(awards, 1):
                table.add_row(str(number), award.name, amount_text(award), award.calculation, award.citation.path)
            console.print(table)
            line = f"合计（已明确金额部分）：{total_text(evaluation)}"
            if evaluation.unspecified_count:
                line += f"；另有 {evaluation.unspecified_count} 项政策承诺支持但未明确金额"
            console.print(line)
            console.print("\n原文依据：")
            for number, award in enumerate(awards, 1):
                console.print(f"  [{number}] {award.citation.rendered}：“{award.citation.quote}”")
                for note in award.notes:
                    console.print(f"      说明：{note}")
        else:
            console.print("按目前提供的信息，暂未发现可申请的奖励。")
    _print_list(
        console, "还需要了解（补充后可判断更多奖励）：", [f"{FIELD_LABELS[f]}（{f}）" for f in evaluation.missing_facts]
    )
    _print_list(console, "提示：", evaluation.notes)


def render_explain(console: Console, evaluation: Evaluation) -> None:
    console.print(f"评估日期：{evaluation.as_of:%Y-%m-%d}")
    for number, step in enumerate(evaluation.steps, 1):
        console.print(f"{number}. {step.label}：{step.observed}  {OUTCOME_MARKS[step.outcome]}")
    verdicts = {
        "eligible": "可申请",
        "not_eligible": "不符合",
        "needs_info": "待补充信息",
        "not_in_effect": "政策未生效",
    }
    for result in evaluation.results:
        console.print(f"\n【{result.name}】{result.citation.rendered}")
        console.print(f"    原文：“{result.citation.quote}”")
        for step in result.steps:
            console.print(f"    {OUTCOME_MARKS[step.outcome]} {step.label}：{step.observed}")
        outcome = verdicts[result.status]
        if result.status == "eligible":
            outcome += f" {amount_text(result)}"
        elif result.status == "needs_info":
            outcome += "：" + "、".join(FIELD_LABELS[f] for f in result.missing)
        console.print(f"    → {outcome}")
        for note in result.notes:
            console.print(f"    说明：{note}")
    _print_list(console, "提示：", evaluation.notes)


def render_policies(console: Console, kb: KnowledgeBase, as_of: date, award_counts: dict[str, int]) -> None:
    table = Table(title=f"已收录政策（状态按 {as_of:%Y-%m-%d} 计）", show_lines=True)
    for column in ("地区", "文件", "文号", "印发", "计划期", "状态", "条款/奖励"):
        table.add_column(column, overflow="fold")
    for policy in kb.policies:
        status = policy_status(policy, as_of)
        table.add_row(
            policy.jurisdiction.name,
            f"《{policy.title}》",
            policy.doc_no or "（无文号）",
            f"{policy.issuer} {policy.issued_on:%Y-%m-%d}",
            policy.period_text,
            STATUS_LABELS[status],
            f"{len(policy.clauses)} / {award_counts.get(policy.id, 0)}",
        )
    console.print(table)


def render_answer(console: Console, result: SearchResult) -> None:
    console.print(
        f"问题：{result.question}"
        + (f"    地区：{result.region or result.region_query}" if result.region_query else "")
    )
    for note in result.notes:
        console.print(f"提示：{note}")
    if not result.hits and not result.notes:
        console.print("没有检索到相关条款。")
    for number, hit in enumerate(result.hits, 1):
        passage = hit.passage
        number_text = f"（{passage.doc_number}）" if passage.doc_number else ""
        console.print(f"\n[{number}] 《{passage.policy_title}》{number_text} {passage.path}    相关度 {hit.score:.2f}")
        console.print(f"    {passage.text}")
