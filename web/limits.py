"""What every channel accepts: sender ids, message text, JSON bodies. No Rasa or web-framework
import: the Rasa channels (bot/channels) and the website both use it, in either environment.

One set of rules for the REST channel, the website and WeChat, so that no channel lets through
what another refuses:

- a sender id is 1–128 printable characters: no surrogates (SQLite cannot store them; Rasa's
  SQL tracker store used to exit the process on the error), no NUL (PostgreSQL refuses it), no
  control or format characters;
- a message is valid Unicode text of at most ``MAX_TEXT_CHARS`` characters after trimming,
  not empty, without NUL or other C0 controls except tab and line ends;
- a conversation id is the channel's prefix and the sender id (``web:…``, ``wechat:…``,
  ``rest:…``), so one channel can never read or change another channel's conversations.

Each check returns the Chinese reason for the refusal, or ``None`` when the value is fine.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

MAX_TEXT_CHARS = 1000
MAX_SENDER_CHARS = 128
MAX_JSON_DEPTH = 20  # a chat request is two levels deep; anything deeper is refused before parsing
TEXT_TOO_LONG = "消息过长（{n}字），请控制在{limit}字以内，可分几次发送"
EMPTY_TEXT = "消息不能为空，请输入您的问题"
# Unicode categories never allowed in a sender id: controls, format characters (invisible
# direction marks …), surrogates, private use, unassigned, line/paragraph separators.
_BAD_ID_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_ALLOWED_TEXT_CONTROLS = frozenset("\t\n\r")


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def sender_problem(sender: Any, field: str = "sender") -> str | None:
    if not isinstance(sender, str):
        return f"字段 {field} 应为字符串"
    if not sender.strip():
        return f"字段 {field} 不能为空"
    if len(sender) > MAX_SENDER_CHARS:
        return f"字段 {field} 过长（{len(sender)}个字符），上限为{MAX_SENDER_CHARS}个字符"
    if _has_surrogate(sender):
        return f"字段 {field} 含有无效的 Unicode 字符（孤立代理项）"
    if any(unicodedata.category(c) in _BAD_ID_CATEGORIES for c in sender):
        return f"字段 {field} 只能包含可打印字符（不能含控制字符、NUL 或不可见字符）"
    return None


def text_problem(text: Any, field: str = "message") -> str | None:
    if not isinstance(text, str):
        return f"字段 {field} 应为字符串"
    if _has_surrogate(text):
        return f"字段 {field} 含有无效的 Unicode 字符（孤立代理项）"
    if any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_TEXT_CONTROLS for c in text):
        return f"字段 {field} 含有控制字符（如 NUL），请只发送文字"
    stripped = text.strip()
    if not stripped:
        return EMPTY_TEXT
    if len(stripped) > MAX_TEXT_CHARS:
        return TEXT_TOO_LONG.format(n=len(stripped), limit=MAX_TEXT_CHARS)
    return None


def conversation_id(channel: str, sender: str) -> str:
    """The tracker's key: the channel's prefix and the sender id."""
    return f"{channel}:{sender}"


def json_depth(raw: bytes | str) -> int:
    """The deepest nesting of brackets outside strings, without parsing (so no RecursionError)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class BodyError(ValueError):
    """A request body that is not a usable JSON object; ``zh`` says why."""

    def __init__(self, zh: str) -> None:
        super().__init__(zh)
        self.zh = zh


def json_object(raw: bytes, example: str) -> dict[str, Any]:
    """The body as a JSON object, or ``BodyError`` (bad UTF-8, bad JSON, too deep, not an object)."""
    expected = f"请求体应为 JSON 对象：{example}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError("请求体不是有效的 UTF-8 文本") from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise BodyError(f"请求体嵌套过深（超过{MAX_JSON_DEPTH}层），{expected}")
    try:
        payload = json.loads(text or "null")
    except (ValueError, RecursionError):  # ValueError also covers integers of thousands of digits
        raise BodyError(f"请求体不是有效的 JSON，{expected}") from None
    if not isinstance(payload, dict):
        raise BodyError(expected)
    return payload
