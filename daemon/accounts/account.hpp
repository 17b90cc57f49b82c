#pragma once

// Local accounts of the desk console: who may sign in, in which role, for which counters,
// and the lockout rule after wrong passwords. Pure: no I/O, time passed in. The store keeps
// the rows (store/accounts.hpp); util/password.hpp hashes and checks the passwords.

#include "command/actor.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace motcua::accounts
{

struct Account
{
    std::string name;              // "lan.nguyen": what the journal's actor "user:NAME" names
    command::Role role = command::Role::clerk;
    std::set<int> counters;        // a clerk's counters; empty for the other roles
    bool disabled = false;
    int failed_logins = 0;         // wrong passwords since the last good one
    std::optional<WallTime> locked_until;
};

// The roles an account can have (none and device are not people's roles).
std::optional<command::Role> role_from_string(std::string_view s);

// A user name: 1..32 of a-z 0-9 . _ -, starting with a letter. Lower case only, so that
// "Lan" and "lan" are never two accounts. The error names the rule broken.
Result<void> check_name(std::string_view name);

// "1,3,5" → {1,3,5}: counters 1..99, no repeats. Empty text → no counters.
Result<std::set<int>> parse_counters(std::string_view text);
std::string counters_text(const std::set<int>& counters); // {1,3} → "1,3"

// A clerk serves at least one counter; the other roles serve none (a supervisor acts on
// every counter already).
Result<void> check_role_counters(command::Role role, const std::set<int>& counters);

// At least 10 characters (Unicode code points), at most 128 bytes, not the user name, and
// not all one character. Long passphrases beat composition rules (NIST SP 800-63B 5.1.1).
Result<void> check_password(std::string_view name, std::string_view password);

struct LockoutPolicy
{
    int max_failures = 5;                       // wrong passwords in a row that lock
    std::chrono::minutes lock_for{15};          // how long the lock lasts
};

// Before the password is even checked: may this account try to sign in now? Errors:
// account_disabled, account_locked (with the time it opens, local).
Result<void> may_try_login(const Account& a, WallTime now);

// The account after a login attempt with a right (`good`) or wrong password. A wrong one
// counts; the max_failures-th in a row locks the account for lock_for and starts the count
// again. A good one clears the count and any lock that has run out.
Account after_login(Account a, bool good, WallTime now, const LockoutPolicy& policy = {});

// The actor a signed-in account acts as (command::Actor::web_user).
command::Actor actor_of(const Account& a);

} // namespace motcua::accounts
