"""“What would unlock more” hints: the table-driven cases next to the rules, and the API's shape.

The cases are ``eligibility/rules/<region>/<doc-id>.hints.yml`` (``.yml``, not ``.yaml``: the rule
loader reads every ``*/*.yaml`` but ``*.cases.yaml`` as a rule file). Each case lists *every* hint the
profile gets (any other hint fails the case), with the figures worked out from the documents in comments:

    - name: 10件→11件跨过追加门槛
      as_of: 2024-06-01
      profile: {region: 泽州县, invention_patents_granted: 10}
      hints:
        invention_patents_granted: {from: 10, to: 11, gain: 24000, award: invention-volume-bonus}
      no_hint: [purchased_invention_patents]   # optional: stated facts that must get no hint
      order: [invention_patents_granted]       # optional: the facts of top_hints(), in order
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from eligibility import evaluate, load_rulebook, parse_profile
from eligibility.hints import Hint, hints_for, hints_to_dict, top_hints
from eligibility.loader import RULES_DIR, RuleBook
from knowledge.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[2]
HINT_FILES = sorted(RULES_DIR.glob("*/*.hints.yml"))


@cache
def book() -> RuleBook:
    return load_rulebook()


@dataclass(frozen=True)
class HintExpectation:
    to: Any
    award: str
    gain: int | None = None
    gain_min: int | None = None
    gain_max: int | None = None
    status: str | None = None  # the cited policy's status (in_force, period_ended, draft)
    lower_bound: bool | None = None
    # ``from`` is a keyword: read from the YAML as ``from`` into this field
    from_: Any = "unset"


@dataclass(frozen=True)
class HintCase:
    file: str
    document: str
    name: str
    as_of: date
    profile: dict[str, Any]
    hints: dict[str, HintExpectation] = field(default_factory=dict)
    no_hint: tuple[str, ...] = ()
    order: tuple[str, ...] | None = None


def _expectation(raw: dict[str, Any], where: str) -> HintExpectation:
    data = {("from_" if key == "from" else key): value for key, value in raw.items()}
    unknown = set(data) - {f.name for f in fields(HintExpectation)}
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    return HintExpectation(**data)


def _cases() -> list[HintCase]:
    cases = []
    for path in HINT_FILES:
        document = path.name.removesuffix(".hints.yml")
        for raw in load_yaml(path):
            where = f"{path.name}: case {raw.get('name')!r}"
            unknown = set(raw) - {"name", "as_of", "profile", "hints", "no_hint", "order"}
            if unknown:
                raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
            hints = {fact: _expectation(value, f"{where}: {fact}") for fact, value in (raw.get("hints") or {}).items()}
            order = tuple(raw["order"]) if "order" in raw else None
            cases.append(
                HintCase(path.name, document, raw["name"], raw["as_of"], raw["profile"], hints,
                         tuple(raw.get("no_hint", ())), order)
            )  # fmt: skip
    return cases


CASES = _cases()


def test_every_policy_has_hint_cases() -> None:
    documents = {case.document for case in CASES}
    assert documents == set(book().awards), f"hint cases for {sorted(documents)}"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}: {c.name}" for c in CASES])
def test_hint_case(case: HintCase) -> None:
    hints = hints_for(parse_profile(case.profile), book(), as_of=case.as_of)
    by_fact = {hint.fact: hint for hint in hints}
    assert len(by_fact) == len(hints), "one hint per fact"
    assert sorted(by_fact) == sorted(case.hints), f"hints for {sorted(by_fact)}: {[h.text for h in hints]}"
    for fact in case.no_hint:
        assert fact not in by_fact, f"{fact}: unexpected hint {by_fact[fact].text}"
    for fact, want in case.hints.items():
        got = by_fact[fact]
        where = f"{fact}: {got.text}"
        to = tuple(want.to) if isinstance(want.to, list) else want.to
        assert got.to_value == to, where
        if want.from_ != "unset":
            start = tuple(want.from_) if isinstance(want.from_, list) else want.from_
            assert got.from_value == start, where
        assert got.award_id == f"{case.document}/{want.award}", where
        if want.gain is not None:
            assert (got.gain_min, got.gain_max) == (want.gain, want.gain), where
        if want.gain_min is not None:
            assert got.gain_min == want.gain_min, where
        if want.gain_max is not None:
            assert got.gain_max == want.gain_max, where
        if want.status is not None:
            assert got.policy_status == want.status, where
        if want.lower_bound is not None:
            assert got.lower_bound == want.lower_bound, where
        # the sentence carries the amount with thousands separators and the citation
        assert got.gain_text in got.text and got.citation.rendered in got.text, where
    if case.order is not None:
        assert [h.fact for h in top_hints(hints)] == list(case.order)


def test_sorted_by_gain_and_top_three() -> None:
    profile = parse_profile(
        {"region": "泽州县", "invention_patents_granted": 10, "ic_layout_designs": 1, "foreign_patents": {"美国": 1},
         "ip_advantage_enterprise": "provincial", "china_trademark_gold_award": False}
    )  # fmt: skip
    hints = hints_for(profile, book(), as_of=date(2024, 6, 1))
    gains = [h.gain_max for h in hints]
    assert gains == sorted(gains, reverse=True)
    assert [h.fact for h in top_hints(hints)] == [
        "china_trademark_gold_award",  # 500,000
        "invention_patents_granted",  # 24,000
        "ip_advantage_enterprise",  # 40,000 − 20,000 = 20,000
    ]
    assert len(top_hints(hints, 2)) == 2


def test_passing_the_evaluation_gives_the_same_hints() -> None:
    profile = parse_profile(json.loads((ROOT / "examples/zezhou.json").read_text(encoding="utf-8")))
    day = date(2024, 6, 1)
    evaluation = evaluate(profile, book(), as_of=day)
    assert hints_for(profile, book(), as_of=day, evaluation=evaluation) == hints_for(profile, book(), as_of=day)


def test_to_dict_shape() -> None:
    profile = parse_profile({"region": "泽州县", "invention_patents_granted": 10, "patent_awards": []})
    hints = hints_for(profile, book(), as_of=date(2024, 6, 1))
    data = hints_to_dict(hints)
    json.dumps(data, ensure_ascii=False)  # JSON-ready
    first = data[0]
    assert {"fact", "from", "to", "gain_min", "gain_max", "award_id", "citation"} <= set(first)
    assert first == hints[0].to_dict()
    assert first["fact"] == "invention_patents_granted" and (first["from"], first["to"]) == (10, 11)
    assert first["citation"] == "依据《泽州县全面推进知识产权强县建设行动方案》（泽政办发〔2021〕16号）三、(一) 3."
    assert first["text"] == (
        "再获得 1 件发明专利授权（共 11 件），可多得 24,000 元（年度授权发明专利超过10件的追加奖励，"
        "依据《泽州县全面推进知识产权强县建设行动方案》（泽政办发〔2021〕16号）三、(一) 3.）"
    )
    awards = next(d for d in data if d["fact"] == "patent_awards")
    assert (awards["from"], awards["to"]) == ([], ["provincial_patent_third"])


def test_hint_is_frozen() -> None:
    hint = hints_for(parse_profile({"region": "泽州县", "ic_layout_designs": 0}), book(), as_of=date(2024, 6, 1))[0]
    assert isinstance(hint, Hint)
    with pytest.raises(AttributeError):
        hint.gain_max = 0  # type: ignore[misc]


def test_uncovered_region_has_no_hints() -> None:
    profile = parse_profile({"region": "高平市", "invention_patents_granted": 10})
    assert hints_for(profile, book(), as_of=date(2024, 6, 1)) == ()


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.json")), ids=lambda p: p.stem)
def test_examples_need_few_evaluations(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hints run on every chat turn: the search is bounded (a handful of counterfactual evaluations per
    stated fact, never a scan up to MAX_COUNT). Time per call is printed by the benchmarks, not asserted."""
    import eligibility.hints as hints_module

    profile = parse_profile(json.loads(example.read_text(encoding="utf-8")))
    day = date(2024, 6, 1)
    evaluation = evaluate(profile, book(), as_of=day, trace=False)
    calls = 0

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return evaluate(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(hints_module, "evaluate", counting)
    hints_for(profile, book(), as_of=day, evaluation=evaluation)
    stated = sum(1 for value in profile.model_dump().values() if value is not None)
    assert calls <= 6 * stated
