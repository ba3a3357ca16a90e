"""Start the real action server and Rasa server on free loopback ports for end-to-end tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from deploy.cluster import free_port, http_ok, stop_process, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
MODEL = ROOT / "models" / "bot.tar.gz"
START_TIMEOUT_S = 240
WECHAT_TOKEN = "e2e-token"
WECHAT_APPID = "wx_e2e_account"
WECHAT_SECRET = "e2e-secret"
WECHAT_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
WECHAT_ACCOUNT = "gh_e2e_account"  # the account's 原始ID (test_wechat.py's ACCOUNT)


@dataclass
class Servers:
    workdir: Path
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    wechat_api_port: int = field(default_factory=free_port)  # the fake WeChat API of tests/e2e/test_wechat.py
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    startup_s: float = 0.0

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            "RASA_TRACKER_DB": str(self.workdir / "conversations.db"),
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "HF_HUB_OFFLINE": "1",
            "INCENTIVES_AS_OF": "2024-06-01",
            "WECHAT_TOKEN": WECHAT_TOKEN,
            "WECHAT_APPID": WECHAT_APPID,
            "WECHAT_APPSECRET": WECHAT_SECRET,
            "WECHAT_AES_KEY": WECHAT_AES_KEY,
            "WECHAT_ACCOUNT_ID": WECHAT_ACCOUNT,  # messages to another account are refused
            "WECHAT_API_BASE": f"http://127.0.0.1:{self.wechat_api_port}",
        }

    def _start(self, name: str, command: list[str]) -> None:
        with (self.workdir / f"{name}.log").open("ab") as log:  # the child keeps its own descriptor
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def start_actions(self) -> None:
        self._start(
            "actions", [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.action_port)]
        )

    def start_rasa(self) -> None:
        self._start(
            "rasa",
            [str(RASA), "run", "--model", str(MODEL), "--port", str(self.rasa_port),
             "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"],
        )  # fmt: skip

    def start_web(self, rasa_url: str | None = None, name: str = "web", port: int | None = None) -> str:
        """The website on ``port`` (default: web_port), talking to ``rasa_url`` (default: this Rasa)."""
        port = port or self.web_port
        rasa_url = rasa_url or f"http://127.0.0.1:{self.rasa_port}"
        self._start(
            name, [sys.executable, "-m", "incentives_cli.main", "serve", "--port", str(port), "--rasa-url", rasa_url]
        )
        self.wait_for(name, f"http://127.0.0.1:{port}/healthz")
        return f"http://127.0.0.1:{port}"

    def wait(self, *names: str) -> None:
        urls = {
            "rasa": f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/",
            "actions": f"http://127.0.0.1:{self.action_port}/health",
        }
        for name in names:
            self.wait_for(name, urls[name])

    def wait_for(self, name: str, url: str) -> None:
        logs = [self.workdir / f"{name}.log"]
        wait_healthy(name, self.processes[name], lambda: http_ok(url), logs, START_TIMEOUT_S)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is not None:
            stop_process(process)

    def say(self, sender: str, message: str) -> list[dict[str, Any]]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            return list(json.load(response))

    def text(self, sender: str, message: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(sender, message))


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    if not RASA.exists() or not MODEL.exists():
        pytest.fail("the end-to-end tests need .venv-rasa and a trained model: run `make test`")
    running = Servers(tmp_path_factory.mktemp("bot"))
    started = time.monotonic()
    running.start_actions()
    running.start_rasa()
    try:
        running.wait("actions", "rasa")
        running.startup_s = time.monotonic() - started
        yield running
    finally:
        for name in list(running.processes):
            running.stop(name)


# The browser tests' Chromium (Debian's, installed by `make test`) and the website under test,
# shared by test_web_page.py and test_conversation_suite_browser.py.
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail("the browser tests need Debian's chromium (/usr/bin/chromium): run `make test`, which installs it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(servers: Servers) -> Iterator[str]:
    """The website for one module's browser tests, stopped after them (the next module starts its own)."""
    yield servers.start_web()
    servers.stop("web")
