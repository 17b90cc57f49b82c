// The dossier CSV import: csv::parse and dossier::parse_import on any bytes, with and
// without a procedure catalogue. Records parsed read back the same after being written
// with csv::record; an import is all or nothing; every error names a line; the dossiers
// of a good import export to the register CSV.

#include "dossier/csv.hpp"
#include "dossier/import_export.hpp"
#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace
{

using namespace motcua;

config::Register catalogue()
{
    config::Register reg;
    config::Procedure old_rule;
    old_rule.code = "1.000948.H38";
    old_rule.name = "Chứng thực bản sao từ bản chính";
    old_rule.field = "Tư pháp – Hộ tịch";
    old_rule.hours = 8;
    old_rule.deciding_agency = "UBND xã";
    config::Procedure new_rule = old_rule;
    new_rule.hours.reset();
    new_rule.same_day = true;
    new_rule.effective_from = parse_date("2025-07-01");
    reg.procedures = {old_rule, new_rule};
    return reg;
}

void check_csv_round_trip(std::string_view text)
{
    auto records = dossier::csv::parse(text);
    if (!records)
    {
        FUZZ_CHECK(records.error().code == "csv_syntax");
        FUZZ_CHECK(records.error().message.starts_with("line "));
        return;
    }
    int last_line = 0;
    for (const auto& rec : *records)
    {
        FUZZ_CHECK(rec.line > last_line);
        last_line = rec.line;
        FUZZ_CHECK(!rec.fields.empty());
        // Written as the export writes a file: a byte order mark first, so that a field
        // that itself starts with U+FEFF is not taken for one.
        auto again = dossier::csv::parse("\xEF\xBB\xBF" + dossier::csv::record(rec.fields));
        FUZZ_CHECK(again.ok() && again->size() == 1);
        FUZZ_CHECK(again->front().fields == rec.fields);
    }
}

void check_import(const dossier::ImportResult& r)
{
    if (!r.ok())
    {
        FUZZ_CHECK(r.dossiers.empty());
        for (const auto& e : r.errors)
        {
            FUZZ_CHECK(e.line >= 1 && !e.message.empty());
            (void)e.str();
        }
        return;
    }
    (void)dossier::format_register_csv(r.dossiers);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    check_csv_round_trip(text);
    static const auto reg = catalogue();
    check_import(dossier::parse_import(text));
    check_import(dossier::parse_import(text, &reg));
    return 0;
}
