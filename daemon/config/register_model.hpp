#pragma once

// [register]: the dossier register's database, its working calendar and the procedure
// catalogue (issue 3; docs/register.md).

#include "util/time.hpp"

#include <optional>
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
};

struct Register
{
    std::string database = "/var/lib/motcua/motcua.db";
    // Directory of the yearly calendar files YYYY.toml. Default: the first search
    // directory holding a "calendar" folder; empty when none exists.
    std::string calendar_dir;
    TimeOfDay same_day_cutoff{15 * 60};
    // A dossier resolved at least this long before its due time counts as early.
    int early_margin_hours = 24;
    std::vector<Procedure> procedures;

    // The version of `code` in force on `on`, or nullptr.
    const Procedure* procedure(std::string_view code, Date on) const;
};

} // namespace motcua::config
