#pragma once

// The desk console's accounts at run time: the user.* commands (add, passwd, disable,
// enable, list) and sign-in with the lockout rule. Rules are accounts/account.hpp's, rows
// store/accounts.hpp's; password hashing runs on a worker thread so that the bus and the
// control socket never wait the tens of milliseconds argon2id takes.

#include "accounts/account.hpp"
#include "accounts/sessions.hpp"
#include "command/registry.hpp"
#include "store/database.hpp"
#include "util/time.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <functional>
#include <string>
#include <vector>

namespace motcua::app
{

class Accounts
{
  public:
    // Commits journal rows (with an extra body) in one transaction, naming the actor:
    // Application::commit_rows.
    using CommitRows = std::function<Result<void>(const command::Actor&, std::vector<store::JournalRow>&,
                                                  const std::function<Result<void>()>&)>;

    Accounts(store::Database& db, CommitRows commit, UtcOffset tz, accounts::LockoutPolicy policy = {},
             accounts::SessionPolicy sessions = {});
    ~Accounts();

    // Adds user.add, user.passwd, user.disable, user.enable, user.list, user.sessions and
    // user.end_sessions (Access::accounts).
    void register_commands(command::Registry& commands);

    // Checks a sign-in. Errors: bad_login (unknown name or wrong password: the same answer,
    // and the same time, for both), account_disabled, account_locked. `where` (the peer's
    // address) goes into the log of failures and locks.
    boost::asio::awaitable<Result<accounts::Account>> sign_in(const std::string& name, const std::string& password,
                                                             const std::string& where);

    // The account as it is now (a session checks that it is still enabled).
    Result<std::optional<accounts::Account>> find(std::string_view name);

    // A session for a signed-in account: the cookie value to send once, and the session.
    Result<std::pair<std::string, accounts::Session>> start_session(const accounts::Account& account,
                                                                    const std::string& from);
    // The live session of a cookie, with its user's role and counters as they are now; none
    // when it expired, was ended, or its account was disabled or removed since.
    std::optional<accounts::Session> session(const std::string& cookie);
    void end_session(const std::string& cookie) { sessions_.end_by_cookie(cookie); }
    // When a session ends if nothing more is done (idle or absolute limit).
    WallTime session_expires_at(const accounts::Session& s) const { return sessions_.expires_at(s); }

  private:
    boost::asio::awaitable<Result<command::json>> add(const command::Call& call);
    boost::asio::awaitable<Result<command::json>> passwd(const command::Call& call);
    Result<command::json> set_disabled(const command::Call& call, bool disabled);
    Result<command::json> list();
    Result<command::json> list_sessions();
    Result<command::json> end_sessions(const command::Call& call);
    Result<std::optional<std::string>> hash_to_check(const std::string& name, const std::string& where);
    Result<accounts::Account> record_attempt(const std::string& name, bool good, const std::string& where);
    // Hashes on the worker thread.
    boost::asio::awaitable<Result<std::string>> hash_off_loop(const std::string& password);
    boost::asio::awaitable<bool> verify_off_loop(const std::string& stored, const std::string& password);

    store::Database& db_;
    CommitRows commit_;
    UtcOffset tz_;
    accounts::LockoutPolicy policy_;
    accounts::Sessions sessions_;
    boost::asio::thread_pool pool_{1};
};

} // namespace motcua::app
