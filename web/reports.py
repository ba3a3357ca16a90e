"""The website's 测算报告: ``POST /api/report`` (a profile in, a PDF out) and ``GET /report/<token>.pdf``
(the signed, expiring link the WeChat answer ends with; ``web.report_token``).

A report costs ≈ 40–100 ms of CPU (ReportLab), far more than any other request of the website, so at
most ``MAX_RENDERING`` are drawn at once (in worker threads) and at most ``MAX_WAITING`` more may
wait; beyond that the answer is 429 at once. nginx's per-address limits apply in front of it in the
production profile (``deploy/nginx.conf.in``, ``location /``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from eligibility import EnterpriseProfile, ProfileError, RuleBook, parse_profile
from web.limits import BodyError, json_object

logger = logging.getLogger(__name__)

MAX_REPORT_BODY_BYTES = 32 * 1024  # a profile is a few hundred bytes; the CLI's file limit is for files
MAX_RENDERING = 2  # this machine has two cores
MAX_WAITING = 8
BUSY = "生成报告的请求过多，请稍后再试"
FONT_MISSING = "服务器缺少生成报告所需的中文字体，暂时无法生成报告，请联系管理员"
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
BODY_EXAMPLE = '{"profile": {"region": "泽州县", "invention_patents_granted": 3}, "as_of": "2025-06-30"}'


class ReportBusy(Exception):
    """More reports waiting than ``MAX_WAITING``."""


class RequestProblem(ValueError):
    """A report request that cannot be served: ``zh`` says why (HTTP 400)."""

    def __init__(self, zh: str) -> None:
        super().__init__(zh)
        self.zh = zh


def profile_of(data: Any) -> EnterpriseProfile:
    """The validated profile, or ``RequestProblem`` naming the field and why, in Chinese."""
    try:
        return parse_profile(data)
    except ProfileError as exc:
        raise RequestProblem(f"字段 {exc.field}：{exc.message_zh}") from None


def as_of_of(value: Any, default: date) -> date:
    if value is None:
        return default
    if not isinstance(value, str):
        raise RequestProblem("字段 as_of 应为日期字符串（YYYY-MM-DD）")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise RequestProblem(f"字段 as_of 日期无效：{value[:20]!r}，应为 YYYY-MM-DD") from None
    if not EARLIEST <= day <= LATEST:
        raise RequestProblem(f"字段 as_of 应在 {EARLIEST} 至 {LATEST} 之间")
    return day


def parse_request(raw: bytes, default_as_of: date) -> tuple[EnterpriseProfile, date]:
    """``{"profile": {...}, "as_of": "YYYY-MM-DD"?}`` → (profile, date). Raises ``RequestProblem``."""
    try:
        body = json_object(raw, BODY_EXAMPLE)
    except BodyError as exc:
        raise RequestProblem(exc.zh) from None
    unknown = sorted(set(body) - {"profile", "as_of"})
    if unknown:
        raise RequestProblem(f"请求体含有未知字段 {unknown[0][:40]!r}，应为：{BODY_EXAMPLE}")
    if "profile" not in body:
        raise RequestProblem(f"缺少字段 profile，应为：{BODY_EXAMPLE}")
    return profile_of(body["profile"]), as_of_of(body.get("as_of"), default_as_of)


def filename(profile: EnterpriseProfile, as_of: date) -> str:
    place = "".join(c for c in profile.region if c.isalnum())[:20] or "report"
    return f"测算报告-{place}-{as_of:%Y-%m-%d}.pdf"


def pdf_response(pdf: bytes, name: str, *, download: bool) -> Response:
    disposition = "attachment" if download else "inline"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f"{disposition}; filename=\"report.pdf\"; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "no-store",
        },
    )


@dataclass
class Reports:
    """Draws reports in worker threads, at most ``MAX_RENDERING`` at once."""

    rendering: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(MAX_RENDERING))
    waiting: int = 0

    async def pdf(self, profile: EnterpriseProfile, book: RuleBook, as_of: date) -> bytes:
        from estimate_report import make_report  # ReportLab loads with the first report, not with the site

        if self.waiting >= MAX_WAITING + MAX_RENDERING:
            raise ReportBusy
        self.waiting += 1
        try:
            async with self.rendering:
                return await run_in_threadpool(make_report, profile, book, as_of=as_of)
        finally:
            self.waiting -= 1


def region_problem(profile: EnterpriseProfile, book: RuleBook) -> str | None:
    """Why no report is made for ``profile``'s region (not collected, ambiguous, a near-miss), or None."""
    location = book.knowledge.locate(profile.region)
    if location.kind == "covered":
        return None
    note = location.notes[0] if location.notes else f"未能识别地区“{profile.region}”"
    return f"测算报告只为已收录政策的地区生成：{note}"


def secret_of(env: Mapping[str, str]) -> str | None:
    from web.report_token import MIN_SECRET_BYTES, SECRET_VARIABLE

    secret = env.get(SECRET_VARIABLE, "")
    if not secret:
        return None
    if len(secret.encode("utf-8")) < MIN_SECRET_BYTES:
        logger.warning("%s is shorter than %d bytes: report links are disabled", SECRET_VARIABLE, MIN_SECRET_BYTES)
        return None
    return secret
