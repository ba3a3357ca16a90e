"""The 测算报告 in the browser: the chat page's “下载测算报告（PDF）” (the reply's payload carries the
profile), the print view, the staff page's form; page 1 of the PDF kept as a PNG in reports/.

Only the website runs (no Rasa): the chat page's /api/chat is answered by the test with the payload
the action sends, computed by the engine, so the test is about the page and /api/report.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from deploy.cluster import free_port, http_ok, stop_process, wait_healthy
from eligibility import evaluate, evaluation_to_dict, load_rulebook, parse_profile
from tests.report.conftest import PROFILES, pages_text, squash

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2025-06-30"
ARTIFACT = ROOT / "reports" / "report_page1.png"


@pytest.fixture(scope="module")
def report_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("report-site") / "web.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "INCENTIVES_AS_OF": AS_OF, "INCENTIVES_REPORT_SECRET": "e2e" * 8}
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "incentives_cli.main", "serve", "--port", str(port), "--rasa-url", "http://127.0.0.1:9"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_healthy("web", process, lambda: http_ok(f"http://127.0.0.1:{port}/healthz"), [log], 120)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


def _reply(profile: dict[str, Any]) -> list[dict[str, Any]]:
    evaluation = evaluate(parse_profile(profile), load_rulebook(), as_of=date.fromisoformat(AS_OF))
    custom = {
        "type": "awards",
        "data": evaluation_to_dict(evaluation),
        "recorded": "已记录：泽州县",
        "profile": profile,
    }
    return [
        {"text": "合计：503,000 元", "buttons": [{"title": "查看计算过程", "payload": "/ask_calculation"}]},
        {"custom": custom},
    ]


def _chat_page(browser: Browser, site: str) -> Page:
    page = browser.new_page(accept_downloads=True)
    answer = json.dumps(_reply(PROFILES["zezhou"]), ensure_ascii=False)

    def fake_chat(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json", body=answer)

    page.route("**/api/chat", fake_chat)
    page.goto(site + "/")
    page.wait_for_selector(".awards-card .report-download")
    return page


def test_the_chat_answer_downloads_its_report(browser: Browser, report_site: str, tmp_path: Path) -> None:
    page = _chat_page(browser, report_site)
    with page.expect_download() as download:
        page.click(".report-download")
    saved = tmp_path / "chat.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith(".pdf")
    text = squash("".join(pages_text(saved.read_bytes())))
    assert squash("合计（已明确金额部分）：503,000 元") in text
    assert squash("泽政办发〔2021〕16号）三、(一) 3.") in text
    assert page.text_content(".report-status") == "报告已生成。"
    page.close()


def test_printing_an_answer_shows_the_same_content(browser: Browser, report_site: str) -> None:
    page = _chat_page(browser, report_site)
    page.emulate_media(media="print")
    assert not page.is_visible(".composer") and not page.is_visible(".report-actions")
    assert page.is_visible(".print-only")
    first_quote = page.locator(".awards-card blockquote.quote").first
    assert first_quote.is_visible()  # citations open on paper
    assert "对每件国内授权发明专利一次性给予 2000 元资助" in first_quote.text_content()  # type: ignore[operator]
    assert "503,000 元" in page.text_content(".awards-card .total")  # type: ignore[operator]
    assert page.is_visible(".awards-card .notice")
    page.close()


def test_the_staff_form_makes_a_report_and_page_one_is_kept_as_png(
    browser: Browser, report_site: str, tmp_path: Path
) -> None:
    page = browser.new_page(accept_downloads=True)
    page.goto(report_site + "/staff")
    page.fill("#r-region", "泽州县")
    page.fill("#r-invention", "12")
    page.select_option("#r-demo", "national")
    with page.expect_download() as typed:
        page.click("#report-form button[type=submit]")
    typed_pdf = tmp_path / "typed.pdf"
    typed.value.save_as(typed_pdf)
    typed_text = squash("".join(pages_text(typed_pdf.read_bytes())))
    assert squash("金额：24,000 元") in typed_text and squash("知识产权示范企业级别：国家级") in typed_text
    page.fill("#r-json", json.dumps(PROFILES["long"], ensure_ascii=False))
    with page.expect_download() as download:
        page.click("#report-form button[type=submit]")
    pdf = tmp_path / "staff.pdf"
    download.value.save_as(pdf)
    pages = pages_text(pdf.read_bytes())
    assert len(pages) >= 3 and "1,448,000" in "".join(pages)
    # a bad field comes back as the server's Chinese sentence, shown on the page
    page.fill("#r-json", '{"region": "泽州县", "invention_patents_granted": -3}')
    page.click("#report-form button[type=submit]")
    expect(page.locator("#r-status")).to_contain_text("无法生成报告")  # the page's CSP forbids eval
    assert "invention_patents_granted" in page.text_content("#r-status")  # type: ignore[operator]
    page.close()
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm (poppler-utils) is needed for the page-1 PNG: run `make debs`")
    ARTIFACT.parent.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(ARTIFACT.with_suffix(""))],
        check=True, timeout=60,
    )  # fmt: skip
    assert ARTIFACT.read_bytes().startswith(b"\x89PNG") and ARTIFACT.stat().st_size > 10_000
