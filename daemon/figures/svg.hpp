#pragma once

// The report's charts as SVG drawn on the box: plain strings, no script, nothing loaded
// from elsewhere. Each chart has a viewBox sized to its data, role="img" with a <title> and
// a <desc> that states every figure drawn (for screen readers and for who cannot see the
// colours), Vietnamese labels with decimal commas, and every text from the data escaped.
//
// Charts (name → what, and its grouping when the caller names none):
//   "dossiers"     on-time rate and QĐ 766 rate per group, horizontal bars   (field)
//   "satisfaction" rất hài lòng / hài lòng / không hài lòng per group, 100 % stacked bars (field)
//   "hourly"       mean waiting and mean service time per hour of the day, columns (hour only)

#include "figures/document.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace motcua::figures
{

struct ChartKind
{
    std::string_view name;       // "dossiers"
    std::string_view default_by; // the grouping when none is asked for
    std::string_view slug;       // for the file name: "dung-han"
    bool only_default = false;   // no other grouping ("hourly" is per hour)
};
const std::vector<ChartKind>& chart_kinds();
// The chart's kind, or nullptr for an unknown name.
const ChartKind* chart_kind(std::string_view name);

// The chart `name` of the answer grouped by `by` ("" for the chart's default). Errors:
// "unknown_chart", "bad_report" (no answer grouped so, or a grouping the chart has not).
Result<std::string> svg_chart(const Reports& reports, std::string_view name, std::string_view by = "");

inline constexpr const char* svg_content_type = "image/svg+xml";

} // namespace motcua::figures
