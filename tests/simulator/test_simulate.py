"""Unit tests of the user simulator's generator and judge (no servers needed)."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections import Counter
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from eligibility import load_rulebook, parse_profile
from eligibility.loader import RuleBook
from tests.simulator.generate import (
    COVERED,
    FILLER,
    LAYOUTS,
    UNCOVERED,
    Conversation,
    Fragment,
    generate,
    region_facts,
    replay,
    templates,
)
from tests.simulator.simulate import Expectation, conversations, expect, judge, report, simulate
from tests.simulator.text import chinese_number, full_width, stated_totals

N = 400


@cache
def sample() -> tuple[Conversation, ...]:
    return tuple(conversations(N, seed=11))


@cache
def book() -> RuleBook:
    return load_rulebook()


def _lookup(key: str) -> str:
    """The template text a fragment's key names, e.g. "facts.gi_trademarks_new.templates[2]"."""
    match = re.fullmatch(r"(.+)\[(\d+)\]", key)
    assert match, key
    node: Any = templates()
    for part in match.group(1).split("."):
        node = node[part]
    return str(node[int(match.group(2))])


def _template_text(fragment: Fragment) -> str:
    if "+" in fragment.key:  # a named correction wraps a fact template
        wrapper, inner = fragment.key.split("+")
        return _lookup(wrapper).replace("{fact}", _lookup(inner))
    return _lookup(fragment.key)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[a-z]+\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts), re.DOTALL)


def test_the_same_seed_gives_the_same_conversations() -> None:
    assert conversations(30, seed=5) == conversations(30, seed=5)
    assert conversations(10, seed=5) == conversations(30, seed=5)[:10]  # conversation i never depends on n
    assert conversations(30, seed=5) != conversations(30, seed=6)
    assert [c.sender for c in conversations(3, seed=5)] == ["sim-5-0", "sim-5-1", "sim-5-2"]


def test_every_piece_of_every_message_traces_back_to_its_template() -> None:
    for conversation in sample():
        for turn in conversation.turns:
            for fragment in turn.fragments:
                assert fragment.template == _template_text(fragment), fragment
                assert _pattern(fragment.template).fullmatch(fragment.text), fragment
                assert fragment.text in turn.clean


def test_typos_touch_filler_only_never_a_fact() -> None:
    typo_only = [c for c in sample() if "typo" in c.noise and not {"traditional", "fullwidth"} & set(c.noise)]
    assert typo_only
    for conversation in typo_only:
        for turn in conversation.turns:
            for fragment in turn.fragments:
                if fragment.fact != FILLER:
                    assert fragment.text in turn.text, (fragment, turn.text)
        assert any(t.text != t.clean for t in conversation.turns)


def test_the_messages_state_the_final_profile_when_the_last_statement_wins() -> None:
    for conversation in sample():
        assert replay(conversation) == conversation.profile


def test_a_correction_states_a_wrong_value_first_and_the_final_profile_keeps_the_corrected_one() -> None:
    corrected = [c for c in sample() if {"correction_terse", "correction_named"} & set(c.noise)]
    assert len(corrected) > 20
    assert any("correction_terse" in c.noise for c in corrected)
    for conversation in corrected:
        statements = [(i, f) for i, t in enumerate(conversation.turns) for f in t.fragments if f.fact != FILLER]
        facts = Counter(f.fact for _, f in statements)
        (fact,) = [name for name, times in facts.items() if times == 2]
        (first_turn, first), (last_turn, last) = [(i, f) for i, f in statements if f.fact == fact]
        assert first.value != last.value == conversation.profile[fact]
        assert last_turn == first_turn + 1
        assert conversation.turns[last_turn].fragments == (last,)  # the correction is a message of its own
        if "correction_terse" in conversation.noise:
            assert [f for f in conversation.turns[first_turn].fragments if f.fact != FILLER][-1] is first


def test_profiles_validate_and_hold_only_facts_the_region_rules_read() -> None:
    for conversation in sample():
        parse_profile(conversation.profile)
        if conversation.region_kind == UNCOVERED:
            continue
        entity = conversation.profile.get("entity_type", "enterprise")
        readable = region_facts(conversation.region_kind, entity)
        facts = [k for k in conversation.profile if k not in ("region", "entity_type")]
        assert 1 <= len(facts) <= 5
        assert set(facts) <= set(readable), conversation.profile


def test_uncovered_places_expect_nothing_and_the_note() -> None:
    uncovered = [c for c in sample() if c.region_kind == UNCOVERED]
    assert {"北京市海淀区", "高平市"} <= {c.profile["region"] for c in uncovered}
    for conversation in uncovered:
        expected = expect(conversation, book())
        assert not expected.covered and expected.total_min == 0


