"""“What would unlock more”: for each stated fact, the smallest change that adds money (near-misses).

Pure and deterministic. The engine is the oracle: every gain is the difference between the totals of
two ``evaluate`` calls, the profile as stated and a counterfactual copy with one fact changed, so caps,
thresholds, ranges, exclusions and lower bounds are exactly the engine's. Nothing here knows an amount.

Which change is tried, per kind of fact (only facts the enterprise stated, and only those some money
award of the region's policies reads; a fact not stated is a question, ``Evaluation.missing_facts``):

- counts (发明专利 12 件, 地理标志商标 1 件 …) and by-country facts (境外专利权, 马德里注册: one more
  country each time): ``+1``; but when a bounded search (at most ``MAX_STEP`` more) finds a step that
  makes a further award apply (超过10件的追加奖励, 延伸注册国10个以上), the smallest such step wins, since
  that is the near-miss worth telling. No gain within the bound, or only at a cap: no hint.
- levels (示范企业, 优势企业, 版权示范, 教育示范学校): the next higher rung that adds money
  (省级 → 国家级); already at the top, or no higher rung paid: no hint.
- ``patent_awards``: one more award, the lowest one the region pays (省专利奖三等奖 before 金奖).
- yes/no facts stated as “no” that gate money (初次贯标, 中国商标金奖): becoming “yes”.

Costs, patent-navigation spending and loans are not hinted: spending more to be subsidised is not a
near-miss. Each hint cites the award whose amount grows most; ``policy_status`` lets the caller say
that a plan is a draft or has ended before the amount, as for every other figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from eligibility.amounts import required_facts
from eligibility.engine import evaluate
from eligibility.loader import RuleBook
from eligibility.profile import (
    BOOL_FIELDS,
    CODE_LABELS,
    COUNT_FIELDS,
    FACT_FIELDS,
    FIELD_LABELS,
    MAX_COUNT,
    EnterpriseProfile,
)
from eligibility.rates import names_amount
from eligibility.report import yuan_range
from eligibility.result import AwardResult, Citation, Evaluation
from knowledge import STATUS_LABELS, PolicyStatus

MAX_STEP = 20  # the furthest a count is pushed: beyond 20 more it is not a near-miss
MAX_SHOWN = 3  # what a channel shows: the two or three largest gains

# Stated facts that imply others when those are not stated (conditions.AT_LEAST): Madrid registrations
# by country imply the designated countries and the applications. Hinting the former may cross the
# latter's thresholds.
_IMPLIES: dict[str, frozenset[str]] = {
    "madrid_registrations": frozenset({"madrid_designated_countries", "madrid_new_applications"}),
}
COUNTRY_COUNT_FIELDS = ("foreign_patents", "madrid_registrations")
# Countries tried, in order, for “one more country” (valid for patents and for Madrid; no Benelux member).
_NEW_COUNTRIES = (
    "US", "JP", "KR", "DE", "GB", "FR", "IT", "CA", "AU", "RU", "SG", "IN",
    "BR", "MX", "CH", "SE", "ES", "NZ", "VN", "TH", "MY", "ID", "TR", "ZA",
)  # fmt: skip

# Rungs of each level, lowest first (a 试点 title ranks just below the 示范 title of its tier).
LADDERS: dict[str, tuple[str, ...]] = {
    "ip_demonstration_enterprise": (
        "none", "pilot_municipal", "municipal", "pilot_provincial", "provincial", "pilot_national", "national",
    ),
    "ip_advantage_enterprise": ("none", "municipal", "provincial", "national"),
    "copyright_demonstration_unit": ("none", "provincial", "national"),
    "copyright_demonstration_park": ("none", "provincial", "national"),
    "ip_education_school": (
        "none", "provincial_pilot", "provincial_demonstration", "national_pilot", "national_demonstration",
    ),
}  # fmt: skip

# How a change of count reads: {k} more, {to} in all.
_COUNT_PHRASES: dict[str, str] = {
    "invention_patents_granted": "再获得 {k} 件发明专利授权（共 {to} 件）",
    "ic_layout_designs": "再获得 {k} 件集成电路布图设计专有权（共 {to} 件）",
    "provincial_patent_promotion_projects": "再获得 {k} 项省级专利推广实施资助项目（共 {to} 项）",
    "purchased_invention_patents": "再从县域外购买 {k} 件有效发明专利并办理变更登记（共 {to} 件）",
    "madrid_new_applications": "再新申请 {k} 件马德里商标国际注册（共 {to} 件）",
    "madrid_designated_countries": "马德里申请的延伸国再增加 {k} 个（合计 {to} 个）",
    "gi_trademarks_new": "再新注册 {k} 件地理标志商标（共 {to} 件）",
    "gi_products_new": "再新获批 {k} 件地理标志保护产品（共 {to} 件）",
    "plant_variety_rights": "再获得 {k} 件植物新品种权（共 {to} 件）",
    "foreign_patents": "再在 {k} 个国家或地区获得境外专利权（按每件每个国家计，共 {to} 件）",
    "madrid_registrations": "马德里国际注册再增加 {k} 个国家或地区（共 {to} 个）",
}
_LEVEL_PHRASES: dict[str, Callable[[str], str]] = {
    "ip_demonstration_enterprise": lambda code: (
        f"被认定为{CODE_LABELS[code.removeprefix('pilot_')]}知识产权试点企业"
        if code.startswith("pilot_")
        else f"被认定为{'国家' if code == 'national' else CODE_LABELS[code]}知识产权示范企业"
    ),
    "ip_advantage_enterprise": lambda code: (
        f"被认定为{'国家' if code == 'national' else CODE_LABELS[code]}知识产权优势企业"
    ),
    "copyright_demonstration_unit": lambda code: f"被评为{CODE_LABELS[code]}版权示范单位",
    "copyright_demonstration_park": lambda code: f"被评为{CODE_LABELS[code]}版权示范园区（基地）",
    "ip_education_school": lambda code: (
        f"新列入{CODE_LABELS[code.split('_')[0]]}知识产权教育{'示范' if code.endswith('demonstration') else '试点'}学校"
    ),
}
_FLAG_PHRASES: dict[str, str] = {
    "china_trademark_gold_award": "获评“中国商标金奖”",
    "ip_management_certified_first_time": "初次通过知识产权管理体系认证（贯标）",
    "ip_management_certified": "获得《知识产权管理体系认证证书》",
    "ip_trusteeship": "以购买服务等方式开展知识产权托管",
    "ip_rights_enforcement": "维护自身知识产权权益",
    "copyright_quality_work": "有符合扶持政策的版权精品",
    "patent_industrialization_project": "实施专利转化、产业化项目",
    "patent_agency_registered_locally": "在本县注册成立专利代理（中介）服务机构",
    "gi_industry_business": "从事地理标志产品的生产经营",
}


@dataclass(frozen=True, slots=True)
class Hint:
    """One near-miss: changing ``fact`` from ``from_value`` to ``to_value`` adds ``gain_min``–``gain_max`` yuan.

    ``from_value``/``to_value`` are the profile's values, except for the by-country facts, where they
    are the count the text speaks of (件·国 for 境外专利权, 国家（地区）数 for 马德里注册).
    ``award_id``/``citation`` name the award whose amount grows most. ``lower_bound``: that award's
    amount also sums counts not stated yet (the gain is what the stated facts earn).
    """

    fact: str
    from_value: object
    to_value: object
    gain_min: int
    gain_max: int
    award_id: str
    citation: Citation
    text: str
    award_name: str = ""
    policy_status: PolicyStatus = "in_force"  # in_force | period_ended | draft: the caller says it before the amount
    lower_bound: bool = False

    @property
    def gain_text(self) -> str:
        """24,000 元 · 50,000—100,000 元."""
        return yuan_range(self.gain_min, self.gain_max)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``incentives check --json`` ``hints`` (citation as in ``awards``)."""
        citation = self.citation
        return {
            "fact": self.fact,
            "from": _jsonable(self.from_value),
            "to": _jsonable(self.to_value),
            "gain_min": self.gain_min,
            "gain_max": self.gain_max,
            "award_id": self.award_id,
            "citation": citation.rendered,
            "award_name": self.award_name,
            "policy_title": citation.policy_title,
            "doc_number": citation.doc_number,
            "clause": citation.path,
            "clause_id": citation.clause_id,
            "quote": citation.quote,
            "policy_status": self.policy_status,
            "policy_status_label": STATUS_LABELS[self.policy_status],
            "lower_bound": self.lower_bound,
            "text": self.text,
        }


