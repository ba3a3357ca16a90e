"""Policy questions answered from the clauses: one direct sentence with its source first."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from conversation import render
from conversation.state import DialogueState
from conversation.types import Context, Reply
from understanding.acts import FEEDBACK

_NUMBER_QUESTION = re.compile(r"热线|电话|号码|联系方式|邮箱|地址|反馈|提意见|联系")


_AMOUNT_ASKED = re.compile(r"多少|金额|标准|补贴|补助|奖励|资助|贴息")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|万|元|%)|百分之")
_DEADLINE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日前")
_PHONE = re.compile(r"12330|\d{3,4}-\d{7,8}|\d{5,}|[\w.]+@[\w.]+|\d+号")  # numbers, emails, addresses


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；;！!？?])", text) if s.strip()]


def _without_places(text: str, ctx: Context) -> str:
    for mention in sorted(ctx.book.knowledge.gazetteer.mentions(text), key=lambda m: m.start, reverse=True):
        text = text[: mention.start] + text[mention.end :]
    return text.strip("，,。 ")


def _status_warning(policy_id: str, ctx: Context) -> str | None:
    from knowledge import policy_status

    policy = ctx.book.knowledge.policy(policy_id)
    status = policy_status(policy, ctx.as_of)
    if status == "draft":
        return f"注意：{policy.citation_name}是征求意见稿，尚未正式印发施行，以正式文件为准。"
    if status == "period_ended":
        return (
            f"注意：{policy.citation_name}的计划期为{policy.period_text}，截至{ctx.as_of:%Y-%m-%d}已过计划期，"
            "是否仍在执行请向负责部门确认。"
        )
    return None


def faq(
    question_text: str,
    region: str | None,
    state: DialogueState,
    ctx: Context,
    more: bool = False,
    contacts: Callable[[], str] | None = None,
) -> Reply:
    """The clause that answers ``question_text`` (in ``region``'s documents first). ``contacts``: whom to
    ask, said first when a number is asked for that the region's documents do not give."""
    from knowledge.retrieval import QuestionError, search_to_dict

    if ctx.retriever is None:
        return Reply(response="utter_rephrase")
    retriever = ctx.retriever()
    try:
        result = retriever.search(question_text, region=region, top_k=3)
    except QuestionError as exc:
        return Reply(exc.zh)
    note = None
    if region:
        wants_number = bool(_NUMBER_QUESTION.search(question_text))
        # Every document: the place named in the question would otherwise filter the search again.
        placeless = _without_places(question_text, ctx) or question_text
        everywhere = retriever.search(placeless, top_k=10 if wants_number else 3)
        best_here = max((h.lexical for h in result.hits), default=0.0)
        # The region's documents share (almost) no term with the question, or far fewer than another's
        # (a national hotline such as 12330 appears only in 桓台's plan): answer from there, and say so.
        best_there = everywhere.hits[0].lexical if everywhere.hits else 0.0
        # A number asked for (热线/电话) that the region's best clause does not give: the clause that does.
        has_number = any(_PHONE.search(h.passage.text) for h in result.hits[:1])
        numbered = [h for h in everywhere.hits if _PHONE.search(h.passage.text)]
        if wants_number and not has_number and numbered:
            result = replace(everywhere, hits=(numbered[0], *[h for h in everywhere.hits if h is not numbered[0]]))
            note = "贵单位所在地区的文件没有写明号码，以下出自其他地区的文件，供参考："
            if contacts is not None:  # "电话多少？": whom to ask first, another place's number after
                note = f"{region}的文件没有写明联系电话。可以向负责部门咨询：\n{contacts()}\n以下号码出自其他地区的文件，供参考："
        elif best_there > 1.0 and (best_here < 1.0 or best_there > 3 * best_here):
            result = everywhere
            note = "贵单位所在地区的文件没有相关规定，以下出自其他地区的文件，供参考："
    if not result.hits:
        return Reply("\n".join(result.notes) or "没有找到相关条款，请换个说法试试。")
    state.faq_question = question_text
    hits = result.hits[1:3] if more else result.hits[:1]
    lines = [note] if note else []
    if more and not hits:
        return Reply("没有更多相关条款了。")
    if warning := _status_warning(hits[0].passage.policy_id, ctx):
        lines.insert(0, warning)  # an ended plan or a draft is said before its clause, not after
    feedback = bool(FEEDBACK.search(question_text))
    first = hits[0].passage
    said = render.best_sentence(first.text, question_text)  # the sentence shown below
    if not more and region and _AMOUNT_ASKED.search(question_text) and not _AMOUNT.search(said):
        # "专利保险保费3万，县里能补贴多少？": the clause promises, names no figure — say so, never guess one
        lines.append(f"{first.region}的文件在这一条没有规定具体金额，原文如下：")
    for hit in hits:
        p = hit.passage
        sentence = render.best_sentence(p.text, question_text)
        deadline = next((m for s in _sentences(p.text) if (m := _DEADLINE.search(s))), None) if feedback else None
        if deadline is not None:
            # "这个稿子还能提意见吗": the deadline, and whether it has passed, before how to send comments
            day = date(int(deadline.group(1)), int(deadline.group(2)), int(deadline.group(3)))
            passed = f"截至{ctx.as_of:%Y-%m-%d}已过截止日期。" if day < ctx.as_of else "目前仍在征求意见期内。"
            lines.append(f"按原文，意见请于{day.year}年{day.month}月{day.day}日前反馈，{passed}")
        if _NUMBER_QUESTION.search(question_text) and not _PHONE.search(sentence):
            # "有电话吗" / "怎么反馈": the sentence of the clause that carries the number or address
            sentence = next((s for s in _sentences(p.text) if _PHONE.search(s)), sentence)
        lines.append(sentence)
        lines.append(f"——{render.policy_name(p.policy_title, p.doc_number)}{p.path}")
    buttons = [] if more or len(result.hits) < 2 else [{"title": "更多相关条款", "payload": "更多相关条款"}]
    payload = {"type": "passages", "data": search_to_dict(result), "answer": "\n".join(lines)}
    return Reply("\n".join(lines), buttons, payload)
