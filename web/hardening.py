"""What every response of the website carries, and limits on slow or nosy clients.

- ``SecurityHeaders``: an ASGI middleware adding a Content-Security-Policy (the pages load only
  their own scripts, styles and API; no framing), ``nosniff``, ``Referrer-Policy: same-origin``.
- ``HeaderTimeoutH11``: uvicorn's HTTP/1.1 protocol with a deadline for a request's headers.
  uvicorn has a keep-alive timeout but none for a client that sends its headers a byte at a time
  (slowloris), so this small subclass closes a connection whose request has not arrived in time.
- ``QuerylessAccessLog``: access-log lines with the path only (staff questions and regions travel
  in query strings).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0
BODY_TIMEOUT_S = 10.0
HEADERS = [
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, with_headers)


class HeaderTimeoutH11(H11Protocol):
    """Closes a connection whose next request's headers have not arrived within HEADER_TIMEOUT_S."""

    _armed_for: Any = None
    _timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._armed_for = self.cycle  # a new request replaces the cycle once its headers are in
        self._timer = self.loop.call_later(HEADER_TIMEOUT_S, self._expire)

    def _expire(self) -> None:
        if self.cycle is self._armed_for and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        super().connection_lost(exc)


class QuerylessAccessLog(logging.Filter):
    """Drops the query string from uvicorn's access-log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def install_access_log_filter() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, QuerylessAccessLog) for f in access.filters):
        access.addFilter(QuerylessAccessLog())
