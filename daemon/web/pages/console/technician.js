// The technician's screen (docs/console.md, "The technician's screen"): devices by bus
// with their state, counters and last error (`devices`, live over /api/v1/events), the
// tools (display.test, print-test, bus.scan, a keypad watch on the key events) and the
// configuration (config.show: the running one; config.check: the file on disk through
// motcuad's validator). Every command is authorised on the server (Access::devices).

import { announce, api, el, events, requireRole, signOut } from "./console.js";

const $ = (role) => document.querySelector(`[data-role="${role}"]`);

const deviceStates = {
  online: "Hoạt động", degraded: "Chập chờn", offline: "Mất kết nối", paper_out: "Hết giấy",
  paper_near_end: "Sắp hết giấy", cover_open: "Mở nắp", error: "Lỗi", unknown: "Chưa rõ",
};
const roleNames = { display: "Màn hình quầy", keypad: "Bàn phím", rating: "Bảng đánh giá", kiosk_panel: "Bảng nút kiosk" };
const keyNames = {
  next: "Gọi số tiếp", recall: "Gọi lại", "no-show": "Vắng mặt", transfer: "Chuyển", pause: "Tạm dừng",
  resume: "Tiếp tục", done: "Xong",
};

let deviceList = null;
let keyWatch = null; // the keypad watch's timer while it runs

function failed(e) {
  announce(`Lỗi: ${e.message || e}`, "error");
}

function cell(field, value) {
  return el("td", { "data-field": field }, value === null || value === undefined ? "—" : String(value));
}

// --- devices -------------------------------------------------------------------------------

