"""A simulated WeChat server against the real Rasa and action servers: the 公众号 callback end to end.

The test plays WeChat: it signs requests with the account's token, sends XML (plain and safe
mode), retries like WeChat does, and runs a fake WeChat API on loopback (access token and
customer-service messages) that the channel calls for the parts of long answers.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bot.channels.wechat_protocol import Crypto, parse_xml, signature, signature_ok
from bot.channels.wechat_responder import TEXT_ONLY, WELCOME
from eligibility import evaluate, load_rulebook, parse_profile
from tests.e2e.conftest import WECHAT_AES_KEY, WECHAT_APPID, WECHAT_SECRET, WECHAT_TOKEN, Servers

ACCOUNT = "gh_e2e_account"
MSG_IDS = iter(range(10_000_000, 20_000_000))  # unique like WeChat's
AS_OF = date(2024, 6, 1)


class FakeWeChatAPI(ThreadingHTTPServer):
    def __init__(self, port: int) -> None:
        self.sent: list[dict[str, Any]] = []
        self.tokens = 0
        super().__init__(("127.0.0.1", port), _APIHandler)


class _APIHandler(BaseHTTPRequestHandler):
    server: FakeWeChatAPI

    def _reply(self, data: dict[str, Any]) -> None:
        body = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if (
            url.path == "/cgi-bin/token"
            and query.get("appid") == [WECHAT_APPID]
            and query.get("secret") == [WECHAT_SECRET]
        ):
            self.server.tokens += 1
            self._reply({"access_token": f"tok-{self.server.tokens}", "expires_in": 7200})
        else:
            self._reply({"errcode": 40013, "errmsg": "invalid appid"})

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        token = urllib.parse.parse_qs(url.query).get("access_token", [""])[0]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if url.path != "/cgi-bin/message/custom/send" or token != f"tok-{self.server.tokens}":
            self._reply({"errcode": 40001, "errmsg": "invalid credential"})
            return
        self.server.sent.append(json.loads(body))
        self._reply({"errcode": 0, "errmsg": "ok"})

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def fake_wechat_api(port: int) -> Iterator[FakeWeChatAPI]:
    """The fake WeChat API served on ``port`` for the duration of the block."""
    api = FakeWeChatAPI(port)
    thread = threading.Thread(target=api.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        api.shutdown()
        api.server_close()


@pytest.fixture(scope="module")
def wechat_api(servers: Servers) -> Iterator[FakeWeChatAPI]:
    with fake_wechat_api(servers.wechat_api_port) as api:
        yield api


class WeChat:
    """Plays the WeChat server: signed requests to the channel, plain or safe mode."""

    def __init__(self, servers: Servers, *, safe: bool = False) -> None:
        self.url = f"http://127.0.0.1:{servers.rasa_port}/webhooks/wechat/webhook"
        self.crypto = Crypto(WECHAT_AES_KEY, WECHAT_APPID) if safe else None

    def request(self, body: bytes, query: dict[str, str], method: str = "POST") -> tuple[int, bytes]:
        request = urllib.request.Request(
            f"{self.url}?{urllib.parse.urlencode(query)}", data=body or None, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def post(self, xml: str, *, bad_signature: bool = False) -> tuple[int, bytes]:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)  # WeChat sends a fresh nonce each time
        query = {"timestamp": timestamp, "nonce": nonce, "openid": "x",
                 "signature": "0" * 40 if bad_signature else signature(WECHAT_TOKEN, timestamp, nonce)}  # fmt: skip
        if self.crypto is None:
            return self.request(xml.encode(), query)
        encrypted = self.crypto.encrypt(xml)
        query |= {"encrypt_type": "aes", "msg_signature": signature(WECHAT_TOKEN, timestamp, nonce, encrypted)}
        return self.request(
            f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>".encode(),
            query,
        )

    def send(self, openid: str, text: str, msg_id: int | None = None) -> dict[str, str]:
        status, body = self.post(text_xml(openid, text, msg_id or next(MSG_IDS)))
        assert status == 200, body
        return self.reply(body)

    def reply(self, body: bytes) -> dict[str, str]:
        if body == b"success":
            return {}
        message = parse_xml(body)
        if self.crypto is not None:
            assert signature_ok(
                message["MsgSignature"], WECHAT_TOKEN, message["TimeStamp"], message["Nonce"], message["Encrypt"]
            )
            message = parse_xml(self.crypto.decrypt(message["Encrypt"]))
        return message


def text_xml(openid: str, text: str, msg_id: int, create_time: int | None = None) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )


def user_turns(servers: Servers, sender: str) -> int:
    """How many user messages Rasa stored for ``sender`` (the SQL tracker store)."""
    with sqlite3.connect(servers.env["RASA_TRACKER_DB"]) as db:
        row = db.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'user'", (f"wechat:{sender}",)
        ).fetchone()
    return int(row[0])


def wait_for_sends(api: FakeWeChatAPI, openid: str, count: int) -> list[str]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        texts = [m["text"]["content"] for m in api.sent if m["touser"] == openid]
        if len(texts) >= count:
            return texts
        time.sleep(0.1)
    raise AssertionError(f"expected {count} customer-service messages to {openid}, got {api.sent}")


def test_server_verification(servers: Servers) -> None:
    wechat = WeChat(servers)
    query = {"timestamp": "1700000000", "nonce": "abc", "echostr": "echo-123"}
    good = signature(WECHAT_TOKEN, "1700000000", "abc")
    assert wechat.request(b"", {**query, "signature": good}, "GET") == (200, b"echo-123")
    assert wechat.request(b"", {**query, "signature": good[::-1]}, "GET")[0] == 403
    assert wechat.request(b"", {"echostr": "x"}, "GET")[0] == 403


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe-mode"])
def test_multi_turn_eligibility_over_wechat(servers: Servers, wechat_api: FakeWeChatAPI, safe: bool) -> None:
    wechat, openid = WeChat(servers, safe=safe), f"o-e2e-{'safe' if safe else 'plain'}"
    first = wechat.send(openid, "我们在泽州县，今年授权了12件发明专利，还有2件美国专利，拿了中国专利银奖")
    assert first["ToUserName"] == openid and first["FromUserName"] == ACCOUNT and first["MsgType"] == "text"
    answer = first["Content"]  # answered in the same turn; the first part carries what was understood and the total
    assert len(answer.encode()) <= 2048 and answer.startswith("已记录：山西省晋城市泽州县")
    # The answer is longer than one WeChat message: the rest arrives through the customer-service API.
    rest = wait_for_sends(wechat_api, openid, 1)
    full = "\n".join([answer, *rest])
    expected = evaluate(parse_profile({
        "region": "泽州县", "invention_patents_granted": 12, "foreign_patents": {"US": 2},
        "patent_awards": ["china_patent_silver"],
    }), load_rulebook(), as_of=AS_OF).total_min  # fmt: skip
    match = re.search(r"合计（已明确金额部分）：([\d,]+) 元", answer)
    assert match and int(match.group(1).replace(",", "")) == expected == 368000
    assert full.count("泽政办发〔2021〕16号") >= 4
    for part in [answer, *rest]:  # no citation cut between two messages
        assert part.count("“") == part.count("”")


def test_wechat_retries_are_processed_once(servers: Servers) -> None:
    wechat, openid = WeChat(servers), "o-e2e-retry"
    xml = text_xml(openid, "我们在桓台县", 4242)
    with ThreadPoolExecutor(3) as pool:
        replies = list(pool.map(lambda _: wechat.post(xml), range(3)))
    assert {status for status, _ in replies} == {200}
    assert len({wechat.reply(body)["Content"] for _, body in replies}) == 1
    assert wechat.reply(wechat.post(xml)[1]) == wechat.reply(replies[0][1])  # a late retry: same answer
    assert user_turns(servers, openid) == 1


def test_events_and_non_text_messages(servers: Servers) -> None:
    wechat, openid = WeChat(servers), "o-e2e-events"
    base = f"<ToUserName>{ACCOUNT}</ToUserName><FromUserName>{openid}</FromUserName><CreateTime>{int(time.time())}</CreateTime>"
    status, body = wechat.post(f"<xml>{base}<MsgType>event</MsgType><Event>subscribe</Event></xml>")
    assert status == 200 and wechat.reply(body)["Content"] == WELCOME
    status, body = wechat.post(
        f"<xml>{base}<MsgType>image</MsgType><PicUrl>http://x/1.jpg</PicUrl><MsgId>77</MsgId></xml>"
    )
    assert wechat.reply(body)["Content"] == TEXT_ONLY
    assert wechat.post(f"<xml>{base}<MsgType>event</MsgType><Event>unsubscribe</Event></xml>") == (200, b"success")
    assert user_turns(servers, openid) == 0


def test_hostile_requests_get_clear_errors_and_nothing_is_processed(servers: Servers) -> None:
    wechat, openid = WeChat(servers), "o-e2e-hostile"
    assert wechat.post(text_xml(openid, "你好", 1), bad_signature=True)[0] == 403
    assert wechat.post("<xml><ToUserName>a</ToUserName><Content>unclosed")[0] == 400
    xxe = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><FromUserName>{openid}</FromUserName><Content>&e;</Content></xml>'
    assert wechat.post(xxe)[0] == 400
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>'
    assert wechat.post(bomb)[0] == 400
    assert wechat.post(text_xml(openid, "长" * 100_000, 2))[0] == 413
    assert wechat.post("<xml><MsgType>text</MsgType><Content>你好</Content></xml>")[0] == 400
    safe = WeChat(servers, safe=True)
    status, _ = safe.request(b"<xml><Encrypt>abc</Encrypt></xml>", {
        "timestamp": "1", "nonce": "n", "signature": signature(WECHAT_TOKEN, "1", "n"),
        "encrypt_type": "aes", "msg_signature": "0" * 40,
    })  # fmt: skip
    assert status == 403
    assert user_turns(servers, openid) == 0


def test_cdata_terminator_in_a_message_does_not_break_the_reply(servers: Servers, wechat_api: FakeWeChatAPI) -> None:
    wechat, openid = WeChat(servers), "o-e2e-cdata"
    xml = text_xml(openid, "x", 5151).replace("<![CDATA[x]]>", "<![CDATA[专利]]]]><![CDATA[>质押贷款有贴息吗]]>")
    status, body = wechat.post(xml)
    assert status == 200
    reply = wechat.reply(body)  # parsed by a strict XML parser: well-formed
    # A first policy question may load the retrieval model for longer than WeChat waits: then the
    # passive reply is "success" and the answer comes through the customer-service API.
    answer = reply["Content"] if reply else wait_for_sends(wechat_api, openid, 1)[0]
    assert "贴息" in answer
