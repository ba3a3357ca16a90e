// The chat page: talks to POST /api/chat (Rasa's website channel behind the same origin).
// The conversation id is the server's: an HttpOnly cookie this script never sees, so a reload
// continues the conversation; the messages shown are kept in localStorage to redraw them.
"use strict";

const LOG_KEY = "incentives.log";
const MAX_LOG = 300;
const TIMEOUT_MS = 40000;

const logNode = document.getElementById("log");
const input = document.getElementById("input");
const form = document.getElementById("composer");

localStorage.removeItem("incentives.sender");  // the id the page used to choose itself
let entries = loadLog();

function loadLog() {
  try {
    const stored = JSON.parse(localStorage.getItem(LOG_KEY) || "[]");
    return Array.isArray(stored) ? stored : [];
  } catch (_) {
    return [];
  }
}

function remember(entry) {
  entries.push(entry);
  entries = entries.slice(-MAX_LOG);
  try { localStorage.setItem(LOG_KEY, JSON.stringify(entries)); } catch (_) { /* storage full: the page still works */ }
}

function scrollDown() { logNode.scrollTop = logNode.scrollHeight; }

function bubble(kind, ...content) {
  const node = el("div", { class: `msg ${kind}` }, el("div", { class: "bubble" }, ...content));
  logNode.append(node);
  scrollDown();
  return node;
}

// A row of answers to the bot's question is spent after one click; a row of follow-ups
// (“/ask_…” payloads: the calculation, related questions) keeps its other buttons.
function buttonsRow(buttons) {
  const row = el("div", { class: "buttons" });
  const followUps = buttons.some((b) => b.payload.startsWith("/ask_"));
  for (const b of buttons) {
    const button = el("button", {
      type: "button",
      onclick: () => {
        (followUps ? [button] : row.querySelectorAll("button")).forEach((x) => { x.disabled = true; });
        send(b.payload, b.title);
      },
    }, b.title);
    row.append(button);
  }
  return row;
}

// Draws one entry of the log: {who: "user", text} | {who: "bot", message} | {who: "error", text, retry}.
function draw(entry) {
  if (entry.who === "user") return bubble("user", entry.text);
  if (entry.who === "error") {
    return bubble("error", entry.text, entry.retry
      ? el("div", { class: "buttons" }, el("button", { type: "button", class: "retry", onclick: () => send(entry.retry) }, "重试"))
      : null);
  }
  const m = entry.message;
  const custom = m.custom || {};
  let body;
  const buttons = m.buttons || [];
  if (custom.type === "awards") {
    body = awardsCard(custom.data, custom.recorded, custom.tail, custom.hints, custom.hints_heading);
    // Every computed answer can be kept: the PDF of the profile it was computed from, or printed as is.
    if (custom.profile && (custom.data.policies || []).length) {
      body.prepend(el("p", { class: "print-only" }, `知识产权奖励测算（测算日期：${custom.data.as_of}）`));
      body.append(reportActions(custom.profile, custom.data.as_of, body));
    }
  } else if (custom.type === "passages") body = passagesCard(custom.data.passages || [], custom.data.notes, custom.answer);
  else if (m.text) body = m.text;
  else return null;
  return bubble("bot", body, buttons.length ? buttonsRow(buttons) : null);
}

// Rasa sends a reply's plain text (with its buttons) and its structured payload as two messages;
// the page shows the structured one (a table with citations) in place of the text that says the
// same, with the text's buttons (the calculation, related questions) under it.
const STRUCTURED = ["awards", "passages"];
function visible(messages) {
  const shown = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const next = messages[i + 1];
    if (m.text && !m.custom && next && next.custom && STRUCTURED.includes(next.custom.type)) {
      shown.push(m.buttons ? { ...next, buttons: m.buttons } : next);
      i++;
    } else shown.push(m);
  }
  return shown;
}

function typing() {
  return bubble("bot typing", el("span"), el("span"), el("span"));
}

let queue = Promise.resolve();

function send(message, shownAs, { silent = false } = {}) {
  if (!silent) {
    const entry = { who: "user", text: shownAs || message };
    remember(entry);
    draw(entry);
  }
  queue = queue.then(() => exchange(message));
  return queue;
}

async function exchange(message) {
  const indicator = typing();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message }),
      signal: controller.signal,
    });
    let data = null;
    try { data = await response.json(); } catch (_) { data = null; }
    if (!response.ok) {
      const why = data && data.error ? data.error : `服务器返回错误（${response.status}）`;
      fail(why, response.status >= 500 ? message : null);
      return;
    }
    for (const m of visible(Array.isArray(data) ? data : [])) {
      const entry = { who: "bot", message: m };
      remember(entry);
      draw(entry);
    }
  } catch (err) {
    fail(err.name === "AbortError" ? "等待回复超时，请稍后重试。" : "无法连接服务器，请检查网络后重试。", message);
  } finally {
    clearTimeout(timer);
    indicator.remove();
  }
}

function fail(text, retry) {
  const entry = { who: "error", text, retry };
  draw(entry);  // not remembered: after a reload the error is stale
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send(text);
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

document.getElementById("new-chat").addEventListener("click", () => {
  queue = queue.then(() => fetch("/api/chat/new", { method: "POST" })).catch(() => {});  // a new cookie
  entries = [];
  localStorage.removeItem(LOG_KEY);
  logNode.replaceChildren();
  send("你好", null, { silent: true });
});

entries.forEach(draw);
if (!entries.length) send("你好", null, { silent: true });

// The browser's own print shows every citation's quote and clause, as the PDF does.
let openedForPrint = [];
window.addEventListener("beforeprint", () => {
  openedForPrint = [...logNode.querySelectorAll(".awards-card details:not([open])")];
  openedForPrint.forEach((d) => { d.open = true; });
});
window.addEventListener("afterprint", () => {
  openedForPrint.forEach((d) => { d.open = false; });
  openedForPrint = [];
});
