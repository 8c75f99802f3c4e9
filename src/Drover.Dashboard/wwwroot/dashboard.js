// Drover's dashboard: the process table, sparklines, the log and the controls, fed by one server-sent event
// stream (/api/events). No framework, no build step; every text goes in through textContent.
"use strict";

const HISTORY_POINTS = 180;   // samples kept per sparkline (the server sends one every 2 s)
const LOG_KEEP = 5000;        // lines kept in memory for filtering
const LOG_SHOW = 1000;        // lines shown at most

const state = {
  csrf: "",
  types: [],
  rows: new Map(),            // instance name -> latest row
  history: new Map(),         // instance name -> { at, cpu, rss, restarts }
  log: [],                    // { t, n, p, x } lines and { dropped } markers, oldest first
  trimmed: 0,                 // lines that fell out of `log` (LOG_KEEP)
  pendingLog: [],             // received while drawing was not yet due
};

const $ = id => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c);
  return e;
}

// ---- formatting ----

function duration(seconds) {
  if (seconds == null) return "";
  let s = Math.floor(seconds);
  const d = Math.floor(s / 86400); s %= 86400;
  const h = Math.floor(s / 3600); s %= 3600;
  const m = Math.floor(s / 60); s %= 60;
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

function bytes(n) {
  if (n == null) return "";
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function lastExit(row) {
  if (row.lastExitSignal) return row.lastExitSignal;
  if (row.lastExitCode != null) return `code ${row.lastExitCode}`;
  return "";
}

function clock(ms) {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map(v => String(v).padStart(2, "0")).join(":");
}

// ---- sparklines ----

const SVG = "http://www.w3.org/2000/svg";

function sparkline(values, cls) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "spark " + cls);
  svg.setAttribute("viewBox", "0 0 80 18");
  svg.setAttribute("preserveAspectRatio", "none");
  const line = document.createElementNS(SVG, "polyline");
  svg.append(line);
  drawSpark(svg, values);
  return svg;
}

function drawSpark(svg, values) {
  const points = values.map(v => v ?? 0);
  const line = svg.firstChild;
  if (points.length < 2) { line.setAttribute("points", ""); return; }
  const min = Math.min(...points), max = Math.max(...points);
  const span = max - min || 1;
  // Time runs right to left from "now"; a short history is spread over at least 30 samples' width.
  const step = 80 / (Math.max(points.length, 30) - 1);
  const x0 = 80 - step * (points.length - 1);
  line.setAttribute("points", points.map((v, i) =>
    `${(x0 + i * step).toFixed(1)},${(17 - ((v - min) / span) * 16).toFixed(1)}`).join(" "));
}

function addSample(row, at) {
  let h = state.history.get(row.name);
  if (!h) { h = { at: [], cpu: [], rss: [], restarts: [] }; state.history.set(row.name, h); }
  h.at.push(at); h.cpu.push(row.cpuPercent); h.rss.push(row.rssBytes); h.restarts.push(row.restarts);
  if (h.at.length > HISTORY_POINTS) for (const k of ["at", "cpu", "rss", "restarts"]) h[k].shift();
}

// ---- the process table ----

const typeBodies = new Map();   // type -> { body, count, running, input }
const instanceRows = new Map(); // name -> { tr, cells, sparks, buttons }

function typeBody(type) {
  let t = typeBodies.get(type);
  if (t) return t;
  const input = el("input", { type: "number", min: 0, value: 0, "data-scale": type, title: `instances of ${type}` });
  input.setAttribute("aria-label", `instances of ${type}`);
  const running = el("span", { class: "muted", "data-running": type });
  const minus = el("button", { type: "button", textContent: "\u2212", title: `one fewer ${type}` });
  const plus = el("button", { type: "button", textContent: "+", title: `one more ${type}` });
  const scale = el("button", { type: "button", textContent: "scale", "data-action": "scale", "data-type": type });
  const restart = el("button", { type: "button", textContent: "restart all", "data-action": "restart", "data-target": type });
  minus.onclick = () => { input.value = Math.max(0, Number(input.value) - 1); input.dataset.edited = "1"; };
  plus.onclick = () => { input.value = Number(input.value) + 1; input.dataset.edited = "1"; };
  input.oninput = () => { input.dataset.edited = "1"; };
  scale.onclick = () => act(scale, "scale", { counts: { [type]: Number(input.value) } }, `scale ${type} to ${input.value}`)
    .then(() => { delete input.dataset.edited; });
  restart.onclick = () => act(restart, "restart", { target: type }, `rolling restart of ${type}`);
  const header = el("tr", { class: "type-row", "data-type-row": type },
    el("td", { class: "type-name", textContent: type }),
    el("td", { colSpan: 6 }, el("span", { class: "actions" }, minus, input, plus, scale, restart)),
    el("td", { colSpan: 3 }, running));
  const body = el("tbody", { class: "type", "data-type": type }, header);
  t = { body, input, running };
  typeBodies.set(type, t);
  return t;
}

