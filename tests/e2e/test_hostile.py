"""A hostile client against the real servers (issue 11): every attack gets a clear 4xx (or a plain
answer), no 5xx, no hang, no process exit, no other user's conversation touched; then a normal
conversation still gets its amount. The figures (inputs tried, 5xx, hangs) are printed at the end.

The bystander test measures what one maximal message costs everyone else."""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
import sqlite3
import statistics
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.replies import APOLOGY
from bot.channels.wechat_protocol import signature
from eligibility import evaluate, load_rulebook, parse_profile
from tests.e2e.conftest import ROOT, WECHAT_ACCOUNT, WECHAT_TOKEN, Servers, free_port, http_ok
from web.limits import MAX_TEXT_CHARS

AS_OF = date(2024, 6, 1)
TIMEOUT_S = 60


@dataclass
class Tally:
    """Every hostile input tried, and what went wrong (all must stay 0)."""

    tried: int = 0
    server_errors: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)


TALLY = Tally()


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    *,
    hostile: bool = True,
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request; a 5xx or a timeout is recorded in the tally (``hostile``: counted as an attack)."""
    TALLY.tried += hostile
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
    except TimeoutError:
        TALLY.hangs.append(f"{method} {path[:60]}")
        raise
    finally:
        connection.close()
    if response.status >= 500:
        TALLY.server_errors.append(f"{method} {path[:60]} → {response.status} {data[:200]!r}")
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def rest(servers: Servers, body: bytes | str, *, hostile: bool = True) -> tuple[int, Any]:
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    status, _, data = request(servers.rasa_port, "POST", "/webhooks/rest/webhook", raw,
                              {"Content-Type": "application/json"}, hostile=hostile)  # fmt: skip
    return status, json.loads(data)


def alive(servers: Servers) -> None:
    for name, process in servers.processes.items():
        assert process.poll() is None, f"{name} exited with {process.returncode}"


def user_texts(servers: Servers, conversation: str) -> list[str]:
    with sqlite3.connect(servers.env["RASA_TRACKER_DB"]) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (conversation,)
        ).fetchall()
    return [json.loads(row[0])["text"] for row in rows]


def engine_total(profile: dict[str, object]) -> int:
    return evaluate(parse_profile(profile), load_rulebook(), as_of=AS_OF).total_min


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


@pytest.fixture(scope="module")
def site(servers: Servers) -> Iterator[int]:
    port = free_port()
    servers.start_web(name="web-hostile", port=port)
    yield port
    servers.stop("web-hostile")


# -- the REST channel -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "why"),
    [
        ('{"sender": "x\\ud800", "message": "你好"}', 400, "孤立代理项"),
        (b'{"sender": "x\xed\xa0\x80", "message": "hi"}', 400, "UTF-8"),
        ('{"sender": "nul\\u0000", "message": "你好"}', 400, "可打印"),
        ('{"sender": "bell\\u0007", "message": "你好"}', 400, "可打印"),
        (json.dumps({"sender": "s" * 129, "message": "你好"}), 400, "过长"),
        ('{"sender": "ok", "message": "a\\udcff"}', 400, "孤立代理项"),
        ('{"sender": "ok", "message": "   "}', 400, "不能为空"),
        ('{"sender": "ok", "message": ""}', 400, "不能为空"),
        (json.dumps({"sender": "ok", "message": "长" * (MAX_TEXT_CHARS + 1)}), 413, "1000字以内"),
        ("[" * 5000 + "]" * 5000, 400, "嵌套过深"),
        ("[" * 100_000 + "]" * 100_000, 413, "请求过大"),
        ('{"sender": "ok", "message": "hi", "n": ' + "9" * 5001 + "}", 400, "JSON"),
        ('["sender", "message"]', 400, "JSON 对象"),
        (json.dumps({"sender": "ok", "message": "hi", "metadata": {"x": "m" * 10_000_000}}), 413, "请求过大"),
    ],
)
def test_hostile_rest_requests_are_refused_clearly(servers: Servers, body: bytes | str, status: int, why: str) -> None:
    got, data = rest(servers, body)
    assert (got, why in data["error"]) == (status, True), data
    alive(servers)


def test_metadata_is_not_stored_and_odd_questions_are_answered(servers: Servers) -> None:
    status, data = rest(
        servers, json.dumps({"sender": "hostile-meta", "message": "你好", "metadata": {"k": "v" * 5000}})
    )
    assert status == 200 and data and data[0]["recipient_id"] == "hostile-meta"
    with sqlite3.connect(servers.env["RASA_TRACKER_DB"]) as db:
        stored = db.execute("SELECT data FROM events WHERE sender_id = 'rest:hostile-meta'").fetchall()
    assert stored and not any("v" * 100 in row[0] for row in stored)
    for question in ("🏭💰", "？？！！", "\u200b你好", "\ufeff", "💩" * 500):  # no searchable word, odd characters
        status, data = rest(servers, json.dumps({"sender": "hostile-odd", "message": question}))
        assert status in (200, 400), data
        if status == 200:
            assert text_of(data) and APOLOGY not in text_of(data), (question, data)
    alive(servers)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    sender=st.one_of(st.text(max_size=140), st.integers(), st.none()),
    message=st.one_of(st.text(max_size=60), st.text(min_size=990, max_size=1010), st.lists(st.integers())),
    extra=st.dictionaries(st.text(max_size=5), st.recursive(st.none() | st.integers(), st.lists, max_leaves=5)),
)
def test_fuzzed_rest_bodies_never_fail_the_server(servers: Servers, sender: Any, message: Any, extra: Any) -> None:
    body = json.dumps({**extra, "sender": sender, "message": message})
    status, data = rest(servers, body)
    assert status in (200, 400, 413), (status, data)
    assert isinstance(data, list) or set(data) == {"error"}


# -- conversations are scoped by channel ------------------------------------------------------


def wechat_post(
    servers: Servers, xml: bytes | str, *, timestamp: int | None = None, nonce: str | None = None
) -> tuple[int, bytes]:
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    nonce = nonce or hashlib.sha1(f"{time.time_ns()}".encode()).hexdigest()[:10]
    query = urllib.parse.urlencode(
        {"timestamp": stamp, "nonce": nonce, "signature": signature(WECHAT_TOKEN, stamp, nonce)}
    )
    body = xml.encode() if isinstance(xml, str) else xml
    status, _, data = request(servers.rasa_port, "POST", f"/webhooks/wechat/webhook?{query}", body)
    return status, data


def wechat_text(openid: str, text: str, msg_id: int, account: str = WECHAT_ACCOUNT) -> str:
    return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>")  # fmt: skip


def chat(
    port: int, body: dict[str, Any] | bytes, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    status, got_headers, data = request(port, "POST", "/api/chat", raw,
                                        {"Content-Type": "application/json", **(headers or {})})  # fmt: skip
    return status, got_headers, json.loads(data)


def test_a_wechat_users_conversation_cannot_be_read_from_the_website_or_rest(servers: Servers, site: int) -> None:
    openid = "o-hostile-victim"
    status, _ = wechat_post(servers, wechat_text(openid, "我们在泽州县，今年授权了12件发明专利", 7001))
    assert status == 200
    before = user_texts(servers, f"wechat:{openid}")
    assert before == ["我们在泽州县，今年授权了12件发明专利"]
    for sender in (openid, f"wechat:{openid}"):  # the website ignores a client-chosen id …
        status, headers, data = chat(site, {"sender": sender, "message": "就这些，帮我算一下"})
        assert status == 200 and "incentives_sid=" in headers.get("set-cookie", "")
        assert "24,000" not in json.dumps(data, ensure_ascii=False) and all("recipient_id" not in m for m in data)
        status, data = rest(
            servers, json.dumps({"sender": sender, "message": "就这些，帮我算一下"})
        )  # … REST keys its own
        assert status == 200 and "24,000" not in text_of(data)
    assert user_texts(servers, f"wechat:{openid}") == before
    alive(servers)


def test_the_website_issues_its_own_signed_http_only_cookie(servers: Servers, site: int) -> None:
    status, headers, _ = chat(site, {"message": "我们在泽州县，今年授权了3件发明专利"})
    cookie = headers["set-cookie"]
    assert status == 200 and "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    value = cookie.split(";")[0]
    status, again, data = chat(site, {"message": "就这些"}, {"Cookie": value})
    assert status == 200 and "set-cookie" not in again  # the same conversation continues
    assert f"{engine_total({'region': '泽州县', 'invention_patents_granted': 3}):,}" in json.dumps(
        data, ensure_ascii=False
    )
    sid = value.split("=", 1)[1].split(".")[0]
    forged = f"incentives_sid={sid}.{'A' * 43}"
    status, headers, _ = chat(site, {"message": "就这些"}, {"Cookie": forged})
    assert status == 200 and headers["set-cookie"].split(";")[0] != value  # not issued here: a new conversation
    status, headers, _ = request(site, "POST", "/api/chat/new", b"", {"Cookie": value})
    assert status == 200 and headers["set-cookie"].split(";")[0] != value


@pytest.mark.parametrize(
    ("body", "headers", "status", "why"),
    [
        (b'{"message": "hi"}', {"Content-Type": "text/plain"}, 415, "application/json"),
        (b'{"message": "hi"}', {"Origin": "https://evil.example"}, 403, "本站"),
        (b'{"message": "hi"}', {"Sec-Fetch-Site": "cross-site"}, 403, "本站"),
        (b"[" * 50_000, {}, 400, "嵌套过深"),
        (b'{"message": ' + b"1" * 5001 + b"}", {}, 400, "JSON"),
        (b'{"message": "   "}', {}, 400, "不能为空"),
        (b'{"message": "x\\ud800"}', {}, 400, "孤立代理项"),
        (json.dumps({"message": "长" * 1001}).encode(), {}, 413, "1000字以内"),
        (b"x" * 70_000, {}, 413, "请求过大"),
    ],
)
def test_hostile_website_chat_requests(site: int, body: bytes, headers: dict[str, str], status: int, why: str) -> None:
    sent = {"Content-Type": "application/json", **headers}
    got, _, data = request(site, "POST", "/api/chat", body, sent)
    assert got == status and why in json.loads(data)["error"], data


def test_website_headers_errors_and_query_strings(servers: Servers, site: int) -> None:
    for path in ("/", "/staff", "/api/policies", "/healthz", "/static/chat.js", "/nowhere"):
        status, headers, _ = request(site, "GET", path)
        assert (
            "default-src 'self'" in headers["content-security-policy"]
            and "frame-ancestors 'none'" in headers["content-security-policy"]
        )
        assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "same-origin"
    status, headers, data = request(site, "GET", "/nowhere")
    assert (
        status == 404 and headers["content-type"].startswith("application/json") and "没有" in json.loads(data)["error"]
    )
    status, headers, _ = request(site, "GET", "/staff/", headers={"Host": "evil.example"})
    assert status == 404 and "location" not in headers  # no redirect built from the Host header
    status, _, data = request(site, "DELETE", "/api/chat")
    assert status == 405 and "不支持" in json.loads(data)["error"]
    for top_k in ("²", "9" * 5001, "-1", "0", "21", "1e1"):
        status, _, data = request(site, "GET", f"/api/search?q=%E4%B8%93%E5%88%A9&top_k={urllib.parse.quote(top_k)}")
        assert status == 400 and "top_k" in json.loads(data)["error"]
    status, _, data = request(site, "GET", "/api/search?q=" + urllib.parse.quote("秘密的问题🏭💰") + "&top_k=1")
    assert status == 200 and len(json.loads(data)["passages"]) == 1
    status, _, data = request(site, "GET", "/api/search?q=" + urllib.parse.quote("？？！！"))
    assert status == 200
    log = (servers.workdir / "web-hostile.log").read_text(errors="replace")
    assert "/api/search" in log and "秘密" not in log and "%E7%A7%98" not in log and "q=" not in log


def test_a_slow_client_is_cut_off(site: int) -> None:
    with socket.create_connection(("127.0.0.1", site), timeout=30) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        started = time.monotonic()
        assert sock.recv(100) == b""  # closed by the server
        assert time.monotonic() - started < 25


# -- WeChat -----------------------------------------------------------------------------------


def test_wechat_replays_and_forgeries_are_refused(servers: Servers) -> None:
    openid = "o-hostile-wechat"
    xml = wechat_text(openid, "你好", 8001)
    assert wechat_post(servers, xml, timestamp=978307200)[0] == 403  # 2001
    assert wechat_post(servers, xml, timestamp=int(time.time()) + 400)[0] == 403
    stamp = int(time.time())
    assert wechat_post(servers, xml, timestamp=stamp, nonce="fixed-nonce")[0] == 200
    assert wechat_post(servers, xml, timestamp=stamp, nonce="fixed-nonce")[0] == 200  # WeChat's retry
    forged = wechat_text("o-someone-else", "我们在泽州县", 8002)
    assert wechat_post(servers, forged, timestamp=stamp, nonce="fixed-nonce")[0] == 403
    assert user_texts(servers, "wechat:o-someone-else") == []
    assert wechat_post(servers, wechat_text("o" * 65, "你好", 8003))[0] == 400
    assert wechat_post(servers, wechat_text("o-bad id;", "你好", 8004))[0] == 400
    assert wechat_post(servers, wechat_text(openid, "你好", 8007, account="gh_another"))[0] == 403
    gbk = '<?xml version="1.0" encoding="GBK"?>' + wechat_text(openid, "你好", 8005)
    assert wechat_post(servers, gbk.encode("gbk"))[0] == 400
    status, reply = wechat_post(servers, wechat_text(openid, "长" * (MAX_TEXT_CHARS + 1), 8006))
    assert status == 200 and "1000字以内".encode() in reply
    assert user_texts(servers, f"wechat:{openid}") == ["你好"]
    alive(servers)


# -- a maximal message does not stall everyone -----------------------------------------------


def _say_s(servers: Servers, sender: str, text: str) -> float:
    started = time.perf_counter()
    status, data = rest(servers, json.dumps({"sender": sender, "message": text}), hostile=False)
    assert status == 200 and text_of(data), data
    return time.perf_counter() - started


def _long_message(seed: int) -> str:
    """1,000 characters of varied, realistic text (the NLU caches recent texts: never the same twice)."""
    parts = ["我们在泽州县", f"今年授权了{seed % 90 + 5}件发明专利", f"还有{seed % 7 + 1}件美国专利", "专利质押贷款有贴息吗",
             "商标注册了几件", "地理标志产品", "知识产权贯标", "版权登记", f"第{seed}号"]  # fmt: skip
    out, n = "", seed
    while len(out) < MAX_TEXT_CHARS:
        n = (n * 1103515245 + 12345) % 2**31
        out += parts[n % len(parts)] + "，。；、"[n % 4]
    return out[:MAX_TEXT_CHARS]


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(0.95 * len(samples)) - 1)]


def test_a_maximal_message_does_not_stall_a_bystander(servers: Servers) -> None:
    """Before the fix a 1,000-character message held Rasa's event loop for ≈1.6 s (its sentence
    embedding), so a bystander's p95 was that long (measured 1.7 s). The target is p95 < 200 ms; on
    this shared 2-core machine the bystander's own latency drifts with others' load, so windows of the
    bystander alone and windows with a maximal message in flight alternate, and the bound is 200 ms or
    twice the p95 alone, whichever is larger — either way far below the 1.6 s of a blocked loop."""
    for _ in range(3):
        _say_s(servers, "bystander-warm", "你好")
    alone: list[float] = []
    loaded: list[float] = []
    longs: list[float] = []
    for window in range(4):
        alone += [_say_s(servers, f"bystander-{i % 4}", "你好") for i in range(15)]
        done = threading.Event()

        def long_sender(seed: int = window, done: threading.Event = done) -> None:
            try:
                longs.append(_say_s(servers, "long-sender", _long_message(seed + time.time_ns() % 1000)))
            finally:
                done.set()

        thread = threading.Thread(target=long_sender)
        thread.start()
        i = 0
        while not done.is_set():
            loaded.append(_say_s(servers, f"bystander-{i % 4}", "你好"))
            i += 1
        thread.join()
    figures = (f"bystander alone p50 {statistics.median(alone) * 1000:.0f} ms p95 {p95(alone) * 1000:.0f} ms "
               f"({len(alone)} samples); with a maximal message in flight p50 {statistics.median(loaded) * 1000:.0f} ms "
               f"p95 {p95(loaded) * 1000:.0f} ms ({len(loaded)} samples); maximal message p50 {statistics.median(longs):.2f} s")  # fmt: skip
    print("\n" + figures)
    assert len(loaded) >= 12, figures
    assert p95(loaded) < max(0.200, 2 * p95(alone)), figures


# -- and after all that ------------------------------------------------------------------------


def test_zz_after_the_attacks_a_normal_conversation_gets_its_amount(servers: Servers) -> None:
    alive(servers)
    status, data = rest(servers, json.dumps(
        {"sender": "hostile-after", "message": "我们在泽州县，今年授权了12件发明专利，还有2件美国专利，能拿多少钱"}
    ), hostile=False)  # fmt: skip
    total = engine_total({"region": "泽州县", "invention_patents_granted": 12, "foreign_patents": {"US": 2}})
    assert status == 200 and f"{total:,} 元" in text_of(data), data
    print(f"\nhostile inputs tried: {TALLY.tried}; 5xx: {len(TALLY.server_errors)}; hangs: {len(TALLY.hangs)}")
    assert TALLY.server_errors == [] and TALLY.hangs == []


# -- make run: loopback only, and a crashed server comes back ---------------------------------


def _listening_addresses(port: int) -> set[str]:
    import subprocess

    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout
    return {line.split()[3].rsplit(":", 1)[0] for line in out.splitlines() if line.strip()}


def test_make_run_binds_loopback_and_restarts_a_crashed_rasa(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess

    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "LOG_DIR": str(tmp_path / "logs"),
           "RASA_TRACKER_DB": str(tmp_path / "conversations.db"), "MAX_RESTARTS": "1", "PYTHONPATH": str(ROOT),
           "INCENTIVES_AS_OF": AS_OF.isoformat()}  # fmt: skip
    run = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    servers = Servers(tmp_path, rasa_port=ports["RASA_PORT"])
    try:
        assert run.stdout is not None
        for line in run.stdout:  # until the banner (or the script's end, if it failed)
            if b"the assistant is up" in line:
                break
        assert run.poll() is None, (tmp_path / "logs" / "rasa.log").read_text(errors="replace")[-3000:]
        assert _listening_addresses(ports["RASA_PORT"]) == {"127.0.0.1"}
        assert _listening_addresses(ports["ACTION_PORT"]) == {"127.0.0.1"}
        assert (tmp_path / "web-session-secret").stat().st_mode & 0o077 == 0
        _say_s(servers, "run-crash", "我们在泽州县，今年授权了3件发明专利")
        rasa_pid = int(subprocess.run(["pgrep", "-f", f"rasa run .*--port {ports['RASA_PORT']} "],
                                      capture_output=True, text=True, check=True).stdout.split()[0])  # fmt: skip
        os.kill(rasa_pid, signal.SIGKILL)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not http_ok(f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/"):
            assert run.poll() is None, "make run stopped instead of restarting Rasa"
            time.sleep(1)
        status, data = rest(servers, json.dumps({"sender": "run-crash", "message": "就这些"}))
        assert (
            status == 200
            and f"{engine_total({'region': '泽州县', 'invention_patents_granted': 3}):,} 元" in text_of(data)
        )
        log = (tmp_path / "logs" / "supervisor.log").read_text()
        assert "rasa exited (code 137); restarting (1/1)" in log
        assert run.poll() is None  # the website and the action server never stopped
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=60)
        if run.stdout is not None:
            run.stdout.close()
    assert not _listening_addresses(ports["RASA_PORT"]) and not _listening_addresses(ports["WEB_PORT"])
