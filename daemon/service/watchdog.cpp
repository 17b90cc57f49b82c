#include "service/watchdog.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

namespace motcua::service
{

// Shared with the pending timer handler, so a handler that is already queued when
// the pinger goes away finds running == false and touches nothing else.
struct WatchdogPinger::State
{
    explicit State(boost::asio::io_context& io, Notifier& n) : timer(io), notifier(&n) {}

    boost::asio::steady_timer timer;
    Notifier* notifier;
    std::chrono::microseconds period{0};
    bool running = false;
};

WatchdogPinger::WatchdogPinger(boost::asio::io_context& io, Notifier& notifier)
    : state_(std::make_shared<State>(io, notifier))
{
    if (auto interval = notifier.watchdog_interval(); interval && notifier.enabled())
    {
        state_->period =
            std::max<std::chrono::microseconds>(*interval / 4, std::chrono::milliseconds(1));
    }
}

WatchdogPinger::~WatchdogPinger()
{
    stop();
}

bool WatchdogPinger::start()
{
    if (state_->running)
    {
        return true;
    }
    if (state_->period.count() == 0)
    {
        return false;
    }
    state_->running = true;
    spdlog::debug("Watchdog pings started period_us={}", state_->period.count());
    state_->notifier->watchdog();
    schedule(state_);
    return true;
}

void WatchdogPinger::stop()
{
    if (state_->running)
    {
        state_->running = false;
        state_->timer.cancel();
    }
}

bool WatchdogPinger::running() const
{
    return state_->running;
}

std::chrono::microseconds WatchdogPinger::period() const
{
    return state_->period;
}

void WatchdogPinger::schedule(const std::shared_ptr<State>& state)
{
    state->timer.expires_after(state->period);
    state->timer.async_wait(
        [state](const boost::system::error_code& ec)
        {
            if (ec || !state->running)
            {
                return;
            }
            state->notifier->watchdog();
            schedule(state);
        });
}

} // namespace motcua::service
