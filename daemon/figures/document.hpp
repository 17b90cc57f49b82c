#pragma once

// The report rendered for people (issue 15): the `report` command's answers — exactly what
// `motcuactl report --json` prints, one answer per grouping ("by") of one period — turned
// into the tables a district's staff read, with Vietnamese headers: form II.06a, the on-time
// and QĐ 766 rates, satisfaction per field, officer and counter, the queue per service and
// per hour of the day. csv.hpp, xlsx.hpp and svg.hpp draw them. Pure: no I/O but the
// xlsx writer's private temporary file.

#include "util/result.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace motcua::figures
{

using json = nlohmann::json;

// The answers of one period and office, each with its own "by".
class Reports
{
  public:
    // Checks each answer's shape (from, to, by, office, and the sections queue, dossiers,
    // satisfaction each with total and rows) and that they share period and office.
    // Error code "bad_report", the message naming what is wrong.
    static Result<Reports> from(std::vector<json> answers);

    // The answer grouped by `by` ("field", "hour", ...), or nullptr.
    const json* by(std::string_view by) const;
    const std::string& office() const { return office_; }
    const std::string& from_date() const { return from_; } // YYYY-MM-DD
    const std::string& to_date() const { return to_; }

  private:
    std::vector<json> answers_;
    std::string office_, from_, to_;
};

enum class Kind
{
    text,
    count,   // a whole number
    percent, // a share 0..1, shown as a percentage
    minutes  // a duration in minutes, one decimal
};

struct Column
{
    std::string group; // the header above several columns ("Số hồ sơ đã giải quyết"), or ""
    std::string name;  // "Trả đúng hạn"
    Kind kind = Kind::count;
};

using Cell = std::variant<std::string, double>;

struct Table
{
    std::string sheet; // the workbook sheet's name (at most 31 characters)
    std::string title; // "Tình hình, kết quả giải quyết TTHC (Mẫu II.06a/VPCP/KSTT)"
    std::vector<Column> columns;
    std::vector<std::vector<Cell>> rows; // the last row is the total ("Tổng cộng")
    bool numbered = false; // the legal form numbers its columns (1), (2), ... under the header
};

struct Document
{
    std::string office;
    std::string from, to; // YYYY-MM-DD
    std::vector<Table> tables;
};

// The tables, in this order, each present when its grouping's answer is:
//   II.06a and rates grouped by `dossier_by` (field, procedure, officer, counter, service,
//   hour or none); satisfaction by field, officer, counter; the queue by service and hour.
Document document(const Reports& reports, std::string_view dossier_by = "field");

// The groupings `document` reads, `dossier_by` first, without repeats.
std::vector<std::string> groupings_for_document(std::string_view dossier_by);

// "Kỳ báo cáo: từ ngày 01/11/2026 đến ngày 30/11/2026"
std::string period_line(const std::string& from, const std::string& to);
// A file name for the period: "bao-cao-2026-11" (a whole month), "bao-cao-2026" (a whole
// year), else "bao-cao-2026-11-03-den-2026-11-17"; the caller adds the extension.
std::string file_stem(const std::string& from, const std::string& to);
// "12,5" for 12.5 at one decimal: Vietnamese write a decimal comma.
std::string decimal_vi(double value, int decimals = 1);

} // namespace motcua::figures
