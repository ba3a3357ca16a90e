"""Signed, expiring links to a 测算报告: ``<public URL>/report/<token>.pdf``. Standard library only (the
WeChat channel imports it from the Rasa environment, Python 3.10; the website from the core's).

The token carries the estimate itself — the profile and the date of the estimate, as compact JSON,
zlib-compressed and base64url-encoded — with an expiry, signed with HMAC-SHA256 under the secret
``INCENTIVES_REPORT_SECRET``. Why the profile and not an id in a store: nothing has to be shared or
cleaned up between the Rasa processes (which know the profile) and the website (which draws the
PDF), possibly on other machines in the production profile; the link works for as long as it is
valid and never after; and a profile is facts about IP titles and counts, no name, openid or
conversation id, so the URL identifies nobody. It is signed, not encrypted: whoever holds the link
can read the facts it was made for, as they can read the report itself.

Format: ``v1.<payload>.<signature>``, both base64url without padding; the signature (16 bytes of
HMAC-SHA256) covers ``v1.<payload>``. The payload is ``{"p": profile, "d": "YYYY-MM-DD", "e": expiry
(Unix seconds)}``. A profile whose token would exceed ``MAX_TOKEN_CHARS`` gets no link.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

SECRET_VARIABLE = "INCENTIVES_REPORT_SECRET"
PUBLIC_URL_VARIABLE = "INCENTIVES_PUBLIC_URL"
DAYS_VARIABLE = "INCENTIVES_REPORT_LINK_DAYS"
DEFAULT_DAYS = 30
MIN_SECRET_BYTES = 16
MAX_TOKEN_CHARS = 1800  # the link must fit in one WeChat text (2,048 bytes) with room to spare
MAX_PAYLOAD_BYTES = 64 * 1024  # a decompressed payload larger than this is refused (no zip bomb)
VERSION = "v1"
SIGNATURE_BYTES = 16

INVALID = "报告链接无效（可能被改动或不完整），请回到对话中重新获取。"
EXPIRED = "报告链接已过期，请回到对话中重新询问，获取新的报告链接。"


class TokenError(ValueError):
    """A token that cannot be honoured; ``expired`` tells a link that was once valid from a forged one."""

    def __init__(self, zh: str, *, expired: bool = False) -> None:
        super().__init__(zh)
        self.zh = zh
        self.expired = expired


@dataclass(frozen=True)
class ReportRequest:
    profile: dict[str, Any]
    as_of: date
    expires: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text or not all(c.isascii() and (c.isalnum() or c in "-_") for c in text):
        raise TokenError(INVALID)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise TokenError(INVALID) from None


def _key(secret: str) -> bytes:
    key = secret.encode("utf-8")
    if len(key) < MIN_SECRET_BYTES:
        raise ValueError(f"{SECRET_VARIABLE} must be at least {MIN_SECRET_BYTES} bytes")
    return key


def _signature(key: bytes, signed: str) -> str:
    return _b64(hmac.new(key, signed.encode("ascii"), hashlib.sha256).digest()[:SIGNATURE_BYTES])


def sign(profile: Mapping[str, Any], as_of: date, *, secret: str, now: float, days: int = DEFAULT_DAYS) -> str:
    """The token for ``profile``'s report on ``as_of``, valid ``days`` from ``now`` (Unix seconds)."""
    payload = {"p": dict(profile), "d": as_of.isoformat(), "e": int(now) + days * 86400}
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    body = _b64(zlib.compress(raw, 9))
    signed = f"{VERSION}.{body}"
    return f"{signed}.{_signature(_key(secret), signed)}"


def verify(token: str, *, secret: str, now: float) -> ReportRequest:
    """The profile and date a token was made for. Raises ``TokenError`` (bad signature, malformed, expired)."""
    if len(token) > MAX_TOKEN_CHARS + 100:
        raise TokenError(INVALID)
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != VERSION:
        raise TokenError(INVALID)
    signed = f"{parts[0]}.{parts[1]}"
    try:
        expected = _signature(_key(secret), signed)
    except UnicodeEncodeError:
        raise TokenError(INVALID) from None
    if not hmac.compare_digest(expected.encode("ascii"), parts[2].encode("utf-8", "replace")):
        raise TokenError(INVALID)
    # Signed by us: what follows can only fail on a token we made with a bug, still never a 500.
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(_unb64(parts[1]), MAX_PAYLOAD_BYTES)
        payload = json.loads(raw.decode("utf-8"))
        profile, as_of, expires = payload["p"], date.fromisoformat(payload["d"]), int(payload["e"])
    except (zlib.error, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise TokenError(INVALID) from None
    if inflater.unconsumed_tail or not isinstance(profile, dict):
        raise TokenError(INVALID)
    if now >= expires:
        raise TokenError(EXPIRED, expired=True)
    return ReportRequest(profile, as_of, expires)


@dataclass(frozen=True)
class ReportLinks:
    """What the WeChat channel needs to end an answer with a link: the public base URL and the secret."""

    public_url: str
    secret: str
    days: int = DEFAULT_DAYS

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ReportLinks | None:
        """Configured only when both the public URL and a long enough secret are set; otherwise no link."""
        url = env.get(PUBLIC_URL_VARIABLE, "").strip().rstrip("/")
        secret = env.get(SECRET_VARIABLE, "")
        if not url.startswith(("https://", "http://")) or len(secret.encode("utf-8")) < MIN_SECRET_BYTES:
            return None
        days_text = env.get(DAYS_VARIABLE, "").strip()
        days = (
            int(days_text)
            if days_text.isascii() and days_text.isdigit() and 0 < int(days_text) <= 365
            else DEFAULT_DAYS
        )
        return cls(url, secret, days)

    def url(self, profile: Mapping[str, Any], as_of: date, *, now: float) -> str | None:
        """The link to ``profile``'s report, or None when the profile is too large for a link."""
        token = sign(profile, as_of, secret=self.secret, now=now, days=self.days)
        if len(token) > MAX_TOKEN_CHARS:
            return None
        return f"{self.public_url}/report/{token}.pdf"
