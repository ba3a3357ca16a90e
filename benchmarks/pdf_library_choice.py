"""How the PDF library of the 测算报告 was chosen: ReportLab vs fpdf2 vs WeasyPrint, same content, measured.

Not part of the product or of CI (only ReportLab is a dependency). Two steps, because the other
libraries are installed in a scratch environment, never in .venv:

    .venv/bin/python benchmarks/pdf_library_choice.py dump /tmp/content      # the content, as JSON
    python3 -m venv /tmp/pdfbench && /tmp/pdfbench/bin/pip install reportlab fpdf2 weasyprint pypdf
    /tmp/pdfbench/bin/python benchmarks/pdf_library_choice.py compare /tmp/content

(WeasyPrint needs Debian's libpango-1.0-0 and libpangoft2-1.0-0.) ``compare`` prints, per library
and report: file size, median time of a report over several runs, and whether every source string
(whitespace aside) is found in the text pypdf extracts. The figures are quoted in estimate_report/pdf.py.
"""

from __future__ import annotations

import dataclasses
import html
import importlib.util
import io
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
PROFILES = {
    "long": {
        "region": "山西省晋城市泽州县", "invention_patents_granted": 12,
        "foreign_patents": {"美国": 2, "日本": 1, "德国": 1},
        "patent_awards": ["china_patent_silver", "china_design_excellence", "provincial_patent_second"],
        "ic_layout_designs": 3, "madrid_registrations": {"US": 1, "DE": 1, "EU": 1}, "gi_trademarks_new": 1,
        "gi_products_new": 1, "china_trademark_gold_award": True, "plant_variety_rights": 2,
        "ip_management_certified_first_time": True, "ip_demonstration_enterprise": "national",
        "ip_advantage_enterprise": "provincial", "provincial_patent_promotion_projects": 1,
        "city_pledge_interest_subsidy": 24000, "copyright_demonstration_park": "national",
        "copyright_demonstration_unit": "provincial", "ip_trusteeship": True, "enterprise_size": "small",
    },
    "zezhou": json.loads((ROOT / "examples/zezhou.json").read_text("utf-8")),
}  # fmt: skip


