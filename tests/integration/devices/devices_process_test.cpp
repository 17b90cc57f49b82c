// The RS-485 devices end to end: motcua-sim serves two buses on ptys, motcuad drives them
// through the real libmodbus, motcuactl and motcua-sim's CLI are the hands and eyes.

#include "office.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <functional>
#include <memory>
#include <thread>

namespace motcua::testing
{
namespace
{
using nlohmann::json;
using namespace std::chrono_literals;

const std::string config_text = std::string(R"(
[office]
name = "Thử nghiệm thiết bị"
unit_code = "000.00.00.H99"

[queue]
policy = "strict"

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 899
prefix = "TP-"

[[service]]
id = "DD"
number = 2
name = "Đất đai"
first = 900
last = 999
prefix = "DD-"

[[counter]]
number = 1
services = ["TP"]

[[counter]]
number = 2
services = ["TP", "DD"]

[register]
database = "motcua.db"
)") + fragment::two_buses + fragment::counter_devices;

// A kiosk with its printer, and its button panel on bus-1.
const std::string kiosk_text = std::string(R"(
[[printer]]
name = "kiosk-1"
profile = "epson-tm-t20"
transport = "serial"
device = "dev/printer-kiosk-1"
baud = 19200

[[kiosk]]
id = "K1"
printer = "kiosk-1"
services = ["TP", "DD"]
)") + fragment::kiosk_panel_k1;

class Devices : public ::testing::Test
{
  protected:
    OfficeHarness office;
    TempDir& dir = office.dir;
    std::unique_ptr<Child>& daemon = office.daemon;

    virtual std::string office_config() const { return config_text; }

    void SetUp() override
    {
        office.write_config(office_config());
        ASSERT_TRUE(office.start_sim()) << office.sim_log();
        start_daemon();
    }

    void start_daemon() { ASSERT_TRUE(office.start_daemon()) << office.log(); }

    json ctl(std::vector<std::string> args, bool expect_ok = true)
    {
        args.insert(args.begin(), "--json");
        auto out = office.ctl(args);
        if (expect_ok)
        {
            EXPECT_EQ(out.exit_code, 0) << out.err << office.log();
        }
        auto j = json::parse(out.out, nullptr, false);
        return j.is_object() ? j : json::object();
    }

    json simctl(std::vector<std::string> args)
    {
        args.insert(args.begin(), "--json");
        auto out = office.sim_ctl(args);
        EXPECT_EQ(out.exit_code, 0) << out.err;
        auto j = json::parse(out.out, nullptr, false);
        EXPECT_TRUE(j.is_object()) << args[1] << ": " << out.out << out.err;
        return j.is_object() ? j : json::object();
    }

    std::string display(int counter) { return simctl({"display", std::to_string(counter)}).value("text", "?"); }
    json panel(int counter, const std::string& role = "keypad")
    {
        return simctl({"panel", std::to_string(counter), "--role", role});
    }

    static bool eventually(const std::function<bool()>& ok, std::chrono::milliseconds limit = 5s)
    {
        return OfficeHarness::eventually(ok, limit);
    }

    bool shows(int counter, const std::string& text)
    {
        return eventually([&] { return display(counter) == text; });
    }

    json counter_status(int n)
    {
        auto status = ctl({"status"});
        for (const auto& c : status.value("counters", json::array()))
            if (c.value("number", 0) == n)
                return c;
        ADD_FAILURE() << "no counter " << n << " in " << status.dump();
        return json::object();
    }

    // Counts journal rows, read beside the running daemon.
    int sql_count(const std::string& where) { return office.journal_count(where); }

