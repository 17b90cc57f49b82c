#include "accounts/sessions.hpp"

#include "util/sha256.hpp"

#include <algorithm>

namespace motcua::accounts
{

namespace
{
constexpr std::size_t id_length = 12;

bool equal_constant_time(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}
} // namespace

std::string to_hex(const Secret& s)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size() * 2);
    for (auto b : s)
    {
        out += digits[b >> 4];
        out += digits[b & 0x0F];
    }
    return out;
}

std::string Sessions::start(const Account& account, const Secret& cookie, const Secret& csrf, const std::string& from,
                            WallTime now)
{
    expire(now);
    // A user's oldest session goes when she has too many (a tablet left signed in
    // somewhere is less likely than a forgotten one).
    std::vector<std::pair<WallTime, std::string>> mine;
    for (const auto& [hash, s] : by_hash_)
        if (s.user == account.name)
            mine.emplace_back(s.started, hash);
    std::sort(mine.begin(), mine.end());
    for (std::size_t i = 0; i + policy_.max_per_user <= mine.size(); ++i)
        by_hash_.erase(mine[i].second);

    const auto value = to_hex(cookie);
    const auto hash = sha256_hex(value);
    Session s;
    s.id = hash.substr(0, id_length);
    s.user = account.name;
    s.role = account.role;
    s.counters = account.counters;
    s.csrf = to_hex(csrf);
    s.from = from;
    s.started = now;
    s.last_seen = now;
    by_hash_[hash] = std::move(s);
    return value;
}

bool Sessions::alive(const Session& s, WallTime now) const
{
    return now - s.last_seen < policy_.idle && now - s.started < policy_.absolute;
}

std::optional<Session> Sessions::touch(const std::string& cookie, WallTime now)
{
    // Only well-formed cookies are hashed and looked up.
    if (cookie.size() != 64 || !std::all_of(cookie.begin(), cookie.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }))
        return std::nullopt;
    auto it = by_hash_.find(sha256_hex(cookie));
    if (it == by_hash_.end())
        return std::nullopt;
    if (!alive(it->second, now))
    {
        by_hash_.erase(it);
        return std::nullopt;
    }
    it->second.last_seen = now;
    return it->second;
}

bool Sessions::csrf_matches(const Session& s, const std::string& token)
{
    return !token.empty() && equal_constant_time(s.csrf, token);
}

bool Sessions::end(const std::string& id)
{
    if (id.size() != id_length)
        return false;
    for (auto it = by_hash_.begin(); it != by_hash_.end(); ++it)
        if (it->second.id == id)
        {
            by_hash_.erase(it);
            return true;
        }
    return false;
}

bool Sessions::end_by_cookie(const std::string& cookie)
{
    return by_hash_.erase(sha256_hex(cookie)) > 0;
}

int Sessions::end_user(const std::string& user)
{
    return static_cast<int>(std::erase_if(by_hash_, [&](const auto& kv) { return kv.second.user == user; }));
}

int Sessions::expire(WallTime now)
{
    return static_cast<int>(std::erase_if(by_hash_, [&](const auto& kv) { return !alive(kv.second, now); }));
}

std::vector<Session> Sessions::list() const
{
    std::vector<Session> out;
    for (const auto& [hash, s] : by_hash_)
        out.push_back(s);
    std::sort(out.begin(), out.end(), [](const Session& a, const Session& b) { return a.started < b.started; });
    return out;
}

} // namespace motcua::accounts
