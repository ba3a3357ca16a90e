"""One turn of the conversation: read the message, update the enterprise's facts, answer.

Every message that states facts or asks what the enterprise can get is answered in the same turn
from everything known so far; questions about the rules are answered from the rules, questions
about the text from the clauses. Pure: the rule book, the date and the clause search come in
through ``Context``; nothing here reads files, the clock or Rasa.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from conversation import render
from conversation.describe import acknowledgement, question, short_label
from conversation.faq import faq
from conversation.profile import apply_facts, check_fact, clean_profile, evaluate_profile, policies_for
from conversation.prompts import compiled_awards, ranked_prompts
from conversation.questions import (
    ask_region,
    coordinator_reply,
    departments_reply,
    documents_reply,
    region_buttons,
    rules_everywhere,
    rules_reply,
    source_reply,
    status_reply,
    subjects_reply,
)
from conversation.state import DialogueState
from conversation.types import Context, Message, Reply, Turn
from eligibility import Evaluation, evaluate, evaluation_to_dict, parse_profile, total_text
from eligibility.countries import CountryError, country_code
from eligibility.hints import HINTS_HEADING, hint_lines, hints_for
from eligibility.profile import COUNT_FIELDS, COUNTRY_FIELDS, FACT_FIELDS
from eligibility.rates import names_amount
from understanding.acts import ABOUT_BRANCH, BRANCH_PLACE, OWN_PLACE, Cues, read_cues
from understanding.facts import (
    LEADING_NUMBER,
    LEVEL_FIELDS,
    NO,
    YES,
    country_pattern,
    extract,
    loan_pieces,
    loan_terms,
    nth_filing_countries,
    per_filing_countries,
    topic_of,
)
from understanding.numbers import first_int, normalise
from understanding.places import Kind, RegionRead, read_region

_PROMPT = re.compile(r"^补充[:：](.+)$")
_STACKING = re.compile(r"叠加|基础上|上级补助|同时")
_REPORT_HOW = (
    "可打印的测算报告（PDF）：网页上点击本条结果下方的“下载测算报告（PDF）”；微信中点击回答末尾的报告链接；"
    "报告列出每项金额、计算、原文条款和负责部门，可带到主管部门咨询。"
)
_MIXED_UP_TITLES = (
    ("ip_advantage_enterprise", "ip_demonstration_enterprise"),
    ("ip_demonstration_enterprise", "ip_advantage_enterprise"),
)
_LEADING_PLACE = re.compile(r"^\s*([^，,。？?！!：:\s]{2,16})[，,：:]")
_SWITCH_SAME = "更正地区为"
_SWITCH_OTHER = "另一家单位"


_ABOUT_THE_BOT = {"ask_help", "bot_challenge", "out_of_scope", "goodbye", "thank"}
SMALL_TALK = {
    "greet": "utter_greet", "goodbye": "utter_goodbye", "thank": "utter_thank", "ask_help": "utter_help",
    "bot_challenge": "utter_iamabot", "out_of_scope": "utter_out_of_scope",
}  # fmt: skip


def _process_note(region: str) -> str:
    return (
        f"{region}的文件没有规定申报时间、申报材料、资金拨付方式和到账时间（也没有写是否扣税），"
        "以负责部门发布的申报通知为准，可向负责部门咨询。"
    )


def _names_amounts(evaluation: Evaluation, ctx: Context) -> bool:
    """Whether any rule of the region's policies names an amount (桓台 and 柞水 promise support only)."""
    return any(names_amount(c.award.amount) for view in evaluation.policies for c in ctx.book.awards.get(view.id, ()))


def _answer(
    profile: dict[str, Any], state: DialogueState, ctx: Context, ack: str | None, *, ask: bool = True
) -> list[Reply]:
    evaluation = evaluate_profile(profile, ctx)
    if evaluation.policies and not _names_amounts(evaluation, ctx):
        # 桓台, 柞水: no amount anywhere in the plan — say what it promises, ask nothing.
        rules = rules_reply(profile["region"], None, ctx, ack)
        if rules is not None:
            rules.custom = {"type": "awards", "data": evaluation_to_dict(evaluation), "profile": dict(profile)}
            return [rules]
    topic = state.last_topic
    on_topic = (lambda award: render.relevant(award, topic)) if topic else None
    asking = evaluation.policies and ask
    prompts = ranked_prompts(evaluation, ctx.book, frozenset(state.skipped), on_topic) if asking else []
    has_amounts = any(a.amount_min is not None for a in evaluation.awards)
    hints = hint_lines(hints_for(parse_profile(profile), ctx.book, as_of=ctx.as_of, evaluation=evaluation))
    payload = {
        "type": "awards",
        "data": evaluation_to_dict(evaluation),
        "recorded": ack,
        "hints": hints,
        "hints_heading": HINTS_HEADING,
        "profile": dict(profile),  # what the page sends back for the 测算报告 (PDF) of this very answer
    }
    replies = [
        Reply(
            render.answer_text(evaluation, prompts if not state.walkthrough else [], ack, hints),
            render.prompt_buttons(prompts if not state.walkthrough else [], has_amounts),
            payload,
        )
    ]
    state.answered = bool(evaluation.policies)
    if state.walkthrough and evaluation.policies:
        replies.append(_next_question(evaluation, state, ctx))
    return replies


def _next_question(evaluation: Evaluation, state: DialogueState, ctx: Context) -> Reply:
    """Walk-through mode: the next fact the region's rules still wait for, one at a time."""
    for fact in evaluation.missing_facts:
        if fact not in state.skipped:
            state.asked = fact
            text, buttons = question(fact)
            return Reply(text, buttons)
    state.walkthrough = False
    state.asked = None
    return Reply("逐项核对完毕：以上就是按已提供信息能确定的全部奖励。")


def _ask_fact(fact: str, state: DialogueState) -> Reply:
    state.asked = fact
    text, buttons = question(fact)
    return Reply(text, buttons)


_SHORT = 20  # characters: a statement this short that names a fact is about that fact alone