function busTable(bus) {
  const link = bus.open ? "đang mở" : `không mở được${bus.error ? `: ${bus.error}` : ""}`;
  return el("table", { "data-role": "bus", "data-bus": bus.name },
    el("caption", {}, `${bus.name} (${bus.device}) – ${link}`),
    el("thead", {}, el("tr", {}, ...["Thiết bị", "Địa chỉ", "Loại", "Quầy", "Trạng thái", "Lỗi gần nhất", "Yêu cầu",
      "Quá giờ", "Lỗi CRC", "Lỗi khác", "Trả lời TB (ms)", "Phần mềm"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...(bus.devices || []).map((d) => el("tr", { "data-key": d.name, "data-state": d.state },
      el("th", { scope: "row" }, d.name),
      cell("slave", d.slave),
      cell("role", roleNames[d.role] || d.role),
      cell("where", counterOf(d.name)),
      el("td", { "data-field": "state", class: `state ${d.state}` }, deviceStates[d.state] || d.state),
      cell("last_error", d.last_error || ""),
      cell("requests", d.requests),
      cell("timeouts", d.timeouts),
      cell("crc_errors", d.crc_errors),
      cell("other_errors", d.other_errors),
      cell("mean_reply_ms", typeof d.mean_reply_ms === "number" ? d.mean_reply_ms.toFixed(1) : d.mean_reply_ms),
      cell("firmware", d.firmware)))));
}

// The counter or kiosk of a device, from the running config (config.show).
let configDevices = new Map();
function counterOf(name) {
  const d = configDevices.get(name);
  if (!d) return "";
  return d.kiosk !== undefined ? `Kiosk ${d.kiosk}` : `Quầy ${d.counter}`;
}

function renderDevices() {
  const buses = deviceList.buses || [];
  $("buses").replaceChildren(...(buses.length ? buses.map(busTable) : [el("p", {}, "Cấu hình không có đường truyền RS-485 nào.")]));
  const printers = deviceList.printers || [];
  $("printers").tBodies[0].replaceChildren(...printers.map((p) => el("tr", { "data-key": p.name, "data-state": p.state },
    el("th", { scope: "row" }, p.name),
    cell("address", `${p.transport} ${p.address}`),
    cell("profile", p.profile),
    el("td", { "data-field": "state", class: `state ${p.state}` }, deviceStates[p.state] || p.state),
    cell("reason", p.reason || ""),
    cell("jobs_printed", p.counters ? p.counters.jobs_printed : null),
    cell("jobs_failed", p.counters ? p.counters.jobs_failed : null),
    cell("kiosks", (p.kiosks || []).join(", ")))));
  $("updated").textContent = `cập nhật ${new Date().toLocaleTimeString("vi-VN")}`;
  fillSelect($("scan-bus"), buses.map((b) => [b.name, b.name]));
  fillSelect($("test-printer"), printers.map((p) => [p.name, p.name]));
}

function fillSelect(select, options) {
  const keep = select.value;
  select.replaceChildren(...options.map(([value, text]) => el("option", { value }, text)));
  if (options.some(([value]) => value === keep)) select.value = keep;
}

async function loadDevices() {
  deviceList = await api("devices", {});
  renderDevices();
}

let pending = null;
function refreshSoon() {
  if (pending) return;
  pending = setTimeout(() => {
    pending = null;
    loadDevices().catch(failed);
  }, 200);
}

// --- tools ---------------------------------------------------------------------------------

async function busy(form, run) {
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    await run();
  } catch (e) {
    failed(e);
  } finally {
    button.disabled = false;
  }
}

async function displayTest() {
  const counter = Number.parseInt($("display-counter").value, 10);
  $("display-result").textContent = "Đang thử…";
  try {
    const r = await api("display.test", { counter });
    const text = `Màn hình ${r.device} của quầy ${r.counter} đã hiện 8888, nhấp nháy và ----.`;
    $("display-result").textContent = text;
    announce(text);
  } catch (e) {
    $("display-result").textContent = e.message;
    throw e;
  }
}

async function printTest() {
  const printer = $("test-printer").value;
  $("print-result").textContent = "Đang in…";
  try {
    const r = await api("print-test", { printer });
    const text = `Đã gửi trang thử tới ${r.printer} (${r.profile}, ${r.bytes} byte).`;
    $("print-result").textContent = text;
    announce(text);
  } catch (e) {
    $("print-result").textContent = e.message;
    throw e;
  }
}

async function busScan() {
  const bus = $("scan-bus").value;
  const first = Number.parseInt($("scan-first").value, 10);
  const last = Number.parseInt($("scan-last").value, 10);
  $("scan-result").replaceChildren(el("p", {}, `Đang dò ${bus}, địa chỉ ${first}–${last}…`));
  const r = await api("bus.scan", { bus, first, last });
  const rows = r.found.map((f) => el("tr", { "data-key": String(f.slave) },
    el("th", { scope: "row" }, String(f.slave)),
    cell("role", f.role_name ? roleNames[f.role_name] || f.role_name : f.role),
    cell("firmware", f.firmware),
    cell("note", f.note)));
  $("scan-result").replaceChildren(el("table", { "data-role": "scan-table" },
    el("caption", {}, `${r.bus}, địa chỉ ${r.first}–${r.last}: ${r.found.length} thiết bị trả lời`),
    el("thead", {}, el("tr", {}, ...["Địa chỉ", "Loại", "Phần mềm", "Ghi chú"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows)));
  announce(`Dò xong ${r.bus}: ${r.found.length} thiết bị trả lời.`);
}

// The keypad watch: the key events the daemon handled since the watch began (keys.recent
// reads the journal's device.key rows: accepted and refused keys), newest first. It asks
// every half second while it runs; a technician watches a key or two, then stops it.
let keysAfter = null;

function outcomeText(outcome) {
  return outcome === "ok" ? "được nhận" : `bị từ chối: ${outcome}`;
}

function showKey(k) {
  const where = k.counter !== undefined ? `Quầy ${k.counter}` : k.kiosk !== undefined ? `Kiosk ${k.kiosk}` : "";
  const body = $("keys").tBodies[0];
  body.prepend(el("tr", { "data-key": String(k.seq) },
    cell("time", new Date(k.at).toLocaleTimeString("vi-VN")),
    cell("device", `${k.bus}/${k.device}`),
    cell("where", where),
    cell("key", keyNames[k.key_name] || k.key_name || k.key),
    cell("outcome", outcomeText(k.outcome))));
  while (body.rows.length > 50) body.deleteRow(body.rows.length - 1);
}

let polling = false; // one question at a time: rows are never shown twice
async function pollKeys() {
  if (polling) return;
  polling = true;
  try {
    const r = await api("keys.recent", keysAfter === null ? {} : { after: keysAfter });
    if (!keyWatch) return;
    if (keysAfter !== null) r.keys.forEach(showKey);
    keysAfter = r.last_seq;
  } finally {
    polling = false;
  }
}

function toggleKeys() {
  const button = $("keys-toggle");
  if (keyWatch) {
    clearInterval(keyWatch);
    keyWatch = null;
    button.setAttribute("aria-pressed", "false");
    button.firstChild.textContent = "Bắt đầu theo dõi ";
    announce("Đã dừng theo dõi bàn phím.");
    return;
  }
  keysAfter = null;
  keyWatch = setInterval(() => pollKeys().catch(failed), 500);
  pollKeys().catch(failed);
  button.setAttribute("aria-pressed", "true");
  button.firstChild.textContent = "Dừng theo dõi ";
  announce("Đang theo dõi bàn phím: bấm một phím trên thiết bị.");
}

// --- configuration -------------------------------------------------------------------------

function definitionList(entries) {
  return el("dl", { class: "figures" }, ...entries.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v === null || v === undefined || v === "" ? "—" : String(v))]));
}

