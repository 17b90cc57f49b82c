#include "database_peek.hpp"

#include <sqlite3.h>

#include <memory>
#include <stdexcept>

namespace motcua::testing
{

std::string query_value(const std::string& database, const std::string& sql)
{
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(database.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
    if (rc != SQLITE_OK)
        throw std::runtime_error("cannot open " + database + ": " + sqlite3_errmsg(raw));
    sqlite3_busy_timeout(raw, 2000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(raw, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(raw));
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement(st, &sqlite3_finalize);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return "";
    if (rc != SQLITE_ROW)
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(raw));
    const auto* text = sqlite3_column_text(st, 0);
    return text ? reinterpret_cast<const char*>(text) : "";
}

} // namespace motcua::testing
