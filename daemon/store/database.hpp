#pragma once

// One SQLite connection with the pragmas every durable table needs (WAL, synchronous=FULL,
// foreign keys), forward schema migrations keyed on PRAGMA user_version, cached prepared
// statements and IMMEDIATE transactions. Used from the main thread only.
//
// Failures SQLite reports at run time are values: motcua::Error with code "database"
// (constraint, busy…), "database_damaged" (the file is corrupt or not a database),
// "database_disk" (disk full, I/O error, cannot open or write the file) or
// "database_newer" (schema newer than the program). SQL that does not prepare or a bind to
// a missing parameter is a programming error and throws std::logic_error; a statement
// that cannot be prepared because the file is damaged or the disk fails throws
// DatabaseFault, which the composition root turns into a clean exit.

#include "util/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace motcua::store
{

// Error codes of the failures this module reports (see the top of this file).
inline constexpr std::string_view database_error_code = "database";
inline constexpr std::string_view database_damaged_code = "database_damaged";
inline constexpr std::string_view database_disk_code = "database_disk";
inline constexpr std::string_view database_newer_code = "database_newer";

// True for every code above.
bool is_database_error(const Error& e);

// The code for an SQLite result code: damaged for SQLITE_CORRUPT / SQLITE_NOTADB, disk for
// SQLITE_IOERR / SQLITE_FULL / SQLITE_CANTOPEN / SQLITE_READONLY, else "database".
std::string_view database_error_code_for(int sqlite_code);

// Thrown where a value cannot be returned (prepare) for a damaged file or a failing disk.
class DatabaseFault : public std::runtime_error
{
  public:
    explicit DatabaseFault(Error e) : std::runtime_error(e.message), error_(std::move(e)) {}
    const Error& error() const { return error_; }

  private:
    Error error_;
};

// One step of the schema: applied once, in one transaction, then user_version = version.
struct Migration
{
    int version = 0;                     // 1, 2, 3 … without gaps
    std::string_view description;        // "tickets and journal"
    std::vector<std::string_view> steps; // SQL statements, run in order
};

class Statement
{
  public:
    Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are numbered from 1, as in SQLite. Text is copied.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, std::nullptr_t);

    // true: a row is available; false: done. An error resets the statement.
    Result<bool> step();
    // Steps until done, calling `row` for each result row, then resets.
    Result<void> each_row(const std::function<void(const Statement&)>& row);
    // Steps until done (for statements that return no rows), then resets.
    Result<void> run();
    // Ready for another use; bindings are cleared too.
    void reset();

    // Columns are numbered from 0, as in SQLite.
    std::int64_t column_int64(int index) const;
    double column_double(int index) const;
    std::string column_text(int index) const;
    bool is_null(int index) const;

    const std::string& sql() const { return sql_; }

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
    std::string sql_;
};

class Database
{
  public:
    // Opens (creating if needed) the file at `path`, or ":memory:". The parent directory
    // must exist. Applies the pragmas, then the project's migrations (store/schema.hpp).
    static Result<std::unique_ptr<Database>> open(const std::string& path);
    // The same with a given migration list (tests, tools).
    static Result<std::unique_ptr<Database>> open(const std::string& path,
                                                  const std::vector<Migration>& migrations);

    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // A cached prepared statement for this exact SQL text, reset and with no bindings.
    // One user at a time: do not prepare the same text again while stepping it.
    Statement& prepare(std::string_view sql);

    // Runs SQL without results (one or more statements), e.g. "PRAGMA optimize".
    Result<void> exec(std::string_view sql);

    // BEGIN IMMEDIATE, body, COMMIT. An Error from the body or the commit rolls back and
    // is returned; an exception rolls back and is rethrown. Nested calls use a SAVEPOINT.
    Result<void> transaction(const std::function<Result<void>()>& body);
    bool in_transaction() const;

    // Counts rollbacks on this connection, so in-memory caches of table contents (the
    // journal's last hash) know when to reload.
    std::uint64_t rollback_generation() const { return rollbacks_; }

    int schema_version() const { return schema_version_; }
    const std::string& path() const { return path_; }
    sqlite3* handle() const { return db_; }

  private:
    Database(sqlite3* db, std::string path);
    static Result<std::unique_ptr<Database>> open_unguarded(const std::string& path,
                                                            const std::vector<Migration>& migrations);
    Result<void> migrate(const std::vector<Migration>& migrations);
    Result<std::int64_t> pragma_int(std::string_view name);

    sqlite3* db_;
    std::string path_;
    int schema_version_ = 0;
    int depth_ = 0;
    std::uint64_t rollbacks_ = 0;
    struct SqlHash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const
        {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>>
        statements_;
};

// "database" Error with SQLite's message and the first words of the SQL.
Error database_error(sqlite3* db, std::string_view sql);

} // namespace motcua::store