def _named_fact(text: str, cues: Cues) -> str | None:
    """The fact a short statement names ("美国专利", "地理标志", "我们拿了省专利奖"), or a statement of the
    enterprise's own that names a fact and asks what is needed ("泽州的 我们是知识产权示范企业 能奖多少"),
    else None."""
    if cues.claims_fact and not (cues.what_if or cues.correction or cues.new_company or cues.compare):
        fact = topic_of(text)
        if fact == "madrid_registrations" and "申请" in text:
            return "madrid_new_applications"  # "今年新申请了马德里商标国际注册": how many applications
        if fact in FACT_FIELDS and fact not in COUNTRY_FIELDS:  # countries follow the topic talked about
            return fact
    if (
        len(text) > _SHORT
        or re.search(r"\d", normalise(text))
        or cues.question
        or cues.rate_question
        or cues.money_question
        or cues.what_if
    ):
        return None
    if cues.elliptical or cues.correction or cues.department or cues.source or cues.status or cues.rule_words:
        return None  # "地理标志商标奖励" asks about the rule
    fact = topic_of(text)
    return fact if fact in FACT_FIELDS and fact != "pledge_loans" else None


def _ask_named(fact: str, text: str, state: DialogueState) -> Reply:
    """The question for a fact named without its value: the level of the award named, the count in the
    country named."""
    if fact == "patent_awards":
        state.asked = fact
        if re.search(r"省", text):
            levels = ("一等奖", "二等奖", "三等奖")
            return Reply("请问是省专利奖几等奖？", [{"title": x, "payload": f"省专利奖{x}"} for x in levels])
        if re.search(r"中国|国家", text):
            kind = "外观设计" if "外观" in text else "专利"
            grades = ("金奖", "银奖", "优秀奖")
            state.asked_as = f"中国{kind}{{}}"
            return Reply(
                f"请问是中国{kind}金奖、银奖还是优秀奖？",
                [{"title": f"中国{kind}{x}", "payload": f"中国{kind}{x}"} for x in grades],
            )
    if fact == "ip_education_school" and (title := re.search(r"示范|试点", text)):
        state.asked = fact
        state.asked_as = f"{{}}{title.group()}学校"
        return Reply(
            f"请问是国家级还是省级{title.group()}学校？", [{"title": x, "payload": x} for x in ("国家级", "省级")]
        )
    reply = _ask_fact(fact, state)
    if fact in COUNTRY_FIELDS:
        codes = {c for c in (_country_or_none(n) for n in country_pattern().findall(text)) if c}
        if len(codes) == 1:  # "美国专利" → a bare "2件" next is US
            state.asked_country = next(iter(codes))
            name = country_pattern().search(text)
            what = "获得授权的专利" if fact == "foreign_patents" else "的马德里商标国际注册"
            reply.text = f"请问在{name.group() if name else '该国'}{what}有几件？没有请回复“没有”。"
    return reply


_LOAN_TERMS: dict[str, type] = {"principal": int, "annual_benchmark_rate": str, "months": int}


def _loan_piece(
    text: str, cues: Cues, state: DialogueState, previous: dict[str, Any] | None, requested: str | None
) -> dict[str, Any] | Reply | None:
    """A pledge loan told in pieces ("贷了300万" / "基准利率4.35" / "今年一整年都在贷款期"): the terms so
    far are kept in the dialogue state; the loan once principal, rate and months are known, else the
    question for what is missing, else None (the message is not about a loan's terms)."""
    kept = state.loan_draft if isinstance(state.loan_draft, dict) else {}
    draft = {k: v for k, v in kept.items() if isinstance(v, _LOAN_TERMS.get(k, ()))}  # a stale slot: dropped
    about = draft or requested == "pledge_loans" or state.last_topic == "pledge_loans"
    if not about or cues.what_if or cues.question or (previous and not draft and not cues.addition):
        return None
    if topic_of(text) not in {None, "pledge_loans"}:
        return None  # "专利导航花了5万": another fact's money
    piece = loan_pieces(text)
    if not piece:
        return None
    draft.update(piece)
    missing = [
        label
        for key, label in (
            ("principal", "贷款本金"),
            ("annual_benchmark_rate", "年基准利率（例如4.35%）"),
            ("months", "今年计息的月数"),
        )
        if key not in draft
    ]
    if missing:
        state.loan_draft = draft
        state.last_topic = "pledge_loans"
        got = "、".join(
            {
                "principal": f"本金 {draft.get('principal', 0):,} 元",
                "annual_benchmark_rate": f"年基准利率 {draft.get('annual_benchmark_rate')}",
                "months": f"{draft.get('months')} 个月",
            }[k]
            for k in draft
        )
        return Reply(f"好的，质押贷款：{got}。还需要：{'、'.join(missing)}，我就能算出贴息。")
    state.loan_draft = None
    return {
        "principal": draft["principal"],
        "annual_benchmark_rate": draft["annual_benchmark_rate"],
        "months": draft["months"],
    }


def _country_or_none(name: str) -> str | None:
    try:
        return country_code(name)
    except CountryError:
        return None


def _retractions(text: str, profile: dict[str, Any]) -> dict[str, Any]:
    """“美国那件不算”: the country dicts without the countries named."""
    codes = set()
    for name in country_pattern().findall(text):
        try:
            codes.add(country_code(name))
        except CountryError:
            continue
    facts: dict[str, Any] = {}
    for name in COUNTRY_FIELDS:
        current = profile.get(name)
        if isinstance(current, dict) and codes & set(current):
            facts[name] = {k: v for k, v in current.items() if k not in codes}
    return facts


def _recorded(profile: dict[str, Any], facts: dict[str, Any], state: DialogueState, ctx: Context) -> Turn:
    """Facts a yes confirmed, recorded and answered (the region asked for when still unknown)."""
    updated, changes, problems = apply_facts(profile, facts)
    ack = acknowledgement(changes)
    replies = _answer(updated, state, ctx, ack) if updated.get("region") else [ask_region(ctx, ack)]
    return Turn(_with_problems(problems, replies), updated, state)


