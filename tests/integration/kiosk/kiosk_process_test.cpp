// Kiosks end to end: motcua-sim plays the printers of a temporary config, motcuad prints
// on them through the pseudo-terminals linked at the configured (relative) device paths,
// motcuactl drives both. What the simulated printer decodes is the truth.

#include "office_test.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

using namespace motcua::testing;
using json = nlohmann::json;

namespace
{

const char* office_config = R"(
[office]
name = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm"
unit_code = "000.00.00.H99"

[[service]]
id = "TP"
number = 1
name = "Đăng ký hộ tịch"
first = 1
last = 8999
prefix = "TP-"

[[priority_class]]
id = "cao-tuoi"
number = 1
name = "Người cao tuổi"

[[counter]]
number = 1
services = ["TP"]

[register]
database = "motcua.db"

[[printer]]
name = "p1"
profile = "epson-tm-t20"
transport = "serial"
device = "dev/p1"
status_timeout_ms = 200
retry_ms = 300

[[printer]]
name = "p2"
profile = "xprinter-r200"
transport = "serial"
device = "dev/p2"
status_timeout_ms = 200
retry_ms = 300

[[printer]]
name = "silent"
profile = "silent-raster"
transport = "serial"
device = "dev/silent"
baud = 921600
write_timeout_ms = 200
status_timeout_ms = 200
retry_ms = 300

[[kiosk]]
id = "K1"
printer = "p1"

[[kiosk]]
id = "K2"
printer = "p1"
fallback_printer = "p2"

[[kiosk]]
id = "K3"
printer = "silent"

[ticket]
qr_url = "https://dvc.example.vn/t/{ticket_id}"
footer = ["Xin vui lòng chờ đến lượt"]
)";

// A model that answers no status and prints only images: a job is far larger than what a
// pseudo-terminal buffers (about 20 KB), so a printer that stops reading makes it stall.
const char* silent_profile = R"(
description = "test: raster only, no status"
encoding = "raster"
native_qr = false
paper_dots = 576
columns = 48
cut = "full"
raster_font_px = 48

[status]
dle_eot = false
asb = false
)";

// Every Vietnamese letter, lower case and capitals (134 of them are not ASCII).
const char* lower_letters = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ";
const char* upper_letters = "AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬEÈẺẼÉẸÊỀỂỄẾỆIÌỈĨÍỊOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢUÙỦŨÚỤƯỪỬỮỨỰYỲỶỸÝỴĐ";

std::vector<std::string> utf8_chars(const std::string& s)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();)
    {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        out.push_back(s.substr(i, n));
        i += n;
    }
    return out;
}

class Kiosk : public OfficeTest
{
  protected:
    std::unique_ptr<Child>& sim = office.sim;

    std::string sim_socket() const { return office.sim_socket(); }

    void SetUp() override
    {
        office.write_config(office_config);
        std::filesystem::create_directories(dir.file("printers"));
        dir.write("printers/silent-raster.toml", silent_profile);
        ASSERT_TRUE(office.start_sim()) << office.sim_log();
        start_daemon();
    }

    void start_daemon() { start(); }
    void printer_state(const std::string& printer, const std::string& state)
    {
        auto out = office.sim_ctl({"printer-state", printer, state});
        ASSERT_EQ(out.exit_code, 0) << out.err;
    }
    json sim_tickets(const std::string& printer)
    {
        auto out = office.sim_ctl({"--json", "tickets", "--printer", printer});
        EXPECT_EQ(out.exit_code, 0) << out.err;
        return json::parse(out.out, nullptr, false)["tickets"];
    }
    // Polls the simulator until `printer` has decoded `count` tickets (bounded).
    json wait_tickets(const std::string& printer, std::size_t count)
    {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        json t;
        do
        {
            t = sim_tickets(printer);
            if (t.size() >= count)
                return t;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        } while (std::chrono::steady_clock::now() < deadline);
        return t;
    }
    // One value from the daemon's database, read beside the running daemon.
    std::string query(const std::string& sql) { return office.sql(sql); }
    std::string print_state(std::int64_t ticket)
    {
        return query("SELECT print_state FROM tickets WHERE id = " + std::to_string(ticket));
    }
};

