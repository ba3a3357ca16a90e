"""The PDF, read back with pypdf: every amount, citation, department and status the engine computed,
for a profile of each region and a long one; page numbers; the footer's version and document hashes;
an award never split from its citation across pages."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from eligibility import RuleBook, amount_text, evaluate, parse_profile, total_text
from eligibility.report import ESTIMATE_NOTICE, departments_text
from estimate_report import make_report, report_for_profile
from estimate_report.content import software_version
from tests.report.conftest import AS_OF, PROFILES, ROOT, pages_text, squash

_cache: dict[str, bytes] = {}


def pdf_of(name: str, book: RuleBook) -> bytes:
    if name not in _cache:
        _cache[name] = make_report(parse_profile(PROFILES[name]), book, as_of=AS_OF)
    return _cache[name]


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_figure_citation_department_and_status_is_in_the_text(name: str, book: RuleBook) -> None:
    pdf = pdf_of(name, book)
    assert pdf.startswith(b"%PDF-")
    text = squash("".join(pages_text(pdf)))
    evaluation = evaluate(parse_profile(PROFILES[name]), book, as_of=AS_OF)
    assert evaluation.policies
    for policy in evaluation.policies:
        assert squash(f"《{policy.title}》") in text
        assert squash(f"状态：{policy.status_label}") in text
        if policy.doc_number:
            assert squash(policy.doc_number) in text
    for award in evaluation.awards:
        citation = award.citation
        assert squash(f"{award.name}") in text
        assert squash(f"金额：{amount_text(award)}") in text, award.award_id
        if award.amount_min is not None:
            assert squash(f"计算：{award.calculation}") in text, award.award_id
        assert squash(citation.rendered) in text, award.award_id  # document number and clause path
        assert squash(f"“{citation.quote}”") in text, award.award_id
        assert squash(f"负责部门：{departments_text(citation.departments)}") in text, award.award_id
        for note in award.notes:
            assert squash(note) in text
    if any(a.citation.other_support for a in evaluation.awards) or evaluation.awards:
        assert squash(f"合计（已明确金额部分）：{total_text(evaluation)}") in text
    assert squash(ESTIMATE_NOTICE) in text


def test_status_is_stated_before_any_amount(book: RuleBook) -> None:
    text = squash("".join(pages_text(pdf_of("changzhi", book))))  # a draft
    assert text.index(squash("状态：征求意见稿")) < text.index("金额：")
    assert "尚未正式印发施行" in text
    ended = squash("".join(pages_text(pdf_of("shanghang", book))))  # 十三五: ended in 2020
    assert ended.index(squash("状态：已过计划期")) < ended.index("金额：")


def test_the_long_report_has_twenty_awards_over_several_pages(book: RuleBook) -> None:
    pdf = pdf_of("long", book)
    pages = pages_text(pdf)
    evaluation = evaluate(parse_profile(PROFILES["long"]), book, as_of=AS_OF)
    assert len(evaluation.awards) == 20
    assert len(pages) >= 3
    assert "1,448,000" in "".join(pages)


@pytest.mark.parametrize("name", ["long", "zezhou"])
def test_page_numbers_and_a4(name: str, book: RuleBook) -> None:
    pdf = pdf_of(name, book)
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        assert f"第 {number} 页 / 共 {total} 页" in page.extract_text()
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_footer_has_the_version_and_the_documents_hashes(book: RuleBook) -> None:
    text = "".join(pages_text(pdf_of("zezhou", book)))
    text_sha = hashlib.sha256((ROOT / "knowledge/policies/zezhou/zzbf-2021-16.yaml").read_bytes()).hexdigest()
    rules_sha = hashlib.sha256((ROOT / "eligibility/rules/zezhou/zzbf-2021-16.yaml").read_bytes()).hexdigest()
    assert f"条款文本 SHA-256 {text_sha[:12]}" in text.replace("\n", "")
    assert f"规则数据 SHA-256 {rules_sha[:12]}" in text.replace("\n", "")
    for page in pages_text(pdf_of("zezhou", book)):  # the footer of every page
        assert f"zzbf-2021-16:{text_sha[:8]}/{rules_sha[:8]}" in page
        assert f"知识产权惠企政策助手 {software_version()}" in page


def test_an_award_and_its_citation_are_on_the_same_page(book: RuleBook) -> None:
    pages = [squash(p) for p in pages_text(pdf_of("long", book))]
    content = report_for_profile(parse_profile(PROFILES["long"]), book, as_of=AS_OF)
    blocks = [b for s in content.policies for b in s.awards]
    assert len(blocks) == 20
    for block in blocks:
        head = squash(f"{block.number}.{block.title}")
        on = [i for i, page in enumerate(pages) if head in page]
        assert len(on) == 1, block.title
        page = pages[on[0]]
        assert squash(block.citation) in page and squash(f"负责部门：{block.departments}") in page, block.title
        assert squash(f"“{block.quote}”") in page, block.title


def test_the_font_is_embedded_as_a_subset_and_the_text_is_chinese(book: RuleBook) -> None:
    reader = PdfReader(io.BytesIO(pdf_of("zezhou", book)))
    fonts: set[str] = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None:
                assert "/FontFile2" in descriptor.get_object()  # TrueType embedded
                fonts.add(str(font["/BaseFont"]))
    assert fonts and all("+" in name for name in fonts)  # subset prefix (AAAAAA+…)
    assert "知识产权奖励测算报告" in reader.pages[0].extract_text()
    assert len(pdf_of("zezhou", book)) < 200_000


def test_the_top_three_hints_are_in_the_report(book: RuleBook) -> None:
    from eligibility import hints

    profile = parse_profile(PROFILES["zezhou"])
    evaluation = evaluate(profile, book, as_of=AS_OF)
    expected = hints.hints_for(profile, book, as_of=AS_OF, evaluation=evaluation)[:3]
    text = squash("".join(pages_text(pdf_of("zezhou", book))))
    assert expected, "泽州县 example: some fact could add money"
    for hint in expected:
        assert squash(hint.text) in text


def test_a_region_without_policies_gets_a_report_that_says_so(book: RuleBook) -> None:
    pdf = make_report(parse_profile({"region": "高平市", "invention_patents_granted": 3}), book, as_of=AS_OF)
    text = squash("".join(pages_text(pdf)))
    assert squash("该地区的政策尚未收录") in text
    assert "金额：" not in text


def test_markup_in_user_input_is_text_not_markup(book: RuleBook, tmp_path: Path) -> None:
    content = report_for_profile(parse_profile({"region": "泽州县<b>&amp;</b>"}), book, as_of=AS_OF)
    from estimate_report import render_pdf

    text = "".join(pages_text(render_pdf(content)))
    assert "泽州县<b>&amp;</b>" in text.replace("\n", "")


def test_a_hundred_reports_stay_under_the_stated_time_and_memory() -> None:
    """benchmarks/bench_report.py in its own process: 100 reports (measured ≈ 5 s, peak RSS ≈ 110 MB)."""
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/bench_report.py")],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    figures = json.loads(result.stdout)
    assert figures["reports"] == 100
    assert figures["total_s"] < 30  # a busy shared 2-core machine: six times the measured figure
    assert figures["peak_rss_mb"] < 300
    assert figures["size_kb"]["max"] < 150