def dump(folder: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from eligibility import load_rulebook, parse_profile
    from estimate_report import report_for_profile

    folder.mkdir(parents=True, exist_ok=True)
    book = load_rulebook()
    for name, data in PROFILES.items():
        content = report_for_profile(parse_profile(data), book, as_of=date(2025, 6, 30))
        out = dataclasses.asdict(content)
        out["as_of"] = content.as_of.isoformat()
        out["other_support_heading"] = content.other_support_heading
        (folder / f"{name}.json").write_text(json.dumps(out, ensure_ascii=False), "utf-8")


def _ns(value: Any) -> Any:
    if isinstance(value, dict):
        return SimpleNamespace(**{k: _ns(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_ns(v) for v in value)
    return value


def _lines(c: Any) -> list[tuple[str, str]]:
    """(style, text) in print order: the same words every library lays out."""
    out = [("title", c.title), ("sub", f"测算日期：{c.as_of:%Y-%m-%d}　地区：{c.region}"), ("h2", "一、已了解的情况")]
    out += [("p", f"{f.label}：{f.value}") for f in c.facts]
    out.append(("h2", "二、适用政策与可申请的奖励"))
    for s in c.policies:
        out += [("h3", f"《{s.title}》（{s.doc_number}）【{s.status_label}】"), ("p", s.status_line)]
        for a in (*s.awards, *s.other_support):
            block = [f"{a.number}. {a.title}", f"金额：{a.amount}"]
            block += [f"计算：{a.calculation}"] if a.calculation else []
            block += [a.citation, f"原文：“{a.quote}”", f"负责部门：{a.departments}"]
            block += [f"说明：{n}" for n in a.notes]
            out.append(("award", "\n".join(block)))
    out.append(("p", f"合计（已明确金额部分）：{c.total}"))
    out += [("p", f"· {u.label}：" + "；".join(u.could_add)) for u in c.unknown_facts]
    out += [("p", f"· {h}") for h in c.hints]
    out.append(("p", c.notice))
    out += [("small", f"{d.policy_id} {d.text_sha} {d.rules_sha}") for d in c.documents]
    return out


def _atoms(c: Any) -> list[str]:
    """The strings that must come back out of the PDF unchanged (each short enough not to wrap mid-check)."""
    out = [c.title, c.region, c.notice, c.total, *c.hints]
    out += [x for f in c.facts for x in (f.label, f.value)]
    for s in c.policies:
        out += [s.title, s.status_label]
        for a in (*s.awards, *s.other_support):
            out += [a.title, a.amount, a.calculation or "", a.citation, a.quote, a.departments, *a.notes]
    out += [d.text_sha for d in c.documents]
    return [x for x in out if x]


def _reportlab(c: Any) -> bytes:
    spec = importlib.util.spec_from_file_location("report_pdf", ROOT / "estimate_report/pdf.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render_pdf(c)  # type: ignore[no-any-return]


def _fpdf2(c: Any) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("wqy", fname=FONT, collection_font_number=0)
    pdf.set_auto_page_break(True, margin=18)
    pdf.alias_nb_pages()
    pdf.add_page()
    sizes = {"title": 18, "sub": 10, "h2": 13, "h3": 11.5, "p": 10, "award": 10, "small": 8}
    for style, text in _lines(c):
        pdf.set_font("wqy", size=sizes[style])
        if style == "award":
            with pdf.unbreakable():  # fpdf2's keep-together
                pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _weasyprint(c: Any) -> bytes:
    from weasyprint import HTML

    tags = {"title": "h1", "sub": "p", "h2": "h2", "h3": "h3", "p": "p", "award": "div", "small": "small"}
    body = "".join(
        f"<{tags[s]} class='{s}'>{html.escape(t).replace(chr(10), '<br>')}</{tags[s]}>" for s, t in _lines(c)
    )
    css = (
        "@page{size:A4;margin:18mm;@bottom-right{content:'第 ' counter(page) ' 页 / 共 ' counter(pages) ' 页';"
        "font-size:8pt}} body{font-family:'WenQuanYi Micro Hei';font-size:10pt} .award{break-inside:avoid}"
    )
    return HTML(string=f"<html lang='zh-CN'><style>{css}</style><body>{body}</body></html>").write_pdf()  # type: ignore[no-any-return]


def compare(folder: Path) -> None:
    from pypdf import PdfReader

    for path in sorted(folder.glob("*.json")):
        raw = json.loads(path.read_text("utf-8"))
        raw["as_of"] = date.fromisoformat(raw["as_of"])
        content = _ns(raw)
        wanted = _atoms(content)
        for name, render in (("ReportLab", _reportlab), ("fpdf2", _fpdf2), ("WeasyPrint", _weasyprint)):
            render(content)  # warm: fonts parsed, modules imported
            times, pdf = [], b""
            for _ in range(5):
                start = time.perf_counter()
                pdf = render(content)
                times.append(time.perf_counter() - start)
            reader = PdfReader(io.BytesIO(pdf))
            text = "".join("".join(page.extract_text().split()) for page in reader.pages)
            # the page footer may split a line; compare each logical line, whitespace aside
            missing = [w for w in wanted if "".join(w.split()) not in text]
            print(
                f"{path.stem:7} {name:10} {len(pdf) / 1024:6.1f} KB  {statistics.median(times) * 1000:6.0f} ms  "
                f"{len(reader.pages)} pages  strings not extracted: {len(missing)}/{len(wanted)}"
            )
            for item in missing[:3]:
                print("    not extracted:", item[:60])


if __name__ == "__main__":
    command, target = sys.argv[1], Path(sys.argv[2])
    dump(target) if command == "dump" else compare(target)
