#include "web/phone.hpp"

#include "command/actor.hpp"
#include "phone/secret.hpp"
#include "phone/view.hpp"
#include "util/text.hpp"
#include "web/site.hpp"

#include <spdlog/spdlog.h>

namespace motcua::web
{

namespace
{
Response json_error(int status, const std::string& code, const std::string& message)
{
    return Response::json_body(json{{"error", {{"code", code}, {"message", message}}}}, status);
}

Response api_not_found()
{
    return json_error(404, "not_found", "Không tìm thấy số thứ tự này hôm nay.");
}

void replace_all(std::string& text, const std::string& key, const std::string& value)
{
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
        text.replace(at, key.size(), value);
}
} // namespace

Response phone_not_found_page()
{
    // No stylesheet and no script: it must show whatever else is missing.
    return Response::html(
        "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>Không tìm thấy số thứ tự</title></head>"
        "<body data-role=\"not-found\"><h1>Không tìm thấy số thứ tự này</h1>"
        "<p>Liên kết trên phiếu chỉ dùng được trong ngày lấy số. Nếu bạn vừa lấy số hôm nay, "
        "hãy quét lại mã QR trên phiếu hoặc hỏi cán bộ hướng dẫn.</p></body></html>\n",
        404);
}

PhonePages::PhonePages(const Port& port, std::string secret, std::string public_url)
    : port_(port), links_(std::move(secret), std::move(public_url))
{}

std::optional<Response> PhonePages::limited(const Request& request, bool json_answer)
{
    const int wait = limiter_.take(request.peer.to_string(), std::chrono::steady_clock::now());
    if (wait == 0)
        return std::nullopt;
    auto r = json_answer ? json_error(429, "too_many_requests",
                                      "Quá nhiều yêu cầu, vui lòng thử lại sau " + std::to_string(wait) + " giây.")
                         : Response::error(429);
    r.headers.emplace_back("Retry-After", std::to_string(wait));
    return r;
}

const queue::Ticket* PhonePages::open(const Request& request, std::string_view suffix) const
{
    std::string_view token = request.rest;
    if (!suffix.empty())
    {
        if (!token.ends_with(suffix))
            return nullptr;
        token.remove_suffix(suffix.size());
    }
    return links_.open(port_.engine, token, now_from_clocks().wall);
}

json PhonePages::view(const queue::Ticket& t, bool* known_rated) const
{
    auto rated = phone::Rated::no;
    if (known_rated && *known_rated)
        rated = phone::Rated::yes; // a rating is never taken back: no need to ask again
    else if (t.state == queue::TicketState::done && port_.ticket_rated)
    {
        auto r = port_.ticket_rated(t.id);
        if (!r)
            spdlog::error("Phone page: cannot read the ticket's rating ticket={} error=\"{}\"", t.id, r.error().message);
        else if (*r)
        {
            rated = phone::Rated::yes;
            if (known_rated)
                *known_rated = true;
        }
    }
    return phone::ticket_view(port_.engine, t, now_from_clocks().wall, rated);
}

Response PhonePages::page(const Request& request, const StaticFiles& files)
{
    if (auto r = limited(request, false))
        return *r;
    const auto* t = open(request, "");
    const auto* html = files.find("phone.html");
    if (!t || !html)
        return phone_not_found_page();
    std::string body = html->body;
    replace_all(body, "{{static}}", files.prefix());
    replace_all(body, "{{label}}", text::escape_markup(port_.engine.label(*t)));
    return Response::html(std::move(body));
}

Response PhonePages::data(const Request& request)
{
    if (auto r = limited(request, true))
        return *r;
    const auto* t = open(request, "");
    if (!t)
        return api_not_found();
    return Response::json_body(view(*t));
}

Response PhonePages::events(const Request& request, EventHub& hub)
{
    if (auto r = limited(request, true))
        return *r;
    const auto* t = open(request, "/events");
    if (!t)
        return api_not_found();
    const auto id = t->id;
    const auto day = port_.engine.business_day_of(t->issued_at);
    const auto first = view(*t);
    // What this stream sent last: a queue event that changes nothing for this ticket (most
    // of them) sends nothing, and a replay after a reconnection sends only what differs.
    auto last = std::make_shared<std::string>(first.dump());
    auto rated = std::make_shared<bool>(first.value("rating", "") == "given");
    StreamOptions options;
    options.event_name = "ticket";
    options.render = [this, id, day, last, rated](const QueueUpdate&) -> std::optional<json> {
        const auto* now_t = port_.engine.ticket(id);
        const bool today = now_t && port_.engine.business_day_of(now_from_clocks().wall) == day;
        auto v = today ? view(*now_t, rated.get()) : json{{"state", "expired"}}; // the day ended: the link with it
        auto text = v.dump();
        if (text == *last)
            return std::nullopt;
        *last = std::move(text);
        return v;
    };
    auto r = hub.open_stream(request, std::move(options));
    if (r.stream)
        r.stream->send(std::make_shared<const std::string>(sse_frame(0, "ticket", first)));
    return r;
}

boost::asio::awaitable<Response> PhonePages::rate(const Request& request)
{
    if (auto r = limited(request, true))
        co_return *r;
    const auto* t = open(request, "/rating");
    if (!t)
        co_return api_not_found();
    if (request.header("content-type").find("application/json") == std::string::npos)
        co_return json_error(415, "bad_request", "Gửi đánh giá dưới dạng JSON: {\"score\": 3, 2 hoặc 1}.");
    const auto body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("score") || !body["score"].is_number_integer() ||
        body["score"].get<std::int64_t>() < 1 || body["score"].get<std::int64_t>() > 3)
        co_return json_error(400, "bad_score", "Đánh giá là 3 (rất hài lòng), 2 (hài lòng) hoặc 1 (không hài lòng).");
    if (t->state != queue::TicketState::done)
        co_return json_error(409, "not_done", "Bạn có thể đánh giá sau khi đã được phục vụ xong.");
    const int score = body["score"].get<int>();
    const auto actor = command::Actor::phone(t->id);
    const json args{{"ticket", t->id}, {"score", score}};
    command::Call call{actor, args};
    auto result = co_await port_.commands.run("rate", call);
    if (result)
        co_return Response::json_body(json{{"rating", "given"}, {"score", score}});
    const auto& e = result.error();
    if (e.code == "already_rated")
        co_return json_error(409, e.code, "Số này đã được đánh giá; mỗi số chỉ đánh giá một lần.");
    if (e.code == "not_served")
        co_return json_error(409, e.code, "Số này chưa được phục vụ nên chưa thể đánh giá.");
    if (e.code == "forbidden")
        co_return json_error(403, e.code, "Không được phép đánh giá số này.");
    spdlog::error("Phone rating not recorded ticket={} error={} message=\"{}\"", t->id, e.code, e.message);
    co_return json_error(500, e.code, "Chưa ghi được đánh giá, vui lòng thử lại.");
}