TEST_F(Kiosk, IssuedTicketIsPrintedInVietnamese)
{
    auto r = ctl_json({"issue", "TP", "--kiosk", "K1", "--priority", "cao-tuoi"});
    EXPECT_EQ(r["label"], "TP-0001");
    EXPECT_TRUE(r["print"]["ok"].get<bool>()) << r.dump();
    EXPECT_EQ(r["print"]["printer"], "p1");
    auto tickets = wait_tickets("p1", 1);
    ASSERT_EQ(tickets.size(), 1u);
    const auto text = tickets[0]["text"].get<std::string>();
    EXPECT_NE(text.find("TP-0001"), std::string::npos) << text;
    EXPECT_NE(text.find("Đăng ký hộ tịch"), std::string::npos) << text;
    EXPECT_NE(text.find("Người cao tuổi"), std::string::npos) << text;
    EXPECT_NE(text.find("Trung tâm Phục vụ hành chính công xã Thử Nghiệm"), std::string::npos) << text;
    EXPECT_TRUE(tickets[0]["problems"].empty()) << tickets[0].dump();
    ASSERT_EQ(tickets[0]["qr"].size(), 1u);
    EXPECT_NE(tickets[0]["qr"][0].get<std::string>().find("-TP-0001"), std::string::npos);
    EXPECT_TRUE(tickets[0]["cut"].get<bool>());
    EXPECT_EQ(print_state(r["ticket"].get<std::int64_t>()), "printed");
    EXPECT_EQ(query("SELECT count(*) FROM journal WHERE kind = 'ticket.printed'"), "1");
    auto plain = ctl({"issue", "TP", "--kiosk", "K1"});
    EXPECT_NE(plain.out.find("printed on p1"), std::string::npos) << plain.out;
    auto devices = ctl_json({"devices"});
    ASSERT_EQ(devices["printers"].size(), 3u);
    EXPECT_EQ(devices["printers"][0]["name"], "p1");
    EXPECT_EQ(devices["printers"][0]["state"], "online");
    EXPECT_EQ(devices["printers"][0]["counters"]["jobs_printed"], 2);
}

TEST_F(Kiosk, PaperOutRefusesBeforeTakingANumber)
{
    printer_state("p1", "paper_out");
    auto refused = ctl({"issue", "TP", "--kiosk", "K1"});
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("no number was taken"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("paper_out"), std::string::npos) << refused.err;
    EXPECT_EQ(query("SELECT count(*) FROM tickets"), "0");
    EXPECT_EQ(query("SELECT count(*) FROM journal WHERE kind = 'kiosk.refused'"), "1");
    EXPECT_NE(query("SELECT payload FROM journal WHERE kind = 'kiosk.refused'").find("paper_out"), std::string::npos);
    printer_state("p1", "cover_open");
    refused = ctl({"issue", "TP", "--kiosk", "K1"});
    EXPECT_NE(refused.err.find("cover_open"), std::string::npos) << refused.err;
    printer_state("p1", "ok");
    auto r = ctl_json({"issue", "TP", "--kiosk", "K1"});
    EXPECT_EQ(r["label"], "TP-0001"); // the refusals consumed no number
    EXPECT_EQ(ctl({"verify"}).exit_code, 0);
    auto tickets = wait_tickets("p1", 1);
    ASSERT_EQ(tickets.size(), 1u);
    EXPECT_NE(tickets[0]["text"].get<std::string>().find("TP-0001"), std::string::npos);
}

TEST_F(Kiosk, FallbackPrinterTakesOver)
{
    printer_state("p1", "paper_out");
    auto r = ctl_json({"issue", "TP", "--kiosk", "K2"});
    EXPECT_EQ(r["print"]["printer"], "p2");
    EXPECT_TRUE(r["print"]["fallback"].get<bool>());
    auto tickets = wait_tickets("p2", 1);
    ASSERT_EQ(tickets.size(), 1u);
    EXPECT_NE(tickets[0]["text"].get<std::string>().find("Đăng ký hộ tịch"), std::string::npos);
    EXPECT_TRUE(sim_tickets("p1").empty());
    printer_state("p2", "cover_open"); // both down: refused
    auto refused = ctl({"issue", "TP", "--kiosk", "K2"});
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("fallback"), std::string::npos) << refused.err;
    EXPECT_EQ(query("SELECT count(*) FROM tickets"), "1");
}

