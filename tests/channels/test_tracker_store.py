"""Hostile sender ids reach the tracker store (as they would through any channel that let them
by): the request fails, the Rasa process does not exit, and a normal conversation is stored.
Runs the probe in the Rasa environment (Python 3.10); PostgreSQL is covered in tests/cluster."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
PROBE = Path(__file__).with_name("tracker_store_probe.py")


def probe(endpoints: Path, env: dict[str, str]) -> dict[str, Any]:
    if not RASA_PYTHON.exists():
        pytest.fail("the tracker-store test needs .venv-rasa: run `make test`")
    done = subprocess.run(
        [str(RASA_PYTHON), str(PROBE), str(endpoints)], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
             "ACTION_ENDPOINT_URL": "http://127.0.0.1:9/webhook", **env},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_hostile_sender_ids_on_sqlite_fail_the_request_not_the_process(tmp_path: Path) -> None:
    outcome = probe(ROOT / "endpoints.yml", {"RASA_TRACKER_DB": str(tmp_path / "conversations.db")})
    assert outcome["store"] == "ReliableSQLTrackerStore"
    for sender, results in outcome["hostile"].items():
        assert "exit" not in results, (sender, results)
    assert outcome["hostile"]["'x\\ud800'"] == ["TrackerStoreRequestError", "TrackerStoreRequestError"]
    assert outcome["normal"] == ["我们在泽州县"]
