// The whole office end to end, as systemd runs it: motcua-sim plays two RS-485 buses and
// two kiosk printers, motcuad runs under a test-owned NOTIFY_SOCKET. One citizen's path
// (kiosk button → printed ticket → NEXT on a counter of the other bus → DONE → rating in
// the journal), a rejected reload, a reload that adds a counter and its display, then
// SIGKILL with a display power-cycled while the daemon is down, and a restart that shows
// the number again and reuses none.

#include "notify_socket.hpp"
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

// Two buses, each with a display, a keypad and a rating panel for its counter; bus-1 also
// carries kiosk K1's button panel. Two printers for two kiosks. Ptys carry no parity: 8N2.
const std::string config_text = std::string(R"(
[office]
name = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm"
unit_code = "000.00.00.H99"

[queue]
policy = "strict"

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
first = 1
last = 299
prefix = "TP-"

[[service]]
id = "DD"
number = 2
name = "Đất đai"
first = 300
last = 599
prefix = "DD-"

[[counter]]
number = 1
services = ["TP"]

[[counter]]
number = 2
services = ["DD", "TP"]

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

[[kiosk]]
id = "K1"
printer = "p1"
services = ["TP", "DD"]

[[kiosk]]
id = "K2"
printer = "p2"
services = ["TP", "DD"]

[ticket]
footer = ["Xin vui lòng chờ đến lượt"]
)") + fragment::two_buses + fragment::counter_devices + fragment::kiosk_panel_k1 +
                                fragment::counter2_rating;

// A reload that must be rejected: a counter for a service that does not exist.
const char* broken_tail = "\n[[counter]]\nnumber = 3\nservices = [\"NOPE\"]\n";

// A third counter whose display is already wired on bus-1 (the simulator serves it from
// the start); motcuad learns of it by a reload.
const char* counter3_tail = "\n[[counter]]\nnumber = 3\nservices = [\"TP\"]\n"
                            "\n[[device]]\nbus = \"bus-1\"\nslave = 3\nrole = \"display\"\ncounter = 3\n";

// Long enough for a sanitizer build on a busy machine; only reached when something fails.
constexpr auto limit = 10s;

class Office : public ::testing::Test
{
  protected:
    OfficeHarness office;
    TempDir& dir = office.dir;
    std::unique_ptr<Child>& daemon = office.daemon;
    std::unique_ptr<NotifySocket> notify;

    std::string log() const { return office.log(); }

    void SetUp() override
    {
        office.write_config(config_text);
        dir.write("sim.toml", config_text + counter3_tail);
        notify = std::make_unique<NotifySocket>(dir.file("notify.sock"));
        ASSERT_TRUE(office.start_sim(dir.file("sim.toml"))) << office.sim_log();
    }

    // Starts motcuad and waits for a READY=1 sent after this call.
    void start_daemon()
    {
        auto mark = notify->seen().size();
        office.start_daemon({"NOTIFY_SOCKET=" + dir.file("notify.sock")});
        ASSERT_TRUE(notify->arrived("READY=1\n", limit, mark)) << notify->seen() << log();
    }

    json ask(Output out, const std::string& what)
    {
        EXPECT_EQ(out.exit_code, 0) << what << ": " << out.out << out.err;
        auto j = json::parse(out.out, nullptr, false);
        return j.is_object() ? j : json::object();
    }
    json ctl(std::vector<std::string> args)
    {
        auto what = args[0];
        args.insert(args.begin(), "--json");
        return ask(office.ctl(args), what);
    }
    json simctl(std::vector<std::string> args)
    {
        auto what = args[0];
        args.insert(args.begin(), "--json");
        return ask(office.sim_ctl(args), what);
    }

    json display(int counter) { return simctl({"display", std::to_string(counter)}); }

    static bool eventually(const std::function<bool()>& ok) { return OfficeHarness::eventually(ok, limit); }

    bool shows(int counter, const std::string& text)
    {
        return eventually([&] { return display(counter).value("text", "?") == text; });
    }

    // The tickets the simulated printer decoded, once it has at least `count`.
    json printed(const std::string& printer, std::size_t count)
    {
        json tickets = json::array();
        eventually([&] {
            tickets = simctl({"tickets", "--printer", printer}).value("tickets", json::array());
            return tickets.size() >= count;
        });
        return tickets;
    }

    // One integer from the daemon's database, read beside the running daemon.
    int sql_int(const std::string& sql) { return std::stoi(office.sql(sql)); }
};

