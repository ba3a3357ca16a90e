"""Rasa's REST channel with a fixed apology instead of silence, and clear errors for bad requests.

When the action server cannot be reached Rasa logs the failure and answers nothing; a user
on the website or in WeChat would then wait forever. This channel notices an empty answer
and sends a fixed apology. POST /webhooks/rest/webhook {"sender": "...", "message": "..."}.

Every request is checked before Rasa sees it (``web.limits``): the body is read up to
``MAX_BODY_BYTES`` and no further, must be a JSON object no deeper than a few levels, the sender
id printable and bounded, the message valid text of at most 1,000 characters. ``metadata`` is
ignored (nothing uses it, and it was stored with every event: one 10 MB request grew the
database by 40 MB). The conversation id is ``rest:<sender>``; the website's own channel
(``WebInput``, ``web:<id>``) is the same class under another name, reachable on loopback only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.offload import understand
from bot.channels.replies import APOLOGY
from web.limits import (
    MAX_TEXT_CHARS,
    BodyError,
    conversation_id,
    json_object,
    sender_problem,
    text_problem,
)

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024  # 1,000 characters as \uXXXX escapes are 6 KB; anything larger is not a message
EXAMPLE = '{"sender": "…", "message": "…"}'


async def read_capped(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it passes ``limit`` bytes (the rest is never read)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream:  # type: ignore[union-attr]
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class ResilientRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ResilientRestInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            raw = await read_capped(request, MAX_BODY_BYTES)
            if raw is None:
                return _error(413, f"请求过大（上限 {MAX_BODY_BYTES // 1024} KB），消息请控制在{MAX_TEXT_CHARS}字以内")
            try:
                payload = json_object(raw, EXAMPLE)
            except BodyError as exc:
                return _error(400, exc.zh)
            sender, text = payload.get("sender"), payload.get("message")
            problem = sender_problem(sender) or text_problem(text)
            if problem:
                too_long = isinstance(text, str) and len(text.strip()) > MAX_TEXT_CHARS
                return _error(413 if too_long and not sender_problem(sender) else 400, problem)
            assert isinstance(sender, str) and isinstance(text, str)
            collector = CollectingOutputChannel()
            message = UserMessage(
                text.strip(), collector, conversation_id(self.name(), sender), input_channel=self.name()
            )
            try:
                await understand(request.app, message)
                await on_new_message(message)
            except asyncio.CancelledError:
                logger.error("%s: message handling cancelled (timeout)", self.name())
            except Exception:
                logger.exception("%s: message handling failed", self.name())
            # The client sees its own sender id, as before; the prefix is the server's business.
            messages = [{**m, "recipient_id": sender} for m in collector.messages]
            return response.json(messages or [{"recipient_id": sender, "text": APOLOGY}])

        return hook


class WebInput(ResilientRestInput):
    """The website's channel (``POST /webhooks/web/webhook``): sender ids are the ones the website
    issued in its cookie. Not public: Rasa listens on loopback, and nginx answers 404 for it."""

    @classmethod
    def name(cls) -> str:
        return "web"


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)
