"""Hypothesis fuzz of the parsers at the edge, without servers: REST/website bodies (web.limits),
WeChat XML, safe-mode ciphertext and the replay guard, the website's query parameters and chat
requests, command-line arguments. Each may refuse, with its own error type or a 4xx, never more.
The same attacks against the real servers are in tests/e2e/test_hostile.py."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import Iterator
from typing import Any
from unittest import mock

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from bot.channels.wechat_protocol import Crypto, ProtocolError, parse_xml
from bot.channels.wechat_replay import ReplayGuard
from incentives_cli.main import main
from knowledge.retrieval import QuestionError
from web.app import create_app
from web.limits import BodyError, json_object, sender_problem, text_problem
from web.session import Sessions

FAST = settings(max_examples=300, deadline=None)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)  # fmt: skip


@FAST
@given(raw=st.binary(max_size=300) | st.builds(lambda v: json.dumps(v).encode(), JSONISH))
def test_request_bodies(raw: bytes) -> None:
    try:
        payload = json_object(raw, "{}")
    except BodyError as exc:
        assert exc.zh
        return
    assert isinstance(payload, dict)
    for check in (sender_problem(payload.get("sender")), text_problem(payload.get("message"))):
        assert check is None or isinstance(check, str)


@FAST
@given(value=st.text() | st.binary().map(lambda b: b.decode("utf-8", "surrogateescape")))
def test_sender_ids_and_texts_either_pass_or_say_why(value: str) -> None:
    problem = sender_problem(value)
    if problem is None:
        value.encode("utf-8")  # whatever passes can be stored by SQLite and PostgreSQL
        assert "\x00" not in value and 0 < len(value) <= 128
    assert (
        text_problem(value) is None or "message" in (text_problem(value) or "") or "消息" in (text_problem(value) or "")
    )


XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@FAST
@given(
    raw=st.binary(max_size=300)
    | st.builds(
        lambda tags, text, decl: (decl + "<xml>" + "".join(f"<{t}>{text}</{t}>" for t in tags) + "</xml>").encode(
            "utf-8", "surrogatepass"
        ),
        st.lists(st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True), max_size=4),
        XML_TEXT,
        st.sampled_from(
            [
                "",
                '<?xml version="1.0"?>',
                '<?xml version="1.0" encoding="GBK"?>',
                '<?xml version="1.0" encoding="utf-16"?>',
                '<!DOCTYPE x [<!ENTITY e "x">]>',
            ]
        ),
    )
)
def test_wechat_xml(raw: bytes) -> None:
    try:
        message = parse_xml(raw)
    except ProtocolError:
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in message.items())


CRYPTO = Crypto("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx_fuzz")


@FAST
@given(encrypted=st.text(max_size=200) | st.binary(max_size=200).map(lambda b: base64.b64encode(b).decode()))
def test_safe_mode_ciphertext(encrypted: str) -> None:
    with contextlib.suppress(ProtocolError):
        CRYPTO.decrypt(encrypted)


@FAST
@given(timestamp=st.text(max_size=30) | st.integers().map(str), nonce=st.text(max_size=80), body=st.binary(max_size=50))
def test_replay_guard(timestamp: str, nonce: str, body: bytes) -> None:
    result = asyncio.run(ReplayGuard().problem(timestamp, nonce, body))
    assert result is None or isinstance(result, str)


class FakeRetriever:
    def search(self, question: str, *, region: str | None = None, top_k: int = 3) -> Any:
        raise QuestionError("问题不能为空", "the question is empty")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app("http://rasa.invalid", sessions=Sessions("fuzz-secret"))
    rasa = httpx.MockTransport(lambda request: httpx.Response(200, json=[{"recipient_id": "x", "text": "好的"}]))
    with TestClient(app) as test_client:
        app.state.services.client = httpx.AsyncClient(transport=rasa)
        app.state.services._retriever = FakeRetriever()
        yield test_client


QUERY = st.text(max_size=40) | st.sampled_from(["²", "9" * 5001, "-1", "0", "21", "1e1", " 5", "５"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERY, region=QUERY, top_k=QUERY, path=st.sampled_from(["/api/search", "/api/policies", "/healthz", "/x"]))
def test_query_parameters(client: TestClient, q: str, region: str, top_k: str, path: str) -> None:
    response = client.get(path, params={"q": q, "region": region, "top_k": top_k})
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}
    assert response.headers["x-content-type-options"] == "nosniff"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.binary(max_size=200) | st.builds(lambda v: json.dumps(v).encode(), JSONISH)
    | st.builds(lambda m: json.dumps({"message": m}).encode(), st.text(max_size=1100)),
    cookie=st.none() | st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters=";,\\\""), max_size=80),
    content_type=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain", ""]),
)  # fmt: skip
def test_chat_requests(client: TestClient, body: bytes, cookie: str | None, content_type: str) -> None:
    client.cookies.clear()
    headers = {"Content-Type": content_type, **({"Cookie": f"incentives_sid={cookie}"} if cookie else {})}
    response = client.post("/api/chat", content=body, headers=headers)
    assert response.status_code in (200, 400, 413, 415), response.text
    data = response.json()
    assert data == [{"text": "好的"}] if response.status_code == 200 else set(data) == {"error"}


ARGS = st.lists(
    st.sampled_from(["--json", "--trace", "--all", "--as-of", "--top-k", "-", "examples/zezhou.json", "2024-13-01"])
    | st.text(max_size=20),
    max_size=5,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(["check", "explain", "policies", "nonsense"]), args=ARGS)
def test_command_line_arguments(capsys: pytest.CaptureFixture[str], command: str, args: list[str]) -> None:
    """Any argument list (no ``serve``, no model-loading ``ask``): exit 0 or 2, one line when refused."""
    with mock.patch("sys.stdin", mock.Mock(buffer=mock.Mock(read=lambda n: b"{oops"))):
        try:
            code = main([command, *args])
        except SystemExit as exited:  # argparse's own usage errors
            code = int(exited.code or 0)
    err = capsys.readouterr().err
    assert code in (0, 2), err
    assert "Traceback" not in err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=st.text(max_size=30).map(lambda t: t + "\udcff"), region=st.none() | st.text(max_size=10))
def test_ask_with_arguments_that_are_not_utf8(
    capsys: pytest.CaptureFixture[str], question: str, region: str | None
) -> None:
    # "--region=…" and "--": a value starting with "-" is a value here, not an option.
    code = main(["ask", *([f"--region={region}"] if region else []), "--", question])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "UTF-8" in err
