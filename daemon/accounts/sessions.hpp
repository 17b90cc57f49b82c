#pragma once

// Signed-in sessions of the desk console, in memory: a restart signs everyone out, which a
// clerk notices once and a stolen cookie never survives. Pure: time and randomness are
// passed in. The cookie's secret is kept only as its SHA-256, so a listing or a memory
// dump shows no usable cookie; a session is named by the first 12 hex digits of that hash.

#include "accounts/account.hpp"
#include "util/time.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace motcua::accounts
{

struct SessionPolicy
{
    std::chrono::minutes idle{30};     // no request for this long ends it
    std::chrono::minutes absolute{600}; // a working day, whatever the activity
    std::size_t max_per_user = 8;      // the oldest goes when a ninth signs in
};

// What a session knows of its user; refreshed from the store on every request so that a
// disabled account or changed counters take effect at once.
struct Session
{
    std::string id;          // 12 hex digits: how listings and logs name it
    std::string user;
    command::Role role = command::Role::clerk;
    std::set<int> counters;
    std::string csrf;        // sent back with every state-changing request
    std::string from;        // the address it signed in from
    WallTime started{};
    WallTime last_seen{};
};

// 32 random bytes: the cookie's secret, or a CSRF token.
using Secret = std::array<std::uint8_t, 32>;

class Sessions
{
  public:
    explicit Sessions(SessionPolicy policy = {}) : policy_(policy) {}

    // A new session for `account`. `cookie` and `csrf` come from a random source (getrandom
    // in the daemon). Returns the cookie value (64 hex digits) to send once.
    std::string start(const Account& account, const Secret& cookie, const Secret& csrf, const std::string& from,
                      WallTime now);

    // The session of a cookie, if it is alive at `now`; it counts as activity. Expired
    // sessions met on the way are dropped.
    std::optional<Session> touch(const std::string& cookie, WallTime now);

    // Whether `token` is the session's CSRF token (constant-time compare).
    static bool csrf_matches(const Session& s, const std::string& token);

    // Ends one session by its id (12 hex digits) or cookie; false when there is none.
    bool end(const std::string& id);
    bool end_by_cookie(const std::string& cookie);
    // Ends every session of `user` (disabled account, new password); how many ended.
    int end_user(const std::string& user);
    // Drops the sessions expired at `now`; how many.
    int expire(WallTime now);

    std::vector<Session> list() const; // oldest first

    // When `s` ends if nothing more is done: its idle or its absolute limit, the sooner.
    WallTime expires_at(const Session& s) const
    {
        return std::min(s.last_seen + policy_.idle, s.started + policy_.absolute);
    }
    const SessionPolicy& policy() const { return policy_; }

  private:
    bool alive(const Session& s, WallTime now) const;

    SessionPolicy policy_;
    std::map<std::string, Session> by_hash_; // SHA-256 of the cookie (hex) → session
};

std::string to_hex(const Secret& s);

} // namespace motcua::accounts
