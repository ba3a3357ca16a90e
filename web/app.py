"""The website: the enterprise chat page, the staff FAQ page, and the small JSON API behind them.

One origin serves everything the browser needs, so an intranet that blocks CDNs and
cross-origin calls still works:

- ``GET /``              the chat page (``web/static/index.html``), talking to ``POST /api/chat``
- ``GET /staff``         the staff FAQ page: clause search with citations, policies with status
- ``POST /api/chat``     ``{"message": "…"}`` forwarded to Rasa's website channel (``/webhooks/web/webhook``)
  with the conversation id the website issued in its cookie (``web.session``; a client-chosen
  ``sender`` is ignored). JSON only, from this site's own pages (Origin / Sec-Fetch-Site checked).
- ``POST /api/chat/new`` a new conversation (a new cookie): the page's “新对话”
- ``GET /api/search``    ``?q=问题&region=地区&top_k=5``: clauses from the retrieval index
- ``GET /api/policies``  the policies in the knowledge base and their status today
- ``POST /api/report``   ``{"profile": {…}, "as_of": "YYYY-MM-DD"?}`` → the 测算报告 as a PDF (``web.reports``)
- ``GET /report/<token>.pdf``  the same report from a signed, expiring link (``web.report_token``)
- ``GET /healthz``       liveness

Errors are JSON ``{"error": "<中文说明>"}`` with a 4xx/5xx status, 404 and 405 included; the pages
show them as messages. Every response carries the security headers of ``web.hardening``; a body
must arrive within 10 s and stay under 64 KB; messages follow the rules of ``web.limits``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from eligibility import RuleBook, load_rulebook, policies_to_dict
from web.hardening import BODY_TIMEOUT_S, SecurityHeaders, install_access_log_filter
from web.limits import MAX_TEXT_CHARS, BodyError, json_object, text_problem
from web.report_token import SECRET_VARIABLE, TokenError, verify
from web.reports import (
    BUSY,
    FONT_MISSING,
    MAX_REPORT_BODY_BYTES,
    ReportBusy,
    Reports,
    RequestProblem,
    filename,
    parse_request,
    pdf_response,
    profile_of,
    region_problem,
    secret_of,
)
from web.session import COOKIE, MAX_AGE_S, Sessions

if TYPE_CHECKING:
    from knowledge.retrieval import Retriever

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 64 * 1024
RASA_TIMEOUT_S = 30.0
RASA_DOWN = "对话服务暂时无法连接，请稍后再试。如急需办理，请联系当地市场监督管理局知识产权科。"
MAX_REGION_CHARS = 100
_TOP_K = re.compile(r"[0-9]{1,2}")  # ASCII digits only: "²".isdigit() is True, int("²") is not a number


@dataclass
class Services:
    """What the routes share: the Rasa address, the HTTP client, and the lazily loaded data."""

    rasa_url: str
    as_of: date | None = None  # pinned date for tests and demos; None means today
    sessions: Sessions = field(default_factory=Sessions)
    client: httpx.AsyncClient | None = None
    report_secret: str | None = None  # INCENTIVES_REPORT_SECRET: signs and checks the report links
    reports: Reports = field(default_factory=Reports)
    _retriever: Retriever | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @cached_property
    def book(self) -> RuleBook:
        return load_rulebook()

    async def retriever(self) -> Retriever:
        # The model and the index take seconds and ~1 GB: loaded on the first search, once.
        async with self._lock:
            if self._retriever is None:
                from knowledge.retrieval import Retriever

                self._retriever = await run_in_threadpool(Retriever)
        return self._retriever

    def today(self) -> date:
        return self.as_of or date.today()


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class _TooLarge(Exception):
    pass


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, read within BODY_TIMEOUT_S and never past ``limit`` bytes."""

    async def read() -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    return await asyncio.wait_for(read(), BODY_TIMEOUT_S)


