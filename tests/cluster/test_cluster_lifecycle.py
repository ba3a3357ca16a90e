"""`make cluster` twice in a row, and Ctrl-C at any stage (issue 11): the secrets are kept beside the
data (0600), so a second start opens the same database; an interrupt stops everything it started."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.cluster import ROOT, Cluster, free_port


@pytest.fixture(autouse=True)
def _tools() -> None:
    missing = [tool for tool in ("redis-server", "psql") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"the cluster tests need {', '.join(missing)}: run `make test`, which installs them")


def test_start_stop_start_opens_the_same_database(tmp_path: Path) -> None:
    first = Cluster(tmp_path / "cluster")
    secrets_file = tmp_path / "cluster" / "secrets.json"
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    try:
        first.start_postgres()
        first.start_redis()
    finally:
        first.stop_all()
    second = Cluster(tmp_path / "cluster")  # a new start: new ports, the same secrets
    assert (second.pg_password, second.redis_password, second.action_token) == (
        first.pg_password, first.redis_password, first.action_token,
    )  # fmt: skip
    try:
        second.start_postgres()  # used to loop on "password authentication failed"
        second.start_redis()
        assert second._pg_ready()
    finally:
        second.stop_all()


def test_a_lost_password_is_a_clear_failure(tmp_path: Path) -> None:
    first = Cluster(tmp_path / "cluster")
    try:
        first.start_postgres()
    finally:
        first.stop_all()
    (tmp_path / "cluster" / "secrets.json").unlink()
    second = Cluster(tmp_path / "cluster")
    try:
        with pytest.raises(RuntimeError, match="another password"):
            second.start_postgres()
    finally:
        second.stop_all()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_while_starting_stops_everything(tmp_path: Path, sig: int) -> None:
    workdir = tmp_path / "cluster"
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.cluster", "--dir", str(workdir), "--port", str(free_port())],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not (workdir / "redis.log").exists() and time.monotonic() < deadline:  # PostgreSQL is up by then
            time.sleep(0.2)
        assert (workdir / "redis.log").exists()
        process.send_signal(sig)
        _, err = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, err.decode(errors="replace")[-2000:]
    assert "interrupted" in err.decode(errors="replace")
    leftovers = subprocess.run(["pgrep", "-f", str(workdir)], capture_output=True, text=True).stdout.split()
    assert leftovers == []
