"""What the WeChat channel does with a message, without Rasa or HTTP framework: tested on its own.

WeChat waits 5 seconds for the passive reply and then retries the same message (same MsgId)
up to three times. So a message is handled once, whatever the retries:

- the first delivery starts the bot's answer as a task and waits up to ``deadline_s`` (4.5 s);
- answered in time → the passive reply; parts beyond the 2,048-byte limit follow through the
  customer-service message API (客服消息接口), once;
- not in time → ``None`` (the channel answers ``success``) and the whole answer goes through the
  customer-service API when it is ready;
- a retry of a message already seen waits on the same task and gets the same reply, or ``None``
  when that answer is already on its way through the API.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from bot.channels.replies import APOLOGY
from bot.channels.wechat_protocol import TEXT_LIMIT_BYTES, split_text
from web.limits import EMPTY_TEXT, text_problem
from web.report_token import ReportLinks

logger = logging.getLogger(__name__)

WELCOME = (
    "您好，欢迎关注！我是知识产权惠企政策助手，可以：\n"
    "1. 根据贵单位所在地区和知识产权情况，算出可申请的奖励、金额和政策依据；\n"
    "2. 回答知识产权政策问题并给出条款原文。\n"
    "例如回复：“我们在泽州县，今年授权了3件发明专利”，或“专利质押贷款有贴息吗？”"
)
TEXT_ONLY = "目前只能处理文字消息，请用文字描述您的问题，例如“我能申请哪些知识产权奖励？”"
SLOW_NO_API = "问题较复杂，仍在处理中，请稍后再发送一次您的问题。"
TOKEN_ERRORS = {40001, 40014, 42001}  # invalid or expired access token: fetch a new one and retry once

Handler = Callable[[str, str], Awaitable[list[dict[str, Any]]]]


def report_line(messages: list[dict[str, Any]], links: ReportLinks | None, now: float) -> str | None:
    """“测算报告（PDF）：<link>” for the last computed answer among ``messages`` (its payload's ``profile``
    and ``data.as_of``), or None: no public URL configured, no computed answer, or a profile too large."""
    if links is None:
        return None
    for message in reversed(messages):
        custom = message.get("custom")
        if not isinstance(custom, dict) or custom.get("type") != "awards":
            continue
        profile, data = custom.get("profile"), custom.get("data")
        if not isinstance(profile, dict) or not profile.get("region") or not isinstance(data, dict):
            return None
        if not data.get("policies"):  # an uncovered region: nothing to print
            return None
        try:
            as_of = date.fromisoformat(str(data.get("as_of")))
        except ValueError:
            return None
        url = links.url(profile, as_of, now=now)
        return f"测算报告（PDF，可打印，{links.days} 天内有效）：{url}" if url else None
    return None


def messages_to_text(messages: list[dict[str, Any]], links: ReportLinks | None = None) -> str:
    """The bot's messages as WeChat text: texts in order, buttons as words the user can send back, and
    with ``links`` configured, the link to the 测算报告 of the computed answer at the end."""
    parts = []
    for message in messages:
        if message.get("text"):
            parts.append(str(message["text"]))
        buttons = [b.get("title") for b in message.get("buttons") or [] if b.get("title")]
        if buttons:
            parts.append("可直接回复：" + " / ".join(buttons))
    line = report_line(messages, links, time.time())
    if line and parts:
        parts.append(line)
    return "\n".join(parts)


class CustomerServiceAPI:
    """The 客服消息 API: access token fetched with AppID + AppSecret and cached until it expires."""

    def __init__(self, base_url: str, appid: str, secret: str, client: httpx.AsyncClient) -> None:
        self.base_url = base_url.rstrip("/")
        self.appid, self.secret, self.client = appid, secret, client
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def access_token(self, *, refresh: bool = False) -> str:
        async with self._lock:
            if refresh or self._token is None or time.monotonic() >= self._expires:
                response = await self.client.get(
                    f"{self.base_url}/cgi-bin/token",
                    params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
                )
                data = response.json()
                if "access_token" not in data:
                    raise RuntimeError(f"access token refused: errcode {data.get('errcode')} {data.get('errmsg')}")
                self._token = str(data["access_token"])
                # Renew five minutes early so that a token never expires in flight.
                self._expires = time.monotonic() + max(int(data.get("expires_in", 7200)) - 300, 60)
            return self._token

    async def send_text(self, openid: str, content: str) -> None:
        body = json.dumps(  # UTF-8, not \u escapes: WeChat shows escapes literally
            {"touser": openid, "msgtype": "text", "text": {"content": content}}, ensure_ascii=False
        ).encode()
        for attempt in (1, 2):
            token = await self.access_token(refresh=attempt == 2)
            response = await self.client.post(
                f"{self.base_url}/cgi-bin/message/custom/send",
                params={"access_token": token},
                content=body,
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
            errcode = int(response.json().get("errcode", 0))
            if errcode == 0:
                return
            if errcode not in TOKEN_ERRORS or attempt == 2:
                raise RuntimeError(f"customer-service message refused: errcode {errcode}")


class SharedSeen:
    """MsgIds seen by any instance, in Redis: a retry that lands on another Rasa instance is not
    processed again there. The instance that claims a message publishes its reply; the others
    wait for it (up to the deadline) and answer the same, or ``success`` when it goes by the API."""

    def __init__(self, url: str, memory_s: float = 300.0) -> None:
        from redis.asyncio import Redis  # only needed when configured (WECHAT_DEDUPE_REDIS_URL)

        self.redis = Redis.from_url(url)
        self.memory_s = int(memory_s)

    async def claim(self, key: str) -> bool:
        return bool(await self.redis.set(f"wechat:claim:{key}", 1, nx=True, ex=self.memory_s))

    async def publish(self, key: str, first: str | None) -> None:
        """The passive reply given for ``key`` (None: the answer goes through the customer-service API)."""
        await self.redis.set(f"wechat:reply:{key}", json.dumps({"first": first}), ex=self.memory_s)

    async def close(self) -> None:
        closer = getattr(self.redis, "aclose", None) or self.redis.close  # redis-py ≥ 5 / 4.x
        await closer()

    async def reply(self, key: str, deadline_s: float) -> str | None:
        until = time.monotonic() + deadline_s
        while time.monotonic() < until:
            raw = await self.redis.get(f"wechat:reply:{key}")
            if raw is not None:
                return json.loads(raw)["first"]  # type: ignore[no-any-return]
            await asyncio.sleep(0.1)
        return None


@dataclass
class _Seen:
    task: asyncio.Task[list[str]]
    pushed: str = ""  # "all": the whole answer goes through the customer-service API; "rest": all but the first part


@dataclass
class Responder:
    handle: Handler  # (text, sender id) → the bot's messages
    api: CustomerServiceAPI | None = None
    deadline_s: float = 4.5
    memory_s: float = 300.0  # how long a MsgId is remembered (WeChat retries within ~15 s)
    max_remembered: int = 10_000
    shared: SharedSeen | None = None  # several instances: MsgIds seen by any of them
    # The 测算报告 link at the end of a computed answer: INCENTIVES_PUBLIC_URL and INCENTIVES_REPORT_SECRET,
    # read when the channel makes its responder (first message); either missing, no link and no word of it.
    report_links: ReportLinks | None = field(default_factory=lambda: ReportLinks.from_env(os.environ))
    _seen: OrderedDict[str, tuple[float, _Seen]] = field(default_factory=OrderedDict)
    _background: set[asyncio.Task[None]] = field(default_factory=set)

    async def respond(self, message: dict[str, str]) -> str | None:
        """The passive reply's text for one decrypted message, or ``None`` to answer ``success``."""
        kind = message.get("MsgType", "")
        sender = message.get("FromUserName", "")
        if kind == "event":
            return WELCOME if message.get("Event", "").lower() == "subscribe" else None
        text = message.get("Content", "") if kind == "text" else ""
        if kind == "voice" and message.get("Recognition"):  # speech already turned into text by WeChat
            text = message["Recognition"]
        if not text.strip():
            return TEXT_ONLY
        problem = text_problem(text, "消息")
        if problem and problem != EMPTY_TEXT:  # too long (one limit for every channel), control characters
            return problem
        # WeChat's MsgId, or for messages without one its documented stand-in, sender + CreateTime;
        # scoped by sender either way, so one user's id can never replay another user's answer.
        key = f"{sender}:{message.get('MsgId') or 't' + message.get('CreateTime', '')}"
        seen = self._remembered(key)
        if seen is None:
            if self.shared is not None and not await self.shared.claim(key):
                return await self.shared.reply(key, self.deadline_s)  # another instance has it
            seen = _Seen(asyncio.create_task(self._answer(text, sender)))
            self._remember(key, seen)
        elif seen.pushed == "all":
            return None
        reply = await self._reply(seen, sender)
        if self.shared is not None:
            await self.shared.publish(key, reply)
        return reply

    async def _reply(self, seen: _Seen, sender: str) -> str | None:
        done, _ = await asyncio.wait({seen.task}, timeout=self.deadline_s)
        if not done:
            if self.api is None:
                logger.warning(
                    "wechat: no answer within %.1f s and no customer-service API configured", self.deadline_s
                )
                return SLOW_NO_API
            if not seen.pushed:
                seen.pushed = "all"
                self._push(sender, seen.task, skip=0)
            return None
        chunks = seen.task.result()
        if len(chunks) > 1 and not seen.pushed:
            if self.api is None:
                return chunks[0] + "\n（内容较长，其余部分请在网页版查看）"
            seen.pushed = "rest"  # the first part is the passive reply; the rest follows once
            self._push(sender, seen.task, skip=1)
        return chunks[0]

    async def _answer(self, text: str, sender: str) -> list[str]:
        try:
            reply = messages_to_text(await self.handle(text, sender), self.report_links)
        except Exception:
            logger.exception("wechat: the bot failed on a message")
            reply = ""
        return split_text(reply or APOLOGY, TEXT_LIMIT_BYTES)

    def _push(self, sender: str, task: asyncio.Task[list[str]], *, skip: int) -> None:
        async def deliver() -> None:
            assert self.api is not None
            try:
                for chunk in (await task)[skip:]:
                    await self.api.send_text(sender, chunk)
            except Exception as exc:  # network, refused token: logged, the request already got its reply
                logger.error("wechat: customer-service delivery failed: %s", exc)

        background = asyncio.create_task(deliver())
        self._background.add(background)
        background.add_done_callback(self._background.discard)

    def _remembered(self, key: str) -> _Seen | None:
        now = time.monotonic()
        while self._seen and (len(self._seen) > self.max_remembered or next(iter(self._seen.values()))[0] < now):
            self._seen.popitem(last=False)
        entry = self._seen.get(key)
        return entry[1] if entry else None

    def _remember(self, key: str, seen: _Seen) -> None:
        self._seen[key] = (time.monotonic() + self.memory_s, seen)

    async def drain(self) -> None:
        """Wait for answers still being delivered through the API (tests, shutdown)."""
        while self._background:
            await asyncio.gather(*self._background)