function listTable(caption, rows, columns) {
  return el("table", {},
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...columns.map(([, title]) => el("th", { scope: "col" }, title)))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...columns.map(([key]) => cell(key, Array.isArray(r[key]) ? r[key].join(", ") : r[key]))))));
}

function renderConfig(c) {
  $("config-file").textContent = c.file;
  configDevices = new Map(c.devices.devices.map((d) => [d.name, d]));
  const web = c.web;
  $("config-view").replaceChildren(
    el("h4", {}, "Văn phòng"),
    definitionList([["Tên", c.office.name], ["Mã đơn vị", c.office.unit_code], ["Múi giờ", c.office.timezone],
      ["Giờ làm việc", c.office.hours], ["Sang ngày mới lúc", c.office.day_cutoff]]),
    el("h4", {}, "Xếp hàng"),
    definitionList([["Cách gọi", c.rules.policy], ["Số thường xen giữa số ưu tiên", c.rules.interleave_normal],
      ["Gọi lại tối đa", c.rules.recall_limit], ["Nhận lại số vắng mặt trong (phút)", c.rules.readmit_tolerance_minutes]]),
    listTable("Dịch vụ", c.services, [["id", "Mã"], ["number", "Số"], ["name", "Tên"], ["field", "Lĩnh vực"],
      ["prefix", "Tiền tố"], ["first", "Từ số"], ["last", "Đến số"], ["daily_cap", "Giới hạn/ngày"]]),
    listTable("Quầy", c.counters, [["number", "Số"], ["name", "Tên"], ["services", "Dịch vụ"]]),
    listTable("Đường truyền RS-485", c.devices.buses, [["name", "Tên"], ["device", "Cổng"], ["baud", "Tốc độ"],
      ["parity", "Chẵn lẻ"], ["stop_bits", "Bit dừng"], ["response_timeout_ms", "Chờ trả lời (ms)"],
      ["heartbeat_period_ms", "Nhịp (ms)"], ["host_watchdog_s", "Giám sát (s)"]]),
    listTable("Thiết bị", c.devices.devices, [["name", "Tên"], ["bus", "Đường truyền"], ["slave", "Địa chỉ"],
      ["role", "Loại"], ["counter", "Quầy"], ["kiosk", "Kiosk"], ["profile", "Mẫu"]]),
    listTable("Máy in", c.printing.printers, [["name", "Tên"], ["transport", "Kết nối"], ["address", "Địa chỉ"],
      ["profile", "Mẫu"], ["baud", "Tốc độ"]]),
    listTable("Kiosk", c.printing.kiosks, [["id", "Mã"], ["printer", "Máy in"], ["fallback_printer", "Máy in dự phòng"],
      ["services", "Dịch vụ"]]),
    el("h4", {}, "Sổ hồ sơ"),
    definitionList([["Cơ sở dữ liệu", c.register.database], ["Lịch làm việc", c.register.calendar_dir],
      ["Số thủ tục", c.register.procedures], ["Máy in biểu mẫu", c.register.forms_printer]]),
    el("h4", {}, "Gọi số bằng giọng nói"),
    definitionList([["Bật", c.voice.enabled ? "có" : "không"], ["Giọng", c.voice.espeak_voice],
      ["Bộ âm thanh", c.voice.clips_dir], ["Thiết bị âm thanh", c.voice.alsa_device]]),
    el("h4", {}, "Trang web"),
    web ? definitionList([["Nghe tại", web.listen.join(", ")], ["Địa chỉ công khai", web.public_url],
      ["Màn hình", web.screens.join(", ")]]) : el("p", {}, "Không có mục [web]."));
}