def _resolve_pending(
    text: str, intent: str | None, cues: Cues, profile: dict[str, Any], state: DialogueState, ctx: Context
) -> Turn | None:
    pending = state.pending or {}
    state.pending = None
    kind = pending.get("kind")
    region = pending.get("region")
    facts = pending.get("facts") or {}
    if not isinstance(region, str) or not isinstance(facts, dict):
        return None
    said = text.strip("，,。！! ").removeprefix("嗯").removeprefix("对").removeprefix("是").strip("，, ")
    place = ctx.book.knowledge.gazetteer.resolve(region).place
    stem = place.name[:-1] if place is not None and len(place.name) > 2 else region
    named = bool(said) and (region.endswith(said) or stem in said)  # "嗯是长治" names 长治市
    yes = bool(YES.match(text)) or cues.affirm or intent == "affirm" or text.startswith(_SWITCH_SAME)
    yes = yes or cues.same_company or (kind == "suggestion" and bool(text) and named)
    no = bool(NO.match(text)) or intent == "deny"
    if kind == "pledge":
        if no or cues.not_pledge or re.match(r"(?:不是|没有|不|否)[，,。\s]", text):
            note = "好的，不是知识产权质押贷款的，不在贴息范围内（已收录文件的贴息只针对专利权、注册商标专用权质押贷款），没有记录。"
            return Turn([Reply(note)], profile, state)
        if yes:
            return _recorded(profile, facts, state, ctx)
        return None
    if kind == "suggestion":
        if yes:
            return _recorded(profile, {"region": region, **facts}, state, ctx)
        if no:
            return Turn([ask_region(ctx)], profile, state)
    if kind == "switch":
        elsewhere = read_region(text, ctx.book.knowledge) if cues.new_company else None
        if elsewhere is not None and elsewhere.place is not None and elsewhere.place.full_name != region:
            return None  # "第二家是另外一个企业，在泽州县…": neither place asked about; read the message afresh
        if text.startswith(_SWITCH_OTHER) or cues.new_company:
            fresh = DialogueState()
            updated, changes, problems = apply_facts({}, {"region": region, **facts})
            ack = acknowledgement(changes) + "\n已按另一家单位重新开始（之前单位的情况不再计入）。"
            return Turn(_with_problems(problems, _answer(updated, fresh, ctx, ack)), updated, fresh)
        if yes or cues.correction:
            return _recorded(profile, {"region": region, **facts}, state, ctx)
    return None


def _unmet(profile: dict[str, Any], stated: dict[str, Any], ctx: Context) -> str | None:
    """Awards the facts just stated reach for but miss (延伸 8 国 < 10 国): say which condition fails."""
    parsed = parse_profile(profile)
    evaluation = evaluate(parsed, ctx.book, as_of=ctx.as_of, trace=False)
    compiled = compiled_awards(ctx.book)
    lines = []
    for result in evaluation.results:
        award = compiled.get(result.award_id)
        if result.status != "not_eligible" or award is None or parsed.entity_type not in award.applies_to:
            continue
        failed = [
            label
            for fact, test, reference, label in award.checks
            if fact in stated and (value := getattr(parsed, fact)) is not None and not test(value, reference)
        ]
        if failed:
            lines.append(f"· {result.name}：需“{'、'.join(failed)}”，按您提供的情况暂不符合")
    return "未满足条件的：\n" + "\n".join(lines[:3]) if lines else None


def _with_problems(problems: list[str], replies: list[Reply]) -> list[Reply]:
    """What could not be recorded, said right after what was (the reply still opens with 已记录)."""
    if not problems:
        return replies
    first = replies[0] if replies else None
    if first is not None and first.text and first.text.startswith("已记录"):
        head, _, rest = first.text.partition("\n")
        first.text = "\n".join(filter(None, [head, *problems, rest]))
        return replies
    return [Reply("\n".join(problems)), *replies]


def _resolve_conflict(region: RegionRead, current: str | None, cues: Cues, ctx: Context, text: str = "") -> RegionRead:
    """Two places in one message: "说错了，是长治县，不是泽州" names the new one beside the old."""
    denied = [p for p in region.candidates if re.search(f"不是{re.escape(p.name[:2])}", text)]
    kept = [p for p in region.candidates if p not in denied]
    if cues.correction and denied and len(kept) == 1:
        # "我们是高平市的，不是泽州县": the place not denied, collected or not
        kind: Kind = "covered" if ctx.book.knowledge.policies_covering(kept[0]) else "uncovered"
        return RegionRead(kind, kept[0])
    covered = [p for p in region.candidates if ctx.book.knowledge.policies_covering(p)]
    others = [p for p in covered if current is None or not current.endswith(p.name)]
    if cues.correction and current and len(others) == 1:
        return RegionRead("covered", others[0])
    if (branch := BRANCH_PLACE.search(text)) and ABOUT_BRANCH.search(text):
        # "集团总部在太原，在泽州县有一家全资子公司…子公司能拿多少？": the subsidiary's place
        said = [p for p in region.candidates if branch.group(1).startswith(p.name[:2])]
        if len(said) == 1:
            kind_b: Kind = "covered" if ctx.book.knowledge.policies_covering(said[0]) else "uncovered"
            return RegionRead(kind_b, said[0])
    if (own := OWN_PLACE.match(text)) and not current:
        # "阳城县的企业，跟泽州县挨着，能按泽州的政策吗？": the place the enterprise is in, said first
        said = [p for p in region.candidates if own.group(1).startswith(p.name[:2])]
        if len(said) == 1:
            kind = "covered" if ctx.book.knowledge.policies_covering(said[0]) else "uncovered"
            return RegionRead(kind, said[0])
    return region


def _what_if(
    profile: dict[str, Any], region: RegionRead | None, facts: dict[str, Any], cues: Cues, ctx: Context
) -> Reply:
    hypothetical = dict(profile)
    if region is not None and region.kind == "covered" and region.place is not None:
        hypothetical["region"] = region.place.full_name
    hypothetical, changes, problems = apply_facts(hypothetical, facts, increment=cues.increment)
    if not hypothetical.get("region"):
        return ask_region(ctx, "假设的情况需要先知道所在地区。")
    after = evaluate_profile(hypothetical, ctx)
    stated = acknowledgement(changes).removeprefix("已记录：") if changes else "其他情况不变"
    lines = [f"假设（{stated}）——仅为测算，不改变您已提供的情况："]
    lines.append(render.answer_text(after, []))
    if profile.get("region"):
        before = evaluate_profile(profile, ctx)
        diff = after.total_min - before.total_min
        change = f"多 {diff:,} 元" if diff > 0 else f"少 {-diff:,} 元" if diff < 0 else "相同"
        lines.append(f"与目前情况下的 {total_text(before)} 相比：{change}。")
    if misses := _unmet(hypothetical, changes, ctx):
        lines.append(misses)
    lines += problems
    payload = {"type": "awards", "data": evaluation_to_dict(after), "recorded": lines[0], "tail": "\n".join(lines[2:])}
    return Reply("\n".join(lines), [], payload)


