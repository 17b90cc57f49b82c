// The supervisor's screen (docs/console.md, "The supervisor's screen").
//  - "Văn phòng lúc này": `status` (counters, waiting per service), `devices`, and today's
//    `report`, kept live over /api/v1/events (queue and device events);
//  - "Báo cáo": a period picker, the `report` command's figures as tables, charts and
//    downloads from `report.export`.
// Every figure comes from the server's commands; nothing is computed here but durations
// since a time the server gave and the presentation of numbers. Text goes into the page
// through textContent only; SVG charts through DOMParser, sanitised, then imported.

import { announce, api, el, events, requireRole, signOut } from "./console.js";

const $ = (role) => document.querySelector(`[data-role="${role}"]`);

// --- formatting ----------------------------------------------------------------------------

const intFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });
const pctFormat = new Intl.NumberFormat("vi-VN", { style: "percent", maximumFractionDigits: 1 });

function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) seconds = 0;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

function since(iso) {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? (Date.now() - t) / 1000 : NaN;
}

const counterStates = { closed: "Đóng", idle: "Đang mở, chưa gọi", serving: "Đang phục vụ", paused: "Tạm dừng" };
const deviceStates = {
  online: "Hoạt động", degraded: "Chập chờn", offline: "Mất kết nối", paper_out: "Hết giấy",
  paper_near_end: "Sắp hết giấy", cover_open: "Mở nắp", error: "Lỗi", unknown: "Chưa rõ",
};
const roleNames = { display: "Màn hình quầy", keypad: "Bàn phím", rating: "Bảng đánh giá", kiosk_panel: "Bảng nút kiosk" };

// A table cell holding a figure: the value as the server gave it in data-value (the tests
// compare it with `motcuactl report --json`), and formatted for people.
function figure(tag, key, value, kind = "int") {
  let text;
  if (value === undefined || value === null) text = "—";
  else if (kind === "pct") text = pctFormat.format(value);
  else if (kind === "dur") text = duration(value);
  else text = intFormat.format(value);
  return el(tag, { "data-field": key, "data-value": value === undefined || value === null ? "" : String(value) }, text);
}

function row(key, cells, header) {
  return el("tr", { "data-key": key }, el("th", { scope: "row" }, header), ...cells);
}

// --- tabs and shortcuts --------------------------------------------------------------------

function showTab(name, focus) {
  const reports = name === "reports";
  $("now").hidden = reports;
  $("reports").hidden = !reports;
  $("tab-now").setAttribute("aria-current", reports ? "false" : "page");
  $("tab-reports").setAttribute("aria-current", reports ? "page" : "false");
  if (focus) document.getElementById(reports ? "reports-heading" : "now-heading").focus();
}

