#pragma once

// The rule for a citizen's rating of a counter (rất hài lòng / hài lòng / không hài lòng),
// the same for the rating panel at the counter and for `motcuactl rate`: a rating is
// accepted only for a ticket that was served — called and done, or at least called by a
// counter with an officer (the panel's window opens while it is being served) — and not
// yet rated. The first rating wins; a no-show was not served. Pure.

#include "util/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace motcua::dossier
{

// What the rule needs to know about the ticket, from the engine or the tickets table.
struct RatingSubject
{
    bool known = false;     // the ticket exists
    bool called = false;    // it was called at a counter
    bool done = false;      // its service was finished
    bool no_show = false;   // it left unseen
    int counter = 0;        // the counter that served it (0: none)
    std::string officer;    // the officer at that counter
    std::string service;
    bool already_rated = false;
};

// An accepted rating: what the journal's "rating.given" row records.
struct RatingDecision
{
    std::int64_t ticket = 0;
    int counter = 0;
    std::string officer;
    std::string service;
    std::string field;
    int score = 0; // 3 rất hài lòng, 2 hài lòng, 1 không hài lòng
};

// Where a rating was given, recorded in its journal row ("source"): the rating panel at
// the counter, the citizen's phone page (the ticket's QR code), or a desk entering it
// (`motcuactl rate`). The rule is the same for all; the first rating wins.
enum class RatingSource
{
    panel,
    phone,
    desk,
};
std::string_view to_string(RatingSource s);

// Errors: "bad_score" (not 1..3), "unknown_ticket", "not_served", "already_rated".
Result<RatingDecision> decide_rating(std::int64_t ticket, const RatingSubject& subject, int score,
                                     std::string field);

} // namespace motcua::dossier
