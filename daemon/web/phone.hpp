#pragma once

// The citizen's phone page (docs/hall.md, "The citizen's phone page"): the ticket's QR code
// opens <public_url>/t/<token>.
//
//   GET  /t/<token>               the page (pages/phone.html), or the Vietnamese 404 page
//   GET  /api/t/<token>           its data (phone/view.hpp)
//   GET  /api/t/<token>/events    the same data, live: "event: ticket" whenever it changes
//                                 (one at the start), for this ticket only
//   POST /api/t/<token>/rating    {"score": 3|2|1}: the `rate` command as Actor::phone
//
// Every request to these routes takes a token from its address's bucket (429 with
// Retry-After when empty). A token that opens no ticket today is a 404, whatever the
// reason (unknown, forged, expired), and is never logged.

#include "phone/links.hpp"
#include "phone/rate_limit.hpp"
#include "web/events.hpp"
#include "web/http.hpp"
#include "web/static_files.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace motcua::web
{

struct Port;

class PhonePages
{
  public:
    PhonePages(const Port& port, std::string secret, std::string public_url);

    const phone::Links& links() const { return links_; }
    void set_public_url(std::string url) { links_.set_public_url(std::move(url)); }

    Response page(const Request& request, const StaticFiles& files);
    Response data(const Request& request);
    Response events(const Request& request, EventHub& hub);
    boost::asio::awaitable<Response> rate(const Request& request);

  private:
    // The 429 answer when the client's bucket is empty.
    std::optional<Response> limited(const Request& request, bool json_answer);
    // The ticket of `request.rest`'s token (before `suffix`), null when none opens today.
    const queue::Ticket* open(const Request& request, std::string_view suffix) const;
    // The page's data; `known_rated` (a stream's memory) spares the database once rated.
    json view(const queue::Ticket& t, bool* known_rated = nullptr) const;

    const Port& port_;
    phone::Links links_;
    phone::RateLimiter limiter_;
};

// The 404 page of a phone link that opens nothing (unknown, forged or expired).
Response phone_not_found_page();

} // namespace motcua::web