TEST_F(Kiosk, PrinterThatStopsReadingKeepsTheTicketForReprint)
{
    printer_state("silent", "stops_reading");
    auto out = ctl({"issue", "TP", "--kiosk", "K3"});
    EXPECT_EQ(out.exit_code, 0) << out.err; // the number exists
    EXPECT_NE(out.out.find("Ticket TP-0001"), std::string::npos) << out.out;
    EXPECT_NE(out.out.find("NOT PRINTED"), std::string::npos) << out.out;
    EXPECT_NE(out.out.find("motcuactl reprint TP-0001"), std::string::npos) << out.out;
    EXPECT_EQ(print_state(1), "print_failed");
    EXPECT_EQ(query("SELECT count(*) FROM journal WHERE kind = 'ticket.print_failed'"), "1");
    printer_state("silent", "ok");
    auto re = ctl_json({"reprint", "TP-0001", "--kiosk", "K3"});
    EXPECT_EQ(re["print"]["printer"], "silent");
    EXPECT_EQ(print_state(1), "printed");
    auto tickets = wait_tickets("silent", 1);
    ASSERT_FALSE(tickets.empty());
    EXPECT_TRUE(tickets.back()["cut"].get<bool>());
    EXPECT_GE(tickets.back()["images"].get<int>(), 1);
    EXPECT_EQ(ctl({"verify"}).exit_code, 0);
}

TEST_F(Kiosk, SigkillAfterAFailedPrintThenReprintAfterRestart)
{
    printer_state("silent", "stops_reading");
    auto r = ctl_json({"issue", "TP", "--kiosk", "K3"});
    EXPECT_FALSE(r["print"]["ok"].get<bool>());
    daemon->signal(SIGKILL);
    EXPECT_EQ(daemon->wait(std::chrono::seconds(5)), 128 + SIGKILL);
    printer_state("silent", "ok");
    start_daemon();
    // The failed print was named with its reprint hint when it failed: the start-up line
    // about prints of unknown outcome does not repeat it.
    auto log = read_file(dir.file("motcuad.log"));
    EXPECT_EQ(log.find("may not have printed"), std::string::npos) << log;
    auto out = ctl({"reprint", "#1", "--printer", "p1"});
    EXPECT_EQ(out.exit_code, 0) << out.err;
    auto tickets = wait_tickets("p1", 1);
    ASSERT_EQ(tickets.size(), 1u);
    EXPECT_NE(tickets[0]["text"].get<std::string>().find("TP-0001"), std::string::npos);
    EXPECT_EQ(print_state(1), "printed");
    EXPECT_EQ(ctl({"verify"}).exit_code, 0);
}

TEST_F(Kiosk, StartNamesOnlyKioskTicketsWhosePrintOutcomeNeverCameAndCapsTheLine)
{
    // Desk tickets are never printed here; twelve kiosk tickets print.
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    for (int i = 0; i < 12; ++i)
        ASSERT_EQ(ctl_json({"issue", "TP", "--kiosk", "K1"})["print"]["ok"], true);
    EXPECT_EQ(query("SELECT count(*) FROM journal WHERE kind = 'kiosk.issued'"), "12");
    daemon->signal(SIGKILL);
    EXPECT_EQ(daemon->wait(std::chrono::seconds(5)), 128 + SIGKILL);
    // The state a crash between the ticket's commit and its print leaves: print_state none.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir.file("motcua.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE tickets SET print_state = 'none' WHERE id > 3", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    start_daemon();
    auto log = read_file(dir.file("motcuad.log"));
    auto at = log.find("may not have printed");
    ASSERT_NE(at, std::string::npos) << log;
    auto line = log.substr(at, log.find('\n', at) - at);
    EXPECT_NE(line.find("count=12 tickets=TP-0004,TP-0005,TP-0006,TP-0007,TP-0008,TP-0009,TP-0010,TP-0011,TP-0012,"
                        "TP-0013,…"),
              std::string::npos)
        << line;
    EXPECT_EQ(line.find("TP-0001"), std::string::npos) << line;
    EXPECT_LT(line.size(), 300u) << line;
}

TEST_F(Kiosk, PrintTestShowsEveryVietnameseLetter)
{
    auto out = ctl({"print-test", "p1"});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_NE(out.out.find("ESC t 30"), std::string::npos) << out.out;
    auto tickets = wait_tickets("p1", 1);
    ASSERT_EQ(tickets.size(), 1u);
    const auto text = tickets[0]["text"].get<std::string>();
    for (const auto* set : {lower_letters, upper_letters})
        for (const auto& letter : utf8_chars(set))
        {
            if (letter.size() > 1) // the plain vowels are ASCII, the same in every table
            {
                EXPECT_NE(text.find(letter), std::string::npos) << "missing " << letter << " in\n" << text;
            }
        }
    EXPECT_NE(text.find("epson-tm-t20"), std::string::npos);
    EXPECT_TRUE(tickets[0]["problems"].empty()) << tickets[0].dump();
    auto unknown = ctl({"print-test", "nope"});
    EXPECT_NE(unknown.exit_code, 0);
    EXPECT_NE(unknown.err.find("no printer \"nope\""), std::string::npos) << unknown.err;
}

} // namespace
