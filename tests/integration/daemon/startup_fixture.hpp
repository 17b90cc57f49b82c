#pragma once

// motcuad started on a state directory prepared by the test: a notify socket to see
// STATUS=, and SQL run beside it as an administrator (or an attacker) would.

#include "daemon_fixture.hpp"
#include "database_peek.hpp"
#include "notify_socket.hpp"

#include <memory>
#include <signal.h>
#include <sqlite3.h>
#include <string>
#include <vector>

namespace motcua::testing
{

// Runs SQL as an administrator (or an attacker) with the sqlite3 library would; "" or the error.
inline std::string exec_sql(const std::string& database, const std::string& sql)
{
    sqlite3* db = nullptr;
    sqlite3_open(database.c_str(), &db);
    char* err = nullptr;
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string out = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    return out;
}

class Startup : public DaemonProcess
{
  protected:
    std::unique_ptr<NotifySocket> notify;

    std::string database() const { return office.database(); }
    std::vector<std::string> daemon_args() const { return office.daemon_argv(); }
    // Starts motcuad with a notify socket, its output in `log`; `prefix` runs before it
    // (e.g. a resource limit).
    void start_notified(const std::string& log, std::vector<std::string> prefix = {})
    {
        notify = std::make_unique<NotifySocket>(dir.file("notify-" + log + ".sock"));
        auto argv = prefix;
        for (const auto& a : daemon_args())
            argv.push_back(a);
        daemon = std::make_unique<Child>(
            argv, dir.file(log),
            std::vector<std::string>{"NOTIFY_SOCKET=" + dir.file("notify-" + log + ".sock")});
    }
    // A first, ordinary day: two tickets, then a clean stop.
    void a_day_then_stop()
    {
        start();
        ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
        ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
        daemon->signal(SIGTERM);
        ASSERT_EQ(daemon->wait(std::chrono::seconds(10)), 0);
    }
};

} // namespace motcua::testing
