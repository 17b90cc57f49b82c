#pragma once

// `dossier import FILE.csv` and `dossier export --format csv` (docs/register.md lists the
// columns). Pure: text in, records or errors out; records in, text out.

#include "config/register_model.hpp"
#include "dossier/lifecycle.hpp"
#include "dossier/record.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace motcua::dossier
{

struct ImportError
{
    int line = 0;        // 1-based line of the CSV record (the header is line 1)
    std::string column;  // empty for errors about the whole record
    std::string message;
    std::string str() const; // "line 7, column channel: ..."
};

struct ImportResult
{
    std::vector<Dossier> dossiers; // empty whenever errors is not: all or nothing
    std::vector<int> lines;        // the CSV line of each dossier
    std::vector<ImportError> errors;
    bool ok() const { return errors.empty(); }
};

// The import columns, in the order the documentation lists them; required ones first.
const std::vector<std::string>& import_columns();

struct ImportOptions
{
    // With a catalogue, every procedure code must be in force on its row's receipt date,
    // and the procedure's name, field, deciding agency and processing time fill the
    // columns left empty.
    const config::Register* catalogue = nullptr;
    // With a calendar, an empty due_at is computed from the catalogue's procedure.
    const DueContext* due = nullptr;
    // A receipt more than a day after `now` is refused (a typo in the year, a wrong clock).
    std::optional<LocalDateTime> now;
    // The receiving unit of rows that leave the column empty.
    std::string receiving_unit;
};

// Parses an import file. Every error of the file is reported, each with its line (and
// column); nothing else is returned then. Text must be UTF-8 (a file in TCVN3 or
// Windows-1258 is named as such); names, addresses and other text are normalised to NFC
// and may not hold control characters; names are at most 200 characters. The lifecycle
// columns (transferred_at, result_at, returned_at, closed_at with close_reason) record a
// dossier handled elsewhere; they set its status when the status column is empty.
ImportResult parse_import(std::string_view csv_text, const ImportOptions& options);
ImportResult parse_import(std::string_view csv_text, const config::Register* catalogue = nullptr);

struct ExportOptions
{
    bool bom = true; // a UTF-8 byte order mark, so spreadsheet programs read Vietnamese right
};

// The register as the A4 table (the register book's columns, TT 03/2025 Mẫu 07 / TT 01/2018
// Mẫu 06, plus the result delivery), one row per dossier in the order given, CRLF line ends.
std::string format_register_csv(const std::vector<Dossier>& dossiers, const ExportOptions& options = {});

// "08:15 03/02/2025", as printed on Vietnamese forms.
std::string format_form_time(LocalDateTime t);

} // namespace motcua::dossier