function instanceRow(row) {
  let r = instanceRows.get(row.name);
  if (r) return r;
  const cells = {};
  const td = (field, cls) => (cells[field] = el("td", { class: cls || "", "data-field": field }));
  const sparks = {
    cpu: sparkline([], "cpu"),
    rss: sparkline([], "rss"),
    restarts: sparkline([], "restarts"),
  };
  const restart = el("button", { type: "button", textContent: "restart", "data-action": "restart", "data-target": row.name });
  const stopStart = el("button", { type: "button", "data-target": row.name });
  restart.onclick = () => act(restart, "restart", { target: row.name }, `restart ${row.name}`);
  stopStart.onclick = () => {
    const verb = stopStart.dataset.action;
    act(stopStart, verb, { target: row.name }, `${verb} ${row.name}`);
  };
  const cpu = el("span", { class: "metric" }, cells.cpuText = el("span", {}), sparks.cpu);
  const rss = el("span", { class: "metric" }, cells.rssText = el("span", {}), sparks.rss);
  const restarts = el("span", { class: "metric" }, cells.restartsText = el("span", {}), sparks.restarts);
  const tr = el("tr", { "data-instance": row.name },
    td("name"), td("state"), td("pid", "num"), td("uptime", "num"), td("restarts"), td("lastExit"), td("port", "num"),
    td("cpu"), td("rss"), el("td", {}, el("span", { class: "actions" }, restart, stopStart)));
  cells.cpu.append(cpu); cells.rss.append(rss); cells.restarts.append(restarts);
  cells.state.append(cells.badge = el("span", { class: "state" }));
  r = { tr, cells, sparks, stopStart };
  instanceRows.set(row.name, r);
  return r;
}

function renderTable(frame) {
  const table = $("processes");
  const types = [...frame.types];
  for (const p of frame.processes) if (!types.includes(p.type)) types.push(p.type);
  const seen = new Set();
  let previous = table.tHead;
  for (const type of types) {
    const t = typeBody(type);
    const rows = frame.processes.filter(p => p.type === type);
    const desired = rows.filter(p => p.state !== "stopped").length;
    t.running.textContent = `${rows.filter(p => p.state === "running").length} running of ${desired}`;
    if (!t.input.dataset.edited && document.activeElement !== t.input) t.input.value = rows.length;
    // Moved only when out of place: moving a row would take the focus from a count being typed.
    if (previous.nextSibling !== t.body) previous.after(t.body);
    previous = t.body;
    let after = t.body.firstChild;
    for (const row of rows) {
      seen.add(row.name);
      const r = instanceRow(row);
      fillRow(r, row);
      if (after.nextSibling !== r.tr) after.after(r.tr);
      after = r.tr;
    }
  }
  for (const [name, r] of instanceRows) {
    if (!seen.has(name)) { r.tr.remove(); instanceRows.delete(name); state.history.delete(name); }
  }
  for (const [type, t] of typeBodies) {
    if (!types.includes(type)) { t.body.remove(); typeBodies.delete(type); }
  }
  updateFilterChoices();
}

function fillRow(r, row) {
  const c = r.cells;
  c.name.textContent = row.name;
  c.name.title = row.command;
  // The server's one rule for the state as people read it: "waiting (db)", "running (ready, healthy)".
  c.badge.textContent = row.status || row.state;
  c.badge.dataset.state = row.state;
  c.badge.dataset.ready = row.state === "running" && row.status !== row.state ? String(row.ready && row.healthy !== false) : "";
  c.badge.title = row.note || "";
  c.pid.textContent = row.pid ?? "";
  c.uptime.textContent = duration(row.uptimeSeconds);
  c.restartsText.textContent = row.restarts;
  c.lastExit.textContent = lastExit(row);
  c.port.textContent = row.port ?? "";
  c.cpuText.textContent = row.cpuPercent == null ? "" : `${row.cpuPercent.toFixed(1)}%`;
  c.rssText.textContent = bytes(row.rssBytes);
  const h = state.history.get(row.name) || { cpu: [], rss: [], restarts: [] };
  drawSpark(r.sparks.cpu, h.cpu);
  drawSpark(r.sparks.rss, h.rss);
  drawSpark(r.sparks.restarts, h.restarts);
  const stoppable = !["stopped", "exited", "given-up"].includes(row.state);
  r.stopStart.dataset.action = stoppable ? "stop" : "start";
  r.stopStart.textContent = stoppable ? "stop" : "start";
}