    bool fifo_empty(int counter) { return eventually([&] { return panel(counter).value("pending", -1) == 0; }); }
};

TEST_F(Devices, KeysDisplaysRatingsOfflineAndRestart)
{
    // Closed counters show dashes.
    EXPECT_TRUE(shows(1, "----"));
    EXPECT_TRUE(shows(2, "----"));
    ctl({"open", "1", "-o", "an"});
    ctl({"open", "2", "-o", "binh"});
    EXPECT_TRUE(shows(1, ""));
    // Red LED while nothing waits; one beep when the queue fills.
    EXPECT_TRUE(eventually([&] { return panel(1).value("led", 0) == 2; }));
    int beeps_before = panel(1).value("beeps", 0);
    for (int i = 0; i < 6; ++i)
        ctl({"issue", "TP"});
    EXPECT_TRUE(eventually([&] { return panel(1).value("waiting", 0) == 6 && panel(1).value("led", 0) == 1; }));
    EXPECT_TRUE(eventually([&] { return panel(1).value("beeps", 0) == beeps_before + 1; }));

    // NEXT: the number appears and blinks; the keypad shows it.
    simctl({"press", "1", "next"});
    EXPECT_TRUE(shows(1, "1"));
    EXPECT_GT(simctl({"display", "1"}).value("blinks", 0), 0);
    EXPECT_EQ(simctl({"display", "1"}).value("brightness", 0), 9);
    EXPECT_TRUE(eventually([&] { return panel(1)["show_number"] == 1; }));
    // The other bus at the same time.
    simctl({"press", "2", "next"});
    EXPECT_TRUE(shows(2, "2"));

    // RECALL blinks again; NO_SHOW; TRANSFER to counter 2 (EVT_ARG 102); PAUSE / RESUME.
    auto writes = simctl({"display", "1"}).value("writes", 0);
    simctl({"press", "1", "recall"});
    EXPECT_TRUE(eventually([&] { return simctl({"display", "1"}).value("writes", 0) > writes; }));
    EXPECT_TRUE(fifo_empty(1));
    simctl({"press", "1", "no-show"});
    EXPECT_TRUE(shows(1, ""));
    simctl({"press", "1", "next"});
    EXPECT_TRUE(shows(1, "3"));
    simctl({"press", "1", "transfer", "--arg", "102"});
    EXPECT_TRUE(shows(1, ""));
    EXPECT_TRUE(fifo_empty(1));
    EXPECT_EQ(counter_status(2).value("waiting", 0), 4); // 3 directed there + 4..6 of TP
    simctl({"press", "1", "pause", "--arg", "4"});
    EXPECT_TRUE(shows(1, "----"));
    EXPECT_EQ(counter_status(1).value("pause_reason", 0), 4);
    simctl({"press", "1", "resume"});
    EXPECT_TRUE(shows(1, ""));
    // NEXT while serving finishes the held ticket first.
    simctl({"press", "1", "next"});
    EXPECT_TRUE(shows(1, "4"));
    simctl({"press", "1", "next"});
    EXPECT_TRUE(shows(1, "5"));
    EXPECT_TRUE(fifo_empty(1));
    EXPECT_EQ(sql_count("kind = 'done' AND ticket = 4"), 1);
    // The keypad ran the same "next" command as the control socket, as its device: the
    // finish and the call name it, and the press's row commits with the call.
    EXPECT_EQ(sql_count("kind IN ('done', 'called') AND ticket = 4 AND json_extract(payload, '$.actor') = "
                        "'device:bus-1/keypad-1'"),
              2);
    EXPECT_EQ(sql_count("kind = 'issued' AND json_extract(payload, '$.actor') LIKE 'socket:uid=%'"), 6);

    // DONE opens the rating window (green blink); the first key rates ticket 5, later ones are ignored.
    simctl({"press", "1", "done"});
    EXPECT_TRUE(shows(1, ""));
    EXPECT_TRUE(eventually([&] { return panel(1, "rating").value("led", 0) == 3; }));
    simctl({"rate", "1", "1"});
    EXPECT_TRUE(eventually([&] { return sql_count("kind = 'rating.given'") == 1; }));
    EXPECT_EQ(sql_count("kind = 'rating.given' AND ticket = 5 AND json_extract(payload, '$.score') = 3 "
                        "AND json_extract(payload, '$.officer') = 'an' AND json_extract(payload, '$.counter') = 1"),
              1);
    simctl({"rate", "1", "3"});
    EXPECT_TRUE(eventually([&] { return panel(1, "rating").value("pending", -1) == 0; }));
    EXPECT_EQ(sql_count("kind = 'rating.given'"), 1);
    EXPECT_EQ(sql_count("kind = 'device.key' AND json_extract(payload, '$.outcome') = 'no_rating_window'"), 1);

    // An engine refusal (nothing for counter 1 to call? 6 waits at counter 2's pool too) is
    // still acknowledged; an unknown transfer target gives two beeps.
    int beeps = panel(1).value("beeps", 0);
    simctl({"press", "1", "transfer", "--arg", "9"});
    EXPECT_TRUE(fifo_empty(1));
    EXPECT_TRUE(eventually([&] { return panel(1).value("beeps", 0) == beeps + 2; }));

    // The display goes offline, the queue moves on, it comes back and is rewritten.
    simctl({"fault", "display-1", "--silent"});
    EXPECT_TRUE(eventually([&] {
        auto report = ctl({"devices"});
        for (const auto& d : report["buses"][0]["devices"])
            if (d.value("name", "") == "display-1")
                return d.value("state", "") == "offline";
        return false;
    }));
    simctl({"press", "1", "next"});
    EXPECT_TRUE(fifo_empty(1));
    EXPECT_EQ(display(1), ""); // unplugged: still shows the old image
    simctl({"fault", "display-1"});
    EXPECT_TRUE(shows(1, "6"));

    // SIGKILL: presses made while the daemon is down are handled once after the restart;
    // the display, powered off meanwhile, shows the same number again; no number is reused.
    daemon->signal(SIGKILL);
    daemon->wait(5s);
    simctl({"reboot", "display-2"});
    simctl({"press", "2", "next"});
    simctl({"press", "2", "next"});
    int presses_before = sql_count("kind = 'device.key'");
    int calls_before = sql_count("kind = 'called'");
    start_daemon();
    EXPECT_TRUE(fifo_empty(2));
    EXPECT_TRUE(eventually([&] { return sql_count("kind = 'device.key'") == presses_before + 2; }));
    // Counter 2: done 2 + call 3 (transferred to it); then done 3 and nothing left to call.
    EXPECT_EQ(sql_count("kind = 'called'"), calls_before + 1);
    EXPECT_EQ(sql_count("kind = 'done' AND ticket = 3"), 1);
    EXPECT_TRUE(shows(1, "6"));
    EXPECT_TRUE(shows(2, ""));
    EXPECT_EQ(sql_count("kind = 'device.key' AND json_extract(payload, '$.outcome') = 'nothing_waiting'"), 1);
    auto issued = ctl({"issue", "TP"});
    EXPECT_EQ(issued.value("number", 0), 7);
    EXPECT_EQ(sql_count("kind = 'issued'"), 7);
    // Every press made in this test produced exactly one device.key row.
    EXPECT_EQ(sql_count("kind = 'device.key'"), 17);

    // Technician tools.
    auto scan = ctl({"bus", "scan", "bus-1", "--ids", "1-12"});
    ASSERT_TRUE(scan["found"].is_array());
    EXPECT_EQ(scan["found"].size(), 2u); // display 1 and keypad 11
    ctl({"display", "test", "1"});
    EXPECT_TRUE(shows(1, "6"));

    // SIGTERM: dashes on exit.
    daemon->signal(SIGTERM);
    EXPECT_EQ(daemon->wait(5s), 0);
    EXPECT_TRUE(shows(1, "----"));
}

} // namespace
} // namespace motcua::testing

