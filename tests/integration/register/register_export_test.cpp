// report.export through the real motcuad and motcuactl: a day of tickets, dossiers and
// ratings, then the workbook written by `motcuactl report --xlsx`, opened with Python's
// zipfile + xml (tests/unit/figures/xlsx_cells.py), holds the same figures as `report`
// answers for each grouping; the CSV and the SVG charts come out of the same command.

#include "register_fixture.hpp"

#include <string>

using namespace motcua::testing;
using json = nlohmann::json;

namespace
{

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// "C" + 8 → "C8"
std::string cell(char column, int row) { return std::string(1, column) + std::to_string(row); }

class RegisterExport : public RegisterProcess
{
  protected:
    json workbook(const std::string& file)
    {
        auto out = run({"/usr/bin/python3", source_dir() + "/tests/unit/figures/xlsx_cells.py", file});
        EXPECT_EQ(out.exit_code, 0) << out.err;
        return json::parse(out.out, nullptr, false);
    }
    static const json& sheet(const json& book, const std::string& name)
    {
        for (const auto& s : book["sheets"])
            if (s["name"] == name)
                return s;
        static const json none = json::object();
        ADD_FAILURE() << "no sheet " << name;
        return none;
    }
};

TEST_F(RegisterExport, WorkbookCsvAndChartsHoldTheReportsFigures)
{
    start();
    for (int i = 0; i < 4; ++i)
        ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    ASSERT_EQ(ctl({"open", "1", "--officer", "cb-hoa"}).exit_code, 0);
    auto first = ctl_json({"call", "1"})["ticket"]["ticket"].get<long long>();
    auto received = ctl_json({"dossier", "receive", "--counter", "1", "--procedure", "2.000001.H38", "--name",
                              "Trần Thị Bích"});
    ASSERT_EQ(ctl({"done", "1"}).exit_code, 0);
    auto second = ctl_json({"call", "1"})["ticket"]["ticket"].get<long long>();
    ASSERT_EQ(ctl({"dossier", "receive", "--counter", "1", "--procedure", "1.004227.000.00.00.H26", "--name",
                   "Lê Văn Cường", "--channel", "2"})
                  .exit_code,
              0);
    ASSERT_EQ(ctl({"done", "1"}).exit_code, 0);
    ASSERT_EQ(ctl({"call", "1"}).exit_code, 0);
    ASSERT_EQ(ctl({"no-show", "1"}).exit_code, 0);
    auto same_day = ctl_json({"dossier", "receive", "--procedure", "1.000948.H38", "--name", "Hồ Văn Em"});
    ASSERT_EQ(ctl({"dossier", "result", same_day["code"].get<std::string>()}).exit_code, 0);
    ASSERT_EQ(ctl({"rate", std::to_string(first), "3"}).exit_code, 0);
    ASSERT_EQ(ctl({"rate", std::to_string(second), "1"}).exit_code, 0);
    const std::string today = received["received_at"].get<std::string>().substr(0, 10);

    auto report = [&](const std::string& by) {
        return ctl_json({"report", "--from", today, "--to", today, "--by", by});
    };
    auto by_field = report("field"), by_hour = report("hour"), by_officer = report("officer");
    ASSERT_EQ(by_field["dossiers"]["rows"].size(), 2u); // Tư pháp – Hộ tịch, Đất đai
    ASSERT_EQ(by_hour["queue"]["rows"].size(), 1u);
    EXPECT_EQ(by_hour["queue"]["rows"][0]["issued"], 4);
    EXPECT_EQ(by_hour["queue"]["rows"][0]["key"].get<std::string>().size(), 2u);

    const auto file = dir.file("month.xlsx");
    auto wrote = ctl({"report", "--from", today, "--to", today, "--xlsx", file});
    ASSERT_EQ(wrote.exit_code, 0) << wrote.err;
    EXPECT_TRUE(contains(wrote.out, "Wrote bao-cao-" + today + "-den-" + today + ".xlsx (")) << wrote.out;
    auto book = workbook(file);
    ASSERT_TRUE(book.is_object());
    ASSERT_EQ(book["sheets"].size(), 7u);

    // Mẫu II.06a: the header on rows 5-6, the column numbers on 7, then one row per field
    // and the total, each figure equal to the report's.
    const auto& form = sheet(book, "Mẫu II.06a");
    EXPECT_EQ(form["cells"]["A1"], by_field["office"]);
    const char* keys[] = {"received_total", "carried_over", "received_online", "received_direct_postal", "resolved",
                          "early",          "on_time",      "late",            "in_progress",            "within_due",
                          "over_due"};
    const auto& rows = by_field["dossiers"]["rows"];
    for (std::size_t i = 0; i <= rows.size(); ++i)
    {
        const int row = 8 + static_cast<int>(i);
        const auto& counts = i < rows.size() ? rows[i] : by_field["dossiers"]["total"];
        EXPECT_EQ(form["cells"][cell('B', row)], i < rows.size() ? counts["key"] : json("Tổng cộng"));
        for (int k = 0; k < 11; ++k)
            EXPECT_EQ(form["cells"][cell(static_cast<char>('C' + k), row)], counts[keys[k]].get<double>())
                << keys[k] << " row " << row;
    }
    EXPECT_EQ(form["cells"]["C10"], 3.0); // three dossiers received today

    // Rates as numbers with a percentage format.
    const auto& rates = sheet(book, "Tỷ lệ đúng hạn");
    EXPECT_DOUBLE_EQ(rates["cells"]["D9"].get<double>(), by_field["dossiers"]["total"]["online_share"].get<double>());
    EXPECT_EQ(rates["formats"]["D9"], "0.0%");

    // Satisfaction per officer, the queue per hour.
    const auto& officers = sheet(book, "Hài lòng theo cán bộ");
    EXPECT_EQ(officers["cells"]["A6"], by_officer["satisfaction"]["rows"][0]["key"]);
    EXPECT_EQ(officers["cells"]["B6"], 2.0);
    EXPECT_DOUBLE_EQ(officers["cells"]["G6"].get<double>(),
                     by_officer["satisfaction"]["rows"][0]["satisfied_share"].get<double>());
    const auto& hours = sheet(book, "Hàng đợi theo giờ");
    const auto& hour = by_hour["queue"]["rows"][0];
    const auto key = hour["key"].get<std::string>();
    EXPECT_EQ(hours["cells"]["A7"], key + ":00–" + key + ":59");
    EXPECT_EQ(hours["cells"]["B7"], 4.0);
    EXPECT_EQ(hours["cells"]["C7"], hour["served"].get<double>());
    EXPECT_EQ(hours["cells"]["D7"], 1.0); // the no-show
    EXPECT_NEAR(hours["cells"]["E7"].get<double>(), hour["wait"]["mean_s"].get<double>() / 60.0, 1e-9);

    // The answer's shape, as the supervisor's page gets it (without the content here).
    auto answer = ctl_json({"report", "--from", today, "--to", today, "--csv", dir.file("r.csv")});
    EXPECT_EQ(answer["format"], "csv");
    EXPECT_EQ(answer["content_type"], "text/csv; charset=utf-8");
    EXPECT_EQ(answer["filename"], "bao-cao-" + today + "-den-" + today + ".csv");
    auto csv = read_file(dir.file("r.csv"));
    EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBF")) << csv.substr(0, 40);
    EXPECT_TRUE(contains(csv, "\r\n1,Tư pháp – Hộ tịch,") || contains(csv, "\r\n1,Đất đai,")) << csv;
    EXPECT_EQ(answer["bytes"], csv.size());

    for (const char* chart : {"dossiers", "satisfaction", "hourly"})
    {
        auto svg = ctl({"report", "--from", today, "--to", today, "--svg", dir.file("c.svg"), "--chart", chart});
        ASSERT_EQ(svg.exit_code, 0) << chart << ": " << svg.err;
        auto text = read_file(dir.file("c.svg"));
        EXPECT_TRUE(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")) << chart;
        EXPECT_TRUE(contains(text, "<desc id=\"chart-desc\">")) << chart;
    }
    EXPECT_TRUE(contains(read_file(dir.file("c.svg")), key + " giờ: 4 số đã cấp"));

    // A chart needs its name; an unknown grouping is the report's own refusal.
    EXPECT_NE(ctl({"report", "--from", today, "--to", today, "--svg", dir.file("x.svg")}).exit_code, 0);
    auto bad = ctl({"report", "--from", today, "--to", "2020-13-01", "--xlsx", dir.file("x.xlsx")});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_TRUE(contains(bad.err, "bad_request")) << bad.err;
}

} // namespace
