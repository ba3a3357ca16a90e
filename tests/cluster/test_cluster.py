"""The production profile for real: PostgreSQL, Redis, two Rasa instances, two action servers and
nginx on loopback (deploy/cluster.py), with state across instances, concurrency and faults."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest

from bot.channels.replies import APOLOGY
from deploy.cluster import ROOT, Cluster
from eligibility import evaluate, load_rulebook, parse_profile

AS_OF = date(2024, 6, 1)
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    missing = [tool for tool in ("redis-server", "nginx", "psql") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"the cluster tests need {', '.join(missing)}: run `make test`, which installs them")
    running = Cluster(tmp_path_factory.mktemp("cluster"), env_overrides={"INCENTIVES_AS_OF": AS_OF.isoformat()})
    try:
        running.start()
        yield running
    finally:
        running.stop_all()


def say(url: str, sender: str, message: str) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        url, data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json", "X-Sender-Id": sender},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=120) as response:
        return list(json.load(response))


def text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def entry(cluster: Cluster) -> str:
    return f"{cluster.url}/webhooks/rest/webhook"


def instance(cluster: Cluster, index: int) -> str:
    return f"http://127.0.0.1:{cluster.rasa_ports[index]}/webhooks/rest/webhook"


def total_in(answer: str) -> int:
    match = re.search(r"合计（已明确金额部分）：([\d,]+) 元", answer)
    assert match, answer
    return int(match.group(1).replace(",", ""))


def expected_total(profile: dict[str, Any]) -> int:
    return evaluate(parse_profile(profile), load_rulebook(), as_of=AS_OF).total_min


def user_events(cluster: Cluster, sender: str, channel: str = "rest") -> list[str]:
    """The user texts PostgreSQL holds for ``sender`` of ``channel``, in order."""
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(cluster.pg_port), "-U", "incentives", "-d", "incentives", "-tAc",
         f"SELECT data FROM events WHERE sender_id = '{channel}:{sender}' AND type_name = 'user' ORDER BY id"],
        env={**os.environ, "PGPASSWORD": cluster.pg_password}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [json.loads(line)["text"] for line in result.stdout.splitlines() if line.strip()]


def test_turns_alternating_between_two_rasa_instances_keep_the_conversation(cluster: Cluster) -> None:
    sender = "cluster-alternate"
    turns = [
        "我们在泽州县，今年授权了12件发明专利",
        "还有2件美国专利",
        "没有",
        "拿了中国专利银奖",
        "就这些，帮我算一下",
    ]
    replies = [text(say(instance(cluster, n % 2), sender, turn)) for n, turn in enumerate(turns)]
    assert total_in(replies[-1]) == expected_total({
        "region": "泽州县", "invention_patents_granted": 12, "foreign_patents": {"US": 2},
        "ic_layout_designs": 0, "patent_awards": ["china_patent_silver"],
    }) == 368000  # fmt: skip
    assert user_events(cluster, sender) == turns


def test_a_long_conversation_through_nginx(cluster: Cluster) -> None:
    """Rasa sends the whole tracker with each action call: a long conversation must not outgrow nginx's limits."""
    sender = "cluster-long"
    turns = ["你好", "我们在泽州县", "今年授权了8件发明专利", "还有2件美国专利", "不对，发明专利是6件",
             "专利质押贷款有贴息吗？", "没有", "没有", "就这些，帮我算一下", "为什么", "为什么", "你好"]  # fmt: skip
    replies = [text(say(entry(cluster), sender, turn)) for turn in turns]
    assert all(APOLOGY not in reply for reply in replies), replies
    assert (
        total_in(replies[8])
        == expected_total({"region": "泽州县", "invention_patents_granted": 6, "foreign_patents": {"US": 2}})
        == 32000
    )


