#pragma once

// The province's report for people: the page (served from the central itself, nothing
// from the internet, usable with the keyboard alone) and the same figures as a CSV or .xlsx
// file, drawn by the box's own figure writers (daemon/figures).

#include "util/result.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace motcua::central
{

// The whole page: a form (from, to, grouping) and the tables it fetches from /api/report.
std::string report_page(const std::string& province);

struct ReportFile
{
    std::string filename;
    std::string content_type;
    std::string body;
};

// `report`: province_report's answer; `format`: "csv" or "xlsx". One table: a row per site
// (ranked by the QĐ 766 rate) or per group, and the province's total.
Result<ReportFile> report_file(const nlohmann::json& report, const std::string& province, const std::string& format);

} // namespace motcua::central