// #now, #reports, or #reports/2025-01-01/2025-12-31 (a bookmark of a period).
function route() {
  const [tab, from, to] = location.hash.replace(/^#/, "").split("/");
  showTab(tab === "reports" ? "reports" : "now", false);
  if (tab === "reports" && from && to) {
    $("from").value = from;
    $("to").value = to;
    showReport();
  }
}

function shortcuts(event) {
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  const key = event.key.toLowerCase();
  if (key === "1") location.hash = "#now";
  else if (key === "2") location.hash = "#reports";
  else if (key === "r") {
    if ($("reports").hidden) location.hash = "#reports";
    $("period").requestSubmit();
  }
  else if (key === "q") signOut();
  else return;
  event.preventDefault();
}

// --- the office now ------------------------------------------------------------------------

let status = null;
let deviceList = null;
let today = null;

function renderCounters() {
  const body = $("counters").tBodies[0];
  body.replaceChildren(...status.counters.map((c) => {
    const t = c.ticket;
    const state = c.state === "paused" && c.pause_reason !== undefined
      ? `${counterStates.paused} (lý do ${c.pause_reason})` : (counterStates[c.state] || c.state);
    return el("tr", { "data-key": String(c.number), "data-state": c.state },
      el("th", { scope: "row" }, `Quầy ${c.number}`),
      el("td", { "data-field": "officer" }, c.officer || "—"),
      el("td", { "data-field": "state" }, state),
      el("td", { "data-field": "ticket" }, t ? t.label : "—"),
      el("td", { "data-field": "held", "data-since": t && t.called_at ? t.called_at : "" }, t && t.called_at ? duration(since(t.called_at)) : "—"),
      el("td", { "data-field": "waiting" }, intFormat.format(c.waiting)));
  }));
}

function renderWaiting() {
  const body = $("waiting").tBodies[0];
  body.replaceChildren(...status.services.map((s) => {
    // The longest wait is the earliest issued of the tickets still waiting.
    let oldest = null;
    for (const t of s.waiting) if (!oldest || Date.parse(t.issued_at) < Date.parse(oldest.issued_at)) oldest = t;
    return el("tr", { "data-key": s.id },
      el("th", { scope: "row" }, s.name),
      el("td", { "data-field": "count" }, intFormat.format(s.waiting.length)),
      el("td", { "data-field": "oldest" }, oldest ? oldest.label : "—"),
      el("td", { "data-field": "longest", "data-since": oldest ? oldest.issued_at : "" }, oldest ? duration(since(oldest.issued_at)) : "—"));
  }));
}

// The held and waiting times move on every second without asking the server.
function tick() {
  for (const cell of document.querySelectorAll("[data-since]")) {
    if (cell.dataset.since) cell.textContent = duration(since(cell.dataset.since));
  }
}

function renderDevices() {
  const rows = [];
  for (const bus of deviceList.buses || []) {
    for (const d of bus.devices || []) {
      rows.push(el("tr", { "data-key": `${bus.name}/${d.name}`, "data-state": d.state },
        el("th", { scope: "row" }, d.name),
        el("td", {}, roleNames[d.role] || d.role),
        el("td", {}, `${bus.name}, địa chỉ ${d.slave}`),
        el("td", { "data-field": "state", class: `state ${d.state}` }, deviceStates[d.state] || d.state),
        el("td", {}, d.last_error || "")));
    }
  }
  for (const p of deviceList.printers || []) {
    rows.push(el("tr", { "data-key": `printer/${p.name}`, "data-state": p.state },
      el("th", { scope: "row" }, p.name),
      el("td", {}, "Máy in"),
      el("td", {}, p.kiosks && p.kiosks.length ? `Kiosk ${p.kiosks.join(", ")}` : p.address || ""),
      el("td", { "data-field": "state", class: `state ${p.state}` }, deviceStates[p.state] || p.state),
      el("td", {}, p.reason || "")));
  }
  if (rows.length === 0) rows.push(el("tr", {}, el("td", { colspan: "5" }, "Cấu hình không có thiết bị nào.")));
  $("devices").tBodies[0].replaceChildren(...rows);
}

function renderToday() {
  const q = today.queue.total;
  const d = today.dossiers.total;
  const s = today.satisfaction.total;
  const items = [
    ["Số đã cấp", "issued", q.issued, "int"],
    ["Đã phục vụ", "served", q.served, "int"],
    ["Vắng mặt", "no_show", q.no_show, "int"],
    ["Chờ trung bình", "wait_mean_s", q.wait.mean_s, "dur"],
    ["Phục vụ trung bình", "service_mean_s", q.service.mean_s, "dur"],
    ["Hồ sơ tiếp nhận", "received", d.received, "int"],
    ["Hồ sơ đã giải quyết", "resolved", d.resolved, "int"],
    ["Lượt đánh giá", "votes", s.votes, "int"],
    ["Tỉ lệ hài lòng", "satisfied_share", s.satisfied_share, "pct"],
  ];
  $("today").replaceChildren(...items.flatMap(([label, key, value, kind]) =>
    [el("dt", {}, label), figure("dd", key, value, kind)]));
}

function todayDate() {
  if (status && status.business_day) return status.business_day;
  return localDate(new Date());
}

async function loadStatus() {
  status = await api("status", {});
  $("office").textContent = status.office;
  renderCounters();
  renderWaiting();
  $("updated").textContent = `cập nhật ${new Date().toLocaleTimeString("vi-VN")}`;
}

async function loadDevices() {
  deviceList = await api("devices", {});
  renderDevices();
}

// The upload of the journal to the province's central service ([central], docs/central.md).
function renderCentral(c) {
  let text;
  if (!c.enabled) text = "Không gửi (chưa cấu hình [central]).";
  else if (c.state === "up_to_date") text = "Đã gửi đủ (đến hàng " + c.acknowledged + ").";
  else if (c.state === "retrying")
    text = c.waiting + " hàng chờ gửi. Lỗi: " + c.last_error + (c.since_success_s != null
      ? " — lần gửi được gần nhất " + duration(c.since_success_s) + " trước." : " — chưa gửi được lần nào.");
  else text = c.waiting + " hàng đang gửi.";
  $("central").textContent = text;
  $("central").dataset.state = c.enabled ? c.state : "off";
}

async function loadCentral() {
  renderCentral(await api("central.status", {}));
}

async function loadToday() {
  const day = todayDate();
  today = await api("report", { from: day, to: day });
  renderToday();
  await loadCentral();
}

// Live: a queue event refreshes the status at once (coalesced) and today's figures at most
// every few seconds; a device event refreshes the device list.
function coalesce(load, wait) {
  let timer = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      load().catch(failed);
    }, wait);
  };
}

