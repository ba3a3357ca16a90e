"""The WeChat responder: one answer per message whatever the retries, the 4.5 s deadline, and the
customer-service API (a fake WeChat API server behind httpx's MockTransport)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import socket
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from bot.channels.wechat_protocol import TEXT_LIMIT_BYTES
from bot.channels.wechat_responder import (
    APOLOGY,
    SLOW_NO_API,
    TEXT_ONLY,
    WELCOME,
    CustomerServiceAPI,
    Handler,
    Responder,
    SharedSeen,
    messages_to_text,
)


@dataclass
class FakeWeChatAPI:
    """The two endpoints the channel calls, with tokens that can be made to expire."""

    tokens_issued: int = 0
    expire_next_send: bool = False
    sent: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cgi-bin/token":
            assert request.url.params["appid"] == "wx_test" and request.url.params["secret"] == "s3cret"
            self.tokens_issued += 1
            return httpx.Response(200, json={"access_token": f"token-{self.tokens_issued}", "expires_in": 7200})
        if request.url.path == "/cgi-bin/message/custom/send":
            if self.expire_next_send:
                self.expire_next_send = False
                return httpx.Response(200, json={"errcode": 42001, "errmsg": "access_token expired"})
            assert request.url.params["access_token"] == f"token-{self.tokens_issued}"
            assert "\\u" not in request.content.decode()  # UTF-8, not escapes
            self.sent.append(json.loads(request.content))
            return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})
        return httpx.Response(404)


@dataclass
class Bot:
    """A stand-in for Rasa: answers after ``delay`` seconds and counts the messages it handled."""

    reply: list[dict[str, Any]]
    delay: float = 0.0
    calls: list[tuple[str, str]] = field(default_factory=list)

    async def __call__(self, text: str, sender: str) -> list[dict[str, Any]]:
        self.calls.append((text, sender))
        await asyncio.sleep(self.delay)
        return self.reply


def text_message(content: str, msg_id: str = "1001", sender: str = "openid-1") -> dict[str, str]:
    return {"ToUserName": "gh_acct", "FromUserName": sender, "CreateTime": "1700000000",
            "MsgType": "text", "Content": content, "MsgId": msg_id}  # fmt: skip


def run(scenario: Callable[[Responder, FakeWeChatAPI], Awaitable[None]], bot: Handler, *, deadline: float = 0.5,
        with_api: bool = True) -> FakeWeChatAPI:  # fmt: skip
    fake = FakeWeChatAPI()

    async def main() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
            api = CustomerServiceAPI("https://wechat.test", "wx_test", "s3cret", client) if with_api else None
            responder = Responder(bot, api, deadline_s=deadline)
            await scenario(responder, fake)
            await responder.drain()

    asyncio.run(main())
    return fake


def test_fast_answer_is_the_passive_reply() -> None:
    bot = Bot([{"text": "您好！请问贵单位在哪个县区？", "buttons": [{"title": "泽州县", "payload": "泽州县"}]}])

    async def scenario(responder: Responder, fake: FakeWeChatAPI) -> None:
        assert await responder.respond(text_message("你好")) == "您好！请问贵单位在哪个县区？\n可直接回复：泽州县"

    fake = run(scenario, bot)
    assert bot.calls == [("你好", "openid-1")] and fake.sent == []


def test_retries_of_one_msgid_are_processed_once_and_get_the_same_reply() -> None:
    bot = Bot([{"text": "可申请发明专利奖励 6,000 元"}], delay=0.1)

    async def scenario(responder: Responder, fake: FakeWeChatAPI) -> None:
        first, second = await asyncio.gather(
            responder.respond(text_message("算一下", "42")), responder.respond(text_message("算一下", "42"))
        )
        third = await responder.respond(text_message("算一下", "42"))
        assert first == second == third == "可申请发明专利奖励 6,000 元"

    run(scenario, bot)
    assert len(bot.calls) == 1


def test_messages_without_msgid_are_deduplicated_by_sender_and_time() -> None:
    bot = Bot([{"text": "好的"}])

    async def scenario(responder: Responder, fake: FakeWeChatAPI) -> None:
        message = {**text_message("没有了"), "MsgId": ""}
        assert await responder.respond(message) == await responder.respond(message) == "好的"
        assert await responder.respond({**message, "CreateTime": "1700000001"}) == "好的"

    run(scenario, bot)
    assert len(bot.calls) == 2


def test_slow_answer_goes_through_the_customer_service_api_once() -> None:
    bot = Bot([{"text": "合计（已明确金额部分）：26,000 元"}], delay=0.4)

    async def scenario(responder: Responder, fake: FakeWeChatAPI) -> None:
        assert await responder.respond(text_message("帮我算一下", "77")) is None  # → "success"
        assert await responder.respond(text_message("帮我算一下", "77")) is None  # WeChat's retry
        await responder.drain()
        assert fake.sent == [
            {"touser": "openid-1", "msgtype": "text", "text": {"content": "合计（已明确金额部分）：26,000 元"}}
        ]

    fake = run(scenario, bot, deadline=0.1)
    assert len(bot.calls) == 1 and fake.tokens_issued == 1


def test_long_answer_first_part_passive_rest_through_the_api() -> None:
    lines = [
        f"{n}. 奖励{n}：2,000 元\n   依据：《方案》第{n}条：“对新授权的发明专利给予奖励”" + "，支持" * 60
        for n in range(1, 12)
    ]
    bot = Bot([{"text": "\n".join(lines)}])

    async def scenario(responder: Responder, fake: FakeWeChatAPI) -> None:
        first = await responder.respond(text_message("算一下"))
        assert first is not None and first.startswith("1. 奖励1") and len(first.encode()) <= TEXT_LIMIT_BYTES
        again = await responder.respond(text_message("算一下"))  # a retry: same first part, nothing re-sent
        assert again == first

    fake = run(scenario, bot)
    rest = [m["text"]["content"] for m in fake.sent]
    assert rest and all(len(part.encode()) <= TEXT_LIMIT_BYTES for part in rest)
    assert "11. 奖励11" in rest[-1]
    assert sum(part.count("依据：") for part in rest) < len(lines)  # the first part carried some


def test_expired_token_is_refreshed_and_the_message_sent() -> None:
    bot = Bot([{"text": "稍等后的答复"}], delay=0.2)

    async def scenario(responder: Responder, fake: FakeWeChatAPI) -> None:
        fake.expire_next_send = True
        assert await responder.respond(text_message("问题", "9")) is None

    fake = run(scenario, bot, deadline=0.05)
    assert fake.tokens_issued == 2
    assert [m["text"]["content"] for m in fake.sent] == ["稍等后的答复"]


def test_events_and_non_text_messages() -> None:
    bot = Bot([{"text": "识别到的语音答复"}])

    async def scenario(responder: Responder, fake: FakeWeChatAPI) -> None:
        base = {"ToUserName": "gh_acct", "FromUserName": "openid-2", "CreateTime": "1700000000"}
        assert await responder.respond({**base, "MsgType": "event", "Event": "subscribe"}) == WELCOME
        assert await responder.respond({**base, "MsgType": "event", "Event": "unsubscribe"}) is None
        assert await responder.respond({**base, "MsgType": "image", "MsgId": "5", "PicUrl": "x"}) == TEXT_ONLY
        assert await responder.respond({**base, "MsgType": "voice", "MsgId": "6"}) == TEXT_ONLY
        voice = {**base, "MsgType": "voice", "MsgId": "7", "Recognition": "我能申请哪些奖励"}
        assert await responder.respond(voice) == "识别到的语音答复"

    run(scenario, bot)
    assert bot.calls == [("我能申请哪些奖励", "openid-2")]


def test_a_failing_bot_gives_the_apology() -> None:
    async def broken(text: str, sender: str) -> list[dict[str, Any]]:
        raise ConnectionError("action server down")

    async def scenario(responder: Responder, fake: FakeWeChatAPI) -> None:
        assert await responder.respond(text_message("你好")) == APOLOGY

    run(scenario, broken)


def test_empty_bot_answer_gives_the_apology_and_slow_without_api_says_so() -> None:
    async def scenario(responder: Responder, fake: FakeWeChatAPI) -> None:
        assert await responder.respond(text_message("你好", "1")) == APOLOGY

    run(scenario, Bot([]))

    async def slow(responder: Responder, fake: FakeWeChatAPI) -> None:
        assert await responder.respond(text_message("你好", "2")) == SLOW_NO_API

    run(slow, Bot([{"text": "迟到的答复"}], delay=0.3), deadline=0.05, with_api=False)


def test_buttons_become_words_and_custom_payloads_are_left_out() -> None:
    messages = [
        {
            "text": "请选择级别",
            "buttons": [{"title": "国家级", "payload": "国家级"}, {"title": "省级", "payload": "省级"}],
        },
        {"custom": {"type": "awards", "data": {}}},
        {"text": "回复“为什么”查看计算过程"},
    ]
    assert messages_to_text(messages) == "请选择级别\n可直接回复：国家级 / 省级\n回复“为什么”查看计算过程"


def test_the_same_msgid_from_two_users_is_two_messages() -> None:
    async def echo(text: str, sender: str) -> list[dict[str, Any]]:
        return [{"text": f"{sender}：{text}"}]

    async def scenario(responder: Responder, fake: FakeWeChatAPI) -> None:
        assert await responder.respond(text_message("甲", "1", sender="openid-a")) == "openid-a：甲"
        assert await responder.respond(text_message("乙", "1", sender="openid-b")) == "openid-b：乙"

    run(scenario, echo)


def test_two_instances_sharing_redis_process_a_retry_once() -> None:
    """Two responders (two Rasa instances) behind one Redis: WeChat's retry lands on the other one."""
    if not shutil.which("redis-server"):
        pytest.fail("this test needs redis-server: run `make test`, which installs it")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        bot = Bot([{"text": "泽州县：发明专利每件2,000元"}], delay=0.3)

        async def main() -> None:
            for _ in range(50):
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
                await asyncio.sleep(0.1)
            first = Responder(bot, deadline_s=2, shared=SharedSeen(f"redis://127.0.0.1:{port}/0"))
            second = Responder(bot, deadline_s=2, shared=SharedSeen(f"redis://127.0.0.1:{port}/0"))
            replies = await asyncio.gather(
                first.respond(text_message("算一下", "900")), second.respond(text_message("算一下", "900"))
            )
            assert replies == ["泽州县：发明专利每件2,000元"] * 2
            assert await second.respond(text_message("算一下", "900")) == "泽州县：发明专利每件2,000元"
            assert await second.respond(text_message("另一个问题", "901")) == "泽州县：发明专利每件2,000元"
            for responder in (first, second):
                assert responder.shared is not None
                await responder.shared.close()

        asyncio.run(main())
        assert [text for text, _ in bot.calls] == ["算一下", "另一个问题"]
    finally:
        server.terminate()
        server.wait()
