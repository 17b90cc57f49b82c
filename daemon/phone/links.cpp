#include "phone/links.hpp"

namespace motcua::phone
{

namespace
{
std::string without_trailing_slash(std::string url)
{
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}
} // namespace

Links::Links(std::string secret, std::string public_url)
    : secret_(std::move(secret)), public_url_(without_trailing_slash(std::move(public_url)))
{}

void Links::set_public_url(std::string public_url) { public_url_ = without_trailing_slash(std::move(public_url)); }

std::string Links::token(const queue::Engine& engine, const queue::Ticket& t) const
{
    return make_token(secret_, engine.business_day_of(t.issued_at), t.id);
}

std::string Links::status_url(const queue::Engine& engine, const queue::Ticket& t) const
{
    auto tok = token(engine, t);
    if (tok.empty())
        return {};
    return public_url_ + "/t/" + tok;
}

const queue::Ticket* Links::open(const queue::Engine& engine, std::string_view token, WallTime now) const
{
    const auto today = engine.business_day_of(now);
    auto id = verify_token(secret_, today, token);
    if (!id)
        return nullptr;
    const auto* t = engine.ticket(*id);
    if (!t || engine.business_day_of(t->issued_at) != today)
        return nullptr;
    return t;
}

} // namespace motcua::phone
