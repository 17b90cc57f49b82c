#pragma once

// The report's tables as one CSV file for a spreadsheet: UTF-8 with a BOM (so Excel reads
// the Vietnamese text as UTF-8), RFC 4180 (comma, double quotes, CRLF). The file opens with
// the office and the period; then each table in document order: its title on one line, its
// header (a grouped column is named "group – name", a percentage column ends in "(%)"), its
// rows, the total last, and a blank line. Counts are whole numbers, percentages have one
// decimal (42.3 for 42.3 %), minutes one decimal, with a decimal point. A text cell that
// would start a spreadsheet formula (=, +, -, @) is prefixed with an apostrophe.

#include "figures/document.hpp"

#include <string>

namespace motcua::figures
{

std::string csv(const Document& document);

} // namespace motcua::figures
