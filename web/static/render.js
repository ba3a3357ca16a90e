// DOM builders shared by the chat page and the staff page. Text always goes in through
// textContent (never innerHTML), so nothing a user or a policy file contains can run as code.
"use strict";

const STATUS_LABELS = { draft: "征求意见稿", period_ended: "已过计划期", in_force: "执行中", not_yet_issued: "尚未发布" };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function statusBadge(status, label) {
  return el("span", { class: `badge ${status || ""}`, "data-status": status }, label || STATUS_LABELS[status] || status);
}

function yuan(low, high) {
  if (low === null || low === undefined || high === null || high === undefined) return "原文未规定具体金额";
  const f = (n) => n.toLocaleString("en-US");
  return low === high ? `${f(low)} 元` : `${f(low)}—${f(high)} 元`;
}

// A clause citation: the reference always visible, the quote and the full clause on demand.
function citation(summaryText, quote, clauseText) {
  return el("details", { class: "citation" },
    el("summary", {}, summaryText),
    quote ? el("blockquote", { class: "quote" }, `“${quote}”`) : null,
    clauseText && clauseText !== quote ? el("blockquote", { class: "clause" }, clauseText) : null);
}

function policyLine(policy) {
  const number = policy.doc_number ? `（${policy.doc_number}）` : "";
  return el("div", { class: "policy" },
    el("p", {}, `《${policy.title}》${number} `, statusBadge(policy.status, policy.status_label)),
    // An ended plan or a draft is said before any amount, in words, not only as a badge.
    policy.heading ? el("p", { class: "status-heading" }, policy.heading) : null);
}

function amountText(a) {
  const text = yuan(a.amount_min, a.amount_max);
  return a.amount_is_lower_bound ? `至少 ${text}` : text;
}

function awardRows(awards) {
  const body = el("tbody");
  for (const a of awards) {
    body.append(el("tr", { class: "award", "data-award": a.id },
      el("td", { "data-label": "奖励" }, a.title),
      el("td", { class: "amount", "data-label": "金额" }, amountText(a),
        a.caveat ? el("div", { class: "caveat" }, `注意：${a.caveat}`) : null),
      el("td", { "data-label": "依据" },
        a.amount_min !== null ? el("div", { class: "calc" }, a.calculation) : null,
        citation(a.citation, a.quote, a.clause_text),
        a.departments_text ? el("div", { class: "departments" }, `负责部门：${a.departments_text}`) : null,
        a.notes.length ? el("ul", { class: "notes" }, a.notes.map((n) => el("li", {}, n))) : null)));
  }
  return el("table", { class: "awards" },
    el("thead", {}, el("tr", {}, el("th", {}, "奖励"), el("th", {}, "金额"), el("th", {}, "计算、依据与负责部门"))), body);
}

// The answer to everything known so far: what was understood, the plans' status, the total,
// each award with its calculation, clause and department; then support that is not money.
function awardsCard(data, recorded, tail, hints, hintsHeading) {
  const card = el("div", { class: "card awards-card" });
  if (recorded) card.append(el("p", { class: "recorded" }, recorded));
  (data.policies || []).forEach((p) => card.append(policyLine(p)));
  const awards = data.awards || [];
  if (awards.length) {
    let total = `合计（已明确金额部分）：${data.total_is_lower_bound ? "至少 " : ""}${yuan(data.total_min, data.total_max)}`;
    if (data.unspecified_count) total += `；另有 ${data.unspecified_count} 项原文未规定具体金额`;
    card.append(el("p", { class: "total" }, total));
    card.append(awardRows(awards));
    if (data.notice) card.append(el("p", { class: "notice" }, data.notice));
  } else if ((data.policies || []).length) {
    card.append(el("p", {}, "按目前提供的信息，还没有能确定金额的奖励（合计 0 元）。"));
  }
  if ((hints || []).length) {
    // What one more patent or a higher title would add (eligibility.hints), each with its clause.
    card.append(el("p", { class: "hints-heading" }, `${hintsHeading}：`));
    card.append(el("ul", { class: "hints" }, hints.map((h) => el("li", {}, h))));
  }
  const other = data.other_support || [];
  if (other.length) {
    card.append(el("p", { class: "other-heading" }, "其他支持（非财政资金，不计入合计）"));
    card.append(awardRows(other));
  }
  const notes = data.notes || [];
  if (notes.length) card.append(el("ul", { class: "notes" }, notes.map((n) => el("li", {}, n))));
  if (tail) card.append(el("p", { class: "notes tail" }, tail));
  return card;
}

// A policy question: one direct sentence with its source first, the clauses under it.
function passagesCard(passages, notes, answer) {
  const card = el("div", { class: "card passages-card" });
  if (answer) card.append(el("p", { class: "answer" }, answer));
  if (!passages.length) card.append(el("p", {}, "没有找到相关条款，请换个说法试试。"));
  passages.forEach((p, i) => {
    const number = p.doc_number ? `（${p.doc_number}）` : "";
    const head = `${i + 1}. 《${p.policy_title}》${number}${p.clause}`;
    card.append(el("div", { class: "passage" }, el("details", { open: i === 0 && !answer ? "" : null },
      el("summary", {}, head), el("blockquote", {}, p.text))));
  });
  (notes || []).forEach((n) => card.append(el("p", { class: "notes" }, `提示：${n}`)));
  return card;
}

// The 测算报告 of one computed answer: POST /api/report with the profile the answer was computed
// from (the reply's payload ``profile``) and its date, and save the PDF the server draws.
async function downloadReport(profile, asOf, button, status) {
  button.disabled = true;
  status.textContent = "正在生成报告…";
  try {
    const response = await fetch("/api/report", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(asOf ? { profile, as_of: asOf } : { profile }),
    });
    if (!response.ok) {
      let why = `服务器返回错误（${response.status}）`;
      try { why = (await response.json()).error || why; } catch (_) { /* not JSON */ }
      status.textContent = `无法生成报告：${why}`;
      return;
    }
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: `测算报告-${profile.region || ""}-${asOf || ""}.pdf`, hidden: "" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    status.textContent = "报告已生成。";
  } catch (_) {
    status.textContent = "无法连接服务器，报告未生成，请稍后重试。";
  } finally {
    button.disabled = false;
  }
}

// Printing one answer: only that answer, with every citation opened (print CSS: body.print-one).
function printAnswer(node) {
  const opened = [...node.querySelectorAll("details:not([open])")];
  opened.forEach((d) => { d.open = true; });
  node.classList.add("printing");
  document.body.classList.add("print-one");
  const restore = () => {
    opened.forEach((d) => { d.open = false; });
    node.classList.remove("printing");
    document.body.classList.remove("print-one");
    window.removeEventListener("afterprint", restore);
  };
  window.addEventListener("afterprint", restore);
  window.print();
}

function reportActions(profile, asOf, card) {
  const status = el("span", { class: "report-status", role: "status" });
  const download = el("button", { type: "button", class: "report-download" }, "下载测算报告（PDF）");
  download.addEventListener("click", () => downloadReport(profile, asOf, download, status));
  const print = el("button", { type: "button", class: "report-print" }, "打印本条");
  print.addEventListener("click", () => printAnswer(card.closest(".msg") || card));
  return el("div", { class: "report-actions" }, download, print, status);
}
