#pragma once

// [register]: the dossier register's database, its working calendar and the procedure
// catalogue (issue 3; docs/register.md).

#include "util/time.hpp"

#include <map>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::config
{

// One version of a procedure (thủ tục hành chính) as the office applies it. A procedure
// may be listed several times with different effective_from dates: the version in force
// on a dossier's receipt date applies (e.g. NĐ 118/2025 from 2025-07-01).
struct Procedure
{
    std::string code;                 // mã TTHC, e.g. "1.000948.H38"
    std::string name;
    std::string field;                // lĩnh vực, for reports
    std::optional<int> days;          // processing time in working days, or
    std::optional<int> hours;         // in working hours (8 h = 1 working day), or
    bool same_day = false;            // due today; after the cut-off, the next working day
    std::optional<Date> effective_from; // absent: in force since always
    std::string deciding_agency;      // cơ quan chủ trì, optional
    std::optional<int> calendar_days; // or: processing time in calendar days (ends on a working day)
    std::optional<TimeOfDay> same_day_cutoff; // this procedure's cut-off (default: [register])
    std::vector<std::string> documents; // thành phần hồ sơ: what the receipt lists by default
    std::string fee;                    // phí, lệ phí as printed on the receipt; empty: none
};

struct Register
{
    std::string database = "/var/lib/motcua/motcua.db";
    // Directory of the yearly calendar files YYYY.toml. Default: the first search
    // directory holding a "calendar" folder; empty when none exists.
    std::string calendar_dir;
    TimeOfDay same_day_cutoff{15 * 60};
    // Legacy: when set, "early" = resolved at least this many working hours before due.
    // Absent (the default): early = resolved on an earlier working day than the due day.
    std::optional<int> early_margin_hours;
    // Opening hours of a weekday other than [office] hours (0 = Sunday … 6 = Saturday),
    // from `saturday_hours = ["07:30-11:30"]` etc.; a Saturday session counts as working
    // time for periods in hours and same-day procedures.
    std::map<unsigned, std::vector<std::pair<TimeOfDay, TimeOfDay>>> weekday_hours;
    // Whether a weekend session also counts as a working day for periods in days.
    bool sessions_count_as_days = false;
    // The forms (TT 03/2025/TT-VPCP): the authority above the office, printed on the first
    // header line ("UBND XÃ YÊN SỞ"), the place name of the date line ("Yên Sở, ngày …"),
    // and the printer `dossier receipt` uses when none is named.
    std::string authority;
    std::string place;
    std::string forms_printer;
    std::vector<Procedure> procedures;

    // The version of `code` in force on `on`, or nullptr.
    const Procedure* procedure(std::string_view code, Date on) const;
};

} // namespace motcua::config