def _question_about(text: str, region: str, cues: Cues, state: DialogueState, ctx: Context) -> Reply | None:
    """A question naming its topic or the region's plan, answered from the rules, the status or the clauses."""
    topic = topic_of(text)
    if cues.feedback:
        return faq(text, region, state, ctx)
    if cues.process:
        return Reply(f"{_process_note(region)}\n{departments_reply({'region': region}, ctx, topic).text}")
    asks_rule = topic and (cues.applicant_named or cues.rate_question) and not cues.department
    # "贯标补助高校能不能申请？" / "征求意见稿里马德里的奖励条件是啥？": the rule, with whom it is for (and
    # the plan's status first when that is asked too: "专利导航补助标准还在执行吗？")
    if asks_rule and (rules := rules_reply(region, topic, ctx, None)) is not None:
        status = status_reply(region, ctx).text if cues.status else None
        return Reply("\n".join(filter(None, [status, rules.text])))
    if cues.status:
        return status_reply(region, ctx)
    if cues.department and not (topic and cues.rate_question):
        return departments_reply({"region": region}, ctx, topic)
    if cues.all_awards:
        return rules_reply(region, None, ctx, None)
    if topic and (cues.rate_question or cues.money_question):
        return rules_reply(region, topic, ctx, None) or faq(text, region, state, ctx)
    if cues.question and not cues.money_question:
        return faq(text, region, state, ctx)
    return None


