#pragma once

// RFC 4180 CSV: comma-separated, fields optionally in double quotes ("" inside quotes is a
// quote; quoted fields may span lines), LF or CRLF line ends, an optional UTF-8 BOM.

#include "util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace motcua::dossier::csv
{

struct Record
{
    int line = 0; // physical line where the record starts, 1-based
    std::vector<std::string> fields;
};

// Blank lines are skipped. Error (code "csv_syntax") with the line number for a quote
// that never closes or text after a closing quote.
Result<std::vector<Record>> parse(std::string_view text);

// One field, quoted when it holds a comma, quote, CR or LF.
std::string field(std::string_view value);
// A record ending in CRLF.
std::string record(const std::vector<std::string>& fields);

} // namespace motcua::dossier::csv
