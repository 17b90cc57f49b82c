#pragma once

// The accounts table of the desk console (migration 5) as typed rows. The rules (names,
// roles, lockout) are accounts/account.hpp's; every change is also a journal row
// ("account.*", written by the caller) that never holds the password hash.

#include "store/database.hpp"
#include "store/journal.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace motcua::store
{

const Migration& accounts_migration();

struct AccountRow
{
    std::string name;
    std::string role;          // clerk | supervisor | technician | admin
    std::string counters;      // "1,3"
    std::string password_hash; // libsodium's argon2id string
    bool disabled = false;
    int failed_logins = 0;
    std::optional<WallTime> locked_until;
    WallTime created{};
    WallTime password_changed{};
};

Result<std::optional<AccountRow>> find_account(Database& db, std::string_view name);
Result<std::vector<AccountRow>> list_accounts(Database& db); // by name

// Errors: user_exists.
Result<void> insert_account(Database& db, const AccountRow& row);
// Errors: unknown_user (for all three).
Result<void> update_account(Database& db, const AccountRow& row); // role, counters, disabled
Result<void> set_password_hash(Database& db, std::string_view name, std::string_view hash, WallTime now);
Result<void> save_login_state(Database& db, std::string_view name, int failed_logins,
                              std::optional<WallTime> locked_until);

// Journal kinds of account changes.
inline constexpr std::string_view kind_account_added = "account.added";
inline constexpr std::string_view kind_account_changed = "account.changed";
inline constexpr std::string_view kind_account_password = "account.password_changed";
inline constexpr std::string_view kind_account_locked = "account.locked";

} // namespace motcua::store
