#include "notify_listener.hpp"
#include "service/notifier.hpp"

#include <gtest/gtest.h>
#include <string>

namespace motcua::service::test
{
namespace
{

using namespace std::chrono_literals;

class NotifierTest : public CleanEnvironment
{
};

TEST_F(NotifierTest, DisabledWithoutNotifySocket)
{
    Notifier n = Notifier::from_environment();
    EXPECT_FALSE(n.enabled());
    EXPECT_FALSE(n.watchdog_interval().has_value());
    EXPECT_FALSE(n.notify("READY=1"));
    n.ready(); // no-ops, no crash
    n.status("idle");
    n.watchdog();
}

TEST_F(NotifierTest, WatchdogIgnoredWithoutNotifySocket)
{
    ::setenv("WATCHDOG_USEC", "1000000", 1);
    Notifier n = Notifier::from_environment();
    EXPECT_FALSE(n.enabled());
    EXPECT_FALSE(n.watchdog_interval().has_value());
}

TEST_F(NotifierTest, ReadyReachesPathSocketWithOurPid)
{
    NotifyListener listener(NotifyListener::Kind::path);
    ::setenv("NOTIFY_SOCKET", listener.address().c_str(), 1);
    Notifier n = Notifier::from_environment();
    ASSERT_TRUE(n.enabled());
    n.ready();
    auto got = listener.receive();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->text, "READY=1");
    EXPECT_EQ(got->pid, ::getpid()); // what systemd uses to accept it from the main pid
}

TEST_F(NotifierTest, ReadyReachesAbstractSocket)
{
    NotifyListener listener(NotifyListener::Kind::abstract);
    ASSERT_EQ(listener.address().front(), '@');
    ::setenv("NOTIFY_SOCKET", listener.address().c_str(), 1);
    Notifier n = Notifier::from_environment();
    ASSERT_TRUE(n.enabled());
    n.ready();
    auto got = listener.receive();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->text, "READY=1");
}

TEST_F(NotifierTest, EachCallSendsItsAssignment)
{
    NotifyListener listener(NotifyListener::Kind::path);
    Notifier n(listener.address());

    n.stopping();
    auto got = listener.receive();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->text, "STOPPING=1");

    n.watchdog();
    got = listener.receive();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->text, "WATCHDOG=1");

    n.extend_timeout(5s);
    got = listener.receive();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->text, "EXTEND_TIMEOUT_USEC=5000000");

    n.reloading();
    got = listener.receive();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->text.rfind("RELOADING=1\nMONOTONIC_USEC=", 0), 0u) << got->text;
    std::string usec = got->text.substr(got->text.find('=', 12) + 1);
    ASSERT_FALSE(usec.empty());
    EXPECT_EQ(usec.find_first_not_of("0123456789"), std::string::npos) << usec;
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    EXPECT_LE(std::stoll(usec),
              static_cast<long long>(now.tv_sec) * 1000000LL + now.tv_nsec / 1000);
}

TEST_F(NotifierTest, StatusIsOneLine)
{
    NotifyListener listener(NotifyListener::Kind::path);
    Notifier n(listener.address());
    n.status("2/3 devices online\nprinter kiosk-1 offline\r");
    auto got = listener.receive();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->text, "STATUS=2/3 devices online printer kiosk-1 offline ");
}

TEST_F(NotifierTest, Utf8StatusPassesThrough)
{
    NotifyListener listener(NotifyListener::Kind::abstract);
    Notifier n(listener.address());
    n.status("Quầy 1 đang phục vụ");
    auto got = listener.receive();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->text, "STATUS=Quầy 1 đang phục vụ");
}

TEST_F(NotifierTest, MovedNotifierKeepsSending)
{
    NotifyListener listener(NotifyListener::Kind::path);
    Notifier a(listener.address(), 8s);
    Notifier b = std::move(a);
    EXPECT_FALSE(a.enabled()); // NOLINT(bugprone-use-after-move): moved-from is disabled
    EXPECT_TRUE(b.enabled());
    EXPECT_EQ(b.watchdog_interval(), std::chrono::microseconds(8s));
    b.ready();
    auto got = listener.receive();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->text, "READY=1");
}

TEST_F(NotifierTest, UnusableAddressesDisable)
{
    for (const char* address :
         {"", "@", "relative/notify", "x",
          "/this/path/is/much/too/long/for/sun_path/"
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    {
        Notifier n(address, 1s);
        EXPECT_FALSE(n.enabled()) << address;
        EXPECT_FALSE(n.watchdog_interval()) << address;
    }
}

TEST_F(NotifierTest, SendToVanishedSocketFailsQuietly)
{
    std::string address;
    {
        NotifyListener listener(NotifyListener::Kind::path);
        address = listener.address();
    }
    Notifier n(address);
    EXPECT_TRUE(n.enabled());
    EXPECT_FALSE(n.notify("READY=1"));
    EXPECT_FALSE(n.notify("READY=1"));
}

TEST_F(NotifierTest, WatchdogFromEnvironment)
{
    NotifyListener listener(NotifyListener::Kind::path);
    ::setenv("NOTIFY_SOCKET", listener.address().c_str(), 1);
    ::setenv("WATCHDOG_USEC", "20000000", 1);
    EXPECT_EQ(Notifier::from_environment().watchdog_interval(), std::chrono::seconds(20));

    ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
    EXPECT_EQ(Notifier::from_environment().watchdog_interval(), std::chrono::seconds(20));

    ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
    EXPECT_FALSE(Notifier::from_environment().watchdog_interval());
}

TEST(ParseWatchdog, Values)
{
    using std::chrono::microseconds;
    EXPECT_EQ(parse_watchdog("30000000", nullptr, 42), microseconds(30000000));
    EXPECT_EQ(parse_watchdog("1", "", 42), microseconds(1));
    EXPECT_EQ(parse_watchdog("30000000", "42", 42), microseconds(30000000));
    EXPECT_FALSE(parse_watchdog("30000000", "43", 42));
    EXPECT_FALSE(parse_watchdog("30000000", "4x", 42));
    EXPECT_FALSE(parse_watchdog(nullptr, "42", 42));
    EXPECT_FALSE(parse_watchdog("", nullptr, 42));
    EXPECT_FALSE(parse_watchdog("0", nullptr, 42));
    EXPECT_FALSE(parse_watchdog("-5", nullptr, 42));
    EXPECT_FALSE(parse_watchdog("30s", nullptr, 42));
    EXPECT_FALSE(parse_watchdog("99999999999999999999999", nullptr, 42));
}

} // namespace
} // namespace motcua::service::test
