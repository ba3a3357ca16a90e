"""`make forget SENDER=…` treats the id as data: quotes, backticks, $(…) run nothing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_a_hostile_sender_id_runs_no_command(tmp_path: Path) -> None:
    if not (ROOT / ".venv-rasa" / "bin" / "python").exists() or not shutil.which("make"):
        pytest.fail("this test needs make and .venv-rasa: run `make test`")
    marks = [tmp_path / name for name in ("backtick", "dollar", "shell", "quote")]
    sender = f"x`touch {marks[0]}`$(touch {marks[1]})$(shell touch {marks[2]})\"; touch {marks[3]}; '"
    database = tmp_path / "conversations.db"
    with sqlite3.connect(database) as db:  # the one table forget touches, with that sender's event
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL)")
        db.execute("INSERT INTO events (sender_id, type_name, timestamp) VALUES (?, 'user', 0)", (sender,))
    done = subprocess.run(
        ["make", "--no-print-directory", "forget", f"SENDER={sender}"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "RASA_TRACKER_DB": str(database)}, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert not [mark for mark in marks if mark.exists()]
    assert f"deleted 1 events of {sender!r}" in done.stdout  # the literal id, found and deleted