def respond(message: Message, profile_in: Any, state: DialogueState, ctx: Context) -> Turn:
    """Answer one message; ``profile_in`` is the stored profile (any junk is dropped)."""
    profile = clean_profile(profile_in)
    text = message.text.strip()
    intent = message.intent
    kb = ctx.book.knowledge
    if message.question:
        return Turn([faq(message.question, profile.get("region"), state, ctx)], profile, state)
    if not text:
        return Turn([Reply("请输入文字内容。")], profile, state)
    labels = {short_label(f): f for f in FACT_FIELDS}
    if (prompt := _PROMPT.match(text)) and prompt.group(1).strip() in labels:
        return Turn([_ask_fact(labels[prompt.group(1).strip()], state)], profile, state)
    cues = read_cues(text)
    if cues.more and state.faq_question:
        return Turn([faq(state.faq_question, profile.get("region"), state, ctx, more=True)], profile, state)
    if state.pending:
        resolved = _resolve_pending(text, intent, cues, profile, state, ctx)
        if resolved is not None:
            return resolved
    region = read_region(text, kb)
    if region is None and not profile.get("region") and state.last_region and cues.here:
        # "那我们县里一家企业…" right after a question about 柞水's plan: the place just talked about
        here = kb.gazetteer.resolve(state.last_region).place
        if here is not None and kb.policies_covering(here):
            region = RegionRead("covered", here)
    if region is not None and region.kind == "ambiguous" and region.candidates:
        compared = [p for p in region.candidates if kb.policies_covering(p)]
        if len(compared) > 1 and (cues.rate_question or cues.all_awards) and not cues.correction:
            # "地理标志商标，泽州和上杭分别奖多少？": each place's rule, nothing recorded.
            topic = None if cues.all_awards else topic_of(text)
            per_place = [(p.name, rules_reply(p.full_name, topic, ctx, None)) for p in compared]
            parts = [f"【{name}】\n{rules.text}" for name, rules in per_place if rules is not None and rules.text]
            if parts:
                return Turn([Reply("\n".join(parts))], profile, state)
        region = _resolve_conflict(region, profile.get("region"), cues, ctx, text)
    restarted: str | None = None
    previous_ask, state.last_ask = state.last_ask, None
    elliptical = cues.elliptical
    if not cues.what_if and elliptical and previous_ask == "whatif" and profile.get("region"):
        cues = replace(cues, what_if=True)  # "国家级示范呢" right after a what-if: another what-if
    # "省专利奖我记错了，是二等奖" / "假如再加一笔质押贷款…": the fact the correction or what-if names
    named = topic_of(text) if cues.correction or cues.what_if else None
    if named in COUNTRY_FIELDS and (state.last_fact in COUNTRY_FIELDS or cues.what_if):
        # "如果日本和韩国也各注册一件呢？" after Madrid registrations: countries of that fact (a what-if's
        # countries are read below, from the topic of the conversation)
        named = state.last_fact if state.last_fact in COUNTRY_FIELDS else None
    requested = state.asked or (
        (named if named in FACT_FIELDS else state.last_fact) if cues.correction or cues.what_if else None
    )
    if cues.what_if and not requested:
        topic = topic_of(text)
        requested = topic if topic in COUNT_FIELDS else None
    if not requested and state.last_topic == "pledge_loans" and cues.loan_words:
        requested = "pledge_loans"  # "贷了300万，年利率4.35%" after a question about pledge loans
    # "发明专利 今年授权的" / "我们拿了省专利奖" / "保护产品没有": a fact named in a short statement; what
    # the message says of it answers it, and a fact named without a value is asked for.
    bare_answer = state.asked is not None and LEADING_NUMBER.match(text) is not None  # "2件 都授权了"
    named_only = _named_fact(text, cues) if requested in {None, state.asked} and not bare_answer else None
    said = text
    if state.asked and state.asked_as and "{}" in state.asked_as and len(text) <= _SHORT:
        said = state.asked_as.replace("{}", text)  # "省级的" answering "国家级还是省级？" about a 试点学校
    state.asked_as = None
    extraction = extract(said, requested=requested, hypothetical=cues.what_if)
    if named_only and named_only not in extraction.facts and len(text) <= _SHORT:
        # what a short message says of the fact it names answers it ("保护产品没有")
        answered = extract(text, requested=named_only, hypothetical=cues.what_if)
        if named_only in answered.facts:
            extraction, requested = answered, named_only
    facts = dict(extraction.facts)
    school = profile.get("ip_education_school")
    title = re.search(r"示范|试点", text) if cues.what_if and "ip_education_school" not in facts else None
    if title and isinstance(school, str) and school != "none":
        # "如果是示范学校的话多少" from a 国家级试点学校: the same level, the other title
        scope = school.split("_")[0]
        facts["ip_education_school"] = f"{scope}_{'demonstration' if title.group() == '示范' else 'pilot'}"
    if cues.in_all is not None and requested in COUNT_FIELDS:
        facts[requested] = cues.in_all  # "再拿到2个，一共3个": the total, not the increase
        cues = replace(cues, increment=False)
    if not COUNTRY_FIELDS & facts.keys() and country_pattern().search(text):
        # "还有一件日本的" / "在德国和法国生效": countries continue the country fact (patents unless Madrid).
        madrid = state.last_topic == "madrid_registrations" or "商标" in text or "注册" in text
        fact = (
            state.last_fact
            if state.last_fact in COUNTRY_FIELDS
            else ("madrid_registrations" if madrid else "foreign_patents")
        )
        if fact in (more := extract(text, requested=fact).facts):
            facts[fact] = more[fact]
    bare = first_int(text) if state.asked in COUNTRY_FIELDS and state.asked_country and bare_answer else None
    if bare is not None and state.asked and not COUNTRY_FIELDS & facts.keys() and not country_pattern().search(text):
        # "2件" after "美国专利一两件吧": the exact number for the country the vague count was about
        if facts.get("invention_patents_granted") == bare and "发明" not in text:
            del facts["invention_patents_granted"]  # "2件 都授权了": the patents abroad asked about
        current = profile.get(state.asked)
        facts[state.asked] = {**(current if isinstance(current, dict) else {}), state.asked_country: bare}
    state.asked_country = None
    stored = profile.get("pledge_loans")
    loans: list[Any] = stored if isinstance(stored, list) else []
    previous: dict[str, Any] | None = loans[-1] if loans and isinstance(loans[-1], dict) else None
    about_loans = topic_of(text) in {None, "pledge_loans"}  # "导航费…其实是12万" corrects the navigation cost
    correcting_loan = about_loans and (cues.correction or (state.last_fact == "pledge_loans" and not cues.addition))
    if previous and "pledge_loans" not in facts and correcting_loan:
        # "不对，本金是150万" / "月数也错了，只计息8个月": change what is named in the last loan.
        changed = {**previous, **loan_pieces(text)}  # "只贷了半年" = 6个月; "利率我写错了，应该是3.45%"
        if changed != previous:
            facts["pledge_loans"] = [*loans[:-1], changed]
    another_loan = topic_of(text) == "pledge_loans" or (
        about_loans and state.last_fact == "pledge_loans" and cues.loan_words
    )
    if previous and cues.addition and another_loan:
        # "另外商标专用权也质押了一笔200万，利率一样，贷了6个月": another loan, the rate as before.
        rate = Decimal(str(previous["annual_benchmark_rate"]).rstrip("%")) / 100
        extra = facts.get("pledge_loans") or [loan_terms(text, rate)]
        if all(extra):
            facts["pledge_loans"] = [*loans, *extra]
    if not facts and not cues.city_subsidy and (draft := _loan_piece(text, cues, state, previous, requested)):
        if isinstance(draft, Reply):
            return Turn([draft], profile, state)
        facts["pledge_loans"] = [*loans, draft]  # "贷了300万" / "基准利率4.35" / "一整年": the loan, complete
    if facts:
        state.loan_draft = None  # a loan told in pieces ends with the loan, or with the next fact stated
    if not facts and cues.loan_words and not cues.what_if and "质押" not in text and (loan := loan_terms(text)):
        # "上杭的，贷了300万，基准利率4.35，12个月": only pledge loans are subsidised — ask which it is
        place_said = (
            region.place.full_name if region is not None and region.kind == "covered" and region.place else None
        )
        state.pending = {
            "kind": "pledge",
            "region": place_said or profile.get("region") or "",
            "facts": {**({"region": place_said} if place_said else {}), "pledge_loans": [*loans, loan]},
        }
        buttons = [{"title": "是，知识产权质押贷款", "payload": "是的"}, {"title": "不是", "payload": "不是"}]
        question_text = "这笔贷款是用专利权或注册商标专用权质押获得的吗？只有知识产权质押贷款才有贴息。"
        return Turn([Reply(question_text, buttons)], profile, state)
    if cues.retract:
        facts.update(_retractions(text, profile))
    if (
        cues.more_applications
        and isinstance(profile.get("madrid_new_applications"), int)
        and "madrid_new_applications" not in facts
    ):
        # "要是今年再新申请一件…呢": one more of the applications already stated (the Madrid ones)
        facts["madrid_new_applications"] = profile["madrid_new_applications"] + cues.more_applications
        countries = profile.get("madrid_designated_countries")
        told = facts.get("madrid_designated_countries")
        if isinstance(told, int) and isinstance(countries, int) and cues.in_all is None:
            facts["madrid_designated_countries"] = told + countries  # "…也指定5个国家": the new filing's own
    if filings := per_filing_countries(text):
        state.filing_countries = filings  # "一件延伸了7个国家，一件延伸了2个国家"
    nth = nth_filing_countries(text) if cues.correction else None
    if nth is not None and nth[0] < len(state.filing_countries):
        # "第二件是延伸了3个国家，我看错了": that filing's countries, the total again
        state.filing_countries[nth[0]] = nth[1]
        facts["madrid_designated_countries"] = sum(state.filing_countries)
    if topic := topic_of(text):
        state.last_topic = topic
    # Stated facts add to what is known, except in a correction, a new enterprise, or an increment
    # ("再多一件") that apply_facts adds itself.
    keep_apart = cues.correction or cues.new_company or cues.increment
    madrid = "马德里" in text or (state.last_topic or "").startswith("madrid")
    filed = profile.get("madrid_new_applications")
    if (
        cues.one_more_filing
        and madrid
        and isinstance(filed, int)
        and "madrid_new_applications" not in facts
        and not keep_apart
    ):
        # "还有一件上个月也提交了，也是马德里的，延伸了3个国家": one more filing, its countries added
        facts["madrid_new_applications"] = filed + 1
        countries = profile.get("madrid_designated_countries")
        if isinstance(facts.get("madrid_designated_countries"), int) and isinstance(countries, int):
            facts["madrid_designated_countries"] += countries
    for name in COUNTRY_FIELDS & facts.keys():
        current = profile.get(name)
        if isinstance(current, dict) and isinstance(facts[name], dict) and not (keep_apart or cues.retract):
            if cues.addition:  # "还有一件美国的": one more in that country
                facts[name] = {**current, **{k: current.get(k, 0) + v for k, v in facts[name].items()}}
            else:  # "德国和法国各一件" after "美国2件": the countries named are stated, the others stay
                facts[name] = {**current, **facts[name]}
    awards = profile.get("patent_awards")
    added = cues.addition and not keep_apart
    if added and isinstance(awards, list) and isinstance(facts.get("patent_awards"), list):
        facts["patent_awards"] = [*awards, *facts["patent_awards"]]  # "另外今年还拿了中国专利优秀奖"
    if cues.correction:
        # "示范企业是我记混了，我们是国家知识产权优势企业": the title named and not restated is withdrawn.
        for name, other in _MIXED_UP_TITLES:
            mixed_up = name in facts and other not in facts and bool(re.search(LEVEL_FIELDS[other], text))
            if mixed_up and profile.get(other) not in {None, "none"}:
                facts[other] = "none"
    if cues.what_if and (facts or (region is not None and region.kind == "covered")):
        state.last_ask = "whatif"
        return Turn([_what_if(profile, region, facts, cues, ctx)], profile, state)
    if cues.done and state.walkthrough:
        state.walkthrough = False
        state.asked = None
    if cues.new_company and region is None and not facts and not cues.question:
        state = DialogueState()
        return Turn([ask_region(ctx, "好的，换一家单位，从头记录（之前单位的情况不再计入）。")], {}, state)

    if region is not None and region.kind == "covered" and region.place is not None:
        full = region.place.full_name
        current = profile.get("region")
        # "柞水县，…": a place said first, then a comma, is where the enterprise is.
        leading = _LEADING_PLACE.match(text)
        stated_first = leading is not None and read_region(leading.group(1), kb) is not None
        known = kb.gazetteer.resolve(current).place if current else None
        elsewhere = known is not None and not known.within(region.place) and not region.place.within(known)
        keeps = not (cues.correction or cues.same_company or cues.new_company)
        compares = elsewhere and keeps and (cues.explain or cues.compared_elsewhere)
        if compares and isinstance(current, str) and policies_for(current, ctx):
            # "为什么泽州一件给2000，我们这一分都没有？": another place's plan compared, not a move
            there = region.place.name
            views = evaluate_profile({"region": region.place.full_name}, ctx).policies
            status = "、".join(f"《{v.title}》为{v.status_label}" for v in views if v.status != "in_force")
            note = f"{there}的规定只适用于{there}，不能套用到{current}" + (f"（{status}）" if status else "")
            note += f"；{current}按当地政策原文计算如下："
            return Turn(_answer(profile, state, ctx, note), profile, state)
        if not facts and not cues.first_person and not cues.new_company and not stated_first:
            # "柞水县发明专利每件奖多少？" asks about a place's rules; it does not move the enterprise.
            state.last_region = full
            state.last_topic = topic_of(text) or state.last_topic
            reply = _question_about(text, full, cues, state, ctx)
            if reply is not None:
                return Turn([reply], profile, state)
        here = kb.gazetteer.resolve(current).place if current else None
        if current and here is not None and here.within(region.place) and not (cues.new_company or cues.correction):
            # "长治这边有奖励吗" from a 长治市壶关县 enterprise: the place it is already in, not a move
            full = current
        # "长治市" then "第一家客户在潞州区": a place inside the one known is a refinement, not a move
        refines = here is not None and region.place != here and region.place.within(here)
        moved = current and current != full and not refines and policies_for(current, ctx)
        if cues.new_company and current:
            state = DialogueState()
            profile = {}
            restarted = "已按另一家单位重新开始（之前单位的情况不再计入）。"
        elif moved and not (cues.correction or cues.same_company):
            state.pending = {"kind": "switch", "region": full, "facts": facts}
            buttons = [
                {"title": f"更正地区为{region.place.name}", "payload": f"{_SWITCH_SAME}{full}"},
                {"title": "这是另一家单位", "payload": _SWITCH_OTHER},
            ]
            text_out = (
                f"您之前说贵单位在{current}，现在提到{full}。是更正地区（同一家单位），"
                "还是另一家单位？另一家单位会从头记录，不沿用之前的情况。"
            )
            return Turn([Reply(text_out, buttons)], profile, state)
        facts = {"region": full, **facts}
    elif region is not None and region.kind == "suggestion" and region.place is not None:
        # 泽洲县 / 长冶市: ask, never apply a place the user did not name.
        state.pending = {"kind": "suggestion", "region": region.place.full_name, "facts": facts}
        buttons = [{"title": f"是的，{region.place.name}", "payload": "是的"}, {"title": "不是", "payload": "不是"}]
        return Turn([Reply(f"您是指{region.place.full_name}吗？", buttons)], profile, state)
    elif region is not None and region.kind == "uncovered" and region.place is not None:
        # A real place outside the knowledge base is still where the enterprise is: recorded, so every
        # later answer says plainly that its policies are not collected (never another region's rules).
        if cues.new_company and profile.get("region"):
            state, profile = DialogueState(), {}
            restarted = "已按另一家单位重新开始（之前单位的情况不再计入）。"
        facts = {"region": region.place.full_name, **facts}
    elif region is not None:
        # An ambiguous name: say so, keep what we know.
        updated, changes, problems = apply_facts(profile, facts)
        ack = acknowledgement(changes) if changes else None
        notes = "\n".join(region.notes)
        replies = [Reply("\n".join(filter(None, [ack, notes])), region_buttons(ctx))]
        return Turn(_with_problems(problems, replies), updated, state)

    updated, changes, problems = apply_facts(profile, facts, increment=cues.increment and not cues.what_if)
    facts = {k: v for k, v in facts.items() if k == "region" or check_fact(k, v) is None}  # the rest: ``problems``
    if extraction.problems:
        problems += [f"{p}（这一项没有记录）" for p in extraction.problems]
    ack = "\n".join(filter(None, [acknowledgement(changes) if changes else None, restarted])) or None
    if extraction.vague_fields:
        fact = extraction.vague_fields[0]
        state.asked = fact
        codes = {c for c in (_country_or_none(n) for n in country_pattern().findall(text)) if c}
        state.asked_country = next(iter(codes)) if fact in COUNTRY_FIELDS and len(codes) == 1 else None
        ask = Reply(f"请告诉我准确的{short_label(fact)}数量（例如“12件”），这样才能按政策算出准确金额。")
        if updated.get("region") and changes:
            return Turn(_with_problems(problems, [*_answer(updated, state, ctx, ack), ask]), updated, state)
        if ack:
            ask.text = f"{ack}\n{ask.text}"
        return Turn(_with_problems(problems, [ask]), updated, state)
    if facts:
        stated = [f for f in facts if f != "region"]
        if stated:
            counts = [f for f in stated if f in COUNT_FIELDS]
            state.last_fact = (counts or [f for f in stated if f != "entity_type"] or stated)[-1]
        if state.asked in facts or (set(stated) - {"entity_type"} and not state.walkthrough):
            state.asked = None  # answered, or the user moved on to another fact
        if not updated.get("region"):
            if cues.compare and (everywhere := rules_everywhere(topic_of(text) or "", ctx)) is not None:
                # "新注册一件地理标志商标，各地都奖多少？": each covered place's rule, the fact kept
                everywhere.text = "\n".join(filter(None, [ack, everywhere.text]))
                return Turn([everywhere], updated, state)
            return Turn(_with_problems(problems, [ask_region(ctx, ack)]), updated, state)
        covered = bool(policies_for(updated["region"], ctx))
        nothing_yet = set(updated) <= {"region", "entity_type"}  # "目前啥知识产权都还没有…能拿到哪些补贴"
        listing = cues.all_awards or (cues.which_awards and nothing_yet)
        # "国家级版权示范单位市里奖多少？" with nothing stated yet: the rule for the topic named
        rule_asked = nothing_yet and cues.rate_question and topic_of(text) is not None
        only_place = set(facts) <= {"region", "entity_type"} and not named_only  # "…拿了省专利奖": asked below
        if only_place and (listing or rule_asked or not cues.money_question) and covered:
            question_reply = _question_about(text, updated["region"], cues, state, ctx)
            if question_reply is None and listing:
                question_reply = rules_reply(updated["region"], None, ctx, None)
            if question_reply is not None:
                question_reply.text = "\n".join(filter(None, [ack, question_reply.text]))
                return Turn([question_reply], updated, state)
        if cues.walkthrough:
            state.walkthrough = True
        replies = _answer(updated, state, ctx, ack)
        if named_only and named_only not in facts:
            replies.append(_ask_named(named_only, text, state))  # "泽州县的，美国专利": how many is asked
        if misses := _unmet(updated, facts, ctx):
            replies[0].text = f"{replies[0].text}\n{misses}"
            if replies[0].custom is not None:
                replies[0].custom["tail"] = misses
        return Turn(_with_problems(problems, replies), updated, state)
    if not problems and cues.pending and updated.get("region") and policies_for(updated["region"], ctx):
        problems = ["还在审查、尚未获得授权（批准）的不计入，按已授权的计算。"]  # "还有1个还在审查，没批下来"
    if not problems and cues.question and (other_kind := cues.not_invention_kind) and updated.get("region"):
        problems = [  # "外观设计那5件县里一点都不奖吗？"
            f"{other_kind}专利不是发明专利：已收录文件没有为{other_kind}专利规定按件的奖励，下面按已记录的情况计算。"
        ]
    unpaid = cues.unpaid_title
    if not problems and unpaid and (cues.question or cues.addition or cues.first_person) and updated.get("region"):
        unlike = "（不同于“中国商标金奖”）" if "商标" in unpaid else ""
        problems = [  # "还有一个商标是驰名商标" / "软著那32个一点都没有吗？": a title no collected award pays
            f"{unpaid}：{updated['region']}的文件没有为{unpaid}规定奖励金额{unlike}，下面按已记录的情况计算。"
        ]
    if problems:
        if updated.get("region") and policies_for(updated["region"], ctx):
            # "btw我们今年还申请了12件发明专利": why it is not counted, then the answer as it stands
            return Turn(_with_problems(problems, _answer(updated, state, ctx, None)), updated, state)
        return Turn([Reply("\n".join(problems))], updated, state)

    region_now = profile.get("region")
    if named_only and not facts and region is None and not extraction.skipped:
        return Turn([_ask_named(named_only, text, state)], profile, state)
    figure_asked = (cues.estimate or cues.hearsay) and not (cues.department or cues.process)
    if region_now and figure_asked and policies_for(region_now, ctx):
        # "那你大概估个数呢" / "我朋友公司说给了5万": only the document's figures, never a guess or hearsay
        note = (
            "别人说的金额不能作为依据，我只按文件原文计算，如下"
            if cues.hearsay
            else "文件原文没有规定具体金额的，我不能估一个数字，只按原文计算，如下"
        )
        note += "（原文未规定具体金额的，以负责部门的标准为准）："
        topic = topic_of(text) or state.last_topic
        unstated = set(profile) <= {"region", "entity_type"}
        if unstated and topic and (rules := rules_reply(region_now, topic, ctx, note)) is not None:
            return Turn([rules], profile, state)
        return Turn(_answer(profile, state, ctx, note, ask=False), profile, state)
    if cues.units_combined and region_now and policies_for(region_now, ctx):
        # "两家加起来13件，能不能按超过10件算？": each unit is counted on its own
        rules = rules_reply(region_now, topic_of(text) or state.last_topic or "invention_patents_granted", ctx, None)
        note = "不能合并：文件按每家单位分别计算，各自独立注册的公司各算各的，数量不能加在一起。按原文："
        rule_text = rules.text.rsplit("\n", 1)[0] if rules and rules.text else None  # without "告诉我…"
        return Turn([Reply("\n".join(filter(None, [note, rule_text])))], profile, state)
    if cues.stack and region_now:
        stacking = sorted({n for a in evaluate_profile(profile, ctx).awards for n in a.notes if _STACKING.search(n)})
        if stacking:
            return Turn([Reply("按文件原文：\n" + "\n".join(f"· {n}" for n in stacking))], profile, state)
    if cues.coverage:
        names = "、".join(kb.covered_names())
        return Turn([Reply(f"目前收录了这些地区的政策：{names}。", region_buttons(ctx))], profile, state)
    if topic_of(text) == "pledge_loans" and cues.first_person and not cues.question and not profile.get("pledge_loans"):
        return Turn([_ask_fact("pledge_loans", state)], profile, state)
    if state.walkthrough and state.asked and region_now and not cues.question:
        # An answer that does not fill the asked fact (不清楚, a code the fact has no "none" for): move on.
        state.skipped.append(state.asked)
        state.asked = None
        return Turn([_next_question(evaluate_profile(profile, ctx), state, ctx)], profile, state)
    if extraction.skipped and (state.asked or named_only or region_now):
        # "布图设计那个 不清楚 跳过" / "其他的这个不知道 跳过": that fact (or the one asked) is not asked again
        state.skipped += [f for f in (state.asked, named_only) if f]
        state.asked = None
        if region_now:
            return Turn(_answer(profile, state, ctx, "好的，这一项先不计入。"), profile, state)
    if cues.walkthrough:
        state.walkthrough = True
        if not region_now:
            return Turn([ask_region(ctx, "好的，我们逐项核对。")], profile, state)
        return Turn([_next_question(evaluate_profile(profile, ctx), state, ctx)], profile, state)
    # "那奖补标准是多少？" continues the last topic; "专利保险有补贴吗？" names a subject of its own.
    inherits = (cues.question or cues.rate_question) and not cues.names_subject
    topic = topic_of(text) or (state.last_topic if inherits else None)
    if topic:
        state.last_topic = topic
    same_ask = elliptical and previous_ask == "department" and topic_of(text) is not None  # "地理标志那个呢？"
    if region_now and cues.feedback:
        return Turn([faq(text, region_now, state, ctx)], profile, state)
    asks_total = cues.done or (cues.what_i_get and cues.amount_asked)
    if region_now and asks_total and (cues.department or cues.source or cues.process):
        # "那总共多少？品种权的奖励是哪个部门审核？": the answer carries each award's clause and departments
        replies = _answer(profile, state, ctx, None)
        if cues.process:
            replies[0].text = f"{replies[0].text}\n{_process_note(region_now)}"
        return Turn(replies, profile, state)
    if region_now and cues.process:
        # "这钱多久到账？" / "要交哪些材料？": the documents do not say; whom to ask (for every award,
        # unless the question names one)
        contacts = departments_reply(profile, ctx, topic_of(text))
        return Turn([Reply(f"{_process_note(region_now)}\n{contacts.text}")], profile, state)
    if region_now and (cues.status or cues.department or cues.plan_lead or same_ask):
        if cues.status:
            reply = status_reply(region_now, ctx)
        elif cues.plan_lead:
            reply = coordinator_reply(region_now, ctx)
        else:
            reply = departments_reply(profile, ctx, topic)
            state.last_ask = "department"
        return Turn([reply], profile, state)
    about = region_now or state.last_region  # "是哪个文件？" after a question about a place's plan
    if about and not region_now and cues.question and (cues.source or cues.status or cues.all_awards or topic):
        reply = _question_about(text, about, cues, state, ctx) if not cues.source else documents_reply(about, ctx)
        if reply is not None:
            return Turn([reply], profile, state)
    # The classifier's ask_explanation alone does not turn a question about amounts into one about the trace.
    explain = cues.explain or (intent == "ask_explanation" and not (cues.all_awards or cues.rate_question or topic))
    if (cues.source or explain) and (region_now or not cues.question or intent == "ask_explanation"):
        return Turn([source_reply(profile, ctx, explain=explain)], profile, state)
    # "能拿多少奖励？" is about the asker; "专利保险有补贴吗？" is a question about the policy.
    if cues.report and region_now:
        replies = _answer(profile, state, ctx, None)
        replies[0].text = f"{_REPORT_HOW}\n{replies[0].text}"
        return Turn(replies, profile, state)
    if cues.compare and not region_now and topic and (everywhere := rules_everywhere(topic, ctx)) is not None:
        return Turn([everywhere], profile, state)  # "地理标志商标各个地方都奖多少？我们科里要做个对比表"
    personal = cues.first_person or cues.done or cues.what_i_get
    if intent in {"done", "ask_eligible_awards"} or (cues.money_question and personal) or cues.done:
        if region_now:
            return Turn(_answer(profile, state, ctx, None), profile, state)
        return Turn([ask_region(ctx)], profile, state)
    topic_rule = topic and (cues.rate_question or (cues.rule_words and len(text) <= 20))  # "地理标志商标奖励"
    if region_now and (cues.all_awards or topic_rule):
        rules = rules_reply(region_now, topic if not cues.all_awards else None, ctx, None)
        if rules is not None:
            return Turn([rules], profile, state)
    if not region_now and topic and (cues.rate_question or cues.money_question) and not cues.status:
        everywhere = rules_everywhere(topic, ctx)
        if everywhere is not None:
            return Turn([everywhere], profile, state)
    if cues.status and not region_now:
        return Turn([ask_region(ctx, "请先告诉我贵单位所在地区，我来说明适用政策的状态。")], profile, state)
    # A question is answered from the clauses whatever the classifier thought ("你好，请问贯标有补助吗" may
    # come as greet); only questions about the bot itself or outside its field keep their canned reply.
    if region_now and not policies_for(region_now, ctx) and (cues.money_question or cues.rate_question):
        return Turn(_answer(profile, state, ctx, None), profile, state)  # "那海淀到底给不给钱？": still not collected
    asker = cues.other_applicant
    if region_now and asker and cues.question and (subjects := subjects_reply(profile, asker, ctx)):
        return Turn([subjects], profile, state)  # "我们是镇上的合作社，也能报吗": whom each award is for
    if intent == "ask_policy_question" or (cues.question and intent not in _ABOUT_THE_BOT):
        whom = (lambda: departments_reply(profile, ctx, topic).text or "") if region_now else None
        return Turn([faq(text, region_now, state, ctx, contacts=whom)], profile, state)
    if intent in SMALL_TALK:
        replies = [Reply(response=SMALL_TALK[intent])]
        if intent == "ask_help":  # the covered places come from the knowledge base, never a copied list
            replies.append(Reply(f"目前收录：{'、'.join(kb.covered_names())}的政策。", region_buttons(ctx)))
        return Turn(replies, profile, state)
    if intent == "dont_know" and state.asked:
        state.skipped.append(state.asked)
        state.asked = None
        return Turn([Reply("好的，这一项先不计入。")], profile, state)
    if intent == "correct_fact" or cues.correction:
        how = "请告诉我要更正哪一项和正确的数字，例如“发明专利是8件”。"
        if region_now and state.answered:
            # "你算错了吧，200万的30%应该是60万": the calculation again, clause by clause, and how to correct
            again = f"按文件原文重新核对如下（每项列出计算和原文）。如果情况有变，{how}"
            return Turn(_answer(profile, state, ctx, again), profile, state)
        return Turn([Reply(how)], profile, state)
    if (intent == "affirm" or cues.affirm) and region_now:
        return Turn(_answer(profile, state, ctx, "好的，按目前记录的情况："), profile, state)
    return Turn([Reply(response="utter_rephrase")], profile, state)
