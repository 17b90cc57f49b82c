#include "store/accounts.hpp"

#include <sqlite3.h>

namespace motcua::store
{

namespace
{
// Version 5: local accounts of the desk console.
const Migration accounts_table{
    5,
    "accounts",
    {
        R"sql(
CREATE TABLE accounts (
    name             TEXT    PRIMARY KEY,
    role             TEXT    NOT NULL CHECK (role IN ('clerk', 'supervisor', 'technician', 'admin')),
    counters         TEXT    NOT NULL DEFAULT '',  -- "1,3": a clerk's counters
    password_hash    TEXT    NOT NULL,             -- argon2id, libsodium's string form
    disabled         INTEGER NOT NULL DEFAULT 0,
    failed_logins    INTEGER NOT NULL DEFAULT 0,   -- wrong passwords in a row
    locked_until_ms  INTEGER,                      -- wall ms; NULL: not locked
    created_ms       INTEGER NOT NULL,
    password_ms      INTEGER NOT NULL              -- when the password was last set
))sql",
    },
};

constexpr std::string_view columns =
    "name, role, counters, password_hash, disabled, failed_logins, locked_until_ms, created_ms, password_ms";

WallTime wall(std::int64_t ms) { return WallTime{std::chrono::milliseconds{ms}}; }
std::int64_t ms(WallTime t) { return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count(); }

AccountRow read_row(const Statement& st)
{
    AccountRow r;
    r.name = st.column_text(0);
    r.role = st.column_text(1);
    r.counters = st.column_text(2);
    r.password_hash = st.column_text(3);
    r.disabled = st.column_int64(4) != 0;
    r.failed_logins = static_cast<int>(st.column_int64(5));
    if (!st.is_null(6))
        r.locked_until = wall(st.column_int64(6));
    r.created = wall(st.column_int64(7));
    r.password_changed = wall(st.column_int64(8));
    return r;
}

Result<void> changed_one(Database& db, std::string_view name)
{
    if (sqlite3_changes(db.handle()) == 1)
        return {};
    return make_error("unknown_user", "There is no user \"" + std::string(name) + "\".");
}
} // namespace

const Migration& accounts_migration() { return accounts_table; }

Result<std::optional<AccountRow>> find_account(Database& db, std::string_view name)
{
    std::optional<AccountRow> out;
    auto& st = db.prepare("SELECT " + std::string(columns) + " FROM accounts WHERE name = ?");
    st.bind(1, name);
    if (auto r = st.each_row([&](const Statement& s) { out = read_row(s); }); !r)
        return r.error();
    return out;
}

Result<std::vector<AccountRow>> list_accounts(Database& db)
{
    std::vector<AccountRow> out;
    auto& st = db.prepare("SELECT " + std::string(columns) + " FROM accounts ORDER BY name");
    if (auto r = st.each_row([&](const Statement& s) { out.push_back(read_row(s)); }); !r)
        return r.error();
    return out;
}

Result<void> insert_account(Database& db, const AccountRow& row)
{
    auto existing = find_account(db, row.name);
    if (!existing)
        return existing.error();
    if (*existing)
        return make_error("user_exists", "There is already a user \"" + row.name + "\".");
    auto& st = db.prepare("INSERT INTO accounts (" + std::string(columns) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, row.name).bind(2, row.role).bind(3, row.counters).bind(4, row.password_hash);
    st.bind(5, row.disabled ? 1 : 0).bind(6, row.failed_logins);
    if (row.locked_until)
        st.bind(7, ms(*row.locked_until));
    else
        st.bind(7, nullptr);
    st.bind(8, ms(row.created)).bind(9, ms(row.password_changed));
    return st.run();
}

Result<void> update_account(Database& db, const AccountRow& row)
{
    auto& st = db.prepare("UPDATE accounts SET role = ?, counters = ?, disabled = ? WHERE name = ?");
    st.bind(1, row.role).bind(2, row.counters).bind(3, row.disabled ? 1 : 0).bind(4, row.name);
    if (auto r = st.run(); !r)
        return r;
    return changed_one(db, row.name);
}

Result<void> set_password_hash(Database& db, std::string_view name, std::string_view hash, WallTime now)
{
    // A new password also lifts a lock: the administrator has spoken to the person.
    auto& st = db.prepare("UPDATE accounts SET password_hash = ?, password_ms = ?, failed_logins = 0, "
                          "locked_until_ms = NULL WHERE name = ?");
    st.bind(1, hash).bind(2, ms(now)).bind(3, name);
    if (auto r = st.run(); !r)
        return r;
    return changed_one(db, name);
}

Result<void> save_login_state(Database& db, std::string_view name, int failed_logins,
                              std::optional<WallTime> locked_until)
{
    auto& st = db.prepare("UPDATE accounts SET failed_logins = ?, locked_until_ms = ? WHERE name = ?");
    st.bind(1, failed_logins);
    if (locked_until)
        st.bind(2, ms(*locked_until));
    else
        st.bind(2, nullptr);
    st.bind(3, name);
    if (auto r = st.run(); !r)
        return r;
    return changed_one(db, name);
}

} // namespace motcua::store
