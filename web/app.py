"""The website: the enterprise chat page, the staff FAQ page, and the small JSON API behind them.

One origin serves everything the browser needs, so an intranet that blocks CDNs and
cross-origin calls still works:

- ``GET /``              the chat page (``web/static/index.html``), talking to ``POST /api/chat``
- ``GET /staff``         the staff FAQ page: clause search with citations, policies with status
- ``POST /api/chat``     forwarded unchanged to Rasa's REST channel (``RASA_URL``)
- ``GET /api/search``    ``?q=问题&region=地区&top_k=5``: clauses from the retrieval index
- ``GET /api/policies``  the policies in the knowledge base and their status today
- ``GET /healthz``       liveness

Errors are JSON ``{"error": "<中文说明>"}`` with a 4xx/5xx status; the pages show them as messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from eligibility import RuleBook, load_rulebook, policies_to_dict

if TYPE_CHECKING:
    from knowledge.retrieval import Retriever

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 64 * 1024
RASA_TIMEOUT_S = 30.0
RASA_DOWN = "对话服务暂时无法连接，请稍后再试。如急需办理，请联系当地市场监督管理局知识产权科。"


@dataclass
class Services:
    """What the routes share: the Rasa address, the HTTP client, and the lazily loaded data."""

    rasa_url: str
    as_of: date | None = None  # pinned date for tests and demos; None means today
    client: httpx.AsyncClient | None = None
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


async def chat(request: Request) -> Response:
    services: Services = request.app.state.services
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return error(413, f"请求过大（{len(body)} 字节），上限为 {MAX_BODY_BYTES} 字节")
    assert services.client is not None
    try:
        upstream = await services.client.post(
            f"{services.rasa_url}/webhooks/rest/webhook",
            content=body,
            headers={"Content-Type": "application/json"},
        )
    except httpx.HTTPError as exc:
        logger.warning("chat: Rasa unreachable at %s: %s", services.rasa_url, type(exc).__name__)
        return error(503, RASA_DOWN)
    try:
        data = upstream.json()
    except ValueError:
        logger.warning("chat: Rasa answered %s with a body that is not JSON", upstream.status_code)
        return error(502, RASA_DOWN)
    return JSONResponse(data, status_code=upstream.status_code)


async def search(request: Request) -> Response:
    from knowledge.retrieval import QuestionError, search_to_dict

    question = request.query_params.get("q", "")
    region = request.query_params.get("region") or None
    top_k_text = request.query_params.get("top_k", "5")
    if not top_k_text.isdigit() or not 1 <= int(top_k_text) <= 20:
        return error(400, f"参数 top_k 应为 1–20 的整数，收到 {top_k_text!r}")
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


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def page(name: str) -> Any:
    async def serve(request: Request) -> Response:
        return FileResponse(STATIC / name, headers={"Cache-Control": "no-cache"})

    return serve


def create_app(rasa_url: str = "http://127.0.0.1:5005", *, as_of: date | None = None) -> Starlette:
    services = Services(rasa_url.rstrip("/"), as_of)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=RASA_TIMEOUT_S) as client:
            services.client = client
            yield

    app = Starlette(
        routes=[
            Route("/", page("index.html")),
            Route("/staff", page("staff.html")),
            Route("/api/chat", chat, methods=["POST"]),
            Route("/api/search", search),
            Route("/api/policies", policies),
            Route("/healthz", health),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
    )
    app.state.services = services
    return app
