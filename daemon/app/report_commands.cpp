// report.export: the period's report rendered for people — an .xlsx workbook, a CSV file or
// an SVG chart (daemon/figures) — for the supervisor's screen (POST /api/v1/report.export)
// and `motcuactl report --xlsx|--csv|--svg`. The figures are the `report` command's own
// answers, from the same function (the ReportRunner of register_commands.cpp) reading the
// period's records once for all the groupings, so an export never disagrees with `report`;
// it is allowed to whom the report is (Access::reports).

#include "app/application.hpp"
#include "figures/csv.hpp"
#include "figures/document.hpp"
#include "figures/svg.hpp"
#include "figures/xlsx.hpp"
#include "util/base64.hpp"

#include <string>
#include <vector>

namespace motcua::app
{

namespace
{

using control::json;

Result<json> export_report(const ReportRunner& run_reports, const json& args)
{
    const auto format = control::string_arg(args, "format");
    if (format != "xlsx" && format != "csv" && format != "svg")
        throw control::BadArgument("argument \"format\" must be xlsx, csv or svg");
    // "from" and "to" must be there to pass on; the report checks them as dates.
    control::string_arg(args, "from");
    control::string_arg(args, "to");
    const auto by = control::optional_string_arg(args, "by");
    const auto chart = control::optional_string_arg(args, "chart");
    const figures::ChartKind* kind = nullptr;
    if (format == "svg")
    {
        if (chart.empty())
            throw control::BadArgument("missing argument \"chart\" (dossiers, satisfaction or hourly) for format svg");
        kind = figures::chart_kind(chart);
        if (!kind)
            throw control::BadArgument("argument \"chart\" must be dossiers, satisfaction or hourly");
        if (kind->only_default && !by.empty() && by != kind->default_by)
            throw control::BadArgument("argument \"by\" of chart " + chart + " can only be " +
                                       std::string(kind->default_by));
    }
    else if (!chart.empty())
        throw control::BadArgument("argument \"chart\" goes with format svg only");

    const std::string dossier_by = by.empty() ? "field" : by;
    const auto groupings = kind ? std::vector<std::string>{by.empty() ? std::string(kind->default_by) : by}
                                : figures::groupings_for_document(dossier_by);
    auto answers = run_reports(json{{"from", args.at("from")}, {"to", args.at("to")}}, groupings);
    if (!answers)
        return answers.error();
    auto reports = figures::Reports::from(std::move(*answers));
    if (!reports)
        return reports.error();

    const auto stem = figures::file_stem(reports->from_date(), reports->to_date());
    if (kind)
    {
        auto svg = figures::svg_chart(*reports, kind->name, groupings.front());
        if (!svg)
            return svg.error();
        return json{{"format", format},
                    {"chart", chart},
                    {"filename", stem + "-" + std::string(kind->slug) + ".svg"},
                    {"content_type", figures::svg_content_type},
                    {"text", std::move(*svg)}};
    }
    const auto doc = figures::document(*reports, dossier_by);
    if (format == "csv")
        return json{{"format", format},
                    {"filename", stem + ".csv"},
                    {"content_type", "text/csv; charset=utf-8"},
                    {"text", figures::csv(doc)}};
    auto workbook = figures::xlsx(doc);
    if (!workbook)
        return workbook.error();
    return json{{"format", format},
                {"filename", stem + ".xlsx"},
                {"content_type", figures::xlsx_content_type},
                {"base64", base64::encode(*workbook)}};
}

} // namespace

void register_report_commands(Application& app, ReportRunner reports)
{
    app.ports().commands.add("report.export", command::Access::reports,
                             command::sync([reports = std::move(reports)](command::Call& call) {
                                 return export_report(reports, call.args);
                             }));
}

} // namespace motcua::app
