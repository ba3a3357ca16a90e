"""Profile → PDF in one call, for the CLI and the website, with the top three hints (``eligibility.hints``)."""

from __future__ import annotations

from datetime import date

from eligibility import EnterpriseProfile, Evaluation, RuleBook, evaluate
from eligibility.hints import hint_lines, hints_for
from estimate_report.content import MAX_HINTS, ReportContent, build_report
from estimate_report.pdf import render_pdf


def top_hints(profile: EnterpriseProfile, book: RuleBook, as_of: date, evaluation: Evaluation) -> tuple[str, ...]:
    """The best “what would unlock more” lines (``eligibility.hints``, sorted by gain), at most three."""
    hints = hints_for(profile, book, as_of=as_of, evaluation=evaluation)
    return tuple(hint_lines(hints, MAX_HINTS))


def report_for_profile(profile: EnterpriseProfile, book: RuleBook, *, as_of: date) -> ReportContent:
    evaluation = evaluate(profile, book, as_of=as_of)
    return build_report(profile, evaluation, book, hints=top_hints(profile, book, as_of, evaluation))


def make_report(profile: EnterpriseProfile, book: RuleBook, *, as_of: date) -> bytes:
    """The PDF of ``profile``'s estimate on ``as_of``."""
    return render_pdf(report_for_profile(profile, book, as_of=as_of))
