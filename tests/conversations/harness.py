"""The conversation suite: load the YAML conversations, compute what each turn must say, check replies, report.

Pure Python (no Rasa): the servers are reached through a ``send`` callable, so the same harness
runs over REST, over the simulated WeChat server, or against a bot started by hand
(``python -m tests.conversations.harness --url http://localhost:5005``).

The expected figures come from the engine, never from the YAML: a turn's ``profile`` is what a
perfect listener knows about the enterprise after that turn, and ``expect_total`` asks that the reply
contain ``evaluate(parse_profile(profile), load_rulebook(), as_of=…).total_min``.
See tests/conversations/README.md for the format.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from eligibility import RuleBook, evaluate, load_rulebook, parse_profile
from eligibility.errors import ProfileError
from knowledge.yamlio import load_yaml

SUITE_DIR = Path(__file__).resolve().parent
FALLBACK_MARKERS = ("没太理解", "没理解", "换个说法")
RECORDED_MARKER = "已记录"
CHANNELS = frozenset({"rest", "wechat"})
MAX_TURNS = 8
REPLY_EXCERPT = 400

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FILE_KEYS = frozenset({"as_of", "conversations"})
_CONVERSATION_KEYS = frozenset({"id", "note", "turns", "channels"})
_TURN_KEYS = frozenset(
    {"user", "profile", "expect_total", "contains", "contains_any", "not_contains", "whatif_profile", "recorded"}
)
_SEPARATORS = re.compile(r"[,\s\u00a0\u2009\u202f\u3000]+")


class SuiteError(ValueError):
    """A malformed conversation file; the message names the file, the conversation and the turn."""


@dataclass(frozen=True)
class Turn:
    user: str
    profile: Mapping[str, Any] | None = None  # the complete true profile after this turn (None: not an answer turn)
    expect_total: bool = False
    contains: tuple[str, ...] = ()
    contains_any: tuple[str, ...] = ()
    not_contains: tuple[str, ...] = ()
    whatif_profile: Mapping[str, Any] | None = None  # a counterfactual: its total must appear, profile unchanged
    recorded: bool | None = None  # the reply opens with "已记录"; None: decided by whether the profile changed


@dataclass(frozen=True)
class Conversation:
    id: str
    note: str
    file: str
    as_of: date
    turns: tuple[Turn, ...]
    channels: frozenset[str] = frozenset({"rest"})

    def expects_recorded(self, index: int) -> bool:
        """Whether turn ``index`` must open with "已记录" (its profile differs from the last one stated)."""
        turn = self.turns[index]
        if turn.recorded is not None:
            return turn.recorded
        if turn.profile is None or turn.whatif_profile is not None:
            return False
        previous = next((t.profile for t in reversed(self.turns[:index]) if t.profile is not None), None)
        return previous is None or _canonical(previous) != _canonical(turn.profile)


def _canonical(profile: Mapping[str, Any]) -> str:
    return json.dumps(profile, sort_keys=True, ensure_ascii=False)


# ---------------------------------------------------------------- the engine oracle


@cache
def rulebook() -> RuleBook:
    return load_rulebook()


def engine_total(profile: Mapping[str, Any], as_of: date) -> int:
    """``total_min`` of the engine for ``profile`` on ``as_of`` (the figure the bot must say)."""
    return evaluate(parse_profile(dict(profile)), rulebook(), as_of=as_of).total_min


# ---------------------------------------------------------------- loading and validation


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SuiteError(f"{where}: `{key}` must be a list of non-empty strings")
    return tuple(value)


def _profile(value: Any, where: str, key: str, as_of: date) -> Mapping[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SuiteError(f"{where}: `{key}` must be a mapping")
    if "region" in value:  # a profile without a region is "region not stated yet": no engine call
        try:
            parse_profile(value)
        except ProfileError as exc:
            raise SuiteError(f"{where}: `{key}` is not a valid profile: {exc}") from None
    return dict(value)


def _turn(raw: Any, where: str, as_of: date) -> Turn:
    if not isinstance(raw, dict):
        raise SuiteError(f"{where}: a turn must be a mapping")
    unknown = set(raw) - _TURN_KEYS
    if unknown:
        raise SuiteError(f"{where}: unknown keys {sorted(unknown)}")
    user = raw.get("user")
    if not isinstance(user, str) or not user.strip():
        raise SuiteError(f"{where}: `user` must be a non-empty string")
    expect_total = raw.get("expect_total", False)
    recorded = raw.get("recorded")
    if not isinstance(expect_total, bool) or (recorded is not None and not isinstance(recorded, bool)):
        raise SuiteError(f"{where}: `expect_total` and `recorded` must be true or false")
    profile = _profile(raw.get("profile"), where, "profile", as_of)
    whatif = _profile(raw.get("whatif_profile"), where, "whatif_profile", as_of)
    if expect_total:
        if profile is None or "region" not in profile:
            raise SuiteError(f"{where}: `expect_total` needs a `profile` with a region on the same turn")
        if engine_total(profile, as_of) == 0:
            raise SuiteError(f"{where}: `expect_total` but the engine's total for this profile is 0")
    if whatif is not None:
        if "region" not in whatif:
            raise SuiteError(f"{where}: `whatif_profile` needs a region")
        if engine_total(whatif, as_of) == 0:
            raise SuiteError(f"{where}: the engine's total for `whatif_profile` is 0: check the figure with `contains`")
    return Turn(
        user=user,
        profile=profile,
        expect_total=expect_total,
        contains=_strings(raw.get("contains"), where, "contains"),
        contains_any=_strings(raw.get("contains_any"), where, "contains_any"),
        not_contains=_strings(raw.get("not_contains"), where, "not_contains"),
        whatif_profile=whatif,
        recorded=recorded,
    )


def _as_of(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise SuiteError(f"{where}: `as_of` must be a date such as 2024-06-01")


def load_file(path: Path) -> list[Conversation]:
    """The conversations of one YAML file, validated; ``SuiteError`` names the file, id and turn."""
    name = path.name
    try:
        data = load_yaml(path)
    except Exception as exc:  # a YAML syntax error or a duplicate key
        raise SuiteError(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SuiteError(f"{name}: the file must be a mapping with `as_of` and `conversations`")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise SuiteError(f"{name}: unknown top-level keys {sorted(unknown)}")
    as_of = _as_of(data.get("as_of"), name)
    raws = data.get("conversations")
    if not isinstance(raws, list) or not raws:
        raise SuiteError(f"{name}: `conversations` must be a non-empty list")
    conversations = []
    for position, raw in enumerate(raws, 1):
        if not isinstance(raw, dict):
            raise SuiteError(f"{name}: conversation #{position} must be a mapping")
        ident = raw.get("id")
        where = f"{name}: conversation {ident!r}" if ident is not None else f"{name}: conversation #{position}"
        if not isinstance(ident, str) or not _ID.match(ident):
            raise SuiteError(f"{where}: `id` must be lowercase ASCII letters, digits, '-' or '_'")
        unknown = set(raw) - _CONVERSATION_KEYS
        if unknown:
            raise SuiteError(f"{where}: unknown keys {sorted(unknown)}")
        note = raw.get("note")
        if not isinstance(note, str) or not note.strip():
            raise SuiteError(f"{where}: `note` must say what the conversation tests")
        turns = raw.get("turns")
        if not isinstance(turns, list) or not 1 <= len(turns) <= MAX_TURNS:
            raise SuiteError(f"{where}: `turns` must be a list of 1 to {MAX_TURNS} turns")
        channels = frozenset({"rest", *_strings(raw.get("channels"), where, "channels")})
        if channels - CHANNELS:
            raise SuiteError(f"{where}: unknown channels {sorted(channels - CHANNELS)}; known: {sorted(CHANNELS)}")
        parsed = tuple(_turn(t, f"{where}: turn {i}", as_of) for i, t in enumerate(turns, 1))
        conversations.append(Conversation(ident, note, name, as_of, parsed, channels))
    return conversations


def load_suite(directory: Path = SUITE_DIR) -> list[Conversation]:
    """Every conversation of ``directory/*.yaml``; ids are unique across files."""
    conversations: list[Conversation] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        for conversation in load_file(path):
            if conversation.id in seen:
                raise SuiteError(
                    f"{path.name}: conversation {conversation.id!r}: id already used in {seen[conversation.id]}"
                )
            seen[conversation.id] = path.name
            conversations.append(conversation)
    if not conversations:
        raise SuiteError(f"{directory}: no conversations found")
    return conversations


# ---------------------------------------------------------------- matching


def normalize(text: str) -> str:
    """Drop thousands separators and whitespace: "24,000 元" and "24000元" compare equal."""
    return _SEPARATORS.sub("", text)


def has_phrase(reply: str, phrase: str) -> bool:
    """``phrase`` occurs in ``reply`` ignoring "," and spaces; a bare number must stand alone (24000 ∉ 124000)."""
    text, wanted = normalize(reply), normalize(phrase)
    if wanted.isascii() and wanted.isdigit():
        return re.search(rf"(?<![0-9]){wanted}(?![0-9])", text) is not None
    return wanted in text


def is_fallback(reply: str) -> bool:
    return any(marker in reply for marker in FALLBACK_MARKERS)


def opens_with_recorded(reply: str) -> bool:
    first = next((line for line in reply.splitlines() if line.strip()), "")
    return RECORDED_MARKER in first


@dataclass(frozen=True)
class TurnCheck:
    failures: tuple[str, ...]
    total_ok: bool | None  # None: the turn expects no total


def check_turn(turn: Turn, reply: str, as_of: date, *, recorded: bool = False) -> TurnCheck:
    """Every expectation of ``turn`` against the reply text (all bot messages of the turn joined)."""
    failures: list[str] = []
    total_ok: bool | None = None
    if not reply.strip():
        failures.append("no reply")
    if turn.expect_total:
        assert turn.profile is not None
        total = engine_total(turn.profile, as_of)
        total_ok = has_phrase(reply, str(total))
        if not total_ok:
            failures.append(f"total {total:,} (engine, profile {_canonical(turn.profile)})")
    if turn.whatif_profile is not None:
        total = engine_total(turn.whatif_profile, as_of)
        if not has_phrase(reply, str(total)):
            failures.append(f"what-if total {total:,} (engine, profile {_canonical(turn.whatif_profile)})")
        if RECORDED_MARKER in reply:
            failures.append(f"a what-if must not record facts ({RECORDED_MARKER!r} in the reply)")
    failures += [f"contains {p!r}" for p in turn.contains if not has_phrase(reply, p)]
    if turn.contains_any and not any(has_phrase(reply, p) for p in turn.contains_any):
        failures.append(f"contains one of {list(turn.contains_any)}")
    failures += [f"must not contain {p!r}" for p in turn.not_contains if has_phrase(reply, p)]
    if recorded and not opens_with_recorded(reply):
        failures.append(f"first line should be {RECORDED_MARKER}：… (the profile changed)")
    return TurnCheck(tuple(failures), total_ok)


# ---------------------------------------------------------------- running and reporting


@dataclass
class TurnResult:
    turn: Turn
    reply: str
    check: TurnCheck

    @property
    def passed(self) -> bool:
        return not self.check.failures

    @property
    def fallback(self) -> bool:
        return is_fallback(self.reply)


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: list[TurnResult] = field(default_factory=list)
    error: str | None = None  # a transport error: the remaining turns count as failed

    @property
    def passed(self) -> bool:
        return (
            self.error is None and len(self.turns) == len(self.conversation.turns) and all(t.passed for t in self.turns)
        )

    def first_figure(self) -> bool | None:
        """Whether the first turn that expects a total got it (None: no such turn)."""
        for index, turn in enumerate(self.conversation.turns):
            if turn.expect_total:
                return index < len(self.turns) and self.turns[index].check.total_ok is True
        return None

    def turns_to_first_figure(self) -> int | None:
        """1-based number of the first turn whose reply carried the expected total (None: never)."""
        for index, result in enumerate(self.turns, 1):
            if result.check.total_ok:
                return index
        return None


Send = Callable[[str], str]


def run_conversation(conversation: Conversation, send: Send) -> ConversationResult:
    """Play ``conversation`` through ``send`` (user message → reply text) and check every turn."""
    result = ConversationResult(conversation)
    for index, turn in enumerate(conversation.turns):
        try:
            reply = send(turn.user)
        except Exception as exc:  # a dead server: record it and stop this conversation
            result.error = f"turn {index + 1}: {type(exc).__name__}: {exc}"
            break
        check = check_turn(turn, reply, conversation.as_of, recorded=conversation.expects_recorded(index))
        result.turns.append(TurnResult(turn, reply, check))
    return result


def _excerpt(text: str, limit: int = REPLY_EXCERPT) -> str:
    flat = " ⏎ ".join(line.strip() for line in text.splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else f"{part}/0"


def report(results: Sequence[ConversationResult], title: str = "Conversation suite") -> str:
    """The readable report: pass counts, first-figure rate, fallbacks, per file, failures."""
    total_turns = sum(len(r.conversation.turns) for r in results)
    passed_turns = sum(1 for r in results for t in r.turns if t.passed)
    firsts = [f for f in (r.first_figure() for r in results) if f is not None]
    reached = [n for r in results if r.first_figure() is not None for n in [r.turns_to_first_figure()]]
    got = [n for n in reached if n is not None]
    replies = [t for r in results for t in r.turns]
    fallbacks = [t for t in replies if t.fallback]
    lines = [
        f"{title}",
        "=" * len(title),
        f"conversations passed: {_share(sum(r.passed for r in results), len(results))}",
        f"turns passed:         {_share(passed_turns, total_turns)}",
        f"first-figure rate:    {_share(sum(firsts), len(firsts))}  "
        "(conversations whose first turn expecting a total shows the engine's total in that turn)",
        "mean turns to the first correct figure: "
        + (f"{sum(got) / len(got):.2f} over {len(got)} conversations" if got else "n/a")
        + f"; never reached in {len(reached) - len(got)} of {len(reached)}",
        f"fallback replies:     {_share(len(fallbacks), len(replies))}  (replies with {' / '.join(FALLBACK_MARKERS)})",
        f"transport errors:     {sum(r.error is not None for r in results)}",
        "",
        "per file:",
    ]
    by_file: dict[str, list[ConversationResult]] = {}
    for r in results:
        by_file.setdefault(r.conversation.file, []).append(r)
    for name, group in sorted(by_file.items()):
        turns = sum(len(r.conversation.turns) for r in group)
        ok_turns = sum(1 for r in group for t in r.turns if t.passed)
        lines.append(
            f"  {name:<28} conversations {_share(sum(r.passed for r in group), len(group)):<16} "
            f"turns {_share(ok_turns, turns)}"
        )
    failures = [r for r in results if not r.passed]
    lines += ["", f"failures ({len(failures)}):"]
    for r in failures:
        lines.append(f"- {r.conversation.file} :: {r.conversation.id} — {r.conversation.note}")
        if r.error:
            lines.append(f"    error: {r.error}")
        for index, t in enumerate(r.turns, 1):
            if t.passed:
                continue
            lines.append(f"    turn {index}: user: {t.turn.user}")
            for failure in t.check.failures:
                lines.append(f"      expected: {failure}")
            lines.append(f"      reply: {_excerpt(t.reply)}")
    return "\n".join(lines) + "\n"


def summary(results: Sequence[ConversationResult]) -> dict[str, Any]:
    """The report's headline figures as numbers (for assertions and benchmarks)."""
    firsts = [f for f in (r.first_figure() for r in results) if f is not None]
    replies = [t for r in results for t in r.turns]
    return {
        "conversations": len(results),
        "conversations_passed": sum(r.passed for r in results),
        "turns": sum(len(r.conversation.turns) for r in results),
        "turns_passed": sum(1 for t in replies if t.passed),
        "first_figure": sum(firsts),
        "first_figure_of": len(firsts),
        "fallbacks": sum(t.fallback for t in replies),
    }


# ---------------------------------------------------------------- REST and the command line


def rest_reply(messages: Iterable[Mapping[str, Any]]) -> str:
    """The text a user sees for one turn: every message's text, then its button titles."""
    lines: list[str] = []
    for message in messages:
        if message.get("text"):
            lines.append(str(message["text"]))
        titles = [str(b.get("title", "")) for b in message.get("buttons") or [] if b.get("title")]
        if titles:
            lines.append(" | ".join(titles))
    return "\n".join(lines)


def rest_sender(base_url: str, sender: str, timeout_s: float = 120) -> Send:
    """``send`` for Rasa's REST channel at ``base_url`` (e.g. http://localhost:5005)."""

    def send(message: str) -> str:
        request = urllib.request.Request(
            f"{base_url.rstrip('/')}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return rest_reply(json.load(response))

    return send


def describe(conversations: Sequence[Conversation]) -> str:
    """Counts per file, for ``--validate``."""
    by_file: dict[str, list[Conversation]] = {}
    for c in conversations:
        by_file.setdefault(c.file, []).append(c)
    lines = [f"{len(conversations)} conversations, {sum(len(c.turns) for c in conversations)} turns"]
    for name, group in sorted(by_file.items()):
        turns = sum(len(c.turns) for c in group)
        totals = sum(t.expect_total for c in group for t in c.turns)
        wechat = sum("wechat" in c.channels for c in group)
        lines.append(
            f"  {name:<28} {len(group):>3} conversations {turns:>4} turns {totals:>4} totals {wechat:>2} wechat"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", help="run against a running Rasa server, e.g. http://localhost:5005")
    parser.add_argument("--only", help="only conversations whose id contains this")
    parser.add_argument("--sender-prefix", default="suite-cli")
    args = parser.parse_args(argv)
    try:
        conversations = load_suite()
    except SuiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.only:
        conversations = [c for c in conversations if args.only in c.id]
    print(describe(conversations))
    if not args.url:
        return 0
    results = [run_conversation(c, rest_sender(args.url, f"{args.sender_prefix}-{c.id}")) for c in conversations]
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
