"""Where the project's caches live (the embedding model, the clause index, jieba's table, parsed files)."""

from __future__ import annotations

import os
from pathlib import Path


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ip-incentive-assistant"


def cache_dir_from_env() -> Path:
    """``INCENTIVES_CACHE_DIR``, else ``$XDG_CACHE_HOME/ip-incentive-assistant`` (or ``~/.cache/…``)."""
    return Path(os.environ.get("INCENTIVES_CACHE_DIR") or _default_cache())
