"""100 测算报告 in a row: time per report and the process's peak memory (``make bench``).

Profiles cycle through the five examples and the long 泽州县 one (20 awards); each report is the
whole path of the website and the CLI: evaluate, hints, content, PDF.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from peak_memory import peak_rss_mb  # noqa: E402

from eligibility import load_rulebook, parse_profile  # noqa: E402
from estimate_report import make_report  # noqa: E402
from tests.report.conftest import PROFILES  # noqa: E402

COUNT = 100


def main() -> None:
    book = load_rulebook()
    profiles = [parse_profile(PROFILES[name]) for name in sorted(PROFILES)]
    rss_before = peak_rss_mb()
    times, sizes = [], []
    started = time.perf_counter()
    for n in range(COUNT):
        t = time.perf_counter()
        pdf = make_report(profiles[n % len(profiles)], book, as_of=date(2025, 6, 30))
        times.append(time.perf_counter() - t)
        sizes.append(len(pdf))
    total = time.perf_counter() - started
    peak = peak_rss_mb()
    ordered = sorted(times)
    print(
        json.dumps(
            {
                "reports": COUNT,
                "total_s": round(total, 2),
                "per_report_ms": {
                    "mean": round(statistics.mean(times) * 1000, 1),
                    "p50": round(ordered[COUNT // 2] * 1000, 1),
                    "p95": round(ordered[int(COUNT * 0.95)] * 1000, 1),
                    "max": round(ordered[-1] * 1000, 1),
                },
                "size_kb": {"min": round(min(sizes) / 1024, 1), "max": round(max(sizes) / 1024, 1)},
                "peak_rss_mb": round(peak, 1),
                "rss_before_reports_mb": round(rss_before, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
