#pragma once

// What the phone page of one ticket shows, as data (GET /api/t/<token> and its SSE
// stream): built from the engine at `now`, pure. It holds no personal data (the queue has
// none) and no priority class (a class such as "Người khuyết tật" says something about
// the holder); the label is the one printed on the ticket.

#include "queue/engine.hpp"
#include "queue/estimate.hpp"

#include <nlohmann/json.hpp>

namespace motcua::phone
{

// Whether the ticket's one rating was given (store::ticket_rated), for the rating part.
enum class Rated
{
    no,
    yes,
};

// {
//   "label": "TP-1012", "service": "Tư pháp – Hộ tịch", "office": "...",
//   "state": "waiting" | "called" | "absent" | "done",
//   "ahead": 3,                                     // waiting: called before this one
//   "estimate": {"kind": "minutes" | "next" | "too_few_samples" | "no_open_counter",
//                "minutes": 12, "text": "khoảng 12 phút"},       // waiting
//   "counter": {"number": 3, "name": "Quầy 3"},     // called (and done: where it was served)
//   "recalls": 0,                                   // called: how often it was called again
//   "readmit": {"minutes": 30, "until": "09:45", "open": true},  // absent
//   "rating": "not_yet" | "open" | "given"           // open: done and not rated
// }
nlohmann::json ticket_view(const queue::Engine& engine, const queue::Ticket& t, WallTime now, Rated rated);

// "khoảng 12 phút", "khoảng 1 giờ 20 phút", "chưa đủ số liệu", ...
std::string estimate_text(const queue::WaitEstimate& e);

} // namespace motcua::phone