const refreshStatus = coalesce(loadStatus, 100);
const refreshToday = coalesce(loadToday, 3000);
const refreshDevices = coalesce(loadDevices, 200);
// A line that goes down brings no queue event: the upload's state is asked every 15 s too.
setInterval(() => loadCentral().catch(() => {}), 15000);

// console.js's events(): {type: "hello" | "queue" | "devices" | "reload", id, data}.
function onEvent(message) {
  if (message.type === "devices") refreshDevices();
  else if (message.type === "queue") {
    refreshStatus();
    refreshToday();
  } else if (message.type === "hello" || message.type === "reload") {
    // A stream (re)opened: what happened before it is read afresh, nothing falls between.
    refreshStatus();
    refreshDevices();
    refreshToday();
  }
}

function failed(e) {
  announce(`Lỗi: ${e.message || e}`, "error");
}

// --- reports -------------------------------------------------------------------------------

function localDate(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

// [first day, last day] of a named period around today.
function periodOf(name, now = new Date()) {
  const y = now.getFullYear();
  const m = now.getMonth();
  const q = Math.floor(m / 3) * 3;
  const span = (y1, m1, y2, m2) => [new Date(y1, m1, 1), new Date(y2, m2 + 1, 0)];
  switch (name) {
    case "month": return span(y, m, y, m);
    case "last-month": return span(y, m - 1, y, m - 1);
    case "quarter": return span(y, q, y, q + 2);
    case "last-quarter": return span(y, q - 3, y, q - 1);
    case "year": return span(y, 0, y, 11);
    case "last-year": return span(y - 1, 0, y - 1, 11);
  }
  return null;
}

let shown = null; // {from, to} of the report on screen

function dossierCells(c) {
  return [
    figure("td", "received_total", c.received_total),
    figure("td", "carried_over", c.carried_over),
    figure("td", "received_online", c.received_online),
    figure("td", "received_direct_postal", c.received_direct_postal),
    figure("td", "resolved", c.resolved),
    figure("td", "early", c.early),
    figure("td", "on_time", c.on_time),
    figure("td", "late", c.late),
    figure("td", "in_progress", c.in_progress),
    figure("td", "within_due", c.within_due),
    figure("td", "over_due", c.over_due),
    figure("td", "on_time_rate", c.on_time_rate, "pct"),
    figure("td", "qd766_rate", c.qd766_rate, "pct"),
    figure("td", "online_share", c.online_share, "pct"),
  ];
}

function renderII06a(report) {
  const d = report.dossiers;
  const rows = d.rows.map((r) => row(r.key, dossierCells(r), r.key || "(không rõ lĩnh vực)"));
  const total = row("", dossierCells(d.total), "Tổng cộng");
  total.setAttribute("data-total", "");
  total.classList.add("total");
  $("ii06a").tBodies[0].replaceChildren(...rows, total);
}

function renderRates(report) {
  const d = report.dossiers.total;
  const s = report.satisfaction.total;
  const items = [
    ["Tỉ lệ giải quyết đúng hạn", "on_time_rate", d.on_time_rate],
    ["Tỉ lệ theo QĐ 766", "qd766_rate", d.qd766_rate],
    ["Tỉ lệ hồ sơ trực tuyến", "online_share", d.online_share],
    ["Tỉ lệ hài lòng", "satisfied_share", s.satisfied_share],
  ];
  $("rates").replaceChildren(...items.flatMap(([label, key, value]) =>
    [el("dt", {}, label), figure("dd", key, value, "pct")]));
}

function table(role, caption, headers, rows) {
  return el("table", { "data-role": role },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows));
}

