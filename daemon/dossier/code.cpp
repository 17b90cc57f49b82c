#include "dossier/code.hpp"

#include <charconv>
#include <cstdio>

namespace motcua::dossier
{

namespace chr = std::chrono;

namespace
{
bool digits(std::string_view s)
{
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return !s.empty();
}

int to_int(std::string_view s)
{
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}
} // namespace

Result<void> validate_unit_code(std::string_view unit)
{
    if (unit.empty() || unit.size() > 64)
        return make_error("invalid_unit_code", "a unit code must be 1 to 64 characters long");
    for (char c : unit)
    {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-';
        if (!ok)
            return make_error("invalid_unit_code", "unit code \"" + std::string(unit) +
                                                       "\" may hold only ASCII letters, digits, '.', '_' and '-'");
    }
    return {};
}

Result<std::string> format_code(std::string_view unit, Date date, int sequence)
{
    if (auto ok = validate_unit_code(unit); !ok)
        return ok.error();
    int year = static_cast<int>(date.year());
    if (!date.ok() || year < 2000 || year > 2099)
        return make_error("invalid_date", "a dossier code holds a receipt date in 2000-2099");
    if (sequence < 1 || sequence > max_daily_sequence)
        return make_error("sequence_exhausted", "the daily dossier sequence runs from 0001 to 9999; " +
                                                    std::to_string(sequence) + " is outside it");
    char buf[32];
    std::snprintf(buf, sizeof buf, "-%02d%02u%02u-%04d", year % 100, static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), sequence);
    return std::string(unit) + buf;
}

Result<DossierCode> parse_code(std::string_view code)
{
    auto bad = [&] {
        return make_error("invalid_dossier_code", "\"" + std::string(code) +
                                                      "\" is not a dossier code <unit>-YYMMDD-NNNN");
    };
    // "-YYMMDD-NNNN" is 12 characters.
    if (code.size() < 13)
        return bad();
    auto tail = code.substr(code.size() - 12);
    if (tail[0] != '-' || tail[7] != '-' || !digits(tail.substr(1, 6)) || !digits(tail.substr(8, 4)))
        return bad();
    DossierCode out;
    out.unit = std::string(code.substr(0, code.size() - 12));
    if (!validate_unit_code(out.unit))
        return bad();
    out.date = Date{chr::year{2000 + to_int(tail.substr(1, 2))}, chr::month{static_cast<unsigned>(to_int(tail.substr(3, 2)))},
                    chr::day{static_cast<unsigned>(to_int(tail.substr(5, 2)))}};
    out.sequence = to_int(tail.substr(8, 4));
    if (!out.date.ok() || out.sequence < 1)
        return bad();
    return out;
}

} // namespace motcua::dossier