// ---- controls ----

async function act(button, verb, body, what) {
  const item = el("li", { "data-ok": "pending", textContent: `${what}...` });
  $("results").prepend(item);
  button.disabled = true;
  try {
    const response = await fetch(`/api/${verb}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Drover-CSRF": state.csrf },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let answer;
    try { answer = JSON.parse(text); } catch { answer = { error: text.trim() }; }
    item.dataset.ok = String(response.ok);
    item.textContent = `${clock(Date.now())} ${response.ok ? answer.message : `${what}: ${answer.error}`}`;
  } catch (e) {
    item.dataset.ok = "false";
    item.textContent = `${clock(Date.now())} ${what}: ${e.message}`;
  } finally {
    button.disabled = false;
    while ($("results").children.length > 20) $("results").lastChild.remove();
  }
}

// ---- the log ----

const ANSI = /\x1b\[[0-9;?]*[ -\/]*[@-~]/g;

function filters() {
  return {
    type: $("filter-type").value,
    instance: $("filter-instance").value,
    text: $("filter-text").value.toLowerCase(),
  };
}

function matches(entry, f) {
  if (entry.dropped != null) return true;
  if (f.instance && entry.n !== f.instance) return false;
  if (f.type && !entry.n.startsWith(f.type + ".")) return false;
  if (f.text && !entry.x.toLowerCase().includes(f.text)) return false;
  return true;
}

function lineNode(entry) {
  if (entry.dropped != null) {
    return el("div", { class: "marker", "data-marker": "dropped",
      textContent: `\u22ef ${entry.dropped} line(s) dropped here: output came faster than the page is sent it` });
  }
  // The prefix comes made from the server (the rule of stdout and `drover logs`): the page does not build its own.
  return el("div", { class: "line", "data-name": entry.n },
    el("span", { class: "p", textContent: entry.p }),
    entry.x);
}

function topMarker(hidden) {
  return el("div", { class: "marker", "data-marker": "older",
    textContent: `\u22ef ${hidden} older line(s) not shown (the page keeps the last ${LOG_KEEP}, shows at most ${LOG_SHOW})` });
}

function addLog(batch) {
  if (batch.dropped > 0) state.pendingLog.push({ dropped: batch.dropped });
  for (const line of batch.lines) state.pendingLog.push({ t: line.t, n: line.n, p: line.p, x: line.x.replace(ANSI, "") });
  if (state.pendingLog.length > LOG_KEEP) {
    // Paused (or a hidden tab): keep only what could be shown anyway.
    const cut = state.pendingLog.length - LOG_KEEP;
    state.trimmed += state.pendingLog.slice(0, cut).filter(e => e.dropped == null).length;
    state.pendingLog.splice(0, cut);
  }
  scheduleLogDraw();
}

let drawScheduled = false;
function scheduleLogDraw() {
  if (drawScheduled || $("log-pause").checked) return;
  drawScheduled = true;
  requestAnimationFrame(() => { drawScheduled = false; drawLog(false); });
}

// Appends what came in; redraws everything only when the filters changed.
function drawLog(full) {
  const box = $("log");
  const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
  const incoming = state.pendingLog;
  state.pendingLog = [];
  state.log.push(...incoming);
  if (state.log.length > LOG_KEEP) {
    const cut = state.log.length - LOG_KEEP;
    state.trimmed += state.log.slice(0, cut).filter(e => e.dropped == null).length;
    state.log.splice(0, cut);
  }
  const f = filters();
  if (full) {
    box.replaceChildren();
    const shown = state.log.filter(e => matches(e, f)).slice(-LOG_SHOW);
    box.append(...shown.map(lineNode));
  } else {
    box.append(...incoming.filter(e => matches(e, f)).map(lineNode));
  }
  // Bounded: the oldest nodes go, and a marker at the top says so.
  let lines = box.querySelectorAll(":scope > .line, :scope > .marker[data-marker=dropped]");
  let excess = lines.length - LOG_SHOW;
  for (let i = 0; i < excess; i++) lines[i].remove();
  const hidden = state.trimmed + Math.max(0, state.log.filter(e => e.dropped == null && matches(e, f)).length - LOG_SHOW);
  const top = box.querySelector(":scope > .marker[data-marker=older]");
  if (top) top.remove();
  if (hidden > 0) box.prepend(topMarker(hidden));
  $("log-count").textContent = `${state.log.filter(e => e.dropped == null).length} lines kept`;
  if (atBottom) box.scrollTop = box.scrollHeight;
}

function updateFilterChoices() {
  const typeSelect = $("filter-type"), instanceSelect = $("filter-instance");
  const types = [...typeBodies.keys()];
  const names = [...instanceRows.keys()];
  syncOptions(typeSelect, types);
  const type = typeSelect.value;
  syncOptions(instanceSelect, ["system", ...names.filter(n => !type || n.startsWith(type + "."))]);
}

function syncOptions(select, values) {
  const current = [...select.options].slice(1).map(o => o.value);
  if (current.join("\n") === values.join("\n")) return;
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "", textContent: "all" }), ...values.map(v => el("option", { value: v, textContent: v })));
  select.value = values.includes(chosen) ? chosen : "";
}

// ---- the event stream ----

function connect() {
  const events = new EventSource("/api/events");
  const status = $("connection");
  events.onopen = () => { status.dataset.state = "live"; status.textContent = "live"; };
  events.onerror = () => { status.dataset.state = "lost"; status.textContent = "reconnecting"; };
  events.addEventListener("history", e => {
    // A new connection starts with the history and the recent lines again: start the log afresh.
    state.history = new Map(Object.entries(JSON.parse(e.data)).map(([name, s]) =>
      [name, { at: s.at, cpu: s.cpu, rss: s.rss, restarts: s.restarts }]));
    state.log = []; state.pendingLog = []; state.trimmed = 0;
    $("log").replaceChildren();
  });
  events.addEventListener("ps", e => {
    const frame = JSON.parse(e.data);
    if (frame.sample) for (const row of frame.processes) addSample(row, frame.at);
    renderTable(frame);
  });
  events.addEventListener("log", e => addLog(JSON.parse(e.data)));
}

// ---- search of the log files (on the server, across rotations) ----

function highlighted(text, ranges) {
  const line = [];
  let at = 0;
  for (const [start, length] of ranges) {
    if (start > at) line.push(text.slice(at, start));
    line.push(el("mark", { textContent: text.slice(start, start + length) }));
    at = start + length;
  }
  line.push(text.slice(at));
  return line;
}

async function search(e) {
  e.preventDefault();
  const params = new URLSearchParams();
  for (const [key, id] of [["q", "search-q"], ["since", "search-since"], ["until", "search-until"], ["target", "search-target"]]) {
    if ($(id).value.trim()) params.set(key, $(id).value.trim());
  }
  const results = $("search-results");
  $("search-count").textContent = "searching...";
  const response = await fetch(`/api/logs/search?${params}`);
  const answer = await response.json();
  results.replaceChildren();
  if (!response.ok) {
    results.append(el("div", { class: "error", textContent: answer.error }));
    $("search-count").textContent = "";
    return;
  }
  for (const hit of answer.hits) {
    results.append(el("div", { class: "line hit", "data-name": hit.n },
      el("span", { class: "t", textContent: new Date(hit.t).toLocaleString() }), " ",
      el("span", { class: "n", textContent: hit.n }), " | ", ...highlighted(hit.x, hit.m)));
  }
  $("search-count").textContent = `${answer.hits.length} line${answer.hits.length === 1 ? "" : "s"}${answer.hits.length >= 500 ? " (the newest 500)" : ""}`;
  results.scrollTop = results.scrollHeight;
}

async function start() {
  const session = await (await fetch("/api/session")).json();
  state.csrf = session.csrf;
  $("app").textContent = `${session.drover.root} \u00b7 pid ${session.drover.pid} \u00b7 v${session.drover.version}`;
  document.title = `Drover \u00b7 ${session.drover.root.split("/").pop()}`;
  for (const id of ["filter-type", "filter-instance", "filter-text"]) {
    $(id).addEventListener("input", () => { if (id === "filter-type") updateFilterChoices(); drawLog(true); });
  }
  $("log-filters").addEventListener("submit", e => e.preventDefault());
  $("log-pause").addEventListener("change", () => { if (!$("log-pause").checked) drawLog(false); });
  $("search").addEventListener("submit", search);
  $("log-clear").addEventListener("click", () => { state.log = []; state.trimmed = 0; drawLog(true); });
  connect();
}

start();
