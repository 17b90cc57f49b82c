#pragma once

// Dossier codes per TT 01/2018 Điều 19: `<unit code>-YYMMDD-NNNN`, e.g.
// 000.17.22.H56-210531-0001. The unit code is opaque text (QCVN 102:2016 levels joined by
// dots); NNNN is the unit's sequence of that day, allocated by the store in the
// transaction that writes the register row. This file only formats, parses and checks.

#include "util/result.hpp"
#include "util/time.hpp"

#include <string>
#include <string_view>

namespace motcua::dossier
{

inline constexpr int max_daily_sequence = 9999;

struct DossierCode
{
    std::string unit;  // "000.17.22.H56"
    Date date{};       // receipt date (years 2000-2099)
    int sequence = 0;  // 1..9999
};

// A unit code: 1..64 characters of ASCII letters, digits, '.', '_' and '-'.
Result<void> validate_unit_code(std::string_view unit);
Result<std::string> format_code(std::string_view unit, Date date, int sequence);
// Splits from the right, so a unit code holding '-' still parses.
Result<DossierCode> parse_code(std::string_view code);

} // namespace motcua::dossier
