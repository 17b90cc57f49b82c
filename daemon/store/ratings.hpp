#pragma once

// Ratings are journal rows ("rating.given": {ticket, counter, officer, service, field,
// score, source}; source panel, phone or desk, absent in rows written before it was kept; score 3 = rất hài lòng, 2 = hài lòng, 1 = không hài lòng). The rule for accepting
// one is dossier::decide_rating; this is its storage side.

#include "dossier/rating.hpp"
#include "dossier/report.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace motcua::store
{

inline constexpr std::string_view kind_rating_given = "rating.given";

// The journal row of an accepted rating, with where it was given ("source").
JournalRow rating_row(const dossier::RatingDecision& r, dossier::RatingSource source, WallTime wall,
                      std::int64_t mono_ns);

// Whether a ticket already has a rating row.
Result<bool> ticket_rated(Database& db, std::int64_t ticket);

// Ratings with from <= wall < to, for the satisfaction report.
Result<std::vector<dossier::Rating>> report_ratings(Database& db, WallTime from, WallTime to);

// Score <-> vote of the rating rows.
std::optional<dossier::Vote> vote_from_score(int score);
int score_of(dossier::Vote v);

} // namespace motcua::store
