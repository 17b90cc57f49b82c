#pragma once

// A device's state from its recent replies. Pure: time is passed in.
//   online   the last kHistory transactions all succeeded
//   degraded some of them failed, fewer than offline_after in a row
//   offline  offline_after consecutive failures; retried with exponential back-off
// A device starts offline (never heard from) and comes online on its first reply.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace motcua::modbus
{

enum class DeviceState
{
    online,
    degraded,
    offline,
};

std::string_view to_string(DeviceState s);

struct HealthPolicy
{
    int offline_after = 3; // consecutive failures
    std::chrono::milliseconds first_retry{250};
    std::chrono::milliseconds max_retry{5000};
};

class Health
{
  public:
    using Clock = std::chrono::steady_clock;
    explicit Health(HealthPolicy policy = {}) : policy_(policy) {}

    // Records one transaction; returns the new state when it changed.
    std::optional<DeviceState> record(bool ok, Clock::time_point now);

    // The port closed under it: offline at once, retried when the port is back.
    std::optional<DeviceState> lost(Clock::time_point now);

    DeviceState state() const { return state_; }
    // An offline device may be tried again at or after this instant.
    Clock::time_point next_retry() const { return next_retry_; }
    bool retry_due(Clock::time_point now) const { return state_ != DeviceState::offline || now >= next_retry_; }
    bool ever_online() const { return ever_online_; }

  private:
    static constexpr int kHistory = 8;
    HealthPolicy policy_;
    DeviceState state_ = DeviceState::offline;
    std::uint32_t history_ = 0; // bit i set = i-th most recent transaction failed
    int consecutive_failures_ = 0;
    std::chrono::milliseconds backoff_{0};
    Clock::time_point next_retry_{};
    bool ever_online_ = false;
};

} // namespace motcua::modbus
