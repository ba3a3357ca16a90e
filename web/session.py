"""The website's conversation ids: issued by the server, never chosen by the client.

A new visitor gets a random id (192 bits) in a cookie, signed with HMAC-SHA256 so that only ids
this server issued are accepted; the cookie is HttpOnly (the page's script never sees it) and
SameSite=Strict (no other site can send it). Rasa keys the conversation on ``web:<id>``, so a
website visitor can never reach a WeChat or REST conversation, nor another visitor's.

The signing key is ``WEB_SESSION_SECRET`` (``make run`` keeps one in ``data/web-session-secret``,
mode 0600, so a restart continues every conversation); without it a key is drawn at start-up
and conversations start afresh after a restart of the website. Written on the standard library's
``hmac``: the whole job is one keyed hash, which no dependency would make smaller.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets

logger = logging.getLogger(__name__)

COOKIE = "incentives_sid"
MAX_AGE_S = 30 * 24 * 3600  # like the page's own log in localStorage: a month
_ID = re.compile(r"[A-Za-z0-9_-]{32}")


class Sessions:
    def __init__(self, secret: str | None = None) -> None:
        secret = secret if secret is not None else os.environ.get("WEB_SESSION_SECRET", "")
        if not secret:
            logger.warning("WEB_SESSION_SECRET is not set: website conversations restart when the website restarts")
            secret = secrets.token_urlsafe(32)
        self._key = secret.encode()

    def _sign(self, sid: str) -> str:
        digest = hmac.new(self._key, sid.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def issue(self) -> tuple[str, str]:
        """A new (id, cookie value)."""
        sid = secrets.token_urlsafe(24)
        return sid, f"{sid}.{self._sign(sid)}"

    def verify(self, cookie: str | None) -> str | None:
        """The id inside a cookie this server issued, else None."""
        if not cookie or len(cookie) > 100 or "." not in cookie:
            return None
        sid, _, signature = cookie.partition(".")
        if not _ID.fullmatch(sid) or not hmac.compare_digest(signature.encode(), self._sign(sid).encode()):
            return None
        return sid
