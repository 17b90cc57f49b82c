#include "accounts/account.hpp"

#include <algorithm>
#include <charconv>

namespace motcua::accounts
{

std::optional<command::Role> role_from_string(std::string_view s)
{
    using command::Role;
    if (s == "clerk")
        return Role::clerk;
    if (s == "supervisor")
        return Role::supervisor;
    if (s == "technician")
        return Role::technician;
    if (s == "admin")
        return Role::admin;
    return std::nullopt;
}

Result<void> check_name(std::string_view name)
{
    auto bad = [&](const std::string& why) {
        return make_error("bad_user_name", "User name \"" + std::string(name.substr(0, 40)) + "\" " + why + ".");
    };
    if (name.empty() || name.size() > 32)
        return bad("must be 1 to 32 characters long");
    if (name[0] < 'a' || name[0] > 'z')
        return bad("must start with a lower-case letter a-z");
    for (char c : name)
    {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok)
            return bad("may hold only a-z, 0-9, '.', '_' and '-'");
    }
    return {};
}

Result<std::set<int>> parse_counters(std::string_view text)
{
    std::set<int> out;
    while (!text.empty())
    {
        auto comma = text.find(',');
        auto item = text.substr(0, comma);
        int n = 0;
        auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
        if (item.empty() || ec != std::errc{} || end != item.data() + item.size() || n < 1 || n > 99)
            return make_error("bad_counters", "Counters must be numbers 1..99 separated by commas, e.g. \"1,3\"; \"" +
                                                  std::string(item.substr(0, 20)) + "\" is not one.");
        if (!out.insert(n).second)
            return make_error("bad_counters", "Counter " + std::to_string(n) + " is listed twice.");
        if (comma == std::string_view::npos)
            break;
        text.remove_prefix(comma + 1);
        if (text.empty())
            return make_error("bad_counters", "The counter list ends with a comma.");
    }
    return out;
}

std::string counters_text(const std::set<int>& counters)
{
    std::string out;
    for (int c : counters)
        out += (out.empty() ? "" : ",") + std::to_string(c);
    return out;
}

Result<void> check_role_counters(command::Role role, const std::set<int>& counters)
{
    if (role == command::Role::clerk && counters.empty())
        return make_error("bad_counters", "A clerk needs the counters she serves, e.g. --counters 1,3.");
    if (role != command::Role::clerk && !counters.empty())
        return make_error("bad_counters", "Only a clerk's account names counters; a " + command::to_string(role) +
                                              " needs none.");
    return {};
}

Result<void> check_password(std::string_view name, std::string_view password)
{
    // Code points, not bytes: "mật khẩu" is 8 letters however it is encoded.
    const auto code_points =
        std::count_if(password.begin(), password.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
    if (code_points < 10)
        return make_error("weak_password", "The password must be at least 10 characters long.");
    if (password.size() > 128)
        return make_error("weak_password", "The password must be at most 128 bytes long.");
    if (password == name)
        return make_error("weak_password", "The password must not be the user name.");
    if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; }))
        return make_error("weak_password", "The password must not be one character repeated.");
    for (char c : password)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return make_error("weak_password", "The password must not hold control characters.");
    return {};
}

Result<void> may_try_login(const Account& a, WallTime now)
{
    if (a.disabled)
        return make_error("account_disabled", "The account is disabled.");
    if (a.locked_until && now < *a.locked_until)
    {
        auto left = std::chrono::ceil<std::chrono::minutes>(*a.locked_until - now).count();
        return make_error("account_locked", "Too many wrong passwords: the account is locked for " +
                                                std::to_string(left) + " more minute" + (left == 1 ? "" : "s") + ".");
    }
    return {};
}

Account after_login(Account a, bool good, WallTime now, const LockoutPolicy& policy)
{
    if (a.locked_until && now >= *a.locked_until)
        a.locked_until.reset();
    if (good)
    {
        a.failed_logins = 0;
        return a;
    }
    ++a.failed_logins;
    if (a.failed_logins >= policy.max_failures)
    {
        a.locked_until = now + policy.lock_for;
        a.failed_logins = 0;
    }
    return a;
}

command::Actor actor_of(const Account& a)
{
    return command::Actor::web_user(a.name, a.role, a.counters);
}

} // namespace motcua::accounts