@pytest.mark.parametrize("round_", range(3))
def test_one_sender_five_messages_at_once_are_serialised(cluster: Cluster, round_: int) -> None:
    sender = f"cluster-burst-{round_}"
    messages = [f"我们在泽州县，今年授权了{n}件发明专利" for n in range(1, 6)]
    with ThreadPoolExecutor(5) as pool:
        replies = list(pool.map(lambda m: say(entry(cluster), sender, m), messages))
    assert all(text(r) and APOLOGY not in text(r) for r in replies)
    stored = user_events(cluster, sender)
    assert sorted(stored) == sorted(messages)  # each once: nothing lost, nothing duplicated
    # Whatever order the lock store let them through, the last one stored is the slot's value.
    last = int(re.search(r"(\d+)件", stored[-1]).group(1))  # type: ignore[union-attr]
    assert total_in(text(say(entry(cluster), sender, "就这些，帮我算一下"))) == expected_total(
        {"region": "泽州县", "invention_patents_granted": last}
    )


def test_hardening_at_the_entry(cluster: Cluster) -> None:
    big = json.dumps({"sender": "cluster-big", "message": "长" * 40_000}).encode()  # ≈ 120 KB
    request = urllib.request.Request(entry(cluster), data=big, headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as too_large:
        urllib.request.urlopen(request, timeout=30)
    assert too_large.value.code == 413 and "1000字" in json.load(too_large.value)["error"]
    for path in ("/webhooks/conversations", "/model/parse", "/status", "/webhooks/web/webhook"):  # not public
        with pytest.raises(urllib.error.HTTPError) as hidden:
            urllib.request.urlopen(f"{cluster.url}{path}", timeout=10)
        assert hidden.value.code == 404
    with ThreadPoolExecutor(30) as pool:  # one sender flooding: nginx answers 429, clearly
        codes = list(pool.map(lambda _: _status(entry(cluster), "cluster-flood"), range(30)))
    assert 429 in codes and 200 in codes
    assert user_events(cluster, "cluster-big") == []


def test_logs_are_json_lines_without_secrets(cluster: Cluster) -> None:
    for name in ("rasa-0", "rasa-1", "actions-0", "actions-1", "web"):
        lines = (cluster.workdir / f"{name}.log").read_text(errors="replace").splitlines()
        records = [json.loads(line) for line in lines]  # every line: standard output carries JSON only
        assert records, f"{name} wrote no log line"
        assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)
    secrets = [cluster.pg_password, cluster.redis_password]
    for path in [*cluster.workdir.rglob("*.log"), *cluster.workdir.rglob("*.err")]:
        assert not any(secret in path.read_text(errors="replace") for secret in secrets), path
    access = [json.loads(line) for line in (cluster.workdir / "nginx" / "access.log").read_text().splitlines()]
    assert access and all("?" not in record["path"] for record in access)  # no query strings (signatures, OpenIDs)


def _status(url: str, sender: str) -> int:
    try:
        say(url, sender, "你好")
        return 200
    except urllib.error.HTTPError as exc:
        return exc.code


def test_action_servers_down_gives_the_apology_then_recovers(cluster: Cluster) -> None:
    sender = "cluster-actions-down"
    say(entry(cluster), sender, "我们在泽州县，今年授权了3件发明专利")
    for index in range(cluster.action_instances):
        cluster.stop(f"actions-{index}")
    assert APOLOGY in text(say(entry(cluster), sender, "就这些，帮我算一下"))
    for index in range(cluster.action_instances):
        cluster.start_actions(index)
    assert total_in(text(say(entry(cluster), sender, "就这些，帮我算一下"))) == 6000


def test_postgres_restart_loses_nothing(cluster: Cluster) -> None:
    sender = "cluster-pg-restart"
    say(entry(cluster), sender, "我们在泽州县，今年授权了4件发明专利")
    cluster.stop("postgres")
    cluster.start_postgres()
    # The pooled connections died with the server; the next message must still find the conversation.
    assert total_in(text(say(entry(cluster), sender, "就这些，帮我算一下"))) == 8000
    assert user_events(cluster, sender)[0] == "我们在泽州县，今年授权了4件发明专利"


def test_redis_down_is_a_clear_error_and_corrupts_nothing(cluster: Cluster) -> None:
    sender = "cluster-redis-down"
    say(entry(cluster), sender, "我们在泽州县，今年授权了5件发明专利")
    before = user_events(cluster, sender)
    cluster.stop("redis")
    try:
        assert text(say(entry(cluster), sender, "还有2件美国专利")) == APOLOGY
        assert user_events(cluster, sender) == before  # not processed without its lock
    finally:
        cluster.start_redis()
    assert total_in(text(say(entry(cluster), sender, "就这些，帮我算一下"))) == 10000