namespace motcua::testing
{
namespace
{

class KioskPanel : public Devices
{
  protected:
    std::string office_config() const override { return config_text + kiosk_text; }

    json printed() { return simctl({"tickets", "--printer", "kiosk-1"}).value("tickets", json::array()); }
};

TEST_F(KioskPanel, EachPressIssuesAndPrintsExactlyOneTicket)
{
    // Button 2 = the kiosk's second service (DD, numbers from 900); EVT_ARG 0 = no priority.
    simctl({"press", "K1", "2"});
    ASSERT_TRUE(eventually([&] { return printed().size() == 1; })) << read_file(dir.file("motcuad.log"));
    auto text = printed()[0].value("text", "");
    EXPECT_NE(text.find("DD-900"), std::string::npos) << text;
    EXPECT_NE(text.find("Đất đai"), std::string::npos) << text;
    // The press and its ticket were committed together: the key row names the ticket.
    EXPECT_TRUE(eventually([&] { return sql_count("kind = 'device.key' AND ticket > 0") == 1; }));
    EXPECT_EQ(sql_count("kind = 'issued'"), 1);
    EXPECT_EQ(sql_count("kind = 'device.key' AND ticket = (SELECT ticket FROM journal WHERE kind = 'issued')"), 1);

    // Presses made while the daemon is down are each handled once after a SIGKILL restart.
    daemon->signal(SIGKILL);
    daemon->wait(5s);
    simctl({"press", "K1", "1"});
    simctl({"press", "K1", "1"});
    start_daemon();
    EXPECT_TRUE(eventually([&] { return printed().size() == 3; }));
    EXPECT_TRUE(eventually([&] { return sql_count("kind = 'device.key'") == 3; }));
    EXPECT_EQ(sql_count("kind = 'issued'"), 3);
    EXPECT_EQ(sql_count("kind = 'device.key' AND ticket > 0"), 3);
    EXPECT_EQ(counter_status(2).value("waiting", 0), 3); // counter 2 serves TP and DD
}

} // namespace
} // namespace motcua::testing