def _same_origin(request: Request) -> bool:
    """A browser says where a request comes from; only this site's own pages may chat."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in {"same-origin", "none"}:
        return False
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


def _chat_request_problem(request: Request) -> JSONResponse | None:
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return error(415, "请求的 Content-Type 应为 application/json")
    if not _same_origin(request):
        return error(403, "只接受本站页面发出的对话请求")
    return None


def _with_session(request: Request, response: Response, sid_cookie: str | None) -> Response:
    if sid_cookie is not None:
        secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
        response.set_cookie(
            COOKIE, sid_cookie, max_age=MAX_AGE_S, path="/api/chat", httponly=True, samesite="strict", secure=secure
        )
    return response


async def chat(request: Request) -> Response:
    services: Services = request.app.state.services
    refused = _chat_request_problem(request)
    if refused is not None:
        return refused
    try:
        body = await read_body(request)
    except _TooLarge:
        return error(413, f"请求过大，上限为 {MAX_BODY_BYTES} 字节；消息请控制在{MAX_TEXT_CHARS}字以内")
    except TimeoutError:
        return error(408, f"请求体未在 {BODY_TIMEOUT_S:.0f} 秒内发送完毕")
    try:
        text = json_object(body, '{"message": "…"}').get("message")
    except BodyError as exc:
        return error(400, exc.zh)
    problem = text_problem(text)
    if problem:
        too_long = isinstance(text, str) and len(text.strip()) > MAX_TEXT_CHARS
        return error(413 if too_long else 400, problem)
    sid = services.sessions.verify(request.cookies.get(COOKIE))
    new_cookie = None
    if sid is None:  # a first visit, or a cookie this server did not issue: a new conversation
        sid, new_cookie = services.sessions.issue()
    assert services.client is not None and isinstance(text, str)
    try:
        upstream = await services.client.post(
            f"{services.rasa_url}/webhooks/web/webhook", json={"sender": sid, "message": text}
        )
    except httpx.HTTPError as exc:
        logger.warning("chat: Rasa unreachable at %s: %s", services.rasa_url, type(exc).__name__)
        return _with_session(request, error(503, RASA_DOWN), new_cookie)
    try:
        data = upstream.json()
    except ValueError:
        logger.warning("chat: Rasa answered %s with a body that is not JSON", upstream.status_code)
        return _with_session(request, error(502, RASA_DOWN), new_cookie)
    if isinstance(data, list):  # the conversation id stays on the server (the cookie is HttpOnly)
        data = [{k: v for k, v in m.items() if k != "recipient_id"} if isinstance(m, dict) else m for m in data]
    return _with_session(request, JSONResponse(data, status_code=upstream.status_code), new_cookie)


async def new_chat(request: Request) -> Response:
    if not _same_origin(request):
        return error(403, "只接受本站页面发出的对话请求")
    services: Services = request.app.state.services
    return _with_session(request, JSONResponse({"status": "ok"}), services.sessions.issue()[1])


async def search(request: Request) -> Response:
    from knowledge.retrieval import QuestionError, search_to_dict

    question = request.query_params.get("q", "")
    region = request.query_params.get("region") or None
    top_k_text = request.query_params.get("top_k", "5")
    if not _TOP_K.fullmatch(top_k_text) or not 1 <= int(top_k_text) <= 20:
        return error(400, f"参数 top_k 应为 1–20 的整数，收到 {top_k_text[:20]!r}")
    if region is not None and len(region) > MAX_REGION_CHARS:
        return error(400, f"参数 region 过长（{len(region)}个字符），上限为{MAX_REGION_CHARS}个字符")
    services: Services = request.app.state.services
    try:
        retriever = await services.retriever()
        result = await run_in_threadpool(retriever.search, question, region=region, top_k=int(top_k_text))
    except QuestionError as exc:
        return error(400, exc.zh)
    except OSError as exc:
        logger.error("search: model or index unavailable: %s", exc)
        return error(503, "检索模型或索引暂不可用，请稍后再试")
    return JSONResponse(search_to_dict(result))


async def policies(request: Request) -> Response:
    services: Services = request.app.state.services
    return JSONResponse(policies_to_dict(services.book, services.today()))


async def report(request: Request) -> Response:
    """POST /api/report: the 测算报告 of a profile, as a PDF download."""
    from estimate_report import FontMissing

    refused = _chat_request_problem(request)
    if refused is not None:
        return refused
    services: Services = request.app.state.services
    try:
        body = await read_body(request, MAX_REPORT_BODY_BYTES)
    except _TooLarge:
        return error(413, f"请求过大，上限为 {MAX_REPORT_BODY_BYTES} 字节")
    except TimeoutError:
        return error(408, f"请求体未在 {BODY_TIMEOUT_S:.0f} 秒内发送完毕")
    try:
        profile, as_of = parse_request(body, services.today())
        if problem := region_problem(profile, services.book):
            return error(400, problem)  # no report for an uncovered, ambiguous or misspelt place
        pdf = await services.reports.pdf(profile, services.book, as_of)
    except RequestProblem as exc:
        return error(400, exc.zh)
    except ReportBusy:
        return error(429, BUSY)
    except FontMissing:
        logger.error("report: no Chinese font to embed (install fonts-wqy-microhei)")
        return error(503, FONT_MISSING)
    return pdf_response(pdf, filename(profile, as_of), download=True)


async def report_link(request: Request) -> Response:
    """GET /report/<token>.pdf: the report a signed link was made for (403 forged, 410 expired)."""
    from estimate_report import FontMissing

    services: Services = request.app.state.services
    if services.report_secret is None:
        return PlainTextResponse("报告链接功能未启用", status_code=404)
    try:
        wanted = verify(request.path_params["token"], secret=services.report_secret, now=time.time())
        profile = profile_of(wanted.profile)
        pdf = await services.reports.pdf(profile, services.book, wanted.as_of)
    except TokenError as exc:
        return PlainTextResponse(exc.zh, status_code=410 if exc.expired else 403)
    except RequestProblem as exc:  # a profile signed under older rules that no longer validates
        return PlainTextResponse(f"报告链接中的企业信息已无法使用（{exc.zh}），请回到对话中重新获取。", status_code=410)
    except ReportBusy:
        return PlainTextResponse(BUSY, status_code=429)
    except FontMissing:
        logger.error("report: no Chinese font to embed (install fonts-wqy-microhei)")
        return PlainTextResponse(FONT_MISSING, status_code=503)
    return pdf_response(pdf, filename(profile, wanted.as_of), download=False)


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def page(name: str) -> Any:
    async def serve(request: Request) -> Response:
        return FileResponse(STATIC / name, headers={"Cache-Control": "no-cache"})

    return serve


async def not_found(request: Request, exc: Exception) -> Response:
    return error(404, "没有这个页面或接口")


async def not_allowed(request: Request, exc: Exception) -> Response:
    headers = exc.headers if isinstance(exc, HTTPException) else None
    return JSONResponse({"error": f"该地址不支持 {request.method[:10]} 请求"}, status_code=405, headers=headers)


def create_app(
    rasa_url: str = "http://127.0.0.1:5005",
    *,
    as_of: date | None = None,
    sessions: Sessions | None = None,
    report_secret: str | None = None,
) -> Starlette:
    """``report_secret``: signs the report links (default: ``INCENTIVES_REPORT_SECRET``; none, no links)."""
    services = Services(rasa_url.rstrip("/"), as_of, sessions or Sessions())
    # An explicit secret is checked like the environment's (too short: no links, never a 500 later).
    given = {SECRET_VARIABLE: report_secret} if report_secret is not None else os.environ
    services.report_secret = secret_of(given)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        install_access_log_filter()  # after uvicorn configured its loggers
        async with httpx.AsyncClient(timeout=RASA_TIMEOUT_S) as client:
            services.client = client
            yield

    app = Starlette(
        routes=[
            Route("/", page("index.html")),
            Route("/staff", page("staff.html")),
            Route("/api/chat", chat, methods=["POST"]),
            Route("/api/chat/new", new_chat, methods=["POST"]),
            Route("/api/search", search),
            Route("/api/policies", policies),
            Route("/api/report", report, methods=["POST"]),
            Route("/report/{token}.pdf", report_link),
            Route("/healthz", health),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={404: not_found, 405: not_allowed},
    )
    app.router.redirect_slashes = False  # a redirect would be built from the client's Host header
    app.state.services = services
    return app
