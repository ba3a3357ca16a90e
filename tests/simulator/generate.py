"""Random enterprise profiles and the chat messages a user would type to state them.

Which facts a profile holds comes from the rules files (eligibility/rules/<region>/*.yaml): only
facts that some award of that region reads, for the unit's type. How they are phrased comes from
templates.yaml. Every piece of a message records the template it came from and the value it
states, so the tests can trace each message back and replay the facts (the last statement wins).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from eligibility.profile import BOOL_FIELDS, CODE_FIELDS, COUNT_FIELDS, COUNTRY_FIELDS, LOAN_FIELDS, YUAN_FIELDS
from tests.simulator.text import add_typo, full_width, render_count, render_yuan, traditional_converter

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "eligibility" / "rules"
TEMPLATES_PATH = Path(__file__).with_name("templates.yaml")

COVERED = ("zezhou", "changzhi", "shanghang", "huantai", "zhashui")
UNCOVERED = "uncovered"
REGION_WEIGHTS = {"zezhou": 30, "changzhi": 25, "shanghang": 15, "huantai": 10, "zhashui": 10, UNCOVERED: 10}
# Countries a county enterprise plausibly holds patents or trademarks in, with a one-character short name.
COUNTRIES = {"美国": "美", "日本": "日", "德国": "德", "韩国": "韩", "英国": "英", "法国": "法"}
LAYOUTS = {"one": 35, "region_first": 25, "region_last": 20, "mixed": 20}
NOISES = ("typo", "traditional", "fullwidth")
FILLER = "filler"
Value = Any  # a profile value: int, bool, str, list of codes, {country: count}, list of loans


@cache
def templates() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(TEMPLATES_PATH.read_text(encoding="utf-8"))
    return data


@cache
def region_facts(region: str, entity: str = "enterprise") -> dict[str, frozenset[str]]:
    """The facts some award of ``region`` reads for a unit of type ``entity``, each with the codes
    that award conditions or tiers name (empty for counts, money, booleans)."""
    facts: dict[str, set[str]] = {}
    for path in sorted((RULES_DIR / region).glob("*.yaml")):
        if path.name.endswith(".cases.yaml"):
            continue
        for award in yaml.safe_load(path.read_text(encoding="utf-8"))["awards"]:
            applies = award.get("applies_to", "all")
            if applies != "all" and entity not in applies:
                continue
            for condition in award.get("conditions", ()):
                codes = condition.get("in") or condition.get("any_in") or []
                if "eq" in condition:
                    codes = [condition["eq"]]
                facts.setdefault(condition["fact"], set()).update(c for c in codes if isinstance(c, str))
            amount = award["amount"]
            counts = amount.get("counts", [])
            for fact in [counts] if isinstance(counts, str) else counts:
                facts.setdefault(fact, set())
            for key in ("of", "by"):
                if key in amount:
                    facts.setdefault(amount[key], set()).update(amount.get("tiers", {}))
    return {fact: frozenset(codes) for fact, codes in facts.items()}


@cache
def entity_types(region: str) -> tuple[str, ...]:
    """Unit types other than enterprise for which ``region`` has an award of their own."""
    found: set[str] = set()
    for path in sorted((RULES_DIR / region).glob("*.yaml")):
        if path.name.endswith(".cases.yaml"):
            continue
        for award in yaml.safe_load(path.read_text(encoding="utf-8"))["awards"]:
            applies = award.get("applies_to", "all")
            if applies != "all":
                found.update(a for a in applies if a != "enterprise")
    return tuple(sorted(found & set(templates()["entity_types"])))


@dataclass(frozen=True)
class Fragment:
    """One piece of a message: a fact statement, a region, a unit type, a correction or filler."""

    fact: str  # a profile field, "region", "entity_type", or "filler"
    key: str  # where the template lives in templates.yaml, e.g. "facts.gi_trademarks_new.templates[2]"
    template: str
    text: str  # as rendered, before noise
    value: Value = None  # the value this piece states (None for filler)


@dataclass(frozen=True)
class Turn:
    fragments: tuple[Fragment, ...]
    clean: str  # the message before noise
    text: str  # the message as sent

    @property
    def facts(self) -> tuple[str, ...]:
        return tuple(f.fact for f in self.fragments if f.fact != FILLER)


@dataclass(frozen=True)
class Conversation:
    sender: str
    region_kind: str  # a key of COVERED, or "uncovered"
    profile: dict[str, Value]  # the final profile, as parse_profile takes it
    turns: tuple[Turn, ...]
    layout: str
    # what makes it harder: typo, traditional, fullwidth, cn_numerals, shuffled, multi_fact, correction_*
    noise: tuple[str, ...]
    first_complete: bool  # the first message states every fact (and nothing is corrected later)


# ---------------------------------------------------------------------------------------------- values


def _count(rng: random.Random, fact: str, region: str) -> int:
    if fact == "invention_patents_granted" and region == "zezhou" and rng.random() < 0.15:
        return rng.randint(11, 30)  # the bonus tier above 10
    if fact == "madrid_designated_countries":
        return rng.choice([3, 5, 8, 10, 10, 12, 15, 20])
    return rng.choices([1, 2, 3, 4, 5, 6, 8, 10, 12], weights=[32, 24, 14, 8, 7, 5, 4, 3, 3])[0]


def _countries(rng: random.Random) -> dict[str, int]:
    names = rng.sample(list(COUNTRIES), rng.choices([1, 2, 3], weights=[55, 35, 10])[0])
    same = rng.random() < 0.5
    first = rng.choice([1, 1, 2, 3])
    return {name: first if same else rng.choice([1, 1, 2, 3]) for name in names}


def _value(rng: random.Random, fact: str, codes: frozenset[str], region: str) -> Value:
    if fact in COUNT_FIELDS:
        return _count(rng, fact, region)
    if fact in COUNTRY_FIELDS:
        return _countries(rng)
    if fact == "patent_navigation_cost":
        return rng.choice([30_000, 50_000, 60_000, 80_000, 100_000, 120_000, 150_000, 200_000, 45_500])
    if fact in YUAN_FIELDS:
        return rng.choice([5_000, 8_000, 10_000, 12_000, 20_000, 30_000, 16_800])
    if fact in LOAN_FIELDS:
        return [
            {
                "principal": rng.choice([1_000_000, 2_000_000, 3_000_000, 5_000_000, 8_000_000, 10_000_000]),
                "annual_benchmark_rate": rng.choice(["4.35%", "3.85%", "3.45%", "4.75%"]),
                "months": rng.choice([12, 12, 12, 6, 9, 3]),
            }
        ]
    if fact in BOOL_FIELDS:
        return rng.random() < 0.85
    valid = sorted(CODE_FIELDS[fact])
    relevant = sorted(codes) or valid
    pool = relevant if rng.random() < 0.85 else valid
    if fact == "patent_awards":
        pool = [c for c in pool if c in templates()["facts"]["patent_awards"]["titles"]]
        return rng.sample(pool, 2 if len(pool) > 1 and rng.random() < 0.2 else 1)
    if "none" not in templates()["facts"][fact] and "none" in pool:
        pool = [c for c in pool if c != "none"] or relevant
    return rng.choice(pool)


def _wrong(rng: random.Random, fact: str, right: Value) -> Value:
    """A plausible slip of the keyboard: a different count or amount."""
    if fact in COUNT_FIELDS:
        options = [v for v in range(max(1, right - 3), right + 6) if v != right]
        return rng.choice(options)
    factor = rng.choice([2, 10, 0.5])
    wrong = int(right * factor)
    return wrong if wrong not in (right, 0) else right + 1000


# ---------------------------------------------------------------------------------------------- rendering


def _pick(rng: random.Random, key: str, options: Sequence[str]) -> tuple[str, str]:
    index = rng.randrange(len(options))
    return f"{key}[{index}]", options[index]


def _fill(template: str, values: Mapping[str, str]) -> str:
    text = template
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def render_fact(rng: random.Random, fact: str, value: Value, style: str) -> Fragment:
    """One statement of ``fact`` = ``value`` in a randomly chosen template."""
    spec = templates()["facts"][fact]
    base = f"facts.{fact}"

    def n(count: int) -> str:
        return render_count(count, style)

    if fact in BOOL_FIELDS:
        kind = "affirm" if value else "deny"
        key, template = _pick(rng, f"{base}.{kind}", spec[kind])
        return Fragment(fact, key, template, template, value)
    if fact in CODE_FIELDS and fact != "patent_awards":
        if value == "none":
            key, template = _pick(rng, f"{base}.none", spec["none"])
            return Fragment(fact, key, template, template, value)
        key, template = _pick(rng, f"{base}.templates", spec["templates"])
        return Fragment(fact, key, template, _fill(template, {"title": rng.choice(spec["titles"][value])}), value)
    if fact == "patent_awards":
        key, template = _pick(rng, f"{base}.templates", spec["templates"])
        names = [rng.choice(spec["titles"][code]) for code in value]
        joined = rng.choice(["和", "、", "，还有"]).join(names)
        return Fragment(fact, key, template, _fill(template, {"awards": joined}), list(value))
    if fact in COUNTRY_FIELDS:
        counts = list(value.values())
        if len(value) > 1 and len(set(counts)) == 1 and rng.random() < 0.6:
            key, template = _pick(rng, f"{base}.each_templates", spec["each_templates"])
            short = "".join(COUNTRIES[name] for name in value)
            return Fragment(fact, key, template, _fill(template, {"short": short, "n": n(counts[0])}), dict(value))
        key, template = _pick(rng, f"{base}.templates", spec["templates"])
        listed = "、".join(f"{name}{n(count)}{spec['unit']}" for name, count in value.items())
        return Fragment(fact, key, template, _fill(template, {"countries": listed}), dict(value))
    if fact in LOAN_FIELDS:
        (loan,) = value
        key, template = _pick(rng, f"{base}.templates", spec["templates"])
        text = _fill(
            template,
            {
                "principal": render_yuan(loan["principal"], rng, style),
                "rate": loan["annual_benchmark_rate"],
                "months": n(loan["months"]),
            },
        )
        return Fragment(fact, key, template, text, [dict(loan)])
    key, template = _pick(rng, f"{base}.templates", spec["templates"])
    if fact in YUAN_FIELDS:
        return Fragment(fact, key, template, _fill(template, {"yuan": render_yuan(value, rng, style)}), value)
    return Fragment(fact, key, template, _fill(template, {"n": n(value)}), value)


def render_correction(rng: random.Random, fact: str, value: Value, style: str, terse: bool) -> Fragment:
    """“不对，是8件” (terse: only after the wrong number was the last thing said) or the fact restated."""
    corrections = templates()["corrections"]
    if terse:
        key, template = _pick(rng, "corrections.terse", corrections["terse"])
        unit = templates()["facts"][fact]["unit"]
        return Fragment(fact, key, template, _fill(template, {"n": render_count(value, style), "unit": unit}), value)
    key, wrapper = _pick(rng, "corrections.named", corrections["named"])
    inner = render_fact(rng, fact, value, style)
    return Fragment(
        fact,
        f"{key}+{inner.key}",
        wrapper.replace("{fact}", inner.template),
        _fill(wrapper, {"fact": inner.text}),
        value,
    )


def render_region(rng: random.Random, region: str) -> Fragment:
    key, template = _pick(rng, "region_templates", templates()["region_templates"])
    return Fragment("region", key, template, _fill(template, {"region": region}), region)


def render_entity(rng: random.Random, entity: str) -> Fragment:
    key, template = _pick(rng, f"entity_types.{entity}", templates()["entity_types"][entity])
    return Fragment("entity_type", key, template, template, entity)


def filler(rng: random.Random, kind: str) -> Fragment:
    key, template = _pick(rng, kind, templates()[kind])
    return Fragment(FILLER, key, template, template)


# ---------------------------------------------------------------------------------------------- conversations


def _split(rng: random.Random, items: list[Fragment], parts: int) -> list[list[Fragment]]:
    """``items`` in order, cut into ``parts`` non-empty runs."""
    parts = max(1, min(parts, len(items)))
    cuts = sorted(rng.sample(range(1, len(items)), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, len(items)]
    return [items[a:b] for a, b in itertools.pairwise(bounds)]


@cache
def _to_traditional() -> Callable[[str], str]:
    spec = templates()["traditional"]
    return traditional_converter(spec["simplified"], spec["traditional"])


class _Noise:
    def __init__(self, rng: random.Random, flags: set[str]) -> None:
        self.rng = rng
        self.flags = flags
        self.applied: set[str] = set()
        self.to_traditional = _to_traditional()

    def piece(self, fragment: Fragment) -> str:
        if fragment.fact == FILLER and "typo" in self.flags:
            text = add_typo(fragment.text, templates()["typos"], self.rng)
            if text != fragment.text:
                self.applied.add("typo")
            return text
        return fragment.text

    def message(self, text: str) -> str:
        if "traditional" in self.flags:
            converted = self.to_traditional(text)
            if converted != text:
                self.applied.add("traditional")
                text = converted
        if "fullwidth" in self.flags:
            converted = full_width(text)
            if converted != text:
                self.applied.add("fullwidth")
                text = converted
        return text


def _turn(rng: random.Random, fragments: list[Fragment], noise: _Noise) -> Turn:
    """Glue fragments into one message: opener first, closer last, connectors in between."""
    clean: list[str] = []
    noisy: list[str] = []
    for i, fragment in enumerate(fragments):
        if i:
            before = fragments[i - 1]
            if before.fact == FILLER and before.key.startswith("openers"):
                glue = rng.choice(["，", "。", " ", "！"])
            elif fragment.fact == FILLER:
                glue = rng.choice(["，", "。", "，", " "])
            else:
                glue = rng.choices(templates()["connectors"], weights=[30, 12, 10, 6, 6, 4, 4, 2])[0]
            clean.append(glue)
            noisy.append(glue)
        clean.append(fragment.text)
        noisy.append(noise.piece(fragment))
    return Turn(tuple(fragments), "".join(clean), noise.message("".join(noisy)))


def generate(seed: int, index: int) -> Conversation:
    """Conversation ``index`` of run ``seed``: the same whatever the run's length."""
    rng = random.Random(f"user-simulator-{seed}-{index}")
    spec = templates()
    kind = rng.choices(list(REGION_WEIGHTS), weights=list(REGION_WEIGHTS.values()))[0]

    # the unit and its facts
    if kind == UNCOVERED:
        places = spec["uncovered"]
        region = rng.choices([p["name"] for p in places], weights=[p["weight"] for p in places])[0]
        entity = "enterprise"
        available: dict[str, frozenset[str]] = {}
        for key in COVERED:
            for fact, codes in region_facts(key).items():
                available[fact] = available.get(fact, frozenset()) | codes
        wanted = rng.choices([1, 2, 3], weights=[50, 35, 15])[0]
    else:
        region = rng.choice(spec["regions"][kind])
        others = entity_types(kind)
        entity = rng.choice(others) if others and rng.random() < 0.1 else "enterprise"
        available = region_facts(kind, entity)
        wanted = rng.choices([1, 2, 3, 4, 5], weights=[25, 30, 25, 12, 8])[0]
    # school-only facts for schools; a school's profile always states its school title
    names = sorted(f for f in available if f in templates()["facts"])  # see untemplated()
    facts = rng.sample(names, min(wanted, len(names)))
    if entity == "school" and "ip_education_school" not in facts:
        facts[-1] = "ip_education_school"
    if entity != "school":
        facts = [f for f in facts if f != "ip_education_school"] or [f for f in names if f != "ip_education_school"][:1]
    values = {fact: _value(rng, fact, available[fact], kind) for fact in facts}
    profile: dict[str, Value] = {"region": region}
    if entity != "enterprise":
        profile["entity_type"] = entity
    profile.update(values)

    style = "chinese" if rng.random() < 0.25 else "arabic"
    flags = {name for name, p in zip(NOISES, (0.2, 0.1, 0.12), strict=True) if rng.random() < p}
    noise = _Noise(rng, flags)

    # an optional slip: a count or an amount first stated wrong, corrected in the next message
    correctable = [f for f in facts if f in COUNT_FIELDS or f in YUAN_FIELDS]
    corrected = rng.choice(correctable) if correctable and rng.random() < 0.2 else None

    fact_fragments = [
        render_fact(rng, fact, _wrong(rng, fact, value) if fact == corrected else value, style)
        for fact, value in values.items()
    ]
    rng.shuffle(fact_fragments)
    if entity != "enterprise":
        fact_fragments.insert(0, render_entity(rng, entity))
    region_fragment = render_region(rng, region)

    layout = rng.choices(list(LAYOUTS), weights=list(LAYOUTS.values()))[0]
    if len(fact_fragments) == 0:
        layout = "one"
    greeting = rng.random() < 0.12
    budget = 3 if greeting else 4  # messages of facts, the greeting aside
    if layout == "one":
        position = rng.choices(["start", "end", "middle"], weights=[60, 25, 15])[0]
        at = {"start": 0, "end": len(fact_fragments), "middle": rng.randint(0, len(fact_fragments))}[position]
        messages = [[*fact_fragments[:at], region_fragment, *fact_fragments[at:]]]
    elif layout == "region_first":
        messages = [[region_fragment], *_split(rng, fact_fragments, rng.randint(1, budget - 1))]
    elif layout == "region_last":
        messages = [*_split(rng, fact_fragments, rng.randint(1, budget - 1)), [region_fragment]]
        if rng.random() < 0.5 and len(messages) > 1:  # region said together with the last facts
            messages[-2:] = [messages[-2] + messages[-1]]
    else:  # the region somewhere among the facts
        at = rng.randint(0, len(fact_fragments))
        everything = [*fact_fragments[:at], region_fragment, *fact_fragments[at:]]
        messages = _split(rng, everything, rng.randint(1, budget))

    if not greeting and (rng.random() < 0.4 or "typo" in flags):
        messages[0].insert(0, filler(rng, "openers"))
    if rng.random() < 0.5 or "typo" in flags:
        messages[-1].append(filler(rng, "closers"))
    if greeting:
        messages.insert(0, [filler(rng, "openers")])

    correction = None
    if corrected is not None:
        where = next(i for i, m in enumerate(messages) if any(f.fact == corrected for f in m))
        stated = [f for f in messages[where] if f.fact != FILLER]
        terse = corrected in COUNT_FIELDS and stated[-1].fact == corrected and rng.random() < 0.6
        correction = "correction_terse" if terse else "correction_named"
        messages.insert(where + 1, [render_correction(rng, corrected, values[corrected], style, terse)])

    turns = tuple(_turn(rng, m, noise) for m in messages)
    labels = set(noise.applied)
    if style == "chinese" and any(
        f.fact in COUNT_FIELDS | COUNTRY_FIELDS | YUAN_FIELDS | LOAN_FIELDS for f in fact_fragments
    ):
        labels.add("cn_numerals")
    canonical = [f.fact for f in sorted(fact_fragments, key=lambda f: list(profile).index(f.fact))]
    if len(fact_fragments) > 1 and [f.fact for f in fact_fragments] != canonical:
        labels.add("shuffled")
    if any(sum(1 for f in m if f.fact not in (FILLER, "region")) >= 2 for m in messages):
        labels.add("multi_fact")
    if correction:
        labels.add(correction)
    first_complete = len(turns) == 1
    return Conversation(
        sender=f"sim-{seed}-{index}",
        region_kind=kind,
        profile=profile,
        turns=turns,
        layout=layout,
        noise=tuple(sorted(labels)),
        first_complete=first_complete,
    )


def untemplated() -> dict[str, tuple[str, ...]]:
    """Facts the rules read that templates.yaml cannot phrase yet (never generated; the report lists them)."""
    phrased = templates()["facts"]
    missing = {}
    for region in COVERED:
        facts = {f for e in ("enterprise", *entity_types(region)) for f in region_facts(region, e)}
        gap = tuple(sorted(f for f in facts if f not in phrased))
        if gap:
            missing[region] = gap
    return missing


def replay(conversation: Conversation) -> dict[str, Value]:
    """The profile the messages state when the last statement of each fact wins."""
    state: dict[str, Value] = {}
    for turn in conversation.turns:
        for fragment in turn.fragments:
            if fragment.fact != FILLER:
                state[fragment.fact] = fragment.value
    return state