// --- the Site's part -------------------------------------------------------------------------

namespace
{
boost::asio::awaitable<Response> rate_route(PhonePages* phone, const Request* request)
{
    if (!phone || !request->rest.ends_with("/rating"))
        co_return api_not_found();
    co_return co_await phone->rate(*request);
}
} // namespace

Result<void> Site::start_phone()
{
    auto secret = phone::load_or_create_secret(port_.state_dir);
    if (!secret)
        return secret.error();
    phone_ = std::make_unique<PhonePages>(port_, std::move(*secret), public_url_);
    return {};
}

const phone::Links* Site::phone_links() const { return phone_ ? &phone_->links() : nullptr; }

void Site::add_phone_routes()
{
    server_.route_prefix("GET", "/t/", sync([this](const Request& request) {
        if (!phone_ || request.rest.find('/') != std::string::npos)
            return phone_not_found_page();
        return phone_->page(request, files_);
    }));
    server_.route_prefix("GET", "/api/t/", sync([this](const Request& request) {
        if (!phone_)
            return api_not_found();
        if (request.rest.ends_with("/events"))
            return phone_->events(request, hub_);
        if (request.rest.find('/') != std::string::npos)
            return api_not_found();
        return phone_->data(request);
    }));
    // Not a coroutine lambda (GCC 12): a plain one that starts the named coroutine.
    server_.route_prefix("POST", "/api/t/", [this](const Request& request) { return rate_route(phone_.get(), &request); });
}

} // namespace motcua::web