namespace motcua::testing
{
namespace
{

// Devices that watch for the host: WATCHDOG_S = 1 s, heartbeat every 250 ms.
class HostWatchdog : public Devices
{
  protected:
    std::string office_config() const override
    {
        std::string text = config_text;
        for (std::size_t at; (at = text.find("heartbeat_period_ms = 300")) != std::string::npos;)
            text.replace(at, 25, "host_watchdog_s = 1\nheartbeat_period_ms = 250");
        return text;
    }
};

TEST_F(HostWatchdog, DevicesShowTheHostIsGoneOnlyWhileItIsStopped)
{
    ctl({"open", "1", "-o", "an"});
    EXPECT_TRUE(shows(1, ""));
    // Keypads on an all-motcua-v1 bus get no heartbeat of their own: the broadcast keeps
    // their watchdogs fed. Three watchdog periods without "host gone" anywhere.
    auto until = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < until)
    {
        ASSERT_FALSE(panel(1).value("host_gone", true));
        ASSERT_FALSE(simctl({"display", "1"}).value("host_gone", true));
        std::this_thread::sleep_for(100ms);
    }
    // A stopped daemon (hung, or the box lost power to its USB adapter) is seen as gone.
    daemon->signal(SIGSTOP);
    EXPECT_TRUE(eventually([&] { return panel(1).value("host_gone", false); }));
    EXPECT_TRUE(shows(1, "----"));
    daemon->signal(SIGCONT);
    EXPECT_TRUE(eventually([&] { return !panel(1).value("host_gone", true); }));
    EXPECT_TRUE(shows(1, ""));
}

} // namespace
} // namespace motcua::testing

namespace motcua::testing
{
namespace
{

// Reloads reconcile device by device.
class Reload : public KioskPanel
{
  protected:
    std::string log() { return office.log(); }

    // Rewrites office.toml with `edit` applied, sends SIGHUP, waits for the reload's end.
    void reload(const std::function<void(std::string&)>& edit)
    {
        auto text = read_file(dir.file("office.toml"));
        edit(text);
        dir.write("office.toml", text);
        const int before = office.log_count("Configuration reloaded");
        daemon->signal(SIGHUP);
        ASSERT_TRUE(eventually([&] { return office.log_count("Configuration reloaded") == before + 1; }, 10s))
            << log();
    }

    // Replaces the first `from` after `anchor`.
    static void replace_after(std::string& text, const std::string& anchor, const std::string& from,
                              const std::string& to)
    {
        auto at = text.find(from, text.find(anchor));
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
    }

