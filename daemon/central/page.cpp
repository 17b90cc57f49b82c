#include "central/page.hpp"

#include "figures/csv.hpp"
#include "figures/document.hpp"
#include "figures/xlsx.hpp"
#include "util/text.hpp"

#include <algorithm>

namespace motcua::central
{

using json = nlohmann::json;

namespace
{

figures::Cell number(const json& j, const char* key) { return j.value(key, 0.0); }

std::vector<figures::Cell> row_cells(const std::string& key, const std::string& name, const json& dossiers,
                                     const json& queue, const json& votes)
{
    return {key,
            name,
            number(dossiers, "received_total"),
            number(dossiers, "received"),
            number(dossiers, "online_share"),
            number(dossiers, "resolved"),
            number(dossiers, "on_time_rate"),
            number(dossiers, "qd766_rate"),
            number(queue, "issued"),
            number(votes, "votes"),
            number(votes, "satisfied_share")};
}

} // namespace

Result<ReportFile> report_file(const json& report, const std::string& province, const std::string& format)
{
    using figures::Kind;
    figures::Table table;
    const auto by = report.value("by", std::string("site"));
    table.sheet = by == "site" ? "Xếp hạng các xã" : "Theo " + by;
    table.title = by == "site" ? "Kết quả giải quyết TTHC và mức độ hài lòng theo từng xã"
                               : "Kết quả giải quyết TTHC và mức độ hài lòng theo " + by;
    table.columns = {{"", by == "site" ? "Mã xã" : "Nhóm", Kind::text},
                     {"", by == "site" ? "Trung tâm" : "", Kind::text},
                     {"Hồ sơ", "Tổng số", Kind::count},
                     {"Hồ sơ", "Tiếp nhận trong kỳ", Kind::count},
                     {"Hồ sơ", "Tỷ lệ trực tuyến", Kind::percent},
                     {"Hồ sơ", "Đã giải quyết", Kind::count},
                     {"Hồ sơ", "Tỷ lệ đúng hạn", Kind::percent},
                     {"Hồ sơ", "Tỷ lệ QĐ 766", Kind::percent},
                     {"", "Số phiếu xếp hàng", Kind::count},
                     {"Đánh giá", "Số phiếu", Kind::count},
                     {"Đánh giá", "Tỷ lệ hài lòng", Kind::percent}};
    if (by == "site")
    {
        auto rows = report.value("rows", json::array());
        // The ranking: the QĐ 766 rate first, then what was received.
        std::stable_sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
            return a["dossiers"].value("qd766_rate", 0.0) > b["dossiers"].value("qd766_rate", 0.0);
        });
        for (const auto& r : rows)
            table.rows.push_back(row_cells(r.value("key", ""), r.value("name", ""), r["dossiers"], r["queue"],
                                           r["satisfaction"]));
    }
    else
    {
        // The groups of the three sections, each key once.
        std::map<std::string, std::array<json, 3>> groups;
        const char* sections[] = {"dossiers", "queue", "satisfaction"};
        for (int s = 0; s < 3; ++s)
            for (const auto& r : report[sections[s]].value("rows", json::array()))
                groups[r.value("key", "")][static_cast<std::size_t>(s)] = r;
        for (const auto& [key, g] : groups)
            table.rows.push_back(row_cells(key, "", g[0].is_null() ? json::object() : g[0],
                                           g[1].is_null() ? json::object() : g[1], g[2].is_null() ? json::object() : g[2]));
    }
    table.rows.push_back(row_cells("Tổng cộng", "", report["dossiers"]["total"], report["queue"]["total"],
                                   report["satisfaction"]["total"]));
    figures::Document doc;
    doc.office = province;
    doc.from = report.value("from", "");
    doc.to = report.value("to", "");
    doc.tables.push_back(std::move(table));
    const auto stem = "tinh-" + figures::file_stem(doc.from, doc.to) + (by == "site" ? "" : "-" + by);
    if (format == "csv")
        return ReportFile{stem + ".csv", "text/csv; charset=utf-8", figures::csv(doc)};
    auto book = figures::xlsx(doc);
    if (!book)
        return book.error();
    return ReportFile{stem + ".xlsx", figures::xlsx_content_type, std::move(*book)};
}

std::string report_page(const std::string& province)
{
    const auto title = text::escape_markup(province.empty() ? std::string("Tỉnh") : province);
    return R"html(<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline'">
<title>Báo cáo toàn tỉnh — )html" +
           title + R"html(</title>