def _jsonable(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def top_hints(hints: Iterable[Hint], n: int = MAX_SHOWN) -> tuple[Hint, ...]:
    """The ``n`` largest gains (``hints_for`` already sorts them; one hint per fact)."""
    return tuple(sorted(hints, key=_rank))[:n]


def hints_to_dict(hints: Iterable[Hint]) -> list[dict[str, Any]]:
    return [hint.to_dict() for hint in hints]


def _rank(hint: Hint) -> tuple[int, int, int]:
    return (-hint.gain_max, -hint.gain_min, FACT_FIELDS.index(hint.fact))


@dataclass(frozen=True, slots=True)
class _Change:
    profile: EnterpriseProfile
    from_value: object
    to_value: object
    phrase: str


class _Oracle:
    """Evaluates counterfactual profiles against the baseline (memoised per changed value)."""

    def __init__(self, book: RuleBook, as_of: date, base: Evaluation) -> None:
        self.book = book
        self.as_of = as_of
        self.base = base
        self.base_by_id = {r.award_id: r for r in base.results}
        self.statuses = {p.id: p.status for p in base.policies}
        self.calls = 0

    def run(self, profile: EnterpriseProfile) -> Evaluation:
        self.calls += 1
        return evaluate(profile, self.book, as_of=self.as_of, trace=False)

    @staticmethod
    def paying(evaluation: Evaluation) -> frozenset[str]:
        """Awards that pay a specified, positive amount."""
        return frozenset(r.award_id for r in evaluation.awards if r.amount_max)

    def hint(self, fact: str, change: _Change, after: Evaluation) -> Hint | None:
        gain_min = after.total_min - self.base.total_min
        gain_max = after.total_max - self.base.total_max
        if gain_max <= 0:
            return None
        best: tuple[int, int, AwardResult] | None = None
        grew_existing = False
        for result in after.awards:
            if result.amount_max is None:
                continue
            before = self.base_by_id.get(result.award_id)
            old_max = before.amount_max if before and before.status == "eligible" and before.amount_max else 0
            old_min = before.amount_min if before and before.status == "eligible" and before.amount_min else 0
            delta = (result.amount_max - old_max, (result.amount_min or 0) - old_min)
            if delta[0] <= 0:
                continue
            grew_existing = grew_existing or old_max > 0
            if best is None or delta > best[:2]:
                best = (*delta, result)
        if best is None:  # the total grew without any award growing: cannot happen, but never cite nothing
            return None
        award = best[2]
        verb = "可多得" if grew_existing else "可得"
        amount = yuan_range(max(gain_min, 0), gain_max)
        basis = f"{award.name}，{award.citation.rendered}"
        if award.amount_is_lower_bound:
            basis += "；按已提供的数量计算"
        return Hint(
            fact,
            change.from_value,
            change.to_value,
            max(gain_min, 0),
            gain_max,
            award.award_id,
            award.citation,
            f"{change.phrase}，{verb} {amount}（{basis}）",
            award.name,
            self.statuses.get(award.policy_id, "in_force"),
            award.amount_is_lower_bound,
        )


def _read_facts(book: RuleBook, base: Evaluation) -> frozenset[str]:
    """Facts some award of the region's policies reads and that can bring money (a named amount)."""
    facts: set[str] = set()
    for view in base.policies:
        for compiled in book.awards.get(view.id, ()):
            if not names_amount(compiled.award.amount):
                continue
            facts.update(fact for fact, *_ in compiled.checks)
            facts.update(required_facts(compiled.award.amount))
    for source, implied in _IMPLIES.items():
        if facts & implied:
            facts.add(source)
    return frozenset(facts)


def _count_change(profile: EnterpriseProfile, fact: str, value: Any, k: int) -> _Change:
    phrase = _COUNT_PHRASES.get(fact, f"{FIELD_LABELS[fact]}再增加 {{k}}（共 {{to}}）")
    if fact in COUNTRY_COUNT_FIELDS:
        held: dict[str, int] = dict(value)
        new = [code for code in _NEW_COUNTRIES if code not in held][:k]
        changed = {**held, **dict.fromkeys(new, 1)}
        if fact == "madrid_registrations":
            start, end = len(held), len(changed)
        else:
            start, end = sum(held.values()), sum(changed.values())
        return _Change(profile.model_copy(update={fact: changed}), start, end, phrase.format(k=k, to=end))
    return _Change(profile.model_copy(update={fact: value + k}), value, value + k, phrase.format(k=k, to=value + k))


def _count_hint(oracle: _Oracle, profile: EnterpriseProfile, fact: str, value: Any) -> Hint | None:
    """+1, or the smallest step within ``MAX_STEP`` that makes a further award pay (binary search)."""
    if fact in COUNTRY_COUNT_FIELDS:
        limit = min(MAX_STEP, len([c for c in _NEW_COUNTRIES if c not in value]))
    else:
        limit = min(MAX_STEP, MAX_COUNT - value)
    if limit < 1:
        return None
    base_paying = oracle.paying(oracle.base)
    one = _count_change(profile, fact, value, 1)
    after_one = oracle.run(one.profile)
    paying_one = oracle.paying(after_one)
    if paying_one > base_paying or limit == 1:
        return oracle.hint(fact, one, after_one)
    far = _count_change(profile, fact, value, limit)
    after_far = oracle.run(far.profile)
    if not oracle.paying(after_far) > paying_one:
        return oracle.hint(fact, one, after_one)
    low, high, found = 1, limit, (far, after_far)  # invariant: step ``high`` makes a further award pay
    while high - low > 1:
        middle = (low + high) // 2
        change = _count_change(profile, fact, value, middle)
        after = oracle.run(change.profile)
        if oracle.paying(after) > paying_one:
            high, found = middle, (change, after)
        else:
            low = middle
    return oracle.hint(fact, *found)


def _level_hint(oracle: _Oracle, profile: EnterpriseProfile, fact: str, value: str) -> Hint | None:
    ladder = LADDERS[fact]
    for code in ladder[ladder.index(value) + 1 :]:
        phrase = _LEVEL_PHRASES[fact](code)
        change = _Change(profile.model_copy(update={fact: code}), value, code, phrase)
        hint = oracle.hint(fact, change, oracle.run(change.profile))
        if hint is not None:
            return hint
    return None


def _award_hint(oracle: _Oracle, profile: EnterpriseProfile, fact: str, value: list[str]) -> Hint | None:
    """One more patent award: the least valuable one that pays (the easiest to win)."""
    found: list[Hint] = []
    for code in _award_codes(oracle):
        phrase = f"再获得 1 项{CODE_LABELS[code]}"
        change = _Change(profile.model_copy(update={fact: [*value, code]}), tuple(value), (*value, code), phrase)
        hint = oracle.hint(fact, change, oracle.run(change.profile))
        if hint is not None:
            found.append(hint)
    return min(found, key=lambda h: (h.gain_max, h.gain_min), default=None)


def _award_codes(oracle: _Oracle) -> list[str]:
    """The patent-award codes some money award of the region names (tiers or conditions), in profile order."""
    named: set[str] = set()
    for view in oracle.base.policies:
        for compiled in oracle.book.awards.get(view.id, ()):
            if not names_amount(compiled.award.amount):
                continue
            amount = compiled.award.amount
            if getattr(amount, "by", None) == "patent_awards":
                named.update(getattr(amount, "tiers", {}))
            for fact, _, reference, _ in compiled.checks:
                if fact == "patent_awards" and isinstance(reference, list | tuple):
                    named.update(reference)
    return [code for code in CODE_LABELS if code in named]


def _flag_hint(oracle: _Oracle, profile: EnterpriseProfile, fact: str) -> Hint | None:
    phrase = _FLAG_PHRASES.get(fact, f"{FIELD_LABELS[fact]}：是")
    change = _Change(profile.model_copy(update={fact: True}), False, True, phrase)
    return oracle.hint(fact, change, oracle.run(change.profile))


def hints_for(
    profile: EnterpriseProfile,
    book: RuleBook,
    *,
    as_of: date,
    evaluation: Evaluation | None = None,
) -> tuple[Hint, ...]:
    """Every stated fact's smallest money-adding change, largest gain first (one hint per fact).

    ``evaluation`` is the profile's own evaluation on ``as_of`` when the caller already has it (it is
    then not computed again). Channels show ``top_hints(...)``: at most three.
    """
    base = evaluation if evaluation is not None else evaluate(profile, book, as_of=as_of, trace=False)
    if not base.policies:
        return ()
    oracle = _Oracle(book, as_of, base)
    read = _read_facts(book, base)
    found: list[Hint] = []
    for fact in FACT_FIELDS:
        value = getattr(profile, fact)
        if value is None or fact not in read:
            continue
        hint: Hint | None = None
        if fact in COUNT_FIELDS or fact in COUNTRY_COUNT_FIELDS:
            hint = _count_hint(oracle, profile, fact, value)
        elif fact in LADDERS:
            hint = _level_hint(oracle, profile, fact, value)
        elif fact == "patent_awards":
            hint = _award_hint(oracle, profile, fact, value)
        elif fact in BOOL_FIELDS and value is False:
            hint = _flag_hint(oracle, profile, fact)
        if hint is not None:
            found.append(hint)
    return tuple(sorted(found, key=_rank))


HINTS_HEADING = "还可以多得（按同一政策原文测算，供参考）"
# Said before the amount, as for every other figure: a draft or an ended plan may not pay at all.
_STATUS_LEAD = {"draft": "【征求意见稿】", "period_ended": "【已过计划期】"}


def hint_line(hint: Hint) -> str:
    """One hint as every channel shows it: the plan's status (if not in force) first, then the sentence."""
    return f"{_STATUS_LEAD.get(hint.policy_status, '')}{hint.text}"


def hint_lines(hints: Sequence[Hint], n: int = MAX_SHOWN) -> list[str]:
    """The lines of the ``n`` largest gains, for a channel's answer (chat, CLI, 测算报告)."""
    return [hint_line(hint) for hint in top_hints(hints, n)]