async function configCheck() {
  const box = $("check-result");
  box.replaceChildren(el("p", {}, "Đang kiểm tra…"));
  const r = await api("config.check", {});
  if (r.ok) {
    box.replaceChildren(el("p", { "data-role": "check-ok" },
      `${r.file}: hợp lệ (${r.services} dịch vụ, ${r.counters} quầy). Nạp lại bằng systemctl reload motcuad.`));
    announce("Tệp cấu hình hợp lệ.");
  } else {
    box.replaceChildren(
      el("p", {}, `${r.file}: ${r.diagnostics.length} lỗi. Máy chủ vẫn chạy cấu hình cũ cho đến khi sửa xong.`),
      el("ol", { class: "diagnostics", "data-role": "diagnostics" },
        ...r.diagnostics.map((d) => el("li", {}, d.text))));
    announce(`Tệp cấu hình có ${r.diagnostics.length} lỗi.`);
  }
}

// --- start ---------------------------------------------------------------------------------

function shortcuts(event) {
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  const key = event.key.toLowerCase();
  const jump = { 1: "devices-heading", 2: "tools-heading", 3: "config-heading" }[key];
  if (jump) document.getElementById(jump).focus();
  else if (key === "l") loadDevices().catch(failed);
  else if (key === "k") toggleKeys();
  else if (key === "c") configCheck().catch(failed);
  else if (key === "q") signOut();
  else return;
  event.preventDefault();
}

async function start() {
  const user = await requireRole("technician", "admin");
  if (!user) return;
  $("user").textContent = `${user.user} (${user.role === "admin" ? "quản trị" : "kỹ thuật"})`;
  $("logout").addEventListener("click", signOut);
  document.addEventListener("keydown", shortcuts);
  $("refresh").addEventListener("click", () => loadDevices().catch(failed));
  $("keys-toggle").addEventListener("click", toggleKeys);
  $("config-check").addEventListener("click", () => configCheck().catch(failed));
  const forms = [["display-test", displayTest], ["print-test", printTest], ["bus-scan", busScan]];
  for (const [role, run] of forms) {
    const form = $(role);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      busy(form, run);
    });
  }

  const config = await api("config.show", {});
  renderConfig(config);
  $("office").textContent = config.office.name;
  const displays = config.devices.devices.filter((d) => d.role === "display");
  fillSelect($("display-counter"), displays.map((d) => [String(d.counter), `Quầy ${d.counter} (${d.name})`]));
  await loadDevices();
  document.body.dataset.ready = "all";
  performance.mark("motcua:devices-shown"); // the load time the tests print
  events(["devices"], (message) => {
    // hello: the stream (re)opened; what changed before it is read afresh.
    if (message.type === "devices" || message.type === "hello" || message.type === "reload") refreshSoon();
  });
  // The counters (requests, errors) move without state changes: a slow refresh for them.
  setInterval(() => loadDevices().catch(failed), 10000);
}

start().catch(failed);
