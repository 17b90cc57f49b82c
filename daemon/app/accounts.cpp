#include "app/accounts.hpp"

#include "command/args.hpp"
#include "store/accounts.hpp"
#include "util/password.hpp"
#include "util/time.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <sys/random.h>

namespace motcua::app
{

namespace
{
using boost::asio::awaitable;
using command::json;

constexpr std::size_t max_password_bytes = 128;

Result<accounts::Account> account_of(const store::AccountRow& row)
{
    accounts::Account a;
    a.name = row.name;
    auto role = accounts::role_from_string(row.role);
    auto counters = accounts::parse_counters(row.counters);
    if (!role || !counters)
        return make_error("database", "The account \"" + row.name + "\" has a role or counters this version cannot read.");
    a.role = *role;
    a.counters = std::move(*counters);
    a.disabled = row.disabled;
    a.failed_logins = row.failed_logins;
    a.locked_until = row.locked_until;
    return a;
}

// What user.list and user.add answer: never the hash.
json account_json(const store::AccountRow& row, UtcOffset tz)
{
    json j{{"name", row.name},
           {"role", row.role},
           {"counters", json::array()},
           {"disabled", row.disabled},
           {"failed_logins", row.failed_logins},
           {"created", format_iso(row.created, tz)},
           {"password_changed", format_iso(row.password_changed, tz)}};
    if (auto counters = accounts::parse_counters(row.counters))
        for (int c : *counters)
            j["counters"].push_back(c);
    if (row.locked_until)
        j["locked_until"] = format_iso(*row.locked_until, tz);
    return j;
}

store::JournalRow account_row(std::string_view kind, const Now& now, json payload)
{
    store::JournalRow row;
    row.kind = std::string(kind);
    row.wall = now.wall;
    row.mono_ns = now.mono.count();
    row.payload = payload.dump();
    return row;
}

std::string user_name_arg(const json& args, const char* key = "name")
{
    auto name = command::string_arg(args, key, 32);
    if (auto ok = accounts::check_name(name); !ok)
        throw command::BadArgument(ok.error().message);
    return name;
}

std::string password_arg(const json& args, const std::string& name)
{
    auto password = command::string_arg(args, "password", max_password_bytes);
    if (auto ok = accounts::check_password(name, password); !ok)
        throw command::BadArgument(ok.error().message);
    return password;
}
} // namespace

Accounts::Accounts(store::Database& db, CommitRows commit, UtcOffset tz, accounts::LockoutPolicy policy,
                   accounts::SessionPolicy sessions)
    : db_(db), commit_(std::move(commit)), tz_(tz), policy_(policy), sessions_(sessions)
{
}

Accounts::~Accounts() { pool_.join(); }

awaitable<Result<std::string>> Accounts::hash_off_loop(const std::string& password)
{
    // Raw pointer capture: GCC 12 destroys a coroutine lambda's owning captures twice.
    const std::string* p = &password;
    auto hashed = co_await boost::asio::co_spawn(
        pool_,
        [p]() -> awaitable<std::string> {
            auto h = password::hash(*p);
            co_return h ? std::move(*h) : std::string();
        },
        boost::asio::use_awaitable);
    if (hashed.empty())
        co_return make_error("out_of_memory", "Not enough memory to hash the password.");
    co_return hashed;
}

awaitable<bool> Accounts::verify_off_loop(const std::string& stored, const std::string& password)
{
    const std::string* s = &stored;
    const std::string* p = &password;
    co_return co_await boost::asio::co_spawn(
        pool_, [s, p]() -> awaitable<bool> { co_return password::verify(*s, *p); }, boost::asio::use_awaitable);
}

awaitable<Result<json>> Accounts::add(const command::Call& call)
{
    const auto name = user_name_arg(call.args);
    auto role = accounts::role_from_string(command::string_arg(call.args, "role", 16));
    if (!role)
        throw command::BadArgument("argument \"role\" must be clerk, supervisor, technician or admin");
    auto counters = accounts::parse_counters(command::optional_string_arg(call.args, "counters", 300));
    if (!counters)
        throw command::BadArgument(counters.error().message);
    if (auto ok = accounts::check_role_counters(*role, *counters); !ok)
        throw command::BadArgument(ok.error().message);
    const auto password = password_arg(call.args, name);

    auto hashed = co_await hash_off_loop(password);
    if (!hashed)
        co_return hashed.error();
    const auto now = now_from_clocks();
    store::AccountRow row;
    row.name = name;
    row.role = command::to_string(*role);
    row.counters = accounts::counters_text(*counters);
    row.password_hash = std::move(*hashed);
    row.created = now.wall;
    row.password_changed = now.wall;
    std::vector<store::JournalRow> rows{account_row(
        store::kind_account_added, now, {{"name", row.name}, {"role", row.role}, {"counters", row.counters}})};
    if (auto r = commit_(call.actor, rows, [&] { return store::insert_account(db_, row); }); !r)
        co_return r.error();
    spdlog::info("Account added user={} role={} counters={} actor={}", row.name, row.role, row.counters,
                 call.actor.label());
    co_return account_json(row, tz_);
}

awaitable<Result<json>> Accounts::passwd(const command::Call& call)
{
    const auto name = user_name_arg(call.args);
    const auto password = password_arg(call.args, name);
    auto existing = store::find_account(db_, name);
    if (!existing)
        co_return existing.error();
    if (!*existing)
        co_return make_error("unknown_user", "There is no user \"" + name + "\".");
    auto hashed = co_await hash_off_loop(password);
    if (!hashed)
        co_return hashed.error();
    const auto now = now_from_clocks();
    std::vector<store::JournalRow> rows{account_row(store::kind_account_password, now, {{"name", name}})};
    if (auto r = commit_(call.actor, rows, [&] { return store::set_password_hash(db_, name, *hashed, now.wall); }); !r)
        co_return r.error();
    const int ended = sessions_.end_user(name); // whoever knew the old password is out
    spdlog::info("Account password changed user={} actor={} sessions_ended={}", name, call.actor.label(), ended);
    co_return json{{"name", name}, {"password_changed", format_iso(now.wall, tz_)}};
}

Result<json> Accounts::set_disabled(const command::Call& call, bool disabled)
{
    const auto name = user_name_arg(call.args);
    auto existing = store::find_account(db_, name);
    if (!existing)
        return existing.error();
    if (!*existing)
        return make_error("unknown_user", "There is no user \"" + name + "\".");
    auto row = **existing;
    if (row.disabled == disabled)
        return account_json(row, tz_); // already so: nothing to journal
    row.disabled = disabled;
    const auto now = now_from_clocks();
    std::vector<store::JournalRow> rows{account_row(store::kind_account_changed, now, {{"name", name}, {"disabled", disabled}})};
    if (auto r = commit_(call.actor, rows, [&] { return store::update_account(db_, row); }); !r)
        return r.error();
    const int ended = disabled ? sessions_.end_user(name) : 0;
    spdlog::info("Account {} user={} actor={} sessions_ended={}", disabled ? "disabled" : "enabled", name,
                 call.actor.label(), ended);
    return account_json(row, tz_);
}

Result<json> Accounts::list()
{
    auto rows = store::list_accounts(db_);
    if (!rows)
        return rows.error();
    json users = json::array();
    for (const auto& row : *rows)
        users.push_back(account_json(row, tz_));
    return json{{"users", users}};
}

Result<std::optional<accounts::Account>> Accounts::find(std::string_view name)
{
    auto row = store::find_account(db_, name);
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<accounts::Account>{};
    auto a = account_of(**row);
    if (!a)
        return a.error();
    return std::optional<accounts::Account>{std::move(*a)};
}

namespace
{
Error bad_login() { return make_error("bad_login", "Wrong user name or password."); }
} // namespace

// The stored hash to check, or none for an unknown name; an error when the account may
// not try now (disabled, locked).
Result<std::optional<std::string>> Accounts::hash_to_check(const std::string& name, const std::string& where)
{
    auto row = store::find_account(db_, name);
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<std::string>{};
    auto account = account_of(**row);
    if (!account)
        return account.error();
    if (auto may = accounts::may_try_login(*account, now_from_clocks().wall); !may)
    {
        spdlog::warn("Sign-in refused user={} from={} reason={}", name, where, may.error().code);
        return may.error();
    }
    return std::optional<std::string>{(*row)->password_hash};
}

// Counts the attempt (the lockout rule) and answers it.
Result<accounts::Account> Accounts::record_attempt(const std::string& name, bool good, const std::string& where)
{
    // Read again: the row may have changed while the hash was checked (another attempt).
    auto fresh = find(name);
    if (!fresh)
        return fresh.error();
    if (!*fresh)
        return bad_login();
    const auto now = now_from_clocks();
    const bool was_locked = (*fresh)->locked_until && now.wall < *(*fresh)->locked_until;
    auto after = accounts::after_login(**fresh, good, now.wall, policy_);
    const bool locks_now = !was_locked && after.locked_until && now.wall < *after.locked_until;
    if (locks_now)
    {
        std::vector<store::JournalRow> rows{account_row(
            store::kind_account_locked, now,
            {{"name", name}, {"until", format_iso(*after.locked_until, tz_)}, {"from", where}})};
        if (auto r = commit_(command::Actor::system(), rows,
                             [&] { return store::save_login_state(db_, name, after.failed_logins, after.locked_until); });
            !r)
            return r.error();
        spdlog::warn("Account locked after {} wrong passwords user={} from={} minutes={}", policy_.max_failures, name,
                     where, policy_.lock_for.count());
    }
    else if (after.failed_logins != (*fresh)->failed_logins || after.locked_until != (*fresh)->locked_until)
    {
        if (auto r = store::save_login_state(db_, name, after.failed_logins, after.locked_until); !r)
            return r.error();
    }
    if (!good)
    {
        spdlog::warn("Sign-in refused: wrong password user={} from={} failures={}", name, where, after.failed_logins);
        if (locks_now)
            return accounts::may_try_login(after, now.wall).error();
        return bad_login();
    }
    if (after.disabled)
        return make_error("account_disabled", "The account is disabled.");
    spdlog::info("Signed in user={} role={} from={}", name, command::to_string(after.role), where);
    return after;
}

// The coroutine itself keeps no account in its frame (GCC 12 mis-pairs the frame's
// allocation with such locals: -Wmismatched-new-delete); the work is in the two steps above.
awaitable<Result<accounts::Account>> Accounts::sign_in(const std::string& name, const std::string& password,
                                                       const std::string& where)
{
    auto stored = hash_to_check(name, where);
    if (!stored)
        co_return stored.error();
    if (!*stored)
    {
        (void)co_await hash_off_loop(password); // the same work, so the same time, as a known name
        spdlog::warn("Sign-in refused: unknown user from={}", where);
        co_return bad_login();
    }
    const bool good = co_await verify_off_loop(**stored, password);
    co_return record_attempt(name, good, where);
}

Result<std::pair<std::string, accounts::Session>> Accounts::start_session(const accounts::Account& account,
                                                                          const std::string& from)
{
    accounts::Secret cookie{};
    accounts::Secret csrf{};
    if (getrandom(cookie.data(), cookie.size(), 0) != static_cast<ssize_t>(cookie.size()) ||
        getrandom(csrf.data(), csrf.size(), 0) != static_cast<ssize_t>(csrf.size()))
        return make_error("no_randomness", "The kernel gave no random bytes for a session.");
    const auto now = now_from_clocks().wall;
    auto value = sessions_.start(account, cookie, csrf, from, now);
    auto s = sessions_.touch(value, now);
    spdlog::info("Session started user={} session={} from={}", account.name, s->id, from);
    return std::pair{std::move(value), std::move(*s)};
}

std::optional<accounts::Session> Accounts::session(const std::string& cookie)
{
    auto s = sessions_.touch(cookie, now_from_clocks().wall);
    if (!s)
        return std::nullopt;
    auto account = find(s->user);
    if (!account || !*account || (*account)->disabled)
    {
        sessions_.end(s->id);
        return std::nullopt;
    }
    // Role and counters as the administrator last set them.
    s->role = (*account)->role;
    s->counters = (*account)->counters;
    return s;
}

Result<json> Accounts::list_sessions()
{
    sessions_.expire(now_from_clocks().wall);
    json out = json::array();
    for (const auto& s : sessions_.list())
        out.push_back({{"id", s.id},
                       {"user", s.user},
                       {"role", command::to_string(s.role)},
                       {"from", s.from},
                       {"started", format_iso(s.started, tz_)},
                       {"last_seen", format_iso(s.last_seen, tz_)}});
    return json{{"sessions", out}};
}

// args: id (one session) or user (all of theirs).
Result<json> Accounts::end_sessions(const command::Call& call)
{
    int ended = 0;
    if (command::has_arg(call.args, "id"))
        ended = sessions_.end(command::string_arg(call.args, "id", 12)) ? 1 : 0;
    else
        ended = sessions_.end_user(user_name_arg(call.args, "user"));
    spdlog::info("Sessions ended count={} actor={}", ended, call.actor.label());
    return json{{"ended", ended}};
}

void Accounts::register_commands(command::Registry& commands)
{
    using command::Access;
    commands.add("user.add", Access::accounts, [this](command::Call& call) { return add(call); });
    commands.add("user.passwd", Access::accounts, [this](command::Call& call) { return passwd(call); });
    commands.add("user.disable", Access::accounts,
                 command::sync([this](command::Call& call) { return set_disabled(call, true); }));
    commands.add("user.enable", Access::accounts,
                 command::sync([this](command::Call& call) { return set_disabled(call, false); }));
    commands.add("user.list", Access::accounts, command::sync([this](command::Call&) { return list(); }));
    commands.add("user.sessions", Access::accounts, command::sync([this](command::Call&) { return list_sessions(); }));
    commands.add("user.end_sessions", Access::accounts,
                 command::sync([this](command::Call& call) { return end_sessions(call); }));
}

} // namespace motcua::app
