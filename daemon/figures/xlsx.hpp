#pragma once

// The report's tables as an Excel workbook (.xlsx, written by libxlsxwriter): one sheet per
// table, named as the table's `sheet`. Each sheet opens with the office, the title and the
// period (rows 1–3), then the header (a grouped column's group merged above its columns; the
// legal form's column numbers (1), (2)… under it), then the rows with the total last in bold.
// Counts are numbers, percentages numbers with a percentage format (0.0%), minutes numbers
// with one decimal, so the district's staff can compute on them.
//
// libxlsxwriter (Debian 12: 1.1.4) writes only to a file: the workbook is written in a
// private directory made for the call (mode 0700, under $TMPDIR or /tmp), read back and
// the directory removed, on success as on failure.

#include "figures/document.hpp"
#include "util/result.hpp"

#include <string>

namespace motcua::figures
{

// The .xlsx file's bytes, or Error "export_failed" naming what failed.
Result<std::string> xlsx(const Document& document);

inline constexpr const char* xlsx_content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

} // namespace motcua::figures
