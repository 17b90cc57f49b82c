#pragma once

#include "queue/engine.hpp"

#include <gtest/gtest.h>

namespace motcua::queue::testing
{

// An office with two services (TP numbered 1001.., DD 2001..), two priority classes,
// and three counters, built in code so each test states the rule it depends on.
inline config::Config office(config::Policy policy = config::Policy::strict, int interleave = 2, int ageing = 20)
{
    config::Config cfg;
    cfg.office.name = "Test office";
    cfg.office.unit_code = "000.00.00.H00";
    cfg.office.day_cutoff = TimeOfDay{3 * 60};
    cfg.services = {
        {"TP", 1, "Tư pháp – Hộ tịch", "Tư pháp", 1001, 1999, "TP-", std::nullopt},
        {"DD", 2, "Đất đai", "Đất đai", 2001, 2005, "DD-", 4},
    };
    cfg.priority_classes = {{"elderly", 1, "Người cao tuổi", "UT-"}, {"disabled", 2, "Người khuyết tật", ""}};
    cfg.queue.policy = policy;
    cfg.queue.interleave_normal = interleave;
    cfg.queue.ageing_minutes = ageing;
    cfg.queue.recall_limit = 2;
    cfg.queue.readmit_tolerance_minutes = 30;
    cfg.counters = {{1, "Quầy 1", {"TP"}}, {2, "Quầy 2", {"DD", "TP"}}, {3, "Quầy 3", {"TP", "DD"}}};
    return cfg;
}

// 2025-07-01 08:00 local (UTC+7) plus an offset in seconds.
inline Now at(int seconds_after_8am, int day_offset = 0)
{
    using namespace std::chrono;
    auto base = from_local(Date{year{2025}, July, day{1}}, TimeOfDay{8 * 60}, UtcOffset{});
    auto wall = base + days{day_offset} + seconds{seconds_after_8am};
    return Now{wall, nanoseconds{(static_cast<long long>(day_offset) * 86400 + seconds_after_8am + 1000) * 1'000'000'000LL}};
}

// Decides and applies, as the application does after committing.
template <class R>
Event commit(Engine& e, R&& decided)
{
    EXPECT_TRUE(decided.ok()) << (decided.ok() ? "" : decided.error().message);
    Event ev = decided.value();
    e.apply(ev);
    return ev;
}

inline void start_day(Engine& e, const Now& now)
{
    if (auto roll = e.rollover(now))
        e.apply(*roll);
}

} // namespace motcua::queue::testing
