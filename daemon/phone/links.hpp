#pragma once

// The phone links of one installation: <public_url>/t/<token> for a ticket, and the ticket
// a token opens today. Holds the secret (phone/secret.hpp) in memory; pure otherwise.

#include "phone/token.hpp"
#include "queue/engine.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace motcua::phone
{

class Links
{
  public:
    // `public_url` as configured ("http://192.168.1.10:8080"), a trailing '/' dropped.
    Links(std::string secret, std::string public_url);

    const std::string& public_url() const { return public_url_; }
    void set_public_url(std::string public_url);

    // The link printed in the ticket's QR code and answered by `issue` as status_url.
    // Empty when the ticket id cannot be put in a token.
    std::string status_url(const queue::Engine& engine, const queue::Ticket& t) const;
    std::string token(const queue::Engine& engine, const queue::Ticket& t) const;

    // The ticket a token opens at `now`: today's (the business day of `now`, as the
    // engine counts days), known to the engine, the MAC matching. Null otherwise: an
    // unknown, forged or expired token looks the same to the caller and the citizen.
    const queue::Ticket* open(const queue::Engine& engine, std::string_view token, WallTime now) const;

  private:
    std::string secret_;
    std::string public_url_;
};

} // namespace motcua::phone
