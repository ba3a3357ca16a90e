"""Rasa's REST channel with a fixed apology instead of silence, and clear errors for bad requests.

When the action server cannot be reached Rasa logs the failure and answers nothing; a user
on the website or in WeChat would then wait forever. This channel notices an empty answer
and sends a fixed apology. POST /webhooks/rest/webhook {"sender": "...", "message": "..."}.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.replies import APOLOGY

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000


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

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                payload = json.loads(request.body or b"null")
            except ValueError:
                payload = None
            if not isinstance(payload, dict):
                return _error(400, '请求体应为 JSON 对象：{"sender": "…", "message": "…"}')
            sender, text = payload.get("sender"), payload.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > 128:
                return _error(400, "字段 sender 应为 1–128 个字符的会话标识")
            if not isinstance(text, str):
                return _error(400, "字段 message 应为字符串")
            if len(text) > MAX_MESSAGE_CHARS:
                return _error(413, f"消息过长（{len(text)}字），请控制在{MAX_MESSAGE_CHARS}字以内")
            collector = CollectingOutputChannel()
            metadata = payload.get("metadata") if isinstance(payload.get("metadata"), dict) else None
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            except asyncio.CancelledError:
                logger.error("rest: message handling cancelled (timeout) for sender %s", sender)
            except Exception:
                logger.exception("rest: message handling failed for sender %s", sender)
            messages = collector.messages or [{"recipient_id": sender, "text": APOLOGY}]
            return response.json(messages)

        return hook


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)