    json printer_counters()
    {
        auto printers = ctl({"devices"}).value("printers", json::array());
        return printers.empty() ? json::object() : printers[0].value("counters", json::object());
    }
};

TEST_F(Reload, OnlyTheChangedBusRestartsAndAnUnchangedPrinterKeepsItsState)
{
    ctl({"open", "1", "-o", "an"});
    ctl({"open", "2", "-o", "binh"});
    ctl({"issue", "TP"});
    ctl({"issue", "TP"});
    simctl({"press", "1", "next"});
    ASSERT_TRUE(shows(1, "1")) << log();
    simctl({"press", "2", "next"}); // after: the two buses' presses would race for ticket 1
    ASSERT_TRUE(shows(2, "2"));
    simctl({"press", "K1", "1"});
    ASSERT_TRUE(eventually([&] { return printed().size() == 1; })) << log();
    ASSERT_TRUE(eventually([&] { return printer_counters().value("jobs_printed", 0) == 1; }));
    ASSERT_TRUE(eventually([&] {
        return office.log_count("Modbus device is online bus=bus-1") == 4 &&
               office.log_count("Modbus device is online bus=bus-2") == 2;
    })) << log();
    const auto writes2 = simctl({"display", "2"}).value("writes", -1);
    const auto writes1 = simctl({"display", "1"}).value("writes", -1);

    // A technician's scan of bus-1 is under way when the reload comes.
    Child scan({bin_dir() + "/motcuactl", "--socket", office.socket(), "bus", "scan", "bus-1", "--ids", "40-247"},
               dir.file("scan.log"));
    std::this_thread::sleep_for(1s);

    // bus-1 beats its heartbeat at another pace now; bus-2 and the printer are as they were.
    reload([](std::string& text) { replace_after(text, "name = \"bus-1\"", "heartbeat_period_ms = 300", "heartbeat_period_ms = 400"); });
    auto l = log();
    EXPECT_NE(l.find("Bus stopped by the reload bus=bus-1 reason=changed"), std::string::npos) << l;
    EXPECT_EQ(l.find("Bus stopped by the reload bus=bus-2"), std::string::npos) << l;
    EXPECT_NE(l.find("RS-485 devices reloaded buses=2 untouched=1 started=1"), std::string::npos) << l;
    EXPECT_EQ(l.find("Printer stopped by the reload"), std::string::npos) << l;
    // The scan ends with an error instead of never answering.
    EXPECT_NE(scan.wait(10s), 0);
    EXPECT_NE(read_file(dir.file("scan.log")).find("bus_stopped"), std::string::npos) << read_file(dir.file("scan.log"));

    // bus-1's devices come online again on the new bus and its display is written again;
    // bus-2's devices never went through a restart and its display was not rewritten.
    EXPECT_TRUE(eventually([&] { return office.log_count("Modbus device is online bus=bus-1") == 8; })) << log();
    EXPECT_TRUE(eventually([&] { return simctl({"display", "1"}).value("writes", -1) > writes1; }));
    EXPECT_EQ(office.log_count("Modbus device is online bus=bus-2"), 2);
    EXPECT_EQ(simctl({"display", "2"}).value("writes", -1), writes2);
    EXPECT_EQ(display(1), "1");
    EXPECT_EQ(display(2), "2");
    // The printer kept its counters: it is the same printer object, never stopped.
    EXPECT_EQ(printer_counters().value("jobs_printed", 0), 1);

    // Both buses and the kiosk work on.
    simctl({"press", "1", "next"});
    EXPECT_TRUE(shows(1, "3")) << log();
    simctl({"press", "2", "next"});
    EXPECT_TRUE(shows(2, ""));
    simctl({"press", "K1", "1"});
    EXPECT_TRUE(eventually([&] { return printed().size() == 2; })) << log();
    EXPECT_TRUE(eventually([&] { return printer_counters().value("jobs_printed", 0) == 2; }));
    EXPECT_EQ(sql_count("kind = 'device.key'"), 6);

    // A changed printer restarts: its counters start again, the kiosk prints on it.
    reload([](std::string& text) { replace_after(text, "[[printer]]", "baud = 19200", "baud = 19200\nretry_ms = 3000"); });
    l = log();
    EXPECT_NE(l.find("Printer stopped by the reload printer=kiosk-1 reason=changed"), std::string::npos) << l;
    EXPECT_NE(l.find("RS-485 devices reloaded buses=2 untouched=2 started=0"), std::string::npos) << l;
    EXPECT_EQ(printer_counters().value("jobs_printed", -1), 0);
    simctl({"press", "K1", "2"});
    EXPECT_TRUE(eventually([&] { return printed().size() == 3; })) << log();
}

} // namespace
} // namespace motcua::testing
