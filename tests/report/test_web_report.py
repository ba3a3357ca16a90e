"""POST /api/report and GET /report/<token>.pdf on the real app (no Rasa needed)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date

import pytest
from starlette.testclient import TestClient

from tests.report.conftest import PROFILES, pages_text, squash
from web.app import create_app
from web.report_token import EXPIRED, INVALID, sign
from web.reports import MAX_REPORT_BODY_BYTES

SECRET = "k" * 32


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(as_of=date(2025, 6, 30), report_secret=SECRET)) as test_client:
        yield test_client


def post(client: TestClient, body: object, **headers: str) -> object:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return client.post("/api/report", content=raw, headers={"Content-Type": "application/json", **headers})


def test_a_profile_gives_a_pdf_download(client: TestClient) -> None:
    response = client.post("/api/report", json={"profile": PROFILES["zezhou"]})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    text = squash("".join(pages_text(response.content)))
    assert "测算日期：2025-06-30" in text  # the site's date
    assert squash("合计（已明确金额部分）：503,000 元") in text


def test_the_answer_date_is_used_when_sent(client: TestClient) -> None:
    response = client.post("/api/report", json={"profile": PROFILES["zezhou"], "as_of": "2026-03-01"})
    assert response.status_code == 200
    assert "已过计划期" in "".join(pages_text(response.content))


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            {"profile": {"region": "泽州县", "invention_patents_granted": -1}},
            "字段 invention_patents_granted：不能小于0",
        ),
        ({"profile": {"region": "泽州县", "invention_patents": 1}}, "字段 invention_patents：是未知字段"),
        ({"profile": {"invention_patents_granted": 1}}, "字段 region：为必填项"),
        ({"profile": {"region": "泽州县", "foreign_patents": {"火星": 1}}}, "foreign_patents"),
        ({"profile": ["泽州县"]}, "档案应为 JSON 对象"),
        ({"profile": {"region": "泽州县"}, "as_of": "2025-13-01"}, "字段 as_of 日期无效"),
        ({"profile": {"region": "泽州县"}, "as_of": "1900-01-01"}, "字段 as_of 应在"),
        ({"profile": {"region": "泽州县"}, "extra": 1}, "未知字段"),
        ({"region": "泽州县"}, "未知字段"),
        ({}, "缺少字段 profile"),
        (b"not json", "请求体不是有效的 JSON"),
        (b"\xff\xfe", "UTF-8"),
        (b"[" * 50 + b"]" * 50, "嵌套过深"),
        (b'{"profile": {"region": "\xe6\xb3\xbd", "invention_patents_granted": 1' + b"0" * 5000 + b"}}", "JSON"),
    ],
)
def test_a_bad_profile_is_400_naming_the_field_in_chinese(client: TestClient, body: object, words: str) -> None:
    response = post(client, body)
    assert response.status_code == 400, response.text  # type: ignore[attr-defined]
    assert words in response.json()["error"]  # type: ignore[attr-defined]


def test_body_limit_content_type_and_origin(client: TestClient) -> None:
    big = {"profile": {"region": "泽州县" + "县" * MAX_REPORT_BODY_BYTES}}
    response = post(client, big)
    assert response.status_code == 413 and "请求过大" in response.json()["error"]  # type: ignore[attr-defined]
    response = client.post("/api/report", content=b"{}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    response = post(client, {"profile": PROFILES["zezhou"]}, Origin="https://evil.example")
    assert response.status_code == 403
    assert client.get("/api/report").status_code == 405


def test_a_signed_link_serves_the_report_inline(client: TestClient) -> None:
    token = sign(PROFILES["changzhi"], date(2025, 6, 30), secret=SECRET, now=time.time())
    response = client.get(f"/report/{token}.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    assert "征求意见稿" in "".join(pages_text(response.content))


def test_expired_tampered_and_forged_links(client: TestClient) -> None:
    old = sign(PROFILES["zezhou"], date(2025, 6, 30), secret=SECRET, now=time.time() - 31 * 86400)
    response = client.get(f"/report/{old}.pdf")
    assert response.status_code == 410 and response.text == EXPIRED
    good = sign(PROFILES["zezhou"], date(2025, 6, 30), secret=SECRET, now=time.time())
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    for bad in (
        tampered,
        "v1.abc.def",
        "x",
        "%E6%B3%BD",
        sign(PROFILES["zezhou"], date(2025, 6, 30), secret="z" * 32, now=time.time()),
    ):
        response = client.get(f"/report/{bad}.pdf")
        assert response.status_code == 403 and response.text == INVALID, bad
    assert client.get("/report/.pdf").status_code == 404
    invalid_profile = sign({"region": "泽州县", "unknown_fact": 1}, date(2025, 6, 30), secret=SECRET, now=time.time())
    response = client.get(f"/report/{invalid_profile}.pdf")
    assert response.status_code == 410 and "无法使用" in response.text


def test_links_are_off_without_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCENTIVES_REPORT_SECRET", raising=False)
    with TestClient(create_app(as_of=date(2025, 6, 30))) as plain:
        token = sign(PROFILES["zezhou"], date(2025, 6, 30), secret=SECRET, now=time.time())
        response = plain.get(f"/report/{token}.pdf")
        assert response.status_code == 404 and "未启用" in response.text


def test_too_many_reports_at_once_are_refused_not_queued_forever(book: object) -> None:
    import asyncio

    from eligibility import parse_profile
    from web.reports import MAX_RENDERING, MAX_WAITING, ReportBusy, Reports

    reports = Reports(waiting=MAX_RENDERING + MAX_WAITING)
    with pytest.raises(ReportBusy):
        asyncio.run(reports.pdf(parse_profile(PROFILES["zezhou"]), book, date(2025, 6, 30)))  # type: ignore[arg-type]
    assert reports.waiting == MAX_RENDERING + MAX_WAITING


@pytest.mark.parametrize(
    ("region", "words"),
    [("北京市海淀区", "暂未收录"), ("泽洲县", "您是指泽州县"), ("朝阳区", "朝阳区")],
)
def test_no_report_for_a_place_that_is_not_collected(client: TestClient, region: str, words: str) -> None:
    response = client.post("/api/report", json={"profile": {"region": region, "invention_patents_granted": 3}})
    assert response.status_code == 400
    assert "测算报告只为已收录政策的地区生成" in response.json()["error"] and words in response.json()["error"]


def test_a_short_explicit_secret_turns_links_off_instead_of_failing() -> None:
    with TestClient(create_app(as_of=date(2025, 6, 30), report_secret="short")) as short:
        token = sign(PROFILES["zezhou"], date(2025, 6, 30), secret="short" * 4, now=time.time())
        assert short.get(f"/report/{token}.pdf").status_code == 404