def test_covered_places_resolve_to_their_policy() -> None:
    for conversation in sample():
        if conversation.region_kind != UNCOVERED:
            assert expect(conversation, book()).covered, conversation.profile["region"]


def test_the_sample_spreads_over_regions_layouts_noise_and_lengths() -> None:
    conversations_ = sample()
    assert {c.region_kind for c in conversations_} == {*COVERED, UNCOVERED}
    assert {c.layout for c in conversations_} == set(LAYOUTS)
    labels = {label for c in conversations_ for label in c.noise}
    assert {"typo", "traditional", "fullwidth", "cn_numerals", "shuffled", "multi_fact"} <= labels
    assert {len(c.turns) for c in conversations_} >= {1, 2, 3, 4}
    assert max(len(c.turns) for c in conversations_) <= 5
    assert any(c.profile.get("invention_patents_granted", 0) > 10 for c in conversations_ if c.region_kind == "zezhou")
    assert sum(c.first_complete for c in conversations_) > N // 5
    assert sum(1 for c in conversations_ if expect(c, book()).total_min > 0) > N // 3


def test_noise_keeps_the_numbers_readable() -> None:
    assert full_width("12件，4.35%") == "１２件，４．３５％"
    assert [chinese_number(n) for n in (2, 10, 12, 20, 105, 200, 20000, 25000, 100000)] == [
        "两", "十", "十二", "二十", "一百零五", "两百", "两万", "两万五千", "十万",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("reply", "totals"),
    [
        ("合计（已明确金额部分）：24,000 元", [24000]),
        ("至少 ２４，０００ 元", [24000]),
        ("一共可以拿到2.4万元", [24000]),
        ("合计：150,000—300,000 元", [150000]),
        ("合计：5—10万元", [50000]),
        ("合计（已明确金额部分）：至少 80,000 元", [80000]),
        ("国内授权发明专利资助：24,000 元\n没有总计", []),
    ],
)
def test_totals_are_read_with_separators_and_wan(reply: str, totals: list[int]) -> None:
    assert stated_totals(reply) == totals


def test_the_judge() -> None:
    amount = Expectation(
        covered=True, total_min=24000, total_max=24000, lower_bound=False, award_names=("国内授权发明专利资助",)
    )
    assert judge(amount, "您可以申请：国内授权发明专利资助 24,000 元。\n合计：24,000 元")
    assert not judge(amount, "您可以申请：国内授权发明专利资助 24,000 元。")  # no total stated
    assert not judge(amount, "合计：12,000 元")
    no_amount = Expectation(
        covered=True, total_min=0, total_max=0, lower_bound=False, award_names=("知识产权质押融资财政补贴",)
    )
    assert judge(no_amount, "可以申请知识产权质押融资财政补贴（方案未规定具体金额）")
    assert not judge(no_amount, "合计：5,000 元")
    uncovered = Expectation(covered=False, total_min=0, total_max=0, lower_bound=False, award_names=())
    assert judge(uncovered, "北京市海淀区的知识产权政策暂未收录。")
    assert not judge(uncovered, "合计：20,000 元")
    assert not judge(uncovered, "请问您的企业在哪个县？")


class _OracleBot(BaseHTTPRequestHandler):
    """A stand-in for Rasa's REST channel that knows the answer: it regenerates the conversation from
    the sender id and, at its last message, replies with the engine's total (or the uncovered note)."""

    seen: ClassVar[Counter[str]] = Counter()

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        sender = body["sender"]
        _, seed, index = sender.split("-")
        conversation = generate(int(seed), int(index))
        type(self).seen[sender] += 1
        assert body["message"] == conversation.turns[self.seen[sender] - 1].text
        text = "还有别的吗？"
        if self.seen[sender] == len(conversation.turns):
            expected = expect(conversation, book())
            text = f"合计：{expected.total_min:,} 元" if expected.covered else "该地区的政策暂未收录。"
            if int(index) % 10 == 0:
                text = "抱歉，我没听懂。"  # a wrong answer now and then, so the report has failures
        payload = json.dumps([{"recipient_id": sender, "text": text}], ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_simulate_talks_over_rest_and_reports() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OracleBot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        run = simulate(f"http://127.0.0.1:{server.server_address[1]}", n=40, seed=3, concurrency=3)
    finally:
        server.shutdown()
        server.server_close()
    assert run.http_errors == 0
    assert [o.success for o in run.outcomes] == [i % 10 != 0 for i in range(40)]
    text = report(run, samples=3)
    assert "success: 36/40 (90.0%)" in text
    assert "sample failures (3 of 4):" in text
    assert "by region:" in text and "by noise" in text and "by number of messages:" in text


def test_an_unreachable_bot_is_an_http_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = simulate(f"http://127.0.0.1:{port}", n=2, seed=1, timeout=2)
    assert run.http_errors == 2 and run.success_rate == 0.0
