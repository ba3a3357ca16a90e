"""Rasa input channel for a WeChat Official Account (公众号) server callback.

Served at ``/webhooks/wechat/webhook``. Configured from the environment (``credentials.yml``
names the channel only, so no secret is ever written to a file):

- ``WECHAT_TOKEN``      the Token set in 公众平台 → 设置与开发 → 基本配置 (required)
- ``WECHAT_APPID``, ``WECHAT_APPSECRET``   for safe mode and the customer-service API
- ``WECHAT_AES_KEY``    the 43-character EncodingAESKey (safe mode / compatible mode)
- ``WECHAT_API_BASE``   the WeChat API address (default https://api.weixin.qq.com; tests use a local fake)
- ``WECHAT_REPLY_DEADLINE_S``  how long to wait for the bot before answering ``success`` (default 4.5)
- ``WECHAT_DEDUPE_REDIS_URL``   with several Rasa instances: a Redis URL shared by all of them, so a
  retry landing on another instance is not processed twice (e.g. redis://:password@host:6379/1);
  the replay guard's nonces are kept there too
- ``WECHAT_ACCOUNT_ID`` the account's 原始ID (gh_…): when set, messages to another account are refused

Requests are refused when their timestamp is more than 300 s from now or their timestamp and
nonce were already used with another body (``wechat_replay``), when FromUserName is not an
OpenID (at most 64 letters, digits, ``-`` and ``_``), or when ToUserName is not the configured
account. A text over 1,000 characters is answered with the limit, not processed. The conversation
id is ``wechat:<OpenID>``.

The protocol lives in ``wechat_protocol``, the retry/deadline logic in ``wechat_responder``.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.offload import understand
from bot.channels.replies import APOLOGY
from bot.channels.wechat_protocol import OPENID, Crypto, ProtocolError, parse_xml, signature_ok, text_reply
from bot.channels.wechat_replay import ReplayGuard
from bot.channels.wechat_responder import CustomerServiceAPI, Responder, SharedSeen
from web.limits import conversation_id

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
DEFAULT_API_BASE = "https://api.weixin.qq.com"


class WeChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WeChatInput:
        env = os.environ
        return cls(
            token=env.get("WECHAT_TOKEN", ""),
            appid=env.get("WECHAT_APPID", ""),
            secret=env.get("WECHAT_APPSECRET", ""),
            aes_key=env.get("WECHAT_AES_KEY", ""),
            api_base=env.get("WECHAT_API_BASE", DEFAULT_API_BASE),
            deadline_s=float(env.get("WECHAT_REPLY_DEADLINE_S", "4.5")),
            dedupe_redis_url=env.get("WECHAT_DEDUPE_REDIS_URL", ""),
            account_id=env.get("WECHAT_ACCOUNT_ID", ""),
        )

    def __init__(
        self, token: str, appid: str = "", secret: str = "", aes_key: str = "",
        api_base: str = DEFAULT_API_BASE, deadline_s: float = 4.5, dedupe_redis_url: str = "",
        account_id: str = "",
    ) -> None:  # fmt: skip
        self.token, self.appid, self.secret, self.api_base, self.deadline_s = token, appid, secret, api_base, deadline_s
        self.crypto = Crypto(aes_key, appid) if aes_key else None  # a bad key stops start-up with its reason
        self.dedupe_redis_url = dedupe_redis_url
        self.account_id = account_id
        if not token:
            logger.warning("wechat: WECHAT_TOKEN is not set; /webhooks/wechat/webhook answers 503 until it is")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        responder: Responder | None = None
        guard: ReplayGuard | None = None
        app: Any = None  # the Sanic app, for the NLU off the event loop

        async def handle(text: str, sender: str) -> list[dict[str, Any]]:
            collector = CollectingOutputChannel()
            message = UserMessage(text, collector, conversation_id(self.name(), sender), input_channel=self.name())
            if app is not None:
                await understand(app, message)
            await on_new_message(message)
            return list(collector.messages)

        def get_guard() -> ReplayGuard:
            nonlocal guard
            if guard is None:  # made on first use, inside the server's event loop (like the responder)
                guard = ReplayGuard(self.dedupe_redis_url)
            return guard

        def get_responder() -> Responder:
            # Made on first use, inside the server's event loop (the HTTP client belongs to it).
            nonlocal responder
            if responder is None:
                api = None
                if self.appid and self.secret:
                    client = httpx.AsyncClient(timeout=10.0)
                    api = CustomerServiceAPI(self.api_base, self.appid, self.secret, client)
                shared = SharedSeen(self.dedupe_redis_url) if self.dedupe_redis_url else None
                responder = Responder(handle, api, self.deadline_s, shared=shared)
            return responder

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.token else "WECHAT_TOKEN not set"})

        @hook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.token:
                return response.text("WECHAT_TOKEN not configured", status=503)
            args = request.args
            if not signature_ok(args.get("signature"), self.token, args.get("timestamp"), args.get("nonce")):
                return response.text("signature mismatch", status=403)
            return response.text(args.get("echostr", ""))

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            nonlocal app
            if not self.token:
                return response.text("WECHAT_TOKEN not configured", status=503)
            body = request.body or b""
            if len(body) > MAX_BODY_BYTES:
                return response.text(f"body over {MAX_BODY_BYTES} bytes", status=413)
            args = request.args
            timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
            if not signature_ok(args.get("signature"), self.token, timestamp, nonce):
                return response.text("signature mismatch", status=403)
            try:
                replay = await get_guard().problem(timestamp, nonce, body)
            except Exception:  # the shared nonce store (Redis) is down: refuse, WeChat retries
                logger.exception("wechat: replay guard unavailable")
                return response.text("replay guard unavailable", status=503)
            if replay:
                logger.warning("wechat: refused a request: %s", replay)
                return response.text(f"refused: {replay}", status=403)
            safe_mode = args.get("encrypt_type") == "aes"
            try:
                message = parse_xml(body)
                if safe_mode:
                    if self.crypto is None:
                        return response.text("safe mode needs WECHAT_AES_KEY", status=400)
                    encrypted = message.get("Encrypt", "")
                    if not signature_ok(args.get("msg_signature"), self.token, timestamp, nonce, encrypted):
                        return response.text("msg_signature mismatch", status=403)
                    message = parse_xml(self.crypto.decrypt(encrypted))
            except ProtocolError as exc:
                logger.info("wechat: rejected a malformed message: %s", exc)
                return response.text(f"bad request: {exc}", status=400)
            if not message.get("FromUserName") or not message.get("ToUserName"):
                return response.text("bad request: FromUserName and ToUserName are required", status=400)
            if not OPENID.fullmatch(message["FromUserName"]):
                return response.text("bad request: FromUserName is not an OpenID", status=400)
            if self.account_id and message["ToUserName"] != self.account_id:
                return response.text("bad request: ToUserName is not this account", status=403)
            app = request.app
            try:
                reply = await get_responder().respond(message)
            except Exception:  # e.g. the shared MsgId store (Redis) is down: say sorry, never a 500
                logger.exception("wechat: could not handle a message")
                reply = APOLOGY
            if reply is None:
                return response.text("success")
            xml = text_reply(message["FromUserName"], message["ToUserName"], reply, int(time.time()))
            if safe_mode and self.crypto is not None:
                xml = self.crypto.encrypted_reply(self.token, xml, str(int(time.time())), nonce)
            return response.text(xml, content_type="application/xml; charset=utf-8")

        return hook
