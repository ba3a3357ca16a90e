"""The signed, expiring report link: valid, expired, tampered, forged, malformed — never an exception
other than TokenError; and the WeChat answer ends with the link only when configured."""

from __future__ import annotations

import base64
import hashlib
import hmac
import zlib
from datetime import date
from typing import Any

import pytest

from bot.channels.wechat_responder import Responder, messages_to_text, report_line
from web.report_token import EXPIRED, INVALID, MAX_TOKEN_CHARS, ReportLinks, TokenError, sign, verify

SECRET = "s" * 32
PROFILE = {"region": "泽州县", "invention_patents_granted": 12, "foreign_patents": {"美国": 2}}


def test_a_token_carries_the_profile_and_date_until_it_expires() -> None:
    token = sign(PROFILE, date(2025, 6, 30), secret=SECRET, now=1_000_000, days=7)
    wanted = verify(token, secret=SECRET, now=1_000_000 + 7 * 86400 - 1)
    assert wanted.profile == PROFILE and wanted.as_of == date(2025, 6, 30)
    with pytest.raises(TokenError) as expired:
        verify(token, secret=SECRET, now=1_000_000 + 7 * 86400)
    assert expired.value.expired and expired.value.zh == EXPIRED
    assert "泽州" not in token and "openid" not in token.lower()  # compressed, no readable id


def _flip(token: str, index: int) -> str:
    c = token[index]
    return token[:index] + ("A" if c != "A" else "B") + token[index + 1 :]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: _flip(t, 10),  # payload
        lambda t: _flip(t, len(t) - 3),  # signature
        lambda t: t + "x",
        lambda t: t.replace("v1.", "v2."),
        lambda t: t.rsplit(".", 1)[0],
        lambda t: "",
        lambda t: "...",
        lambda t: "v1.%%%.###",
        lambda t: "v1.é.ü",
        lambda t: "v1." + "A" * 5000 + ".x",
    ],
)
def test_tampered_or_malformed_tokens_are_invalid(mutate: Any) -> None:
    token = sign(PROFILE, date(2025, 6, 30), secret=SECRET, now=0)
    with pytest.raises(TokenError) as refused:
        verify(mutate(token), secret=SECRET, now=1)
    assert refused.value.zh == INVALID and not refused.value.expired


def test_another_secret_cannot_forge_a_link() -> None:
    token = sign(PROFILE, date(2025, 6, 30), secret="another secret of 32 bytes......", now=0)
    with pytest.raises(TokenError):
        verify(token, secret=SECRET, now=1)


def test_a_signed_zip_bomb_is_refused() -> None:
    # Even with the secret (a bug on our side), a payload inflating past 64 KB is not read.
    body = base64.urlsafe_b64encode(zlib.compress(b"{" + b" " * 10_000_000 + b"}")).rstrip(b"=").decode()
    signed = f"v1.{body}"
    mac = hmac.new(SECRET.encode(), signed.encode(), hashlib.sha256).digest()[:16]
    token = f"{signed}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    with pytest.raises(TokenError):
        verify(token, secret=SECRET, now=1)


def test_links_need_both_the_public_url_and_a_long_secret() -> None:
    assert ReportLinks.from_env({}) is None
    assert ReportLinks.from_env({"INCENTIVES_PUBLIC_URL": "https://ip.example.cn"}) is None
    assert ReportLinks.from_env({"INCENTIVES_PUBLIC_URL": "https://x.cn", "INCENTIVES_REPORT_SECRET": "short"}) is None
    assert ReportLinks.from_env({"INCENTIVES_PUBLIC_URL": "ftp://x.cn", "INCENTIVES_REPORT_SECRET": SECRET}) is None
    links = ReportLinks.from_env(
        {"INCENTIVES_PUBLIC_URL": "https://ip.example.cn/", "INCENTIVES_REPORT_SECRET": SECRET,
         "INCENTIVES_REPORT_LINK_DAYS": "7"}
    )  # fmt: skip
    assert links == ReportLinks("https://ip.example.cn", SECRET, 7)
    url = links.url(PROFILE, date(2025, 6, 30), now=0)
    assert url is not None and url.startswith("https://ip.example.cn/report/v1.") and url.endswith(".pdf")


def test_a_profile_too_large_for_a_link_gets_none() -> None:
    links = ReportLinks("https://ip.example.cn", SECRET)
    huge = {
        "region": "泽州县",
        "pledge_loans": [
            {"principal": i * 7919, "annual_benchmark_rate": "4.35%", "months": 12} for i in range(1, 400)
        ],
    }
    assert len(sign(huge, date(2025, 6, 30), secret=SECRET, now=0)) > MAX_TOKEN_CHARS
    assert links.url(huge, date(2025, 6, 30), now=0) is None


def _answer(profile: dict[str, Any] | None, policies: bool = True) -> list[dict[str, Any]]:
    custom: dict[str, Any] = {"type": "awards", "data": {"as_of": "2025-06-30", "policies": [{}] if policies else []}}
    if profile is not None:
        custom["profile"] = profile
    return [
        {"text": "合计：24,000 元", "buttons": [{"title": "查看计算过程", "payload": "/ask_x"}]},
        {"custom": custom},
    ]


def test_the_wechat_answer_ends_with_the_link_only_when_configured() -> None:
    links = ReportLinks("https://ip.example.cn", SECRET, 30)
    text = messages_to_text(_answer(PROFILE), links)
    last = text.split("\n")[-1]
    assert last.startswith("测算报告（PDF，可打印，30 天内有效）：https://ip.example.cn/report/v1.")
    token = last.split("/report/", 1)[1].removesuffix(".pdf")
    assert verify(token, secret=SECRET, now=0).profile == PROFILE
    assert text.startswith("合计：24,000 元\n可直接回复：查看计算过程\n")
    # not configured: not a word about it
    assert messages_to_text(_answer(PROFILE)) == "合计：24,000 元\n可直接回复：查看计算过程"
    # no computed answer, no profile, or a region without policies: no link
    assert report_line([{"text": "您好"}], links, 0) is None
    assert report_line(_answer(None), links, 0) is None
    assert report_line(_answer(PROFILE, policies=False), links, 0) is None


def test_the_responder_reads_its_link_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    async def handle(text: str, sender: str) -> list[dict[str, Any]]:
        return []

    monkeypatch.delenv("INCENTIVES_PUBLIC_URL", raising=False)
    assert Responder(handle).report_links is None
    monkeypatch.setenv("INCENTIVES_PUBLIC_URL", "https://ip.example.cn")
    monkeypatch.setenv("INCENTIVES_REPORT_SECRET", SECRET)
    assert Responder(handle).report_links == ReportLinks("https://ip.example.cn", SECRET, 30)


def test_a_wechat_reply_carries_the_link() -> None:
    import asyncio

    async def handle(text: str, sender: str) -> list[dict[str, Any]]:
        return _answer(PROFILE)

    async def run() -> str | None:
        responder = Responder(handle, report_links=ReportLinks("https://ip.example.cn", SECRET, 30))
        return await responder.respond(
            {"MsgType": "text", "FromUserName": "oUser", "Content": "泽州县 12件发明专利", "MsgId": "1"}
        )

    reply = asyncio.run(run())
    assert reply is not None and "https://ip.example.cn/report/v1." in reply.split("\n")[-1]
