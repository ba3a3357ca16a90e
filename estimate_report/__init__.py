"""The printable 测算报告: the report's content as pure data, and its A4 PDF rendering."""

from __future__ import annotations

from estimate_report.build import make_report, report_for_profile, top_hints
from estimate_report.content import ReportContent, build_report
from estimate_report.pdf import FontMissing, render_pdf

__all__ = [
    "FontMissing",
    "ReportContent",
    "build_report",
    "make_report",
    "render_pdf",
    "report_for_profile",
    "top_hints",
]
