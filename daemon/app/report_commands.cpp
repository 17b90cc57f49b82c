// report.export: the period's report rendered for people — an .xlsx workbook, a CSV file or
// an SVG chart (daemon/figures) — for the supervisor's screen (POST /api/v1/report.export)
// and `motcuactl report --xlsx|--csv|--svg`. The figures are the `report` command's own
// answers, run through the registry for the same actor, so an export can never disagree with
// `report`; the export is only as allowed as the report (Access::reports).

#include "app/application.hpp"
#include "figures/csv.hpp"
#include "figures/document.hpp"
#include "figures/svg.hpp"
#include "figures/xlsx.hpp"
#include "util/base64.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace motcua::app
{

namespace
{

using boost::asio::awaitable;
using control::json;

// The `report` answers for each grouping, in order; the first refusal ends it.
awaitable<Result<std::vector<json>>> run_reports(const command::Registry* commands, const command::Actor& actor,
                                                 const json& args, const std::vector<std::string>& groupings)
{
    std::vector<json> answers;
    for (const auto& by : groupings)
    {
        json report_args{{"from", args.at("from")}, {"to", args.at("to")}, {"by", by}};
        command::Call call{actor, report_args};
        auto answer = co_await commands->run("report", call);
        if (!answer)
            co_return answer.error();
        answers.push_back(std::move(*answer));
    }
    co_return answers;
}

awaitable<Result<json>> export_report(const command::Registry* commands, command::Call& call)
{
    const auto& args = call.args;
    const auto format = control::string_arg(args, "format");
    if (format != "xlsx" && format != "csv" && format != "svg")
        throw control::BadArgument("argument \"format\" must be xlsx, csv or svg");
    // "from" and "to" are checked by the report itself; they must be there to pass on.
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
    auto answers = co_await run_reports(commands, call.actor, args, groupings);
    if (!answers)
        co_return answers.error();
    auto reports = figures::Reports::from(std::move(*answers));
    if (!reports)
        co_return reports.error();

    const auto stem = figures::file_stem(reports->from_date(), reports->to_date());
    if (kind)
    {
        auto svg = figures::svg_chart(*reports, kind->name, groupings.front());
        if (!svg)
            co_return svg.error();
        co_return json{{"format", format},
                       {"chart", chart},
                       {"filename", stem + "-" + std::string(kind->slug) + ".svg"},
                       {"content_type", figures::svg_content_type},
                       {"text", std::move(*svg)}};
    }
    const auto doc = figures::document(*reports, dossier_by);
    if (format == "csv")
        co_return json{{"format", format},
                       {"filename", stem + ".csv"},
                       {"content_type", "text/csv; charset=utf-8"},
                       {"text", figures::csv(doc)}};
    auto workbook = figures::xlsx(doc);
    if (!workbook)
        co_return workbook.error();
    co_return json{{"format", format},
                   {"filename", stem + ".xlsx"},
                   {"content_type", figures::xlsx_content_type},
                   {"base64", base64::encode(*workbook)}};
}

} // namespace

void register_report_commands(Application& app)
{
    const command::Registry* commands = &app.ports().commands;
    app.ports().commands.add("report.export", command::Access::reports,
                             [commands](command::Call& call) { return export_report(commands, call); });
}

} // namespace motcua::app
