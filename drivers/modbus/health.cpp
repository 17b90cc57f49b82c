#include "modbus/health.hpp"

#include <algorithm>

namespace motcua::modbus
{

std::string_view to_string(DeviceState s)
{
    switch (s)
    {
    case DeviceState::online: return "online";
    case DeviceState::degraded: return "degraded";
    case DeviceState::offline: return "offline";
    }
    return "offline";
}

std::optional<DeviceState> Health::record(bool ok, Clock::time_point now)
{
    history_ = ((history_ << 1) | (ok ? 0u : 1u)) & ((1u << kHistory) - 1);
    consecutive_failures_ = ok ? 0 : consecutive_failures_ + 1;
    DeviceState next;
    if (ok)
    {
        backoff_ = std::chrono::milliseconds{0};
        // Back from offline: the failures that took it there no longer describe it.
        if (state_ == DeviceState::offline)
            history_ = 0;
        next = history_ == 0 ? DeviceState::online : DeviceState::degraded;
        ever_online_ = true;
    }
    else if (consecutive_failures_ >= policy_.offline_after || state_ == DeviceState::offline)
    {
        backoff_ = backoff_.count() == 0 ? policy_.first_retry : std::min(backoff_ * 2, policy_.max_retry);
        next_retry_ = now + backoff_;
        next = DeviceState::offline;
    }
    else
        next = DeviceState::degraded;
    if (next == state_)
        return std::nullopt;
    state_ = next;
    return next;
}

std::optional<DeviceState> Health::lost(Clock::time_point now)
{
    consecutive_failures_ = std::max(consecutive_failures_, policy_.offline_after);
    next_retry_ = now;
    if (state_ == DeviceState::offline)
        return std::nullopt;
    state_ = DeviceState::offline;
    return state_;
}

} // namespace motcua::modbus
