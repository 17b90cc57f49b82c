// The dossier register through the real daemon and CLI: a dossier's life at the desk, the
// calendar commands on official dates, CSV import (all or nothing, errors with their line),
// the A4 export, ratings, and the report on a year shaped like Hoài Đức's 2018 figures.

#include "register_fixture.hpp"

#include "database_peek.hpp"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

using namespace motcua::testing;
using json = nlohmann::json;
namespace chr = std::chrono;

namespace
{

const std::string unit = "000.17.22.H56";

std::string local_text(chr::sys_days day, int hour, int minute)
{
    chr::year_month_day ymd{day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hour, minute);
    return buf;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(RegisterProcess, DossierLifeAtTheDesk)
{
    start();
    ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    ASSERT_EQ(ctl({"open", "1", "--officer", "cb-hoa"}).exit_code, 0);
    auto called = ctl_json({"call", "1"});
    auto ticket = called["ticket"]["ticket"].get<long long>();

    // Human output names the code and the due time.
    auto human = ctl({"dossier", "receive", "--counter", "1", "--procedure", "2.000001.H38", "--name",
                      "Trần Thị Bích", "--phone", "0912 345 678", "--id-number", "001190012345"});
    ASSERT_EQ(human.exit_code, 0) << human.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(human.out, m, std::regex("Dossier (000\\.17\\.22\\.H56-(\\d{6})-0001) received")))
        << human.out;
    const std::string code = m[1];
    EXPECT_TRUE(contains(human.out, "Due: 17:00 ")) << human.out;

    auto d = ctl_json({"dossier", "show", code});
    EXPECT_EQ(d["ticket"], ticket);
    EXPECT_EQ(d["counter"], 1);
    EXPECT_EQ(d["officer"], "cb-hoa");
    EXPECT_EQ(d["status"], 2);
    EXPECT_EQ(d["book"], 1);
    EXPECT_EQ(d["row"], 1);
    // The receipt's journal row names who asked: here the control socket's peer.
    EXPECT_EQ(query_value(dir.file("motcua.db"),
                          "SELECT json_extract(payload, '$.actor') FROM journal WHERE kind = 'dossier.received'"),
              "socket:uid=" + std::to_string(::getuid()));
    // The code carries the receipt date; the due time is what the calendar says for 3
    // working days, and falls at the close of a working day after the receipt date.
    const std::string received = d["received_at"];
    auto yymmdd = received.substr(2, 2) + received.substr(5, 2) + received.substr(8, 2);
    EXPECT_EQ(std::string(m[2]), yymmdd);
    auto due = ctl_json({"calendar", "due", "--received", received, "--days", "3"});
    EXPECT_EQ(d["due_at"], due["due"]);
    const std::string due_at = d["due_at"];
    EXPECT_GT(due_at.substr(0, 10), received.substr(0, 10));
    EXPECT_EQ(due_at.substr(11), "17:00");
    auto due_day = due_at.substr(0, 10);
    EXPECT_EQ(ctl_json({"calendar", "workdays", "--from", due_day, "--to", due_day})["workdays"], 1);
    auto between = ctl_json({"calendar", "workdays", "--from", received.substr(0, 10), "--to", due_day});
    auto received_is_workday =
        ctl_json({"calendar", "workdays", "--from", received.substr(0, 10), "--to", received.substr(0, 10)})["workdays"]
            .get<int>();
    EXPECT_EQ(between["workdays"].get<int>() - received_is_workday, 3);

    // A ticket leads to at most one dossier.
    auto again = ctl({"dossier", "receive", "--ticket", std::to_string(ticket), "--procedure", "2.000001.H38", "--name",
                      "X"});
    EXPECT_NE(again.exit_code, 0);
    EXPECT_TRUE(contains(again.err, "ticket_has_dossier")) << again.err;

    // Supplement, transfer, result, return.
    EXPECT_EQ(ctl({"dossier", "supplement-request", code, "--reason", "thiếu tờ khai"}).exit_code, 0);
    EXPECT_EQ(ctl_json({"dossier", "show", code})["status"], 5);
    auto twice = ctl({"dossier", "supplement-request", code});
    EXPECT_TRUE(contains(twice.err, "supplement_open")) << twice.err;
    EXPECT_EQ(ctl({"dossier", "supplement-done", code}).exit_code, 0);
    auto tr = ctl({"dossier", "transfer", code, "--to", "UBND xã Thử Nghiệm"});
    EXPECT_EQ(tr.exit_code, 0) << tr.err;
    EXPECT_TRUE(contains(tr.out, "transferred to UBND xã Thử Nghiệm")) << tr.out;
    auto result = ctl_json({"dossier", "result", code});
    EXPECT_EQ(result["status"], 9);
    EXPECT_EQ(result["handoffs"].size(), 2u);
    EXPECT_EQ(result["handoffs"][1]["punctuality"], "early");
    EXPECT_EQ(ctl({"dossier", "return", code}).exit_code, 0);
    auto done = ctl_json({"dossier", "show", code});
    EXPECT_EQ(done["status"], 10);
    EXPECT_EQ(done["supplements"].size(), 1u);
    EXPECT_FALSE(done["supplements"][0]["completed_at"].is_null());
    EXPECT_FALSE(done["transferred_at"].is_null());
    EXPECT_FALSE(done["returned_at"].is_null());
    EXPECT_EQ(done["timing"]["outcome"], "early");
    EXPECT_TRUE(contains(ctl({"dossier", "return", code}).err, "already_returned"));

    // A second dossier: online, with a ticket given by id, and an apology.
    ctl({"done", "1"});
    auto call2 = ctl_json({"call", "1"});
    auto t2 = call2["ticket"]["ticket"].get<long long>();
    auto d2 = ctl_json({"dossier", "receive", "--ticket", std::to_string(t2), "--procedure", "1.000948.H38", "--name",
                        "Lê Văn Cường", "--channel", "2", "--delivery", "post", "--waybill", "EB123456789VN"});
    const std::string code2 = d2["code"];
    EXPECT_TRUE(code2.ends_with("-0002")) << code2;
    EXPECT_EQ(d2["row"], 2);
    EXPECT_EQ(d2["ticket"], t2);
    auto new_due = local_text(chr::floor<chr::days>(chr::system_clock::now()) + chr::days{20}, 10, 0);
    auto apology = ctl_json({"dossier", "apologize", code2, "--new-due", new_due});
    EXPECT_EQ(apology["apologies"][0]["new_due"], new_due);
    EXPECT_EQ(apology["due_at"], d2["due_at"]); // the original due time stays

    // An import that claims a later sequence of today: the next receipt continues after it.
    auto today = received.substr(0, 10);
    dir.write("today.csv", "received_at,procedure_code,applicant_name,channel,code\n" + today + " 00:00,2.000001.H38,"
                           "Phạm Thị Dung,3," + unit + "-" + yymmdd + "-0005\n");
    auto imp = ctl({"dossier", "import", dir.file("today.csv")});
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    auto d3 = ctl_json({"dossier", "receive", "--procedure", "2.000001.H38", "--name", "Hồ Văn Em"});
    EXPECT_EQ(d3["code"], unit + "-" + yymmdd + "-0006");
    EXPECT_TRUE(d3["ticket"].is_null());

    // List and the A4 export.
    auto list = ctl_json({"dossier", "list", "--from", today, "--to", today});
    EXPECT_EQ(list["count"], 4);
    auto csv = ctl({"dossier", "export", "--from", today, "--to", today});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_TRUE(csv.out.starts_with("\xEF\xBB\xBFSTT,Mã hồ sơ,")) << csv.out.substr(0, 80);
    EXPECT_TRUE(contains(csv.out, code + ",Đăng ký khai sinh,1,Trần Thị Bích,0912 345 678,UBND xã Thử Nghiệm,"));
    EXPECT_TRUE(contains(csv.out, "Qua dịch vụ bưu chính công ích (vận đơn EB123456789VN)"));
    EXPECT_TRUE(contains(csv.out, "Xin lỗi, hẹn lại "));
    int rows = 0;
    for (std::size_t p = 0; (p = csv.out.find("\r\n", p)) != std::string::npos; p += 2)
        ++rows;
    EXPECT_EQ(rows, 5); // header + 4 dossiers

    // Ratings: once per ticket.
    auto rate = ctl({"rate", std::to_string(ticket), "3"});
    EXPECT_EQ(rate.exit_code, 0) << rate.err;
    EXPECT_TRUE(contains(ctl({"rate", std::to_string(ticket), "1"}).err, "already_rated"));
    EXPECT_EQ(ctl({"rate", std::to_string(t2), "1"}).exit_code, 0);
    auto report = ctl_json({"report", "--from", today, "--to", today, "--by", "counter"});
    EXPECT_EQ(report["satisfaction"]["total"]["votes"], 2);
    EXPECT_DOUBLE_EQ(report["satisfaction"]["total"]["satisfied_share"].get<double>(), 0.5);
    EXPECT_EQ(report["queue"]["total"]["issued"], 2);
    EXPECT_EQ(report["dossiers"]["total"]["received"], 4);

    auto verify = ctl({"verify"});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
    EXPECT_TRUE(contains(verify.out, "Journal intact"));
}

TEST_F(RegisterProcess, CalendarOnOfficialDates)
{
    start();
    // Tết Ất Tỵ: off Sat 25/01 to Sun 02/02/2025; 3 working days after Fri 24/01 = Wed 05/02.
    EXPECT_EQ(ctl_json({"calendar", "due", "--received", "2025-01-24 10:00", "--days", "3"})["due"], "2025-02-05 17:00");
    // 30/4-1/5/2025 with Fri 02/05 swapped off: after Tue 29/04, 2 working days = Tue 06/05.
    EXPECT_EQ(ctl_json({"calendar", "due", "--received", "2025-04-29 09:00", "--days", "2"})["due"], "2025-05-06 17:00");
    // Same day after 15:00 on Fri 29/08/2025, Quốc khánh off 30/08-02/09: Wed 03/09.
    EXPECT_EQ(ctl_json({"calendar", "due", "--received", "2025-08-29 15:30", "--same-day"})["due"], "2025-09-03 17:00");
    auto human = ctl({"calendar", "due", "--received", "2025-01-24 10:00", "--days", "3"});
    EXPECT_TRUE(contains(human.out, "Due 17:00 05/02/2025")) << human.out;
    // "10 ngày" (calendar days) from Wed 22/01/2025 ends Sat 01/02, in Tết: the next working
    // day, Mon 03/02; "10 ngày làm việc" skip Tết and the weekends: Wed 12/02.
    EXPECT_EQ(ctl_json({"calendar", "due", "--received", "2025-01-22 09:00", "--calendar-days", "10"})["due"],
              "2025-02-03 17:00");
    EXPECT_EQ(ctl_json({"calendar", "due", "--received", "2025-01-22 09:00", "--days", "10"})["due"], "2025-02-12 17:00");
    EXPECT_NE(ctl({"calendar", "due", "--received", "2025-01-22 09:00", "--days", "1", "--calendar-days", "1"}).exit_code,
              0);
    // Quốc khánh 2026 (TB 9441/TB-BNV): off Sat 29/08-Wed 02/09, Mon 31/08 swapped for the
    // working Sat 22/08.
    EXPECT_EQ(ctl_json({"calendar", "due", "--received", "2026-08-28 10:00", "--days", "1"})["due"], "2026-09-03 17:00");
    EXPECT_EQ(ctl_json({"calendar", "due", "--received", "2026-08-21 10:00", "--days", "1"})["due"], "2026-08-22 17:00");
    // 20/01-07/02/2025: 15 weekdays minus the 5 Tết days.
    auto w = ctl_json({"calendar", "workdays", "--from", "2025-01-20", "--to", "2025-02-07"});
    EXPECT_EQ(w["workdays"], 10);
    EXPECT_EQ(w["special_days"].size(), 5u);
    auto missing = ctl({"calendar", "due", "--received", "2035-03-02 08:00", "--days", "1"});
    EXPECT_NE(missing.exit_code, 0);
    EXPECT_TRUE(contains(missing.err, "2035")) << missing.err;
}

TEST_F(RegisterProcess, MissingCalendarYearIsNamed)
{
    // A calendar directory with 2024 only: a receipt today needs a year that is not there.
    auto cal = dir.file("calendar");
    std::filesystem::create_directory(cal);
    std::filesystem::copy_file(source_dir() + "/config/calendar/2024.toml", cal + "/2024.toml");
    dir.write("office.toml", register_config(cal));
    start();
    auto r = ctl({"dossier", "receive", "--procedure", "2.000001.H38", "--name", "Nguyễn Văn An"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(contains(r.err, "no working calendar for 20")) << r.err;
    EXPECT_TRUE(contains(r.err, "calendar_year_missing")) << r.err;
    auto due = ctl({"calendar", "due", "--received", "2025-01-24 10:00", "--days", "3"});
    EXPECT_TRUE(contains(due.err, "no working calendar for 2025")) << due.err;
    // Nothing was written: the daemon is still consistent.
    EXPECT_EQ(ctl({"verify"}).exit_code, 0);
}

TEST_F(RegisterProcess, ImportIsAllOrNothingWithLineNumbers)
{
    start();
    dir.write("good.csv",
              "\xEF\xBB\xBFreceived_at,procedure_code,applicant_name,channel,code,notes,result_at,applicant_phone\r\n"
              "2025-03-03 08:00,2.000001.H38,Nguyễn Văn An,1,,\"ghi chú\r\nhai dòng, có dấu phẩy\",2025-03-04 09:00,\r\n"
              "2025-03-03 09:30,1.000948.H38,Trần Thị Bình,2,000.17.22.H56-250303-0042,,,0987.654.321\r\n"
              "2025-03-04 14:00,1.004227.000.00.00.H26,Công ty TNHH Ánh Dương,3,,,,\r\n");
    auto good = ctl({"dossier", "import", dir.file("good.csv")});
    ASSERT_EQ(good.exit_code, 0) << good.err;
    EXPECT_TRUE(contains(good.out, "Imported 3 dossiers")) << good.out;
    auto given = ctl_json({"dossier", "show", "000.17.22.H56-250303-0042"});
    EXPECT_EQ(given["applicant"]["name"], "Trần Thị Bình");
    EXPECT_EQ(given["channel"], 2);
    EXPECT_EQ(given["due_at"], "2025-03-03 17:00"); // same-day, received before 15:00
    auto list = ctl_json({"dossier", "list", "--from", "2025-03-01", "--to", "2025-03-31"});
    ASSERT_EQ(list["count"], 3);
    EXPECT_EQ(list["dossiers"][0]["code"], "000.17.22.H56-250303-0001");
    EXPECT_EQ(list["dossiers"][0]["notes"], "ghi chú\r\nhai dòng, có dấu phẩy");
    EXPECT_EQ(list["dossiers"][0]["status"], 9);
    EXPECT_EQ(list["dossiers"][0]["result_at"], "2025-03-04 09:00");
    // 10 working days after Tue 04/03/2025.
    EXPECT_EQ(list["dossiers"][2]["due_at"], "2025-03-18 17:00");

    // Three bad records after a two-line one; nothing of the file may land.
    dir.write("bad.csv", "received_at,procedure_code,applicant_name,channel,notes,result_at\n"
                         "2025-03-05 08:00,2.000001.H38,Nguyễn Văn An,1,\"hai\ndòng\",\n"
                         "2025-03-05 09:00,2.000001.H38,Trần Bình,7,,\n"
                         "2025-03-05 10:00,9.999999.XX,Lê Cường,1,,\n"
                         "\n"
                         "2025-03-05 11:00,2.000001.H38,Phạm Dung,1,,hôm qua\n"
                         "2025-03-05 12:00,2.000001.H38,Hồ Em,1,,\n");
    auto bad = ctl({"dossier", "import", dir.file("bad.csv")});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_TRUE(contains(bad.err, "Nothing was imported")) << bad.err;
    EXPECT_TRUE(contains(bad.err, "line 4, column channel")) << bad.err;
    EXPECT_TRUE(contains(bad.err, "line 5, column procedure_code")) << bad.err;
    EXPECT_TRUE(contains(bad.err, "line 7, column result_at")) << bad.err;
    EXPECT_EQ(ctl_json({"dossier", "list", "--from", "2025-03-05", "--to", "2025-03-05"})["count"], 0);

    // A code already in the register: the whole file is refused, with the line.
    dir.write("dup.csv", "received_at,procedure_code,applicant_name,channel,code\n"
                         "2025-03-06 08:00,2.000001.H38,Nguyễn Văn An,1,\n"
                         "2025-03-03 08:00,2.000001.H38,Trần Bình,1,000.17.22.H56-250303-0042\n");
    auto dup = ctl({"dossier", "import", dir.file("dup.csv")});
    EXPECT_NE(dup.exit_code, 0);
    EXPECT_TRUE(contains(dup.err, "line 3")) << dup.err;
    EXPECT_TRUE(contains(dup.err, "already in the register")) << dup.err;
    EXPECT_EQ(ctl_json({"dossier", "list", "--from", "2025-03-06", "--to", "2025-03-06"})["count"], 0);
    // The refused file used no sequence: the next allocation of 06/03 is still 0001.
    dir.write("next.csv", "received_at,procedure_code,applicant_name,channel\n"
                          "2025-03-06 08:00,2.000001.H38,Nguyễn Văn An,1\n");
    ASSERT_EQ(ctl({"dossier", "import", dir.file("next.csv")}).exit_code, 0);
    EXPECT_EQ(ctl_json({"dossier", "list", "--from", "2025-03-06", "--to", "2025-03-06"})["dossiers"][0]["code"],
              "000.17.22.H56-250306-0001");
    // Submitted online on Thursday evening, the code given by the portal then; received at
    // the desk on Friday morning. The code keeps its day: the next code of 06/03 follows it.
    dir.write("online.csv", "received_at,procedure_code,applicant_name,channel,code,submitted_at\n"
                            "2025-03-07 08:00,2.000001.H38,Vũ Thị Giang,2,000.17.22.H56-250306-0007,2025-03-06 21:10\n");
    auto online = ctl({"dossier", "import", dir.file("online.csv")});
    ASSERT_EQ(online.exit_code, 0) << online.err;
    auto giang = ctl_json({"dossier", "show", "000.17.22.H56-250306-0007"});
    EXPECT_EQ(giang["received_at"], "2025-03-07 08:00");
    EXPECT_EQ(giang["submitted_at"], "2025-03-06 21:10");
    dir.write("later.csv", "received_at,procedure_code,applicant_name,channel\n"
                           "2025-03-06 10:00,2.000001.H38,Đỗ Văn Hùng,1\n");
    ASSERT_EQ(ctl({"dossier", "import", dir.file("later.csv")}).exit_code, 0);
    EXPECT_EQ(ctl_json({"dossier", "list", "--from", "2025-03-06", "--to", "2025-03-06"})["dossiers"][1]["code"],
              "000.17.22.H56-250306-0008");
    EXPECT_EQ(ctl({"verify"}).exit_code, 0);
}

// A year shaped like the Hoài Đức district desk in 2018 (domain.md §10): 3,897 received,
// 1,650 online; 3,780 resolved, 3,765 of them early or on time. Dated 2025 so the shipped
// calendar computes the due dates.
TEST_F(RegisterProcess, ReportOnAYearLikeHoaiDuc)
{
    start();
    const int received = 3897, online = 1650, resolved = 3780, late = 15;
    std::string csv = "received_at,procedure_code,applicant_name,channel,due_at,result_at,returned_at,applicant_address\n";
    const auto first = chr::sys_days{chr::year{2025} / 1 / 2};
    const auto december = chr::sys_days{chr::year{2025} / 12 / 1};
    int open_on_december_1 = 0; // received before, result (if any) on or after 1 December
    for (int i = 0; i < received; ++i)
    {
        auto day = first + chr::days{(i * 7) % 330};
        int hour = 8 + i % 7;
        std::string channel = i < online ? "2" : (i % 2 ? "1" : "3");
        std::string due, result, returned;
        if (i >= resolved - late && i < resolved)
        {
            due = local_text(day, 17, 0);
            result = local_text(day + chr::days{3}, 10, 0);
            open_on_december_1 += day + chr::days{3} >= december;
        }
        else if (i < resolved)
        {
            result = local_text(day + chr::days{1}, 10, 0);
            open_on_december_1 += day + chr::days{1} >= december;
            if (i % 3 == 0)
                returned = local_text(day + chr::days{2}, 9, 0);
        }
        else
            ++open_on_december_1;
        csv += local_text(day, hour, 15) + ",1.004227.000.00.00.H26,Hộ gia đình số " + std::to_string(i) + "," + channel +
               "," + due + "," + result + "," + returned + ",\"Thôn " + std::to_string(i % 12) + ", xã Thử Nghiệm\"\n";
    }
    dir.write("year.csv", csv);
    auto imp = ctl({"dossier", "import", dir.file("year.csv")});
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    EXPECT_TRUE(contains(imp.out, "Imported 3897 dossiers")) << imp.out;

    auto r = ctl_json({"report", "--from", "2025-01-01", "--to", "2025-12-31"});
    const auto& t = r["dossiers"]["total"];
    EXPECT_EQ(t["received"], received);
    EXPECT_EQ(t["received_online"], online);
    EXPECT_EQ(t["received_direct_postal"], received - online);
    EXPECT_EQ(t["carried_over"], 0);
    EXPECT_EQ(t["resolved"], resolved);
    EXPECT_EQ(t["early"].get<int>() + t["on_time"].get<int>(), resolved - late);
    EXPECT_EQ(t["late"], late);
    EXPECT_EQ(t["in_progress"], received - resolved);
    EXPECT_NEAR(t["online_share"].get<double>(), 0.4234, 0.0001);
    EXPECT_NEAR(t["on_time_rate"].get<double>(), 0.9960, 0.0001);

    auto human = ctl({"report", "--from", "2025-01-01", "--to", "2025-12-31"});
    ASSERT_EQ(human.exit_code, 0) << human.err;
    EXPECT_TRUE(contains(human.out, "Online share 42.3 %")) << human.out;
    EXPECT_TRUE(contains(human.out, "early or on time 99.6 % of resolved")) << human.out;
    EXPECT_TRUE(contains(human.out, "Received 3897: this period 3897 (online 1650, direct and postal 2247)")) << human.out;

    // A later period: what was open at its start is carried over.
    auto q4 = ctl_json({"report", "--from", "2025-12-01", "--to", "2025-12-31", "--by", "field"});
    EXPECT_EQ(q4["dossiers"]["total"]["received"], 0);
    EXPECT_EQ(q4["dossiers"]["total"]["carried_over"], open_on_december_1);
    EXPECT_GE(open_on_december_1, received - resolved);
    ASSERT_EQ(q4["dossiers"]["rows"].size(), 1u);
    EXPECT_EQ(q4["dossiers"]["rows"][0]["key"], "Đất đai");

    auto verify = ctl_json({"verify"});
    EXPECT_EQ(verify["ok"], true);
    EXPECT_GE(verify["rows"].get<int>(), received);
}

} // namespace

namespace
{

TEST_F(RegisterProcess, RefusedWithdrawnStoppedLeaveTheOpenCounts)
{
    start();
    std::vector<std::string> codes;
    for (const char* name : {"Một", "Hai", "Ba", "Bốn"})
    {
        auto d = ctl_json({"dossier", "receive", "--procedure", "2.000001.H38", "--name", name, "--online", "full",
                           "--digitised"});
        codes.push_back(d["code"]);
    }
    auto refused = ctl({"dossier", "refuse", codes[0], "--reason", "không thuộc thẩm quyền", "--officer", "cb-an"});
    ASSERT_EQ(refused.exit_code, 0) << refused.err;
    EXPECT_TRUE(contains(refused.out, "refused")) << refused.out;
    EXPECT_EQ(ctl({"dossier", "withdraw", codes[1], "--reason", "công dân rút"}).exit_code, 0);
    EXPECT_EQ(ctl({"dossier", "stop", codes[2], "--reason", "quá hạn bổ sung"}).exit_code, 0);
    auto again = ctl({"dossier", "refuse", codes[0], "--reason", "x"});
    EXPECT_TRUE(contains(again.err, "dossier_closed")) << again.err;
    auto no_reason = ctl({"--json", "dossier", "stop", codes[3]});
    EXPECT_NE(no_reason.exit_code, 0); // the CLI requires --reason

    auto shown = ctl_json({"dossier", "show", codes[0]});
    EXPECT_EQ(shown["status"], 3);
    EXPECT_EQ(shown["close_reason"], "không thuộc thẩm quyền");
    EXPECT_FALSE(shown["closed_at"].is_null());
    EXPECT_EQ(shown["timing"]["outcome"], "closed");

    // A correction is a journal event with old and new value.
    auto fixed = ctl_json({"dossier", "correct", codes[3], "--field", "applicant_name", "--value", "Bốn Năm",
                           "--reason", "viết thiếu"});
    EXPECT_EQ(fixed["applicant"]["name"], "Bốn Năm");
    EXPECT_EQ(fixed["change"]["old"], "Bốn");

    auto today = shown["received_at"].get<std::string>().substr(0, 10);
    auto report = ctl_json({"report", "--from", today, "--to", today});
    const auto& t = report["dossiers"]["total"];
    EXPECT_EQ(t["received"], 4);
    EXPECT_EQ(t["refused"], 1);
    EXPECT_EQ(t["withdrawn"], 1);
    EXPECT_EQ(t["stopped"], 1);
    EXPECT_EQ(t["in_progress"], 1);
    EXPECT_EQ(t["resolved"], 0);
    EXPECT_EQ(t["online_full"], 4);
    EXPECT_EQ(t["digitised"], 4);
    EXPECT_DOUBLE_EQ(t["qd766_rate"].get<double>(), 1.0); // the one open dossier is within due
    auto human = ctl({"report", "--from", today, "--to", today});
    EXPECT_TRUE(contains(human.out, "refused 1, withdrawn 1, stopped 1")) << human.out;
    EXPECT_TRUE(contains(human.out, "QĐ 766 on-time rate 100.0 %")) << human.out;
    EXPECT_EQ(ctl({"verify"}).exit_code, 0);
}

} // namespace

namespace motcua::testing
{
namespace
{

TEST_F(RegisterProcess, TheCalendarIsReadAgainOnSighup)
{
    auto cal = dir.file("calendar");
    std::filesystem::copy(source_dir() + "/config/calendar", cal);
    dir.write("office.toml", register_config(cal));
    start();
    auto reload = [&] {
        const int before = office.log_count("Configuration reloaded");
        daemon->signal(SIGHUP);
        ASSERT_TRUE(OfficeHarness::eventually([&] { return office.log_count("Configuration reloaded") == before + 1; }))
            << log();
    };
    const std::vector<std::string> due_args{"calendar", "due", "--received", "2031-03-03 08:00", "--days", "1"};
    const std::vector<std::string> workdays_args{"calendar", "workdays", "--from", "2031-03-03", "--to", "2031-03-05"};
    const auto due_before = ctl_json(due_args).value("due", "");
    EXPECT_EQ(ctl_json(workdays_args).value("workdays", 0), 3);

    // The province declares Tuesday 4 March 2031 a day off: the year file gets it, and a
    // SIGHUP (the config itself unchanged) makes it count.
    const auto year = cal + "/2031.toml";
    auto text = read_file(year);
    std::ofstream(year) << text << "\n[[day]]\ndate = \"2031-03-04\"\nkind = \"holiday\"\nname = \"Nghỉ (thử)\"\n";
    reload();
    EXPECT_EQ(ctl_json(workdays_args).value("workdays", 0), 2);
    const auto due_after = ctl_json(due_args).value("due", "");
    EXPECT_NE(due_after, due_before);
    EXPECT_EQ(due_after.substr(0, 10), "2031-03-05") << due_after;

    // A year file broken meanwhile: the running calendar stays, and the log says why.
    std::ofstream(year) << "year = \"two thousand\"\n";
    reload();
    EXPECT_NE(log().find("Working calendar not reloaded, the running one stays"), std::string::npos) << log();
    EXPECT_EQ(ctl_json(due_args).value("due", ""), due_after);
}

} // namespace
} // namespace motcua::testing
