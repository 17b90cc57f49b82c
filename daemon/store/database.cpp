#include "store/database.hpp"

#include "store/schema.hpp"

#include <sqlite3.h>
#include <stdexcept>

namespace motcua::store
{

namespace
{

// The first words of a statement, to say which one failed without quoting data.
std::string first_words(std::string_view sql)
{
    std::string out;
    int words = 0;
    bool in_space = true;
    for (char c : sql)
    {
        bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space && !in_space && ++words == 3)
            break;
        if (!space || !in_space)
            out += space ? ' ' : c;
        in_space = space;
        if (out.size() >= 48)
            break;
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

constexpr int busy_timeout_ms = 5000;

} // namespace

bool is_database_error(const Error& e)
{
    return e.code == database_error_code || e.code == database_damaged_code || e.code == database_disk_code ||
           e.code == database_newer_code;
}

std::string_view database_error_code_for(int sqlite_code)
{
    switch (sqlite_code & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return database_damaged_code;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
        return database_disk_code;
    default:
        return database_error_code;
    }
}

Error database_error(sqlite3* db, std::string_view sql)
{
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    int code = db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
    return make_error(std::string(database_error_code_for(code)),
                      "Database error in \"" + first_words(sql) + "\": " + msg + ".");
}

// ---- Statement ------------------------------------------------------------------------

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql)
    : db_(db), stmt_(stmt), sql_(std::move(sql))
{
}

Statement::~Statement()
{
    sqlite3_finalize(stmt_);
}

namespace
{
void check_bind(int rc, sqlite3* db, const std::string& sql)
{
    if (rc != SQLITE_OK)
        throw std::logic_error("bind failed for \"" + sql + "\": " + sqlite3_errmsg(db));
}
} // namespace

Statement& Statement::bind(int index, std::int64_t value)
{
    check_bind(sqlite3_bind_int64(stmt_, index, value), db_, sql_);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    check_bind(sqlite3_bind_double(stmt_, index, value), db_, sql_);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value)
{
    // A default string_view has no data pointer, which SQLite would bind as NULL.
    check_bind(sqlite3_bind_text64(stmt_, index, value.data() ? value.data() : "", value.size(),
                                   SQLITE_TRANSIENT, SQLITE_UTF8),
               db_, sql_);
    return *this;
}

Statement& Statement::bind(int index, std::nullptr_t)
{
    check_bind(sqlite3_bind_null(stmt_, index), db_, sql_);
    return *this;
}

Result<bool> Statement::step()
{
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error e = database_error(db_, sql_);
    sqlite3_reset(stmt_);
    return e;
}

Result<void> Statement::each_row(const std::function<void(const Statement&)>& row)
{
    for (;;)
    {
        auto r = step();
        if (!r)
            return r.error();
        if (!*r)
            break;
        row(*this);
    }
    reset();
    return {};
}

Result<void> Statement::run()
{
    return each_row([](const Statement&) {});
}

void Statement::reset()
{
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int64(int index) const
{
    return sqlite3_column_int64(stmt_, index);
}

double Statement::column_double(int index) const
{
    return sqlite3_column_double(stmt_, index);
}

std::string Statement::column_text(int index) const
{
    const auto* p = sqlite3_column_text(stmt_, index);
    int n = sqlite3_column_bytes(stmt_, index);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
             : std::string();
}

bool Statement::is_null(int index) const
{
    return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

// ---- Database -------------------------------------------------------------------------

namespace
{
void rollback_hook(void* counter)
{
    ++*static_cast<std::uint64_t*>(counter);
}
} // namespace

Database::Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path))
{
    sqlite3_rollback_hook(db_, rollback_hook, &rollbacks_);
}

Database::~Database()
{
    statements_.clear(); // finalize before close
    sqlite3_close(db_);
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path)
{
    return open(path, schema_migrations());
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path,
                                                 const std::vector<Migration>& migrations)
{
    try
    {
        return open_unguarded(path, migrations);
    }
    catch (const DatabaseFault& fault)
    {
        return fault.error();
    }
}

Result<std::unique_ptr<Database>> Database::open_unguarded(const std::string& path,
                                                           const std::vector<Migration>& migrations)
{
    sqlite3* raw = nullptr;
    int rc =
        sqlite3_open_v2(path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK)
    {
        std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        sqlite3_close(raw);
        return make_error(std::string(database_error_code_for(rc)),
                          "Cannot open the database " + path + ": " + msg + ".");
    }
    std::unique_ptr<Database> db(new Database(raw, path));
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, busy_timeout_ms);

