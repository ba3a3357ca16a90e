"""The conversation suite (tests/conversations/*.yaml) over REST, and its WeChat subset, against the real servers.

Every conversation gets a fresh sender id; the figures a reply must carry come from the engine
(tests/conversations/harness.py). The report is printed (``pytest -s``) and written to
reports/conversation_suite.txt (reports/conversation_suite_wechat.txt for the WeChat subset).
The assertions are floors on conversations passed: the dialogue is being rebuilt to the contract
in tests/conversations/README.md, and its engineer raises the floors as the suite turns green.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conversations.harness import (
    Conversation,
    ConversationResult,
    Send,
    load_suite,
    report,
    rest_reply,
    run_conversation,
)
from tests.e2e.conftest import ROOT, Servers
from tests.e2e.test_wechat import FakeWeChatAPI, WeChat, fake_wechat_api

# Floors on conversations passed (never lower them again). Measured when set: 214/221 over REST,
# 10/10 over WeChat; the held-out set (tests/conversations/heldout, written afterwards by someone who
# had not seen the dialogue code) 48/80 on its first, unseen run, 78/80 after fixes; heldout2 (60
# more, by another author, written after those fixes) 43/60 on its first, unseen run, 56/60 after one round;
# heldout3 (60 more, a third author) 36/60 on its first, unseen run, 59/60 after one round; heldout4 (60 more,
# a fourth author, asked for dialect, pasted tables, agents and insisting users) 31/60 unseen, 60/60 after;
# heldout5 (60 more, a fifth author: proxies, groups, terse answers, disputes) 42/60 unseen, 58/60 after;
# heldout6 (60 more, a sixth author: time words, follow-ups, run-on speech, other places' plans) 43/60
# unseen, 59/60 after one round; heldout7 (60 more, a seventh author: sector personas, loans and money,
# number traps, long journeys) 34/60 unseen, 57/60 after one round.
MIN_PASSED_REST = 212
MIN_PASSED_WECHAT = 9
CONVERSATIONS = Path(__file__).resolve().parents[1] / "conversations"
HELDOUT_SETS = {
    "heldout": 77,
    "heldout2": 57,
    "heldout3": 57,
    "heldout4": 57,
    "heldout5": 56,
    "heldout6": 55,
    "heldout7": 55,
    "heldout8": 56,
    "heldout9": 55,
}  # folder → floor

REPORTS = ROOT / "reports"
FIRST_SEND_WAIT_S = 60  # a passive "success": the answer comes through the customer-service API
QUIET_S = 1.5  # the parts of a long answer arrive one after another; stop after this much silence


def write_report(name: str, text: str) -> Path:
    REPORTS.mkdir(exist_ok=True)
    path = REPORTS / name
    path.write_text(text, encoding="utf-8")
    return path


def rest_send(servers: Servers, sender: str) -> Send:
    """One REST user: the reply is every message's text and button titles."""

    def send(message: str) -> str:
        return rest_reply(servers.say(sender, message))

    return send


def test_conversation_suite_over_rest(servers: Servers) -> None:
    results: list[ConversationResult] = []
    for conversation in load_suite():
        results.append(run_conversation(conversation, rest_send(servers, f"suite-{conversation.id}")))
    text = report(results, "Conversation suite over REST")
    path = write_report("conversation_suite.txt", text)
    print(f"\n{text}\n(written to {path})")
    passed = sum(r.passed for r in results)
    assert passed >= MIN_PASSED_REST, f"{passed} conversations passed, floor {MIN_PASSED_REST}: see {path}"


@pytest.mark.parametrize(("folder", "floor"), HELDOUT_SETS.items())
def test_heldout_conversations_over_rest(servers: Servers, folder: str, floor: int) -> None:
    results = [run_conversation(c, rest_send(servers, f"{folder}-{c.id}")) for c in load_suite(CONVERSATIONS / folder)]
    text = report(results, f"Held-out conversations ({folder}) over REST")
    path = write_report(f"conversation_{folder}.txt", text)
    print(f"\n{text}\n(written to {path})")
    passed = sum(r.passed for r in results)
    assert passed >= floor, f"{passed} conversations passed, floor {floor}: see {path}"


@pytest.fixture(scope="module")
def suite_wechat_api(servers: Servers) -> Iterator[FakeWeChatAPI]:
    """The fake WeChat API of test_wechat.py (access token + customer-service messages) for this module."""
    with fake_wechat_api(servers.wechat_api_port) as api:
        yield api


class WeChatUser:
    """One 公众号 follower: each message is posted signed; the reply is the passive reply plus every
    customer-service message the channel sends this openid afterwards (the rest of a long answer)."""

    def __init__(self, servers: Servers, api: FakeWeChatAPI, openid: str) -> None:
        self.wechat, self.api, self.openid = WeChat(servers), api, openid

    def _sent(self) -> list[str]:
        return [m["text"]["content"] for m in list(self.api.sent) if m.get("touser") == self.openid and "text" in m]

    def send(self, message: str) -> str:
        before = len(self._sent())
        passive = self.wechat.send(self.openid, message).get("Content", "")
        start, count = time.monotonic(), len(self._sent())
        last_change = start
        while True:
            time.sleep(0.1)
            now, seen = time.monotonic(), len(self._sent())
            if seen != count:
                count, last_change = seen, now
            if not passive and count == before:  # nothing yet: the whole answer comes asynchronously
                if now - start > FIRST_SEND_WAIT_S:
                    break
            elif now - last_change >= QUIET_S:
                break
        return "\n".join([passive, *self._sent()[before:]]).strip()


def wechat_conversations() -> list[Conversation]:
    return [c for c in load_suite() if "wechat" in c.channels]


def test_conversation_suite_over_wechat(servers: Servers, suite_wechat_api: FakeWeChatAPI) -> None:
    conversations = wechat_conversations()
    assert len(conversations) == 10
    results = [
        run_conversation(c, WeChatUser(servers, suite_wechat_api, f"suite-wx-{c.id}").send) for c in conversations
    ]
    text = report(results, "Conversation suite over WeChat (subset)")
    path = write_report("conversation_suite_wechat.txt", text)
    print(f"\n{text}\n(written to {path})")
    passed = sum(r.passed for r in results)
    assert passed >= MIN_PASSED_WECHAT, f"{passed} conversations passed, floor {MIN_PASSED_WECHAT}: see {path}"
