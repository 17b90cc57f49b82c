#include "dossier/record.hpp"

#include <algorithm>
#include <chrono>

namespace motcua::dossier
{

namespace chr = std::chrono;

std::string_view to_string(Channel c)
{
    switch (c)
    {
    case Channel::direct: return "1";
    case Channel::online: return "2";
    case Channel::postal: return "3";
    }
    return "1";
}

std::string_view to_string(Delivery d)
{
    switch (d)
    {
    case Delivery::desk: return "desk";
    case Delivery::post: return "post";
    case Delivery::online: return "online";
    }
    return "desk";
}

std::string_view to_string(Status s)
{
    switch (s)
    {
    case Status::submitted_online: return "submitted_online";
    case Status::received: return "received";
    case Status::refused: return "refused";
    case Status::processing: return "processing";
    case Status::supplement_requested: return "supplement_requested";
    case Status::financial_obligation: return "financial_obligation";
    case Status::withdrawn: return "withdrawn";
    case Status::stopped: return "stopped";
    case Status::decided: return "decided";
    case Status::returned: return "returned";
    }
    return "received";
}

std::string_view to_string(Punctuality p)
{
    switch (p)
    {
    case Punctuality::early: return "early";
    case Punctuality::on_time: return "on_time";
    case Punctuality::late: return "late";
    }
    return "on_time";
}

std::optional<Channel> channel_from(std::string_view text)
{
    if (text == "1")
        return Channel::direct;
    if (text == "2")
        return Channel::online;
    if (text == "3")
        return Channel::postal;
    return std::nullopt;
}

std::optional<Delivery> delivery_from(std::string_view text)
{
    if (text == "desk")
        return Delivery::desk;
    if (text == "post")
        return Delivery::post;
    if (text == "online")
        return Delivery::online;
    return std::nullopt;
}

std::optional<Status> status_from_code(int code)
{
    if (code < 1 || code > 10)
        return std::nullopt;
    return static_cast<Status>(code);
}

std::string_view to_string(OnlineSubmission o)
{
    switch (o)
    {
    case OnlineSubmission::none: return "none";
    case OnlineSubmission::partial: return "partial";
    case OnlineSubmission::full: return "full";
    }
    return "none";
}

std::optional<OnlineSubmission> online_from(std::string_view text)
{
    if (text == "none" || text == "0")
        return OnlineSubmission::none;
    if (text == "partial" || text == "1")
        return OnlineSubmission::partial;
    if (text == "full" || text == "2")
        return OnlineSubmission::full;
    return std::nullopt;
}

bool is_closed_status(Status s)
{
    return s == Status::refused || s == Status::withdrawn || s == Status::stopped;
}

std::int64_t to_minutes(LocalDateTime t)
{
    return static_cast<std::int64_t>(chr::sys_days{t.date}.time_since_epoch().count()) * 24 * 60 + t.time.minutes;
}

LocalDateTime from_minutes(std::int64_t minutes)
{
    auto days = minutes >= 0 ? minutes / (24 * 60) : -((-minutes + 24 * 60 - 1) / (24 * 60));
    auto rest = minutes - days * 24 * 60;
    return LocalDateTime{Date{chr::sys_days{chr::days{days}}}, TimeOfDay{static_cast<int>(rest)}};
}

std::string format_local_minute(LocalDateTime t)
{
    return format_date(t.date) + " " + format_time_of_day(t.time);
}

// A phone number: 8 to 15 digits, with spaces, dots, dashes and a leading +.
bool valid_phone(std::string_view s)
{
    int digits = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
    {
        char c = s[i];
        if (c >= '0' && c <= '9')
            ++digits;
        else if (!(c == ' ' || c == '.' || c == '-' || (c == '+' && i == 0)))
            return false;
    }
    return digits >= 8 && digits <= 15;
}

// A citizen ID: 9 digits (old CMND) or 12 digits (CCCD).
bool valid_id_number(std::string_view s)
{
    return (s.size() == 9 || s.size() == 12) &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace motcua::dossier