    // journal_mode answers with the mode in effect: "wal", or "memory" for ":memory:".
    auto& jm = db->prepare("PRAGMA journal_mode=WAL");
    auto row = jm.step();
    if (!row)
        return row.error();
    std::string mode = *row ? jm.column_text(0) : std::string();
    jm.reset();
    if (mode != "wal" && !(mode == "memory" && path == ":memory:"))
        return make_error(std::string(database_error_code),
                          "The database " + path +
                              " cannot use write-ahead logging (journal_mode is \"" + mode +
                              "\").");
    if (auto r = db->exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON"); !r)
        return r.error();
    if (auto r = db->migrate(migrations); !r)
        return r.error();
    return db;
}

Result<std::int64_t> Database::pragma_int(std::string_view name)
{
    auto& st = prepare("PRAGMA " + std::string(name));
    auto row = st.step();
    if (!row)
        return row.error();
    std::int64_t v = *row ? st.column_int64(0) : 0;
    st.reset();
    return v;
}

Result<void> Database::migrate(const std::vector<Migration>& migrations)
{
    auto current = pragma_int("user_version");
    if (!current)
        return current.error();
    int latest = migrations.empty() ? 0 : migrations.back().version;
    schema_version_ = static_cast<int>(*current);
    if (schema_version_ > latest)
        return make_error(std::string(database_newer_code),
                          "The database " + path_ + " has schema version " +
                              std::to_string(schema_version_) +
                              ", newer than this program's version " + std::to_string(latest) +
                              ": run a newer motcua or restore a backup.");
    int expected = 1;
    for (const auto& m : migrations)
    {
        if (m.version != expected++)
            throw std::logic_error("schema migrations must be numbered 1, 2, 3 … without gaps");
        if (m.version <= schema_version_)
            continue;
        auto r = transaction(
            [&]() -> Result<void>
            {
                for (auto step : m.steps)
                    if (auto s = exec(step); !s)
                        return s.error();
                return exec("PRAGMA user_version=" + std::to_string(m.version));
            });
        if (!r)
            return make_error(r.error().code,
                              "Migration to schema version " + std::to_string(m.version) + " (" +
                                  std::string(m.description) + ") failed: " + r.error().message);
        schema_version_ = m.version;
    }
    return {};
}

Statement& Database::prepare(std::string_view sql)
{
    auto it = statements_.find(sql);
    if (it != statements_.end())
    {
        it->second->reset();
        return *it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK)
    {
        // A damaged file or a failing disk shows first here, when SQLite reads the schema.
        if (auto code = database_error_code_for(sqlite3_extended_errcode(db_)); code != database_error_code)
            throw DatabaseFault(make_error(std::string(code), "Cannot read the database " + path_ + ": " +
                                                                  sqlite3_errmsg(db_) + "."));
        throw std::logic_error("cannot prepare \"" + std::string(sql) +
                               "\": " + sqlite3_errmsg(db_));
    }
    auto owned = std::make_unique<Statement>(db_, stmt, std::string(sql));
    auto& ref = *owned;
    statements_.emplace(std::string(sql), std::move(owned));
    return ref;
}

Result<void> Database::exec(std::string_view sql)
{
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK)
        return {};
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return make_error(std::string(database_error_code_for(sqlite3_extended_errcode(db_))),
                      "Database error in \"" + first_words(sql) + "\": " + msg + ".");
}

bool Database::in_transaction() const
{
    return sqlite3_get_autocommit(db_) == 0;
}

Result<void> Database::transaction(const std::function<Result<void>()>& body)
{
    const bool nested = depth_ > 0;
    const std::string savepoint = "motcua_sp" + std::to_string(depth_);
    if (auto r = exec(nested ? "SAVEPOINT " + savepoint : std::string("BEGIN IMMEDIATE")); !r)
        return r.error();
    auto undo = [&]
    {
        ++rollbacks_; // ROLLBACK TO does not call the rollback hook; count it ourselves
        if (nested)
            (void)exec("ROLLBACK TO " + savepoint + "; RELEASE " + savepoint);
        else if (in_transaction()) // SQLite may already have rolled back (disk full, I/O error)
            (void)exec("ROLLBACK");
    };
    ++depth_;
    Result<void> result;
    try
    {
        result = body();
    }
    catch (...)
    {
        --depth_;
        undo();
        throw;
    }
    --depth_;
    if (!result)
    {
        undo();
        return result;
    }
    if (auto r = exec(nested ? "RELEASE " + savepoint : std::string("COMMIT")); !r)
    {
        undo();
        return r.error();
    }
    return {};
}

} // namespace motcua::store