const satisfactionHeaders = ["Lượt đánh giá", "Rất hài lòng", "Hài lòng", "Không hài lòng", "Tỉ lệ hài lòng"];

function satisfactionCells(c) {
  return [
    figure("td", "votes", c.votes), figure("td", "very_satisfied", c.very_satisfied),
    figure("td", "satisfied", c.satisfied), figure("td", "dissatisfied", c.dissatisfied),
    figure("td", "satisfied_share", c.satisfied_share, "pct"),
  ];
}

function groupedRows(part, cells, label) {
  const rows = part.rows.map((r) => row(r.key, cells(r), label(r.key)));
  const total = row("", cells(part.total), "Tổng cộng");
  total.setAttribute("data-total", "");
  total.classList.add("total");
  return [...rows, total];
}

function renderSatisfaction(byField, byOfficer, byCounter) {
  $("satisfaction").replaceChildren(
    table("satisfaction-field", "Theo lĩnh vực", ["Lĩnh vực", ...satisfactionHeaders],
      groupedRows(byField.satisfaction, satisfactionCells, (k) => k || "(không rõ)")),
    table("satisfaction-officer", "Theo cán bộ", ["Cán bộ", ...satisfactionHeaders],
      groupedRows(byOfficer.satisfaction, satisfactionCells, (k) => k || "(không rõ)")),
    table("satisfaction-counter", "Theo quầy", ["Quầy", ...satisfactionHeaders],
      groupedRows(byCounter.satisfaction, satisfactionCells, (k) => (k ? `Quầy ${k}` : "(không rõ)"))));
}

const queueHeaders = ["Số đã cấp", "Đã phục vụ", "Vắng mặt", "Chờ trung bình", "Chờ (90 %)",
  "Phục vụ trung bình", "Phục vụ (90 %)"];

function queueCells(c) {
  return [
    figure("td", "issued", c.issued), figure("td", "served", c.served), figure("td", "no_show", c.no_show),
    figure("td", "wait_mean_s", c.wait.mean_s, "dur"), figure("td", "wait_p90_s", c.wait.p90_s, "dur"),
    figure("td", "service_mean_s", c.service.mean_s, "dur"), figure("td", "service_p90_s", c.service.p90_s, "dur"),
  ];
}

function hourLabel(key) {
  const h = Number.parseInt(key, 10);
  return Number.isFinite(h) ? `${String(h).padStart(2, "0")}:00–${String(h + 1).padStart(2, "0")}:00` : key || "(không rõ)";
}

function renderQueue(byService, byHour, services) {
  const names = new Map((services || []).map((s) => [s.id, s.name]));
  const parts = [table("queue-service", "Theo dịch vụ", ["Dịch vụ", ...queueHeaders],
    groupedRows(byService.queue, queueCells, (k) => names.get(k) || k || "(không rõ)"))];
  if (byHour) {
    parts.push(table("queue-hour", "Theo giờ trong ngày", ["Giờ", ...queueHeaders],
      groupedRows(byHour.queue, queueCells, hourLabel)));
  }
  $("queue").replaceChildren(...parts);
}

async function showReport() {
  const from = $("from").value;
  const to = $("to").value;
  if (!from || !to) {
    announce("Hãy chọn ngày bắt đầu và ngày kết thúc của kỳ báo cáo.");
    return;
  }
  if (from > to) {
    announce("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.");
    $("from").focus();
    return;
  }
  const box = $("report");
  box.setAttribute("aria-busy", "true");
  announce(`Đang lập báo cáo từ ${from} đến ${to}…`);
  try {
    // One command: the daemon reads the period once for every grouping.
    const answer = await api("report", { from, to, by: ["field", "officer", "counter", "service", "hour"] });
    const [byField, byOfficer, byCounter, byService, byHour] = answer.reports;
    shown = { from, to };
    $("report-title").textContent = `${byField.office}: từ ${from} đến ${to}`;
    renderRates(byField);
    renderII06a(byField);
    renderSatisfaction(byField, byOfficer, byCounter);
    renderQueue(byService, byHour, status && status.services);
    for (const b of document.querySelectorAll(".downloads button")) b.disabled = false;
    box.dataset.from = from;
    box.dataset.to = to;
    performance.mark(`motcua:report-shown:${from}:${to}`);
    box.setAttribute("aria-busy", "false");
    announce(`Đã lập báo cáo từ ${from} đến ${to}.`);
    const bookmark = `#reports/${from}/${to}`;
    if (location.hash !== bookmark) history.replaceState(null, "", bookmark);
    loadCharts(from, to);
  } catch (e) {
    box.setAttribute("aria-busy", "false");
    failed(e);
  }
}

