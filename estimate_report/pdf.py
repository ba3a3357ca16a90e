"""The 测算报告 as an A4 PDF (ReportLab Platypus), from ``ReportContent``.

Why ReportLab — measured on this machine (2 shared cores, busy) with the same content in all three
libraries, WenQuanYi Micro Hei embedded by each (benchmarks/pdf_library_choice.py, a scratch venv;
median of 5 after a warm-up; "not extracted" = source strings — titles, amounts, calculations,
citations, quotes, departments, notes, facts, hashes — that pypdf's text, whitespace aside, lacks):

    report (awards, pages)      library            size      time/report   not extracted
    long 泽州县 (20, 4–5 pp.)    ReportLab 5.1.0    73 KB     50–99 ms      0 / 169
                                fpdf2 2.8.9        49 KB     1.1–1.7 s     10 / 169 (blocks kept together
                                                                           with unbreakable() after a break)
                                WeasyPrint 70.0    139 KB    0.2–0.3 s     0 / 169
    examples/zezhou (8, 3 pp.)  ReportLab          69 KB     40 ms         0 / 89
                                fpdf2              47 KB     0.9–1.7 s     3 / 89
                                WeasyPrint         136 KB    0.4 s         0 / 89

ReportLab is 4–20× faster than the others, its text extracts exactly, ``KeepTogether`` keeps every
award with its citation on one page, it subsets TrueType fonts itself (with a ToUnicode map, so the
text is selectable), and it needs no Debian library (WeasyPrint needs pango). fpdf2's files are the
smallest, but it is the slowest here and lost text of blocks kept together across a page break.

The font is WenQuanYi Micro Hei from Debian's ``fonts-wqy-microhei`` (``make debs``): TrueType
outlines inside a TTC (sub-font 0), which ReportLab can embed; Noto CJK ships CFF outlines, which
ReportLab cannot. ``INCENTIVES_REPORT_FONT`` may point at another TrueType/TTC file.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Table, TableStyle

if TYPE_CHECKING:  # only types: benchmarks/pdf_library_choice.py loads this file on its own
    from estimate_report.content import AwardBlock, PolicySection, ReportContent

FONT_NAME = "WenQuanYiMicroHei"
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
)
FONT_VARIABLE = "INCENTIVES_REPORT_FONT"
MARGIN = 18 * mm
RED = colors.HexColor("#b5262c")
AMBER = colors.HexColor("#92400e")
GREY = colors.HexColor("#4b5563")
STATUS_COLOURS = {
    "in_force": colors.HexColor("#1d6b35"),
    "period_ended": colors.HexColor("#4b5563"),
    "draft": colors.HexColor("#8a5300"),
    "not_yet_issued": colors.HexColor("#1e4fa3"),
}

_font_lock = threading.Lock()


class FontMissing(RuntimeError):
    """No Chinese font to embed: the report cannot be made (the message says what to install)."""


def font_path() -> Path:
    configured = os.environ.get(FONT_VARIABLE)
    candidates = (Path(configured),) if configured else FONT_CANDIDATES
    for path in candidates:
        if path.is_file():
            return path
    raise FontMissing(
        "找不到报告所需的中文字体（请安装 Debian 软件包 fonts-wqy-microhei，或用 "
        f"{FONT_VARIABLE} 指定 TrueType 字体文件）"
    )


def _register_font() -> str:
    with _font_lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path()), subfontIndex=0))
    return FONT_NAME


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=10, alignment=TA_CENTER, textColor=GREY, spaceAfter=8),
        "h2": ParagraphStyle("h2", base, fontSize=13, leading=19, spaceBefore=10, spaceAfter=4, textColor=RED),
        "policy": ParagraphStyle("policy", base, fontSize=11.5, leading=17, spaceBefore=6, spaceAfter=2),
        "status": ParagraphStyle("status", base, textColor=AMBER, spaceAfter=4),
        "award": ParagraphStyle("award", base, fontSize=11, leading=16, spaceBefore=2),
        "amount": ParagraphStyle("amount", base, fontSize=11, leading=16, textColor=RED),
        "small": ParagraphStyle("small", base, fontSize=9, leading=13, textColor=GREY),
        "quote": ParagraphStyle(
            "quote",
            base,
            fontSize=9.5,
            leading=14,
            leftIndent=8,
            borderPadding=(2, 4, 2, 4),
            backColor=colors.HexColor("#f8fafc"),
            textColor=colors.HexColor("#374151"),
        ),
        "total": ParagraphStyle("total", base, fontSize=12, leading=18, spaceBefore=8, textColor=RED),
        "notice": ParagraphStyle(
            "notice",
            base,
            fontSize=10,
            leading=15,
            borderColor=AMBER,
            borderWidth=0.6,
            borderPadding=5,
            spaceBefore=10,
            spaceAfter=6,
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: markup characters in policy text or user input are escaped."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _award(block: AwardBlock, st: dict[str, ParagraphStyle]) -> Flowable:
    """One award with its calculation, clause and departments: never split across pages."""
    parts: list[Flowable] = [
        _p(f"{block.number}. {block.title}", st["award"]),
        _p(f"金额：{block.amount}", st["amount"]),
    ]
    if block.caveat:
        parts.append(_p(f"注意：{block.caveat}", st["status"]))
    if block.calculation:
        parts.append(_p(f"计算：{block.calculation}", st["base"]))
    parts.append(_p(block.citation, st["base"]))
    parts.append(_p(f"原文：“{block.quote}”", st["quote"]))
    if block.departments:
        parts.append(_p(f"负责部门：{block.departments}", st["base"]))
    parts.extend(_p(f"说明：{note}", st["small"]) for note in block.notes)
    table = Table([[parts]], colWidths=[A4[0] - 2 * MARGIN])
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#e5e7eb")),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))  # fmt: skip
    return KeepTogether([table])


def _policy(section: PolicySection, heading: str, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    number = f"（{section.doc_number}）" if section.doc_number else "（无文号）"
    colour = STATUS_COLOURS.get(section.status, GREY).hexval()[2:]
    head = Paragraph(
        f"{escape(f'《{section.title}》{number}')} <font color='#{colour}'>【{escape(section.status_label)}】</font>",
        st["policy"],
    )
    story: list[Flowable] = [KeepTogether([head, _p(section.status_line, st["status"])])]
    story += [_award(block, st) for block in section.awards]
    if section.other_support:
        story.append(_p(heading, st["policy"]))
        story += [_award(block, st) for block in section.other_support]
    if not section.awards and not section.other_support:
        story.append(_p("按目前提供的信息，本文件中还没有可申请的奖励。", st["base"]))
    return story


def _bullets(lines: Sequence[str], style: ParagraphStyle) -> list[Flowable]:
    return [_p(f"· {line}", style) for line in lines]


def story(content: ReportContent, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [
        _p(content.title, st["title"]),
        _p(f"测算日期：{content.as_of:%Y-%m-%d}　　地区：{content.region}", st["subtitle"]),
        _p("一、已了解的情况", st["h2"]),
    ]
    out += [_p(f"{fact.label}：{fact.value}", st["base"]) for fact in content.facts]
    out.append(_p(f"测算日期：{content.as_of:%Y-%m-%d}（政策状态按此日期判断）", st["base"]))
    out.append(_p("二、适用政策与可申请的奖励", st["h2"]))
    if not content.policies:
        out.append(_p("该地区的政策尚未收录，本报告不含奖励测算。", st["base"]))
    for section in content.policies:
        out += _policy(section, content.other_support_heading, st)
    out += _bullets(content.region_notes, st["small"])
    if content.total is not None:
        total = f"合计（已明确金额部分）：{content.total}"
        if content.unspecified_count:
            total += f"；另有 {content.unspecified_count} 项原文未规定具体金额"
        out.append(_p(total, st["total"]))
    if content.unknown_facts:
        out.append(_p("三、尚不清楚的情况（补充后可能增加）", st["h2"]))
        for fact in content.unknown_facts:
            lines = [f"{fact.label}", *(f"　　{line}" for line in fact.could_add)]
            out.append(KeepTogether(_bullets(lines[:1], st["base"]) + [_p(x, st["small"]) for x in lines[1:]]))
    if content.hints:
        out.append(_p("四、还能多得的方向", st["h2"]))
        out += _bullets(content.hints, st["base"])
    out.append(_p(content.notice, st["notice"]))
    out.append(_p("版本与文件校验（用于日后复现本报告）", st["policy"]))
    out.append(_p(f"软件版本：{content.version}", st["small"]))
    for doc in content.documents:
        number = f"（{doc.doc_number}）" if doc.doc_number else ""
        out.append(
            _p(
                f"《{doc.title}》{number}：条款文本 SHA-256 {doc.text_sha}，规则数据 SHA-256 {doc.rules_sha}",
                st["small"],
            )
        )
    return out


def _footer_text(content: ReportContent) -> str:
    hashes = " ".join(f"{doc.policy_id}:{doc.text_sha[:8]}/{doc.rules_sha[:8]}" for doc in content.documents)
    return f"知识产权惠企政策助手 {content.version} · 测算日期 {content.as_of:%Y-%m-%d}" + (
        f" · 文件 {hashes}" if hashes else ""
    )


def _numbered_canvas(font: str, footer: str) -> type[Canvas]:
    """A canvas that writes “第 n 页 / 共 N 页” and the footer once the page count is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab ships no types
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font, 7.5)
                self.setFillColor(GREY)
                self.drawString(MARGIN, 10 * mm, footer)
                self.drawRightString(A4[0] - MARGIN, 10 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf(content: ReportContent) -> bytes:
    """The report as PDF bytes (A4, the font embedded as a subset, page numbers, text extractable)."""
    font = _register_font()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{content.title}（{content.region}，{content.as_of:%Y-%m-%d}）",
        author="知识产权惠企政策助手",
        subject=content.notice,
        creator=f"ip-incentive-assistant {content.version}",
        lang="zh-CN",
    )
    document.build(story(content, _styles(font)), canvasmaker=_numbered_canvas(font, _footer_text(content)))
    return buffer.getvalue()
