// The report rendered for people: the tables built from `report` answers, their CSV, the
// .xlsx workbook read back with Python's zipfile + xml (xlsx_cells.py), and the SVG charts
// checked as well-formed XML with escaped text.

#include "figures/csv.hpp"
#include "figures/document.hpp"
#include "figures/svg.hpp"
#include "figures/xlsx.hpp"
#include "util/base64.hpp"
#include "util/text.hpp"

#include "process.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace motcua::figures
{
namespace
{

using motcua::testing::Output;
using motcua::testing::TempDir;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

json dossier_counts(int received, int online, int carried, int early, int on_time, int late, int within, int over)
{
    const int resolved = early + on_time + late, open = within + over;
    const int handled = received + carried;
    return {{"received_total", handled},
            {"received", received},
            {"received_online", online},
            {"received_direct_postal", received - online},
            {"carried_over", carried},
            {"resolved", resolved},
            {"early", early},
            {"on_time", on_time},
            {"late", late},
            {"in_progress", open},
            {"within_due", within},
            {"over_due", over},
            {"refused", 0},
            {"withdrawn", 0},
            {"stopped", 0},
            {"apologies", 1},
            {"supplement_lapsed", 0},
            {"online_full", online / 2},
            {"online_partial", online - online / 2},
            {"paid_online", 0},
            {"digitised", received},
            {"result_electronic", 0},
            {"digitised_share", received ? 1.0 : 0.0},
            {"result_electronic_share", 0.0},
            {"paid_online_share", 0.0},
            {"online_share", received ? double(online) / received : 0.0},
            {"on_time_rate", resolved ? double(early + on_time) / resolved : 0.0},
            {"qd766_rate", handled ? double(early + on_time + within) / handled : 0.0}};
}

json queue_counts(int issued, double wait_mean_s, double service_mean_s)
{
    return {{"issued", issued},
            {"served", issued - 1},
            {"no_show", 1},
            {"wait", {{"count", issued}, {"mean_s", wait_mean_s}, {"p90_s", wait_mean_s * 2}}},
            {"service", {{"count", issued - 1}, {"mean_s", service_mean_s}, {"p90_s", service_mean_s * 1.5}}}};
}

json satisfaction_counts(int very, int satisfied, int dissatisfied)
{
    const int votes = very + satisfied + dissatisfied;
    return {{"votes", votes},
            {"very_satisfied", very},
            {"satisfied", satisfied},
            {"dissatisfied", dissatisfied},
            {"from_phone", 1},
            {"satisfied_share", votes ? double(very + satisfied) / votes : 0.0}};
}

json with_key(json counts, const std::string& key)
{
    counts["key"] = key;
    return counts;
}

const std::string office = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm";

// An answer grouped by `by` with two groups whose figures add up to the total.
json answer(const std::string& by, const std::string& k1, const std::string& k2)
{
    auto d1 = dossier_counts(120, 50, 3, 80, 35, 5, 2, 1), d2 = dossier_counts(30, 0, 0, 10, 18, 2, 0, 0);
    auto q1 = queue_counts(90, 600, 300), q2 = queue_counts(40, 1200, 420);
    auto s1 = satisfaction_counts(40, 50, 10), s2 = satisfaction_counts(5, 3, 2);
    json a{{"from", "2026-11-01"}, {"to", "2026-11-30"}, {"by", by}, {"office", office}};
    a["dossiers"] = {{"total", dossier_counts(150, 50, 3, 90, 53, 7, 2, 1)},
                     {"rows", json::array({with_key(d1, k1), with_key(d2, k2)})}};
    a["queue"] = {{"total", queue_counts(130, 784.6, 340)}, {"rows", json::array({with_key(q1, k1), with_key(q2, k2)})}};
    a["satisfaction"] = {{"total", satisfaction_counts(45, 53, 12)},
                         {"rows", json::array({with_key(s1, k1), with_key(s2, k2)})}};
    return a;
}

Reports all_groupings()
{
    auto r = Reports::from({answer("field", "Tư pháp – Hộ tịch", "Đất đai"), answer("officer", "Nguyễn Thị Lan", ""),
                            answer("counter", "1", "2"), answer("service", "TP", "DD"), answer("hour", "07", "14")});
    EXPECT_TRUE(r) << r.error().message;
    return *r;
}

const Table* table(const Document& d, const std::string& sheet)
{
    for (const auto& t : d.tables)
        if (t.sheet == sheet)
            return &t;
    return nullptr;
}

TEST(Base64, RoundTripsAndRefusesWhatIsNotBase64)
{
    EXPECT_EQ(base64::encode(""), "");
    EXPECT_EQ(base64::encode("f"), "Zg==");
    EXPECT_EQ(base64::encode("fo"), "Zm8=");
    EXPECT_EQ(base64::encode("foo"), "Zm9v");
    EXPECT_EQ(base64::encode("Hồ sơ"), "SOG7kyBzxqE=");
    std::string all;
    for (int i = 0; i < 256; ++i)
        all += static_cast<char>(i);
    EXPECT_EQ(base64::decode(base64::encode(all)), all);
    EXPECT_EQ(base64::decode("Zm8="), "fo");
    EXPECT_FALSE(base64::decode("Zm8"));
    EXPECT_FALSE(base64::decode("Zm=v"));
    EXPECT_FALSE(base64::decode("Zm9v\n"));
    EXPECT_FALSE(base64::decode("Z!9v"));
}

TEST(Reports, RefusesAnswersThatAreNotReports)
{
    EXPECT_EQ(Reports::from({}).error().code, "bad_report");
    auto no_queue = answer("field", "a", "b");
    no_queue.erase("queue");
    auto r = Reports::from({no_queue});
    ASSERT_FALSE(r);
    EXPECT_TRUE(contains(r.error().message, "\"queue\"")) << r.error().message;
    auto other = answer("hour", "07", "08");
    other["to"] = "2026-12-31";
    EXPECT_TRUE(contains(Reports::from({answer("field", "a", "b"), other}).error().message, "another period"));
    EXPECT_FALSE(Reports::from({answer("weekday", "a", "b")}));
}

TEST(Document, FormII06aInItsLegalLayoutWithTheTotalLast)
{
    auto d = document(all_groupings());
    ASSERT_EQ(d.tables.size(), 7u);
    EXPECT_EQ(d.tables[0].sheet, "Mẫu II.06a");
    const auto& f = d.tables[0];
    EXPECT_TRUE(f.numbered);
    ASSERT_EQ(f.columns.size(), 13u);
    EXPECT_EQ(f.columns[1].name, "Lĩnh vực giải quyết");
    EXPECT_EQ(f.columns[4].group, "Số hồ sơ nhận giải quyết");
    EXPECT_EQ(f.columns[4].name, "Số mới tiếp nhận trực tuyến");
    EXPECT_EQ(f.columns[8].name, "Trả đúng hạn");
    EXPECT_EQ(f.columns[12].group, "Số hồ sơ đang giải quyết");
    ASSERT_EQ(f.rows.size(), 3u);
    EXPECT_EQ(std::get<std::string>(f.rows[0][0]), "1");
    EXPECT_EQ(std::get<std::string>(f.rows[0][1]), "Tư pháp – Hộ tịch");
    EXPECT_EQ(std::get<double>(f.rows[0][2]), 123); // received + carried over
    EXPECT_EQ(std::get<std::string>(f.rows[2][1]), "Tổng cộng");
    EXPECT_EQ(std::get<double>(f.rows[2][6]), 150); // resolved 90 + 53 + 7

    const auto* hours = table(d, "Hàng đợi theo giờ");
    ASSERT_TRUE(hours);
    EXPECT_EQ(std::get<std::string>(hours->rows[0][0]), "07:00–07:59");
    EXPECT_DOUBLE_EQ(std::get<double>(hours->rows[0][4]), 10.0); // 600 s mean wait
    const auto* officers = table(d, "Hài lòng theo cán bộ");
    ASSERT_TRUE(officers);
    EXPECT_EQ(std::get<std::string>(officers->rows[1][0]), "(chưa xác định)");
    EXPECT_EQ(std::get<std::string>(table(d, "Hài lòng theo quầy")->rows[0][0]), "Quầy 1");

    // Only the answers given make tables.
    auto one = Reports::from({answer("hour", "07", "08")});
    ASSERT_TRUE(one);
    EXPECT_EQ(document(*one).tables.size(), 1u);
    EXPECT_EQ(groupings_for_document("procedure"),
              (std::vector<std::string>{"procedure", "field", "officer", "counter", "service", "hour"}));
}

TEST(Document, FileNamesAndPeriodLines)
{
    EXPECT_EQ(file_stem("2026-11-01", "2026-11-30"), "bao-cao-2026-11");
    EXPECT_EQ(file_stem("2028-02-01", "2028-02-29"), "bao-cao-2028-02");
    EXPECT_EQ(file_stem("2025-01-01", "2025-12-31"), "bao-cao-2025");
    EXPECT_EQ(file_stem("2026-11-03", "2026-11-17"), "bao-cao-2026-11-03-den-2026-11-17");
    EXPECT_EQ(file_stem("2026-11-03", "2026-11-03"), "bao-cao-2026-11-03");
    EXPECT_EQ(period_line("2026-11-01", "2026-11-30"), "Kỳ báo cáo: từ ngày 01/11/2026 đến ngày 30/11/2026");
    EXPECT_EQ(decimal_vi(99.64), "99,6");
    EXPECT_EQ(decimal_vi(3, 0), "3");
}

TEST(Csv, BomVietnameseHeadersNumbersAndEscaping)
{
    auto field = answer("field", "Đất đai, nhà ở", "Hộ tịch \"đặc biệt\"");
    auto officer = answer("officer", "=HYPERLINK(\"x\")", "Lê Văn A");
    auto r = Reports::from({field, officer});
    ASSERT_TRUE(r);
    auto text = csv(document(*r));
    EXPECT_TRUE(text.starts_with("\xEF\xBB\xBF\"Trung tâm Phục vụ hành chính công xã Thử Nghiệm\"\r\n") ||
                text.starts_with("\xEF\xBB\xBFTrung tâm Phục vụ hành chính công xã Thử Nghiệm\r\n"))
        << text.substr(0, 120);
    EXPECT_TRUE(contains(text, "Kỳ báo cáo: từ ngày 01/11/2026 đến ngày 30/11/2026\r\n"));
    EXPECT_TRUE(contains(text, "\r\n\"Tình hình, kết quả giải quyết thủ tục hành chính (Mẫu II.06a/VPCP/KSTT)\"\r\n"));
    EXPECT_TRUE(contains(text, "STT,Lĩnh vực giải quyết,Số hồ sơ nhận giải quyết – Tổng số,"));
    // A comma and quotes in a key are quoted as RFC 4180 says; counts are whole numbers.
    EXPECT_TRUE(contains(text, "1,\"Đất đai, nhà ở\",123,3,50,70,120,80,35,5,3,2,1\r\n")) << text;
    EXPECT_TRUE(contains(text, "2,\"Hộ tịch \"\"đặc biệt\"\"\",30,"));
    EXPECT_TRUE(contains(text, ",Tổng cộng,153,3,50,100,150,90,53,7,3,2,1\r\n"));
    // Percentages with one decimal and "(%)" in the header: online 50 / 120.
    EXPECT_TRUE(contains(text, ",Tỷ lệ trực tuyến (%),"));
    EXPECT_TRUE(contains(text, "\"Đất đai, nhà ở\",120,50,41.7,120,115,95.8,"));
    // A name that would run as a formula in a spreadsheet is not one.
    EXPECT_TRUE(contains(text, "\"'=HYPERLINK(\"\"x\"\")\",100,")) << text;
    EXPECT_FALSE(contains(text, "\n=HYPERLINK"));
    EXPECT_TRUE(contains(text, "\r\nLê Văn A,10,5,3,2,1,80.0\r\n"));
}

TEST(Svg, ChartsAreWellFormedEscapedAndDescribed)
{
    auto field = answer("field", "Tư pháp <script>alert(1)</script>", "Đất đai & nhà ở");
    auto hour = answer("hour", "07", "14");
    auto r = Reports::from({field, hour});
    ASSERT_TRUE(r);
    TempDir dir;
    for (const auto& kind : chart_kinds())
    {
        auto svg = svg_chart(*r, kind.name);
        ASSERT_TRUE(svg) << svg.error().message;
        EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")) << kind.name;
        EXPECT_TRUE(contains(*svg, "role=\"img\" aria-labelledby=\"chart-title chart-desc\""));
        EXPECT_FALSE(contains(*svg, "<script")) << kind.name;
        EXPECT_FALSE(contains(*svg, "href")) << kind.name;
        EXPECT_TRUE(contains(*svg, "<title id=\"chart-title\">")) << kind.name;
        EXPECT_TRUE(contains(*svg, office)) << kind.name;
        const auto file = dir.file(std::string(kind.name) + ".svg");
        dir.write(std::string(kind.name) + ".svg", *svg);
        auto parsed = motcua::testing::run(
            {"/usr/bin/python3", "-c",
             "import sys, xml.etree.ElementTree as ET; r = ET.parse(sys.argv[1]).getroot(); "
             "print(r.tag, r.get('viewBox'), len(list(r.iter('{http://www.w3.org/2000/svg}rect'))))",
             file});
        EXPECT_EQ(parsed.exit_code, 0) << kind.name << ": " << parsed.err;
        EXPECT_TRUE(parsed.out.starts_with("{http://www.w3.org/2000/svg}svg 0 0 ")) << parsed.out;
    }
    auto on_time = *svg_chart(*r, "dossiers");
    EXPECT_TRUE(contains(on_time, "Tư pháp &lt;script&gt;alert(1)&lt;/script&gt;"));
    EXPECT_TRUE(contains(on_time, "Đất đai &amp; nhà ở"));
    // The description states the figures, with decimal commas: 115 of 120 resolved.
    EXPECT_TRUE(contains(on_time, "đúng hạn 95,8 % của 120 hồ sơ đã giải quyết")) << on_time;
    EXPECT_TRUE(contains(on_time, "Tỷ lệ giải quyết hồ sơ đúng hạn theo lĩnh vực"));
    auto satisfaction = *svg_chart(*r, "satisfaction");
    EXPECT_TRUE(contains(satisfaction, "rất hài lòng 40 (40,0 %)")) << satisfaction;
    auto queue = *svg_chart(*r, "hourly");
    EXPECT_TRUE(contains(queue, "07 giờ: 90 số đã cấp, chờ 10,0 phút, phục vụ 5,0 phút.")) << queue;
    EXPECT_TRUE(contains(queue, "theo giờ trong ngày"));

    EXPECT_EQ(svg_chart(*r, "pie").error().code, "unknown_chart");
    EXPECT_EQ(svg_chart(*r, "dossiers", "officer").error().code, "bad_report"); // no such answer
    EXPECT_EQ(svg_chart(*r, "hourly", "field").error().code, "bad_report");    // per hour only
    EXPECT_EQ(text::escape_markup("a\x01<b>&\"'"), "a &lt;b&gt;&amp;&quot;&#39;");
}

// The workbook opened with Python's zipfile and xml only: every figure of the report is there
// as a number, rates with a percentage format, headers and keys in Vietnamese.
TEST(Xlsx, WorkbookHoldsTheReportsFigures)
{
    auto reports = all_groupings();
    TempDir scratch; // libxlsxwriter's private directory goes here, and must go away
    ::setenv("TMPDIR", scratch.path().c_str(), 1);
    auto book = xlsx(document(reports));
    ::unsetenv("TMPDIR");
    ASSERT_TRUE(book) << book.error().message;
    EXPECT_TRUE(std::filesystem::is_empty(scratch.path()));
    EXPECT_TRUE(book->starts_with("PK")); // a zip
    TempDir dir;
    dir.write("report.xlsx", *book);
    auto out = motcua::testing::run({"/usr/bin/python3", motcua::testing::source_dir() + "/tests/unit/figures/xlsx_cells.py",
                                     dir.file("report.xlsx")});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    auto wb = json::parse(out.out);
    const auto& sheets = wb["sheets"];
    ASSERT_EQ(sheets.size(), 7u);
    EXPECT_EQ(sheets[0]["name"], "Mẫu II.06a");
    EXPECT_EQ(sheets[1]["name"], "Tỷ lệ đúng hạn");
    EXPECT_EQ(sheets[6]["name"], "Hàng đợi theo giờ");

    const auto& form = sheets[0]["cells"];
    EXPECT_EQ(form["A1"], office);
    EXPECT_EQ(form["A3"], "Kỳ báo cáo: từ ngày 01/11/2026 đến ngày 30/11/2026");
    EXPECT_EQ(form["C5"], "Số hồ sơ nhận giải quyết");
    EXPECT_EQ(form["E6"], "Số mới tiếp nhận trực tuyến");
    EXPECT_EQ(form["M7"], "(13)");
    const auto field = reports.by("field");
    const auto& row1 = (*field)["dossiers"]["rows"][0];
    EXPECT_EQ(form["B8"], "Tư pháp – Hộ tịch");
    EXPECT_EQ(form["C8"], row1["received_total"].get<double>());
    EXPECT_EQ(form["I8"], row1["on_time"].get<double>());
    EXPECT_EQ(form["B10"], "Tổng cộng");
    EXPECT_EQ(form["G10"], (*field)["dossiers"]["total"]["resolved"].get<double>());
    EXPECT_EQ(sheets[0]["formats"]["G10"], "#,##0");
    const auto& merged = sheets[0]["merged"];
    EXPECT_NE(std::find(merged.begin(), merged.end(), "C5:F5"), merged.end()) << merged.dump();
    EXPECT_NE(std::find(merged.begin(), merged.end(), "A5:A6"), merged.end()) << merged.dump();

    const auto& rates = sheets[1]["cells"];
    EXPECT_EQ(rates["G5"], "Tỷ lệ đúng hạn"); // merged down over the two header rows
    EXPECT_DOUBLE_EQ(rates["G7"].get<double>(), row1["on_time_rate"].get<double>());
    EXPECT_DOUBLE_EQ(rates["H9"].get<double>(), (*field)["dossiers"]["total"]["qd766_rate"].get<double>());
    EXPECT_EQ(sheets[1]["formats"]["G7"], "0.0%");

    const auto& counters = sheets[4]["cells"];
    EXPECT_EQ(counters["A6"], "Quầy 1");
    EXPECT_DOUBLE_EQ(counters["G6"].get<double>(),
                     (*reports.by("counter"))["satisfaction"]["rows"][0]["satisfied_share"].get<double>());
    const auto& hours = sheets[6]["cells"];
    EXPECT_EQ(hours["A7"], "07:00–07:59");
    EXPECT_EQ(hours["B7"], 90.0);
    EXPECT_DOUBLE_EQ(hours["E7"].get<double>(), 10.0);
    EXPECT_EQ(sheets[6]["formats"]["E7"], "0.0");
}

TEST(Xlsx, ARefusedSheetIsAnErrorAndLeavesNoFile)
{
    Document d{office, "2026-11-01", "2026-11-30", {}};
    Table bad;
    bad.sheet = "Sheet/with:bad*name?";
    bad.title = "x";
    bad.columns = {{"", "A", Kind::text}};
    d.tables.push_back(bad);
    TempDir dir;
    ::setenv("TMPDIR", dir.path().c_str(), 1);
    auto book = xlsx(d);
    ::unsetenv("TMPDIR");
    ASSERT_FALSE(book);
    EXPECT_EQ(book.error().code, "export_failed");
    EXPECT_TRUE(contains(book.error().message, "Sheet/with:bad*name?")) << book.error().message;
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

} // namespace
} // namespace motcua::figures