// --- downloads and charts (report.export) --------------------------------------------------

function bytesOf(answer) {
  if (typeof answer.base64 === "string") {
    const raw = atob(answer.base64);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; ++i) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  return new TextEncoder().encode(answer.text || "");
}

async function download(format) {
  if (!shown) return;
  try {
    const answer = await api("report.export", { from: shown.from, to: shown.to, format });
    const blob = new Blob([bytesOf(answer)], { type: answer.content_type || "application/octet-stream" });
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: answer.filename || `bao-cao.${format}`, hidden: "" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    announce(`Đã tải ${answer.filename || format}.`);
  } catch (e) {
    if (e.code === "unknown_command") announce("Máy chủ này chưa xuất được tệp báo cáo.");
    else failed(e);
  }
}

// An SVG drawn by the server, made inert: no scripts, no foreign content, no event
// handlers, no links out. Parsed as XML, never as HTML.
function chartNode(svgText) {
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const svg = doc.documentElement;
  if (!svg || svg.localName !== "svg" || doc.getElementsByTagName("parsererror").length) return null;
  for (const bad of [...svg.querySelectorAll("script, foreignObject, iframe, object, embed")]) bad.remove();
  for (const node of [svg, ...svg.querySelectorAll("*")]) {
    for (const attr of [...node.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) node.removeAttribute(attr.name);
      else if ((name === "href" || name === "xlink:href") && !attr.value.startsWith("#")) node.removeAttribute(attr.name);
    }
  }
  return document.importNode(svg, true);
}

const charts = [
  ["dossiers", "Hồ sơ theo lĩnh vực"],
  ["satisfaction", "Mức độ hài lòng"],
  ["hourly", "Thời gian chờ theo giờ"],
];

async function loadCharts(from, to) {
  const box = $("charts");
  box.replaceChildren();
  for (const [chart, title] of charts) {
    let answer;
    try {
      answer = await api("report.export", { from, to, format: "svg", chart });
    } catch (e) {
      if (e.code === "unknown_command") {
        box.replaceChildren(el("p", {}, "Máy chủ này chưa vẽ được biểu đồ."));
        return;
      }
      continue; // a chart this server does not draw
    }
    if (shown && (shown.from !== from || shown.to !== to)) return; // another period meanwhile
    const svg = chartNode(answer.text || "");
    if (!svg) continue;
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", title);
    box.append(el("figure", { "data-chart": chart }, svg, el("figcaption", {}, title)));
  }
}

// --- start ---------------------------------------------------------------------------------

async function start() {
  const user = await requireRole("supervisor", "admin");
  if (!user) return;
  $("user").textContent = `${user.user} (${user.role === "admin" ? "quản trị" : "giám sát"})`;
  $("logout").addEventListener("click", signOut);
  document.addEventListener("keydown", shortcuts);
  window.addEventListener("hashchange", () => {
    const [tab] = location.hash.replace(/^#/, "").split("/");
    showTab(tab === "reports" ? "reports" : "now", true);
  });
  for (const b of document.querySelectorAll("[data-period]")) {
    b.addEventListener("click", () => {
      const [from, to] = periodOf(b.dataset.period);
      $("from").value = localDate(from);
      $("to").value = localDate(to);
      $("period").requestSubmit();
    });
  }
  $("period").addEventListener("submit", (e) => {
    e.preventDefault();
    showReport();
  });
  for (const b of document.querySelectorAll(".downloads button")) b.addEventListener("click", () => download(b.dataset.format));
  const [from, to] = periodOf("month");
  $("from").value = localDate(from);
  $("to").value = localDate(to);

  // The office now first: the supervisor sees the screen filled before anything else loads.
  await Promise.all([loadStatus(), loadDevices()]).catch(failed);
  document.body.dataset.ready = "now";
  performance.mark("motcua:now-shown"); // the load time the tests print
  events(["queue", "devices"], onEvent);
  setInterval(tick, 1000);
  route();
  await loadToday().catch(failed);
  document.body.dataset.ready = "all";
}

start().catch(failed);
