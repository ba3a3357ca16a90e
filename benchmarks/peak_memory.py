"""A benchmark process's own peak memory (shared by the benchmark scripts)."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's peak RSS. Linux's VmHWM belongs to the process's own memory map; ``ru_maxrss`` is
    kept across exec, so a child of a large process (a benchmark's probe, or pytest after the retrieval
    tests) would report the parent's peak instead of its own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
