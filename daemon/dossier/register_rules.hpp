#pragma once

// The register's rules as the config sets them, in one place for every module that needs
// them (the register commands, the forms): the due-time rules and the on-time rules on the
// office's working calendar.

#include "calendar/calendar.hpp"
#include "config/model.hpp"
#include "dossier/timing.hpp"
#include "dossier/record.hpp"

#include <memory>

namespace motcua::dossier
{

// Opening hours (default 07:30-11:30, 13:30-17:00), weekday sessions, same-day cut-off.
calendar::DueRules register_due_rules(const config::Config& cfg);

// On-time rules: working minutes on `calendar` (wall-clock minutes outside its years, or
// without a calendar), the legacy early margin when configured.
TimingRules register_timing_rules(const config::Config& cfg,
                                  std::shared_ptr<const calendar::Calendar> calendar);

} // namespace motcua::dossier