def retention(cluster: Cluster, *args: str) -> str:
    done = subprocess.run(
        [str(RASA_PYTHON), "-m", "bot.data_retention", "--endpoints", "deploy/endpoints.yml", *args],
        cwd=ROOT, env=cluster.env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def test_forgetting_a_sender_and_purging_idle_conversations(cluster: Cluster) -> None:
    say(entry(cluster), "cluster-forget-me", "我们在泽州县，今年授权了7件发明专利")
    say(entry(cluster), "cluster-keep-me", "我们在泽州县，今年授权了2件发明专利")
    assert "cluster-forget-me" in retention(cluster, "forget", "rest:cluster-forget-me")
    assert user_events(cluster, "cluster-forget-me") == []
    assert user_events(cluster, "cluster-keep-me") == ["我们在泽州县，今年授权了2件发明专利"]
    # Forgotten means forgotten: the bot starts over with that sender.
    assert "县（市、区）" in text(say(entry(cluster), "cluster-forget-me", "我能申请哪些奖励"))
    time.sleep(1)
    cutoff = time.time()
    time.sleep(1)
    say(entry(cluster), "cluster-active", "你好")  # active after the cutoff: kept
    retention(cluster, "purge", "--idle-before", f"{cutoff:.3f}")
    assert user_events(cluster, "cluster-keep-me") == [] and user_events(cluster, "cluster-active") == ["你好"]


def test_killing_one_rasa_instance_mid_conversation(cluster: Cluster) -> None:
    sender = "cluster-kill-rasa"
    say(entry(cluster), sender, "我们在泽州县，今年授权了6件发明专利")
    cluster.stop("rasa-0", sig=9)
    answers = [text(say(entry(cluster), sender, "还有1件日本专利")), text(say(entry(cluster), sender, "就这些"))]
    assert total_in(answers[-1]) == expected_total(
        {"region": "泽州县", "invention_patents_granted": 6, "foreign_patents": {"JP": 1}}
    )
    assert user_events(cluster, sender) == ["我们在泽州县，今年授权了6件发明专利", "还有1件日本专利", "就这些"]


def test_hostile_sender_ids_on_postgresql_fail_the_request_not_the_process(cluster: Cluster) -> None:
    from tests.channels.test_tracker_store import probe

    outcome = probe(ROOT / "deploy" / "endpoints.yml", cluster.env)
    assert outcome["store"] == "ReliableSQLTrackerStore"
    assert all("exit" not in results for results in outcome["hostile"].values()), outcome
    assert outcome["hostile"]["'nul\\x00id'"] == ["TrackerStoreRequestError", "TrackerStoreRequestError"]
    assert outcome["normal"] == ["我们在泽州县"]
    request = urllib.request.Request(
        entry(cluster), data=b'{"sender": "nul\\u0000", "message": "hi"}', headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 400
    refused.value.close()
    assert all(process.poll() is None for process in cluster.processes.values())
    assert (
        total_in(text(say(entry(cluster), "cluster-after-nul", "我们在泽州县，今年授权了2件发明专利，帮我算一下")))
        == 4000
    )


def test_the_website_chat_goes_through_the_website_and_actions_need_the_token(cluster: Cluster) -> None:
    say(entry(cluster), "cluster-web-victim", "我们在泽州县，今年授权了12件发明专利")
    before = user_events(cluster, "cluster-web-victim")
    body = json.dumps(
        {"sender": "cluster-web-victim", "message": "还有1件发明专利，帮我算一下"}
    )  # a chosen id: ignored
    request = urllib.request.Request(
        f"{cluster.url}/api/chat", data=body.encode(),
        headers={"Content-Type": "application/json", "Origin": cluster.url},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=120) as response:
        cookie = response.headers["Set-Cookie"]
        answer = text(json.load(response))
    assert "HttpOnly" in cookie and "24,000" not in answer
    assert user_events(cluster, "cluster-web-victim") == before
    for port in cluster.action_ports:
        call = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhook", data=b"{}", headers={"Content-Type": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(call, timeout=30)
        assert refused.value.code == 401
        refused.value.close()