TEST_F(Office, CitizenPathReloadAndCrashRestart)
{
    // READY=1 with a device summary.
    start_daemon();
    EXPECT_NE(notify->seen().find("STATUS="), std::string::npos) << notify->seen();
    ctl({"open", "1", "--officer", "an"});
    ctl({"open", "2", "--officer", "binh"});
    ASSERT_TRUE(shows(2, "")) << log();

    // A citizen presses K1's second button (Đất đai): the ticket comes out of printer p1.
    // Labels have as many digits as the service's last number (599: three).
    simctl({"press", "K1", "2"});
    auto tickets = printed("p1", 1);
    ASSERT_EQ(tickets.size(), 1u) << log();
    auto text = tickets[0].value("text", "");
    EXPECT_NE(text.find("DD-300"), std::string::npos) << text;
    EXPECT_NE(text.find("Đất đai"), std::string::npos) << text;
    EXPECT_TRUE(tickets[0].value("cut", false));

    // NEXT on counter 2, on the other bus: its display shows the number, blinking.
    simctl({"press", "2", "next"});
    ASSERT_TRUE(shows(2, "300")) << log();
    EXPECT_GT(display(2).value("blinks", 0), 0);

    // DONE, then the citizen's rating key: a rating.given row for that ticket.
    simctl({"press", "2", "done"});
    EXPECT_TRUE(shows(2, ""));
    EXPECT_TRUE(eventually([&] { return simctl({"panel", "2", "--role", "rating"}).value("led", 0) == 3; }));
    simctl({"rate", "2", "1"});
    const std::string rating_of_300 = "SELECT COUNT(*) FROM journal j JOIN tickets t ON t.id = j.ticket "
                                      "WHERE j.kind = 'rating.given' AND t.number = 300 AND j.counter = 2 "
                                      "AND json_extract(j.payload, '$.score') = 3";
    EXPECT_TRUE(eventually([&] { return sql_int(rating_of_300) == 1; })) << log();

    // SIGHUP with a broken config: RELOADING=1, then READY=1 again; the log names the error.
    const std::string good = read_file(dir.file("office.toml"));
    dir.write("office.toml", good + broken_tail);
    auto mark = notify->seen().size();
    daemon->signal(SIGHUP);
    ASSERT_TRUE(notify->arrived("RELOADING=1", limit, mark)) << notify->seen();
    ASSERT_TRUE(notify->arrived("READY=1\n", limit, notify->seen().find("RELOADING=1", mark))) << notify->seen();
    EXPECT_TRUE(eventually([&] {
        auto l = log();
        return l.find("Reload rejected") != std::string::npos && l.find("NOPE") != std::string::npos;
    })) << log();
    dir.write("office.toml", good);

    // The old config keeps working: K1's first button (Tư pháp), then NEXT on counter 2.
    simctl({"press", "K1", "1"});
    tickets = printed("p1", 2);
    ASSERT_EQ(tickets.size(), 2u) << log();
    text = tickets[1].value("text", "");
    EXPECT_NE(text.find("TP-001"), std::string::npos) << text;
    EXPECT_NE(text.find("Hộ tịch"), std::string::npos) << text;
    simctl({"press", "2", "next"});
    ASSERT_TRUE(shows(2, "1")) << log();

    // Counter 1 serves TP-002 and finishes: its rating panel blinks green.
    simctl({"press", "K1", "1"});
    ASSERT_EQ(printed("p1", 3).size(), 3u) << log();
    simctl({"press", "1", "next"});
    EXPECT_TRUE(shows(1, "2")) << log();
    simctl({"press", "1", "done"});
    EXPECT_TRUE(shows(1, ""));
    EXPECT_TRUE(eventually([&] { return simctl({"panel", "1", "--role", "rating"}).value("led", 0) == 3; }));

    // A valid reload that adds counter 3 and its display: the buses restart with it, the
    // queue stays (counter 2 still serves TP-001), the rating window of counter 1 goes on,
    // and the new display shows its closed counter.
    EXPECT_EQ(display(3).value("text", "?"), ""); // never written yet
    dir.write("office.toml", good + counter3_tail);
    mark = notify->seen().size();
    daemon->signal(SIGHUP);
    ASSERT_TRUE(notify->arrived("READY=1\n", limit, mark)) << notify->seen();
    EXPECT_TRUE(shows(3, "----")) << log();
    EXPECT_TRUE(shows(2, "1"));
    simctl({"rate", "1", "2"});
    EXPECT_TRUE(eventually([&] {
        return sql_int("SELECT COUNT(*) FROM journal j JOIN tickets t ON t.id = j.ticket "
                       "WHERE j.kind = 'rating.given' AND t.number = 2 AND j.counter = 1") == 1;
    })) << log();
    ctl({"open", "3", "--officer", "chi"});
    EXPECT_TRUE(shows(3, ""));

    // SIGKILL; the display loses power while the daemon is down and comes back blank.
    daemon->signal(SIGKILL);
    ASSERT_EQ(daemon->wait(limit), 128 + SIGKILL);
    simctl({"reboot", "display-2"});
    EXPECT_EQ(display(2).value("text", "?"), "");

    // The restarted daemon shows the same number again on the rebooted display.
    start_daemon();
    EXPECT_TRUE(shows(2, "1")) << log();

    // A new ticket, on the second kiosk's printer, gets a number never used before.
    auto issued = ctl({"issue", "TP", "--kiosk", "K2"});
    EXPECT_EQ(issued.value("label", ""), "TP-003") << issued.dump();
    tickets = printed("p2", 1);
    ASSERT_EQ(tickets.size(), 1u) << log();
    EXPECT_NE(tickets[0].value("text", "").find("TP-003"), std::string::npos) << tickets[0].dump();
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM tickets"), 4);
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM (SELECT 1 FROM tickets GROUP BY issued_service, number "
                      "HAVING COUNT(*) > 1)"),
              0);

    // SIGTERM: STOPPING=1 and a clean exit.
    mark = notify->seen().size();
    daemon->signal(SIGTERM);
    EXPECT_EQ(daemon->wait(limit), 0);
    EXPECT_TRUE(notify->arrived("STOPPING=1", 1s, mark)) << notify->seen();
}

} // namespace
} // namespace motcua::testing
