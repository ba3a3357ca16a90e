// The staff FAQ page: clause search over the retrieval index (GET /api/search) and the
// policies with their status (GET /api/policies).
"use strict";

const results = document.getElementById("results");
const regionSelect = document.getElementById("region");

async function getJson(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (_) {
    throw new Error("无法连接服务器，请稍后重试。");
  }
  let data = null;
  try { data = await response.json(); } catch (_) { data = null; }
  if (!response.ok) throw new Error(data && data.error ? data.error : `服务器返回错误（${response.status}）`);
  return data;
}

function showHits(data) {
  const notes = (data.notes || []).map((n) => el("p", { class: "notes" }, `提示：${n}`));
  const hits = data.passages.map((p, i) => {
    const number = p.doc_number ? `（${p.doc_number}）` : "";
    return el("div", { class: "hit" },
      el("div", {}, `${i + 1}. 《${p.policy_title}》${number}${p.clause}`, el("span", { class: "score" }, `相关度 ${p.score.toFixed(2)}`)),
      el("blockquote", {}, p.text));
  });
  results.replaceChildren(...notes, ...(hits.length ? hits : [el("p", {}, "没有检索到相关条款，请换个说法试试。")]));
}

document.getElementById("search").addEventListener("submit", async (event) => {
  event.preventDefault();
  const params = new URLSearchParams({ q: document.getElementById("q").value, top_k: document.getElementById("top-k").value });
  if (regionSelect.value) params.set("region", regionSelect.value);
  results.replaceChildren(el("p", { class: "muted" }, "检索中…"));
  try {
    showHits(await getJson(`/api/search?${params}`));
  } catch (err) {
    results.replaceChildren(el("p", { class: "error" }, err.message));
  }
});

async function loadPolicies() {
  const body = document.querySelector("#policies tbody");
  try {
    const data = await getJson("/api/policies");
    for (const p of data.policies) {
      body.append(el("tr", { "data-policy": p.id },
        el("td", {}, p.region), el("td", {}, `《${p.title}》`), el("td", {}, p.doc_number || "（无文号）"),
        el("td", {}, `${p.issuer} ${p.issued_on}`), el("td", {}, p.period_text),
        el("td", {}, statusBadge(p.status, p.status_label)), el("td", {}, `${p.clauses} / ${p.awards}`)));
      regionSelect.append(el("option", { value: p.region }, p.region));
    }
    document.getElementById("as-of").textContent = `状态按 ${data.as_of} 计。`;
  } catch (err) {
    body.append(el("tr", {}, el("td", { colspan: "7", class: "error" }, err.message)));
  }
}

loadPolicies();

// The 测算报告 for a profile typed by staff: a few fields, or a whole profile as JSON.
function reportProfile() {
  const raw = document.getElementById("r-json").value.trim();
  if (raw) {
    try {
      return JSON.parse(raw);
    } catch (_) {
      throw new Error("企业档案 JSON 格式有误，请检查括号、引号和逗号。");
    }
  }
  const profile = { region: document.getElementById("r-region").value.trim() };
  const counts = { "r-invention": "invention_patents_granted", "r-madrid-new": "madrid_new_applications", "r-gi": "gi_trademarks_new" };
  for (const [id, fieldName] of Object.entries(counts)) {
    const value = document.getElementById(id).value;
    if (value !== "") profile[fieldName] = Number(value);
  }
  const levels = { "r-demo": "ip_demonstration_enterprise", "r-advantage": "ip_advantage_enterprise" };
  for (const [id, fieldName] of Object.entries(levels)) {
    const value = document.getElementById(id).value;
    if (value) profile[fieldName] = value;
  }
  return profile;
}

document.getElementById("report-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const status = document.getElementById("r-status");
  let profile;
  try {
    profile = reportProfile();
  } catch (err) {
    status.textContent = err.message;
    return;
  }
  const asOf = document.getElementById("r-as-of").value || null;
  downloadReport(profile, asOf, event.submitter || document.querySelector("#report-form button"), status);
});
