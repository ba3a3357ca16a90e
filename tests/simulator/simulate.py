"""User simulator: random enterprises tell the bot their facts over REST; the answer is checked
against the engine.

    python -m tests.simulator.simulate --url http://127.0.0.1:5005 --n 500 --seed 1

A conversation succeeds when the bot's LAST reply states the engine's total_min for the final
profile as a total (“合计：24,000 元”, “至少 24,000 元”, “共计2.4万元”); for a covered region whose
awards name no amount, when it states a total of 0 or names an eligible award without a non-zero
total; for an uncovered place, when it says the place is not collected (暂未收录…) and states no
non-zero total.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from eligibility import evaluate, load_rulebook, parse_profile
from eligibility.loader import RuleBook
from tests.simulator.generate import Conversation, generate
from tests.simulator.text import stated_amounts, stated_totals

AS_OF = date(2024, 6, 1)  # the servers run with INCENTIVES_AS_OF=2024-06-01
NOT_COVERED_MARKERS = ("暂未收录", "未收录", "尚未收录", "没有收录", "暂不支持该地区", "不在收录范围")
# The bot's own "something broke" answer (an action failed): counted apart, it is not an HTTP error.
BOT_FAILURE_MARKERS = ("系统暂时无法", "出错了", "内部错误")
NO_AMOUNT_MARKERS = ("未规定", "未明确", "没有规定", "未写明", "未列明", "无具体金额", "未载明")


@dataclass(frozen=True)
class Expectation:
    covered: bool
    total_min: int
    total_max: int
    lower_bound: bool
    award_names: tuple[str, ...]

    def describe(self) -> str:
        if not self.covered:
            return "not covered (暂未收录), total 0"
        amount = (
            f"{self.total_min:,} 元"
            if self.total_min == self.total_max
            else f"{self.total_min:,}—{self.total_max:,} 元"
        )
        return ("至少 " if self.lower_bound else "") + amount


def expect(conversation: Conversation, book: RuleBook) -> Expectation:
    evaluation = evaluate(parse_profile(conversation.profile), book, as_of=AS_OF, trace=False)
    return Expectation(
        covered=bool(evaluation.policies),
        total_min=evaluation.total_min,
        total_max=evaluation.total_max,
        lower_bound=evaluation.total_is_lower_bound,
        award_names=tuple(r.name for r in evaluation.awards),
    )


def judge(expected: Expectation, reply: str) -> bool:
    """Whether one reply gives the expected answer (see the module docstring)."""
    totals = stated_totals(reply)
    nonzero = [t for t in totals if t]
    if not expected.covered:
        return any(marker in reply for marker in NOT_COVERED_MARKERS) and not nonzero
    if expected.total_min:
        return expected.total_min in totals
    if nonzero:
        return False
    return (
        0 in totals or any(name in reply for name in expected.award_names) or any(m in reply for m in NO_AMOUNT_MARKERS)
    )


# ---------------------------------------------------------------------------------------------- transport


class HttpError(Exception):
    pass


def say(url: str, sender: str, message: str, timeout: float) -> list[dict[str, object]]:
    request = urllib.request.Request(
        url.rstrip("/") + "/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = json.load(response)
    except (urllib.error.URLError, TimeoutError, ConnectionError, json.JSONDecodeError) as exc:
        raise HttpError(f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(body, list) or not all(isinstance(m, dict) for m in body):
        raise HttpError(f"the reply is not a list of messages: {str(body)[:200]}")
    return body


def reply_text(messages: Iterable[dict[str, object]]) -> str:
    return "\n".join(str(m.get("text") or "") for m in messages)


@dataclass
class Outcome:
    conversation: Conversation
    expected: Expectation
    replies: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def success(self) -> bool:
        return self.error is None and bool(self.replies) and judge(self.expected, self.replies[-1])

    @property
    def first_reply_success(self) -> bool:
        return self.error is None and bool(self.replies) and judge(self.expected, self.replies[0])

    @property
    def lenient(self) -> bool:
        """The expected total appears anywhere in the last reply as an amount (diagnostic only)."""
        if not self.success and self.replies and self.expected.covered and self.expected.total_min:
            return self.expected.total_min in stated_amounts(self.replies[-1])
        return self.success


def talk(conversation: Conversation, expected: Expectation, url: str, timeout: float) -> Outcome:
    outcome = Outcome(conversation, expected)
    started = time.monotonic()
    try:
        for turn in conversation.turns:
            outcome.replies.append(reply_text(say(url, conversation.sender, turn.text, timeout)))
    except HttpError as exc:
        outcome.error = str(exc)
    outcome.seconds = time.monotonic() - started
    return outcome


@dataclass
class Run:
    url: str
    seed: int
    outcomes: list[Outcome]
    seconds: float

    @property
    def http_errors(self) -> int:
        return sum(1 for o in self.outcomes if o.error is not None)

    @property
    def success_rate(self) -> float:
        return sum(o.success for o in self.outcomes) / len(self.outcomes) if self.outcomes else 0.0

    @property
    def bot_failures(self) -> int:
        """Replies in which the bot says it failed (an action error behind an HTTP 200)."""
        return sum(1 for o in self.outcomes for r in o.replies if any(m in r for m in BOT_FAILURE_MARKERS))

    @property
    def messages(self) -> int:
        return sum(len(o.conversation.turns) for o in self.outcomes)


def conversations(n: int, seed: int) -> list[Conversation]:
    return [generate(seed, index) for index in range(n)]


def simulate(
    url: str,
    n: int = 500,
    seed: int = 1,
    concurrency: int = 1,
    timeout: float = 60.0,
    progress: Callable[[int], None] | None = None,
) -> Run:
    """Hold ``n`` conversations with the bot at ``url`` (``concurrency`` at a time)."""
    book = load_rulebook()
    planned = [(c, expect(c, book)) for c in conversations(n, seed)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        outcomes = []
        for i, outcome in enumerate(pool.map(lambda p: talk(p[0], p[1], url, timeout), planned)):
            outcomes.append(outcome)
            if progress:
                progress(i + 1)
    return Run(url, seed, outcomes, time.monotonic() - started)


# ---------------------------------------------------------------------------------------------- report


def _rate(outcomes: list[Outcome], key: Callable[[Outcome], bool] = lambda o: o.success) -> str:
    if not outcomes:
        return "—"
    hits = sum(1 for o in outcomes if key(o))
    return f"{hits}/{len(outcomes)} ({100 * hits / len(outcomes):.1f}%)"


def _table(title: str, groups: dict[str, list[Outcome]]) -> list[str]:
    lines = [title]
    width = max((len(k) for k in groups), default=0)
    lines += [f"  {name.ljust(width)}  {_rate(groups[name])}" for name in groups]
    return lines


def _truncate(text: str, limit: int) -> str:
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= limit else text[:limit] + "…"


def report(run: Run, samples: int = 10) -> str:
    outcomes = run.outcomes
    n = len(outcomes)
    per_message = 1000 * run.seconds / run.messages if run.messages else 0.0
    lines = [
        f"User simulator — {n} conversations, seed {run.seed}, {run.url}",
        f"success: {_rate(outcomes)}    HTTP errors: {run.http_errors}    "
        f"replies saying the bot failed (系统暂时无法…): {run.bot_failures}/{run.messages}",
        f"time: {run.seconds:.1f} s for {run.messages} messages ({per_message:.0f} ms per message)",
        f"first-reply success (everything in the first message): {_rate([o for o in outcomes if o.conversation.first_complete], lambda o: o.first_reply_success)}",
        f"lenient (expected total anywhere in the last reply as an amount): {_rate(outcomes, lambda o: o.lenient)}",
        "",
    ]
    by_region: dict[str, list[Outcome]] = defaultdict(list)
    by_noise: dict[str, list[Outcome]] = defaultdict(list)
    by_messages: dict[str, list[Outcome]] = defaultdict(list)
    by_layout: dict[str, list[Outcome]] = defaultdict(list)
    by_amount: dict[str, list[Outcome]] = defaultdict(list)
    for o in sorted(outcomes, key=lambda o: o.conversation.region_kind):
        c = o.conversation
        by_region[c.region_kind].append(o)
        for label in c.noise or ("clean",):
            by_noise[label].append(o)
        by_layout[c.layout].append(o)
        kind = "uncovered" if not o.expected.covered else "amount > 0" if o.expected.total_min else "no amount named"
        by_amount[kind].append(o)
    for o in sorted(outcomes, key=lambda o: len(o.conversation.turns)):
        by_messages[str(len(o.conversation.turns))].append(o)
    lines += [*_table("by region:", by_region), ""]
    lines += [*_table("by noise (a conversation counts under each of its labels):", dict(sorted(by_noise.items()))), ""]
    lines += [*_table("by number of messages:", by_messages), ""]
    lines += [*_table("by layout:", dict(sorted(by_layout.items()))), ""]
    lines += [*_table("by expected answer:", dict(sorted(by_amount.items()))), ""]

    failures = [o for o in outcomes if not o.success]
    picked: list[Outcome] = []
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for o in failures:
        by_kind[o.conversation.region_kind].append(o)
    while len(picked) < min(samples, len(failures)):  # round robin over regions, for variety
        for kind in sorted(by_kind):
            if by_kind[kind] and len(picked) < samples:
                picked.append(by_kind[kind].pop(0))
    lines.append(f"sample failures ({len(picked)} of {len(failures)}):")
    for o in picked:
        c = o.conversation
        lines.append(
            f"- {c.sender} [{c.region_kind}, {c.layout}, {', '.join(c.noise) or 'clean'}] expected {o.expected.describe()}"
        )
        lines.append(f"  profile: {json.dumps(c.profile, ensure_ascii=False)}")
        for i, turn in enumerate(c.turns):
            lines.append(f"  user> {turn.text}")
            if i < len(o.replies) - 1:
                lines.append(f"  bot>  {_truncate(o.replies[i], 120)}")
        if o.error:
            lines.append(f"  ERROR {o.error}")
        elif o.replies:
            lines.append(f"  last> {_truncate(o.replies[-1], 400)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:5005", help="the Rasa server (its REST channel)")
    parser.add_argument("--n", type=int, default=500, help="number of conversations")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=1, help="conversations held at the same time")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one reply")
    parser.add_argument("--samples", type=int, default=10, help="failures to show")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument("--dry-run", action="store_true", help="print the generated conversations, send nothing")
    args = parser.parse_args(argv)
    if args.dry_run:
        book = load_rulebook()
        for c in conversations(args.n, args.seed):
            print(f"# {c.sender} {c.region_kind} {c.layout} {','.join(c.noise)} → {expect(c, book).describe()}")
            print(f"  {json.dumps(c.profile, ensure_ascii=False)}")
            for turn in c.turns:
                print(f"  > {turn.text}")
        return 0
    run = simulate(args.url, args.n, args.seed, args.concurrency, args.timeout)
    text = report(run, args.samples)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 1 if run.http_errors else 0


if __name__ == "__main__":
    sys.exit(main())
