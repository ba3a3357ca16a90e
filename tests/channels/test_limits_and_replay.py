"""What every channel accepts (web.limits) and the WeChat replay guard, without Rasa."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import socket
import subprocess
from collections.abc import Iterator

import pytest

from bot.channels.wechat_protocol import ProtocolError, parse_xml
from bot.channels.wechat_replay import ReplayGuard
from bot.channels.wechat_responder import Responder
from web.limits import (
    MAX_TEXT_CHARS,
    BodyError,
    conversation_id,
    json_object,
    sender_problem,
    text_problem,
)


@pytest.mark.parametrize(
    ("sender", "why"),
    [
        ("x\ud800", "孤立代理项"), ("nul\u0000", "可打印"), ("tab\tid", "可打印"), ("\u202eevil", "可打印"),
        ("", "不能为空"), ("   ", "不能为空"), ("a" * 129, "过长"), (42, "字符串"), (None, "字符串"),
    ],
)  # fmt: skip
def test_hostile_sender_ids_are_refused_with_the_reason(sender: object, why: str) -> None:
    problem = sender_problem(sender)
    assert problem is not None and why in problem and "sender" in problem


@pytest.mark.parametrize("sender", ["企业A", "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "web:" + "a" * 32, "a" * 128])
def test_ordinary_sender_ids_pass(sender: str) -> None:
    assert sender_problem(sender) is None


def test_message_text_rules() -> None:
    assert text_problem("我们在泽州县") is None
    assert text_problem("第一行\n第二行\t完") is None
    assert text_problem("长" * MAX_TEXT_CHARS) is None
    too_long = text_problem("长" * (MAX_TEXT_CHARS + 1))
    assert too_long is not None and f"{MAX_TEXT_CHARS}字以内" in too_long and "1001字" in too_long
    assert "不能为空" in (text_problem(" \n ") or "")
    assert "孤立代理项" in (text_problem("a\udcff") or "")
    assert "控制字符" in (text_problem("a\x00b") or "")
    assert "字符串" in (text_problem(["x"]) or "")


def test_conversations_are_scoped_by_channel() -> None:
    assert conversation_id("web", "abc") != conversation_id("wechat", "abc") != conversation_id("rest", "abc")
    assert conversation_id("wechat", "o-1") == "wechat:o-1"


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "嵌套过深"),
        (b'{"a":' * 50 + b"1" + b"}" * 50, "嵌套过深"),
        (b'{"sender": "x", "message": 1' + b"0" * 5000 + b"}", "不是有效的 JSON"),
        (b"\xed\xa0\x80", "UTF-8"),
        (b"[1, 2]", "JSON 对象"),
        (b"", "JSON 对象"),
        (b"{", "不是有效的 JSON"),
    ],
)
def test_bad_bodies_are_a_body_error_never_an_exception(raw: bytes, why: str) -> None:
    with pytest.raises(BodyError) as refused:
        json_object(raw, "{}")
    assert why in refused.value.zh


def test_a_string_full_of_brackets_is_not_nesting() -> None:
    raw = json.dumps({"sender": "x", "message": "[[[[{{{{" * 100}).encode()
    assert json_object(raw, "{}")["sender"] == "x"


def test_xml_declaring_another_encoding_is_a_protocol_error() -> None:
    gbk = '<?xml version="1.0" encoding="GBK"?><xml><Content>你好</Content></xml>'.encode("gbk")
    with pytest.raises(ProtocolError, match="only UTF-8"):
        parse_xml(gbk)
    assert parse_xml('<?xml version="1.0" encoding="UTF-8"?><xml><a>你好</a></xml>'.encode()) == {"a": "你好"}


def test_safe_mode_ciphertext_with_any_characters_is_a_protocol_error() -> None:
    from bot.channels.wechat_protocol import Crypto

    crypto = Crypto("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx_test")
    for encrypted in ("\x80", "密文", "", "AAAA", "A" * 1000):
        with pytest.raises(ProtocolError):
            crypto.decrypt(encrypted)


def test_too_long_wechat_text_is_answered_with_the_limit_not_processed() -> None:
    calls: list[str] = []

    async def bot(text: str, sender: str) -> list[dict[str, str]]:
        calls.append(text)
        return [{"text": "ok"}]

    async def main() -> str | None:
        message = {"FromUserName": "o-1", "ToUserName": "gh", "MsgType": "text", "MsgId": "1",
                   "Content": "长" * (MAX_TEXT_CHARS + 1)}  # fmt: skip
        return await Responder(bot).respond(message)

    reply = asyncio.run(main())
    assert reply is not None and f"{MAX_TEXT_CHARS}字以内" in reply and calls == []


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def check_guard(guard: ReplayGuard, clock: Clock) -> None:
    async def main() -> None:
        now = str(int(clock.now))
        assert await guard.problem(now, "n1", b"<xml>a</xml>") is None
        assert await guard.problem(now, "n1", b"<xml>a</xml>") is None  # WeChat's retry: byte-identical
        replay = await guard.problem(now, "n1", b"<xml>forged</xml>")
        assert replay is not None and "replay" in replay
        assert await guard.problem(now, "n2", b"<xml>forged</xml>") is None
        assert "300 s" in (await guard.problem("978307200", "n3", b"x") or "")  # 2001
        assert "300 s" in (await guard.problem(str(int(clock.now) + 301), "n4", b"x") or "")
        assert await guard.problem(str(int(clock.now) - 299), "n5", b"x") is None
        assert "Unix time" in (await guard.problem("1e9", "n6", b"x") or "")
        assert "Unix time" in (await guard.problem("9" * 5000, "n6", b"x") or "")
        await guard.close()

    asyncio.run(main())


def test_replay_guard_in_memory() -> None:
    clock = Clock(1_750_000_000.0)
    check_guard(ReplayGuard(clock=clock), clock)


@pytest.fixture
def redis_url() -> Iterator[str]:
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
        for _ in range(50):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            subprocess.run(["sleep", "0.1"], check=True)
        yield f"redis://127.0.0.1:{port}/2"
    finally:
        server.terminate()
        server.wait()


def test_replay_guard_shared_through_redis(redis_url: str) -> None:
    clock = Clock(1_750_000_000.0)
    check_guard(ReplayGuard(redis_url, clock=clock), clock)

    async def across_instances() -> None:  # a forged body sent to the other instance is refused too
        first, second = ReplayGuard(redis_url, clock=clock), ReplayGuard(redis_url, clock=clock)
        now = str(int(clock.now))
        assert await first.problem(now, "shared", b"<xml>a</xml>") is None
        assert await second.problem(now, "shared", b"<xml>b</xml>") is not None
        await first.close()
        await second.close()

    asyncio.run(across_instances())