<style>
body { font-family: "DejaVu Sans", sans-serif; margin: 1.5rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; }
form { display: flex; gap: 1rem; flex-wrap: wrap; align-items: end; margin-bottom: 1rem; }
label { display: flex; flex-direction: column; font-size: .9rem; }
input, select, button { font-size: 1rem; padding: .3rem .5rem; }
:focus { outline: 3px solid #0b57d0; outline-offset: 2px; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #999; padding: .25rem .5rem; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total { font-weight: bold; background: #eef; }
.bar { display: inline-block; height: .7rem; background: #3a7; vertical-align: middle; }
#alerts li { color: #a00; }
</style>
</head>
<body>
<h1>Báo cáo toàn tỉnh — )html" +
           title + R"html(</h1>
<form id="query">
  <label>Từ ngày <input type="date" name="from" id="from" required></label>
  <label>Đến ngày <input type="date" name="to" id="to" required></label>
  <label>Theo <select name="by" id="by">
    <option value="site">Từng xã (xếp hạng)</option>
    <option value="field">Lĩnh vực</option>
    <option value="procedure">Thủ tục</option>
  </select></label>
  <button type="submit">Xem báo cáo</button>
  <a id="csv" href="#">Tải CSV</a> <a id="xlsx" href="#">Tải .xlsx</a>
</form>
<p id="state" role="status" aria-live="polite"></p>
<section aria-labelledby="alerts-h"><h2 id="alerts-h">Cảnh báo</h2><ul id="alerts"></ul></section>
<section aria-labelledby="table-h"><h2 id="table-h">Kết quả</h2><div id="table"></div></section>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const pct = (x) => (100 * (x || 0)).toFixed(1).replace(".", ",") + " %";
function cell(tr, text, numeric) {
  const td = document.createElement("td");
  td.textContent = text;
  if (numeric) td.className = "n";
  tr.appendChild(td);
  return td;
}
function render(report) {
  const by = report.by;
  const table = document.createElement("table");
  const head = ["Mã / nhóm", "Trung tâm", "Hồ sơ", "Trực tuyến", "Đã giải quyết", "Đúng hạn", "QĐ 766", "Phiếu xếp hàng", "Hài lòng"];
  const tr0 = document.createElement("tr");
  for (const h of head) { const th = document.createElement("th"); th.scope = "col"; th.textContent = h; tr0.appendChild(th); }
  table.appendChild(tr0);
  let rows;
  if (by === "site") {
    rows = report.rows.slice().sort((a, b) => b.dossiers.qd766_rate - a.dossiers.qd766_rate);
  } else {
    const groups = new Map();
    for (const [section, list] of [["dossiers", report.dossiers.rows], ["queue", report.queue.rows], ["satisfaction", report.satisfaction.rows]])
      for (const r of list) { const g = groups.get(r.key) || {key: r.key, name: "", dossiers: {}, queue: {}, satisfaction: {}}; g[section] = r; groups.set(r.key, g); }
    rows = [...groups.values()].sort((a, b) => a.key.localeCompare(b.key, "vi"));
  }
  rows.push({key: "Tổng cộng", name: report.sites + " xã", dossiers: report.dossiers.total, queue: report.queue.total, satisfaction: report.satisfaction.total, total: true});
  for (const r of rows) {
    const tr = document.createElement("tr");
    if (r.total) tr.className = "total";
    tr.dataset.key = r.key;
    cell(tr, r.key); cell(tr, r.name || "");
    cell(tr, r.dossiers.received_total || 0, true);
    cell(tr, pct(r.dossiers.online_share), true);
    cell(tr, r.dossiers.resolved || 0, true);
    cell(tr, pct(r.dossiers.on_time_rate), true);
    const q = cell(tr, pct(r.dossiers.qd766_rate), true);
    const bar = document.createElement("span"); bar.className = "bar"; bar.style.width = (60 * (r.dossiers.qd766_rate || 0)) + "px"; bar.setAttribute("aria-hidden", "true");
    q.prepend(bar, " ");
    cell(tr, r.queue.issued || 0, true);
    cell(tr, pct(r.satisfaction.satisfied_share), true);
    table.appendChild(tr);
  }
  $("table").replaceChildren(table);
}
async function load() {
  const params = new URLSearchParams({from: $("from").value, to: $("to").value, by: $("by").value});
  $("csv").href = "/report.csv?" + params; $("xlsx").href = "/report.xlsx?" + params;
  $("state").textContent = "Đang tải…";
  const started = performance.now();
  const res = await fetch("/api/report?" + params);
  const body = await res.json();
  if (!res.ok) { $("state").textContent = "Lỗi: " + body.error.message; return; }
  render(body);
  $("state").textContent = "Đã tải (" + Math.round(performance.now() - started) + " ms).";
  document.body.dataset.loaded = "1";
  const alerts = await (await fetch("/api/alerts")).json();
  $("alerts").replaceChildren(...alerts.map((a) => { const li = document.createElement("li"); li.textContent = a.site + " — hàng " + a.seq + ": " + a.message + " (" + a.times + " lần)"; return li; }));
  if (!alerts.length) { const li = document.createElement("li"); li.textContent = "Không có cảnh báo."; li.style.color = "inherit"; $("alerts").replaceChildren(li); }
}
// This month so far, in the browser's own time zone (the province's).
const now = new Date();
const today = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
$("to").value = today;
$("from").value = today.slice(0, 8) + "01";
$("query").addEventListener("submit", (e) => { e.preventDefault(); load(); });
load();
</script>
</body>
</html>
)html";
}

} // namespace motcua::central
