#include "dossier/register_rules.hpp"

namespace motcua::dossier
{

calendar::DueRules register_due_rules(const config::Config& cfg)
{
    calendar::DueRules r;
    r.office_hours = cfg.office.hours;
    if (r.office_hours.empty())
        r.office_hours = {{TimeOfDay{7 * 60 + 30}, TimeOfDay{11 * 60 + 30}}, {TimeOfDay{13 * 60 + 30}, TimeOfDay{17 * 60}}};
    r.weekday_hours = cfg.reg.weekday_hours;
    r.sessions_count_as_days = cfg.reg.sessions_count_as_days;
    r.same_day_cutoff = cfg.reg.same_day_cutoff;
    return r;
}

TimingRules register_timing_rules(const config::Config& cfg,
                                           std::shared_ptr<const calendar::Calendar> calendar)
{
    TimingRules rules;
    if (const auto& m = cfg.reg.early_margin_hours)
        rules.early_margin = std::chrono::minutes(std::int64_t{*m} * 60);
    if (calendar)
        rules.working_minutes = [cal = std::move(calendar), due = register_due_rules(cfg)](LocalDateTime from,
                                                                                          LocalDateTime to) {
            if (to_minutes(to) <= to_minutes(from))
                return std::int64_t{0};
            auto w = cal->working_minutes(from, to, due);
            // Outside the calendar's years: wall-clock minutes, the only measure left.
            return w ? *w : to_minutes(to) - to_minutes(from);
        };
    return rules;
}

} // namespace motcua::dossier
