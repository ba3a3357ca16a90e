"""Replay protection for the WeChat callback, without Rasa: tested on its own.

A callback's signature covers only the token, a timestamp and a nonce — in plain mode not the
body — so a captured URL could be replayed forever, with any body, as any OpenID. Here:

- a timestamp more than ``window_s`` (300 s) from now is refused;
- each (timestamp, nonce) is remembered for the window with a digest of the body it came with:
  the same request again (WeChat's own retries are byte-identical) passes, and the MsgId dedupe
  answers it without processing it twice; the same signature with another body is refused.
  The memory is Redis when configured (several Rasa instances share it), else this process.

Safe mode (安全模式) also signs the body (``msg_signature``), which is why the README recommends it.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from typing import Any

WINDOW_S = 300
MAX_REMEMBERED = 100_000


class ReplayGuard:
    def __init__(self, redis_url: str = "", window_s: int = WINDOW_S, clock: Any = time.time) -> None:
        self.window_s = window_s
        self.clock = clock
        self.redis: Any = None
        if redis_url:
            from redis.asyncio import Redis  # only needed when configured

            self.redis = Redis.from_url(redis_url)
        self._seen: OrderedDict[str, tuple[float, str]] = OrderedDict()

    async def problem(self, timestamp: str, nonce: str, body: bytes) -> str | None:
        """Why this signed request is refused, or None to accept it."""
        if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:  # "¹".isdigit() is true
            return "timestamp is not a Unix time"
        if abs(self.clock() - int(timestamp)) > self.window_s:
            return f"timestamp more than {self.window_s} s from now (replayed or clock skew)"
        if not nonce or len(nonce) > 64:
            return "nonce missing or too long"
        key = f"{timestamp}:{nonce}"
        digest = hashlib.sha256(body).hexdigest()
        first = await self._remember(key, digest)
        if first != digest:
            return "this timestamp and nonce were already used with another body (replay)"
        return None

    async def _remember(self, key: str, digest: str) -> str:
        """The digest first stored under ``key`` (``digest`` itself when the key is new)."""
        ttl = 2 * self.window_s + 1  # a timestamp is valid for window_s either side of now
        if self.redis is not None:
            name = f"wechat:nonce:{key}"
            if await self.redis.set(name, digest, nx=True, ex=ttl):
                return digest
            stored = await self.redis.get(name)
            return stored.decode() if isinstance(stored, bytes) else str(stored or digest)
        now = time.monotonic()
        while self._seen and (len(self._seen) >= MAX_REMEMBERED or next(iter(self._seen.values()))[0] < now):
            self._seen.popitem(last=False)
        if key in self._seen:
            return self._seen[key][1]
        self._seen[key] = (now + ttl, digest)
        return digest

    async def close(self) -> None:
        if self.redis is not None:
            closer = getattr(self.redis, "aclose", None) or self.redis.close
            await closer()
