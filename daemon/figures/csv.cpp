#include "figures/csv.hpp"

#include "dossier/csv.hpp"

#include <cmath>
#include <cstdio>

namespace motcua::figures
{

namespace
{

std::string header_name(const Column& c)
{
    std::string name = c.group.empty() ? c.name : c.group + " – " + c.name;
    if (c.kind == Kind::percent)
        name += " (%)";
    return name;
}

// Text from the register (an officer's name) must not run as a formula where it is opened.
std::string safe_text(const std::string& text)
{
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@'))
        return "'" + text;
    return text;
}

std::string number_text(double v, Kind kind)
{
    if (!std::isfinite(v))
        return {};
    char buf[64];
    switch (kind)
    {
    case Kind::percent: std::snprintf(buf, sizeof buf, "%.1f", v * 100.0); break;
    case Kind::minutes: std::snprintf(buf, sizeof buf, "%.1f", v); break;
    default: std::snprintf(buf, sizeof buf, "%.0f", v); break;
    }
    return buf;
}

} // namespace

std::string csv(const Document& document)
{
    namespace rfc = dossier::csv;
    std::string out = "\xEF\xBB\xBF";
    out += rfc::record({safe_text(document.office)});
    out += rfc::record({period_line(document.from, document.to)});
    for (const auto& table : document.tables)
    {
        out += "\r\n";
        out += rfc::record({table.title});
        std::vector<std::string> header;
        for (const auto& c : table.columns)
            header.push_back(header_name(c));
        out += rfc::record(header);
        for (const auto& row : table.rows)
        {
            std::vector<std::string> fields;
            for (std::size_t i = 0; i < row.size(); ++i)
            {
                const Kind kind = i < table.columns.size() ? table.columns[i].kind : Kind::text;
                if (const auto* text = std::get_if<std::string>(&row[i]))
                    fields.push_back(safe_text(*text));
                else
                    fields.push_back(number_text(std::get<double>(row[i]), kind));
            }
            out += rfc::record(fields);
        }
    }
    return out;
}

} // namespace motcua::figures
