// The business day follows the wall clock's date as it is now, through jumps forward and
// back, and a date used again continues its numbering. Driven by motcuad --test-clock.

#include "startup_fixture.hpp"

#include <chrono>

using namespace motcua::testing;
using json = nlohmann::json;

namespace
{

// Seconds to add to the real clock so that it reads `date` at 10:00 in Vietnam (UTC+7).
long long offset_to(std::chrono::year_month_day date)
{
    using namespace std::chrono;
    auto target = sys_days{date} + hours{10} - hours{7};
    return ceil<seconds>(target - system_clock::now()).count(); // 10:00:00 or just after
}

class WallClock : public Startup
{
  protected:
    void set_clock(std::chrono::year_month_day date)
    {
        dir.write("clock", std::to_string(offset_to(date)) + "\n");
    }
    void start_with_clock()
    {
        daemon = std::make_unique<Child>(
            std::vector<std::string>{bin_dir() + "/motcuad", "--config", config(), "--state-dir",
                                     dir.path(), "--socket", socket(), "--test-clock",
                                     dir.file("clock")},
            dir.file("motcuad.log"));
        ASSERT_TRUE(wait_for_socket(socket(), std::chrono::seconds(10)))
            << read_file(dir.file("motcuad.log"));
    }
    // Issues a TP ticket; returns "<business day> <number>".
    std::string issue()
    {
        auto t = ctl_json({"issue", "TP"});
        auto status = ctl_json({"status"});
        return status["business_day"].get<std::string>() + " " +
               std::to_string(t.value("number", 0));
    }
};

TEST_F(WallClock, BusinessDayFollowsTheClockForwardAndBackWithoutReusingANumber)
{
    using namespace std::chrono;
    const year_month_day future{year{2027}, month{6}, day{1}};
    const year_month_day today{year{2026}, month{12}, day{3}};
    const year_month_day tomorrow{sys_days{today} + days{1}};

    set_clock(future);
    start_with_clock();
    EXPECT_EQ(issue(), "2027-06-01 1");
    // The clock comes back: the business day follows it, and the jump is logged with both times.
    set_clock(today);
    EXPECT_EQ(issue(), "2026-12-03 1");
    EXPECT_EQ(issue(), "2026-12-03 2");
    auto log = read_file(dir.file("motcuad.log"));
    EXPECT_NE(log.find("Wall clock jumped"), std::string::npos) << log;
    EXPECT_NE(log.find("from=2027-06-01T"), std::string::npos) << log;
    EXPECT_NE(log.find("to=2026-12-03T10:00"), std::string::npos) << log;
    // Forward again to a date already used: its numbering continues, no number comes twice.
    set_clock(future);
    EXPECT_EQ(issue(), "2027-06-01 2");
    set_clock(today);
    EXPECT_EQ(issue(), "2026-12-03 3");
    // The next day rolls over as usual.
    set_clock(tomorrow);
    EXPECT_EQ(issue(), "2026-12-04 1");
    // A restart replays the current day and goes on with it.
    daemon->signal(SIGTERM);
    ASSERT_EQ(daemon->wait(std::chrono::seconds(10)), 0);
    start_with_clock();
    EXPECT_EQ(ctl_json({"status"})["business_day"], "2026-12-04");
    EXPECT_EQ(issue(), "2026-12-04 2");
    // Back to a used date after the restart: it continues from the store's highest number.
    set_clock(today);
    EXPECT_EQ(issue(), "2026-12-03 4");
    EXPECT_EQ(query_value(database(), "SELECT count(*) FROM tickets"), "8");
    EXPECT_EQ(
        query_value(database(),
                    "SELECT count(*) FROM (SELECT DISTINCT business_day, issued_service, number "
                    "FROM tickets)"),
        "8");
}

} // namespace
