#include "notify_listener.hpp"
#include "service/watchdog.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>
#include <gtest/gtest.h>
#include <memory>

namespace motcua::service::test
{
namespace
{

using namespace std::chrono_literals;

// Watches the listener from the same io_context the pinger runs on and calls on_message
// for each datagram, until on_message returns false.
class AsyncListener
{
  public:
    AsyncListener(boost::asio::io_context& io, NotifyListener& listener,
                  std::function<bool(const Received&)> on_message)
        : listener_(listener), descriptor_(io, ::dup(listener.fd())),
          on_message_(std::move(on_message))
    {
        arm();
    }

  private:
    void arm()
    {
        descriptor_.async_wait(boost::asio::posix::descriptor_base::wait_read,
                               [this](const boost::system::error_code& ec)
                               {
                                   if (ec)
                                   {
                                       return;
                                   }
                                   while (auto got = listener_.receive_now())
                                   {
                                       if (!on_message_(*got))
                                       {
                                           return;
                                       }
                                   }
                                   arm();
                               });
    }

    NotifyListener& listener_;
    boost::asio::posix::stream_descriptor descriptor_;
    std::function<bool(const Received&)> on_message_;
};

TEST(WatchdogPinger, PeriodIsAQuarterOfTheInterval)
{
    NotifyListener listener(NotifyListener::Kind::path);
    boost::asio::io_context io;
    Notifier n(listener.address(), 20s);
    WatchdogPinger pinger(io, n);
    EXPECT_EQ(pinger.period(), std::chrono::microseconds(5s));
}

TEST(WatchdogPinger, DoesNothingWithoutWatchdog)
{
    NotifyListener listener(NotifyListener::Kind::path);
    boost::asio::io_context io;
    Notifier n(listener.address());
    WatchdogPinger pinger(io, n);
    EXPECT_FALSE(pinger.start());
    EXPECT_FALSE(pinger.running());
    EXPECT_EQ(pinger.period().count(), 0);
    io.run_for(5s); // returns at once: nothing was scheduled
    EXPECT_FALSE(listener.receive_now());
}

TEST(WatchdogPinger, DoesNothingWhenNotifierDisabled)
{
    boost::asio::io_context io;
    Notifier n;
    WatchdogPinger pinger(io, n);
    EXPECT_FALSE(pinger.start());
}

TEST(WatchdogPinger, PetsRepeatedlyFromTheLoop)
{
    NotifyListener listener(NotifyListener::Kind::abstract);
    boost::asio::io_context io;
    Notifier n(listener.address(), 40ms);
    WatchdogPinger pinger(io, n);
    int pets = 0;
    AsyncListener watch(io, listener,
                        [&](const Received& r)
                        {
                            EXPECT_EQ(r.text, "WATCHDOG=1");
                            if (++pets == 4)
                            {
                                pinger.stop();
                                return false;
                            }
                            return true;
                        });
    ASSERT_TRUE(pinger.start());
    EXPECT_TRUE(pinger.running());
    io.run_for(20s); // ends as soon as the 4th pet arrived and the pinger stopped
    EXPECT_EQ(pets, 4);
    EXPECT_FALSE(pinger.running());
    EXPECT_TRUE(io.stopped()); // out of work: the cancelled timer left nothing behind
}

TEST(WatchdogPinger, StopLeavesNoWork)
{
    NotifyListener listener(NotifyListener::Kind::path);
    boost::asio::io_context io;
    Notifier n(listener.address(), 4s);
    WatchdogPinger pinger(io, n);
    ASSERT_TRUE(pinger.start());
    auto first = listener.receive();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->text, "WATCHDOG=1"); // the first pet goes out at start
    pinger.stop();
    io.run_for(20s); // the 1 s timer was cancelled, so this returns at once
    EXPECT_TRUE(io.stopped());
    EXPECT_FALSE(listener.receive_now());
}

TEST(WatchdogPinger, DestroyedWithTimerPending)
{
    NotifyListener listener(NotifyListener::Kind::path);
    boost::asio::io_context io;
    Notifier n(listener.address(), 4ms);
    {
        WatchdogPinger pinger(io, n);
        ASSERT_TRUE(pinger.start());
        // Let the 1 ms timer expire so its handler may already be queued as a success.
        io.run_one_for(5s);
    }
    io.run_for(5s);
    EXPECT_TRUE(io.stopped());
}

} // namespace
} // namespace motcua::service::test
