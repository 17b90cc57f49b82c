#include "dossier/rating.hpp"

namespace motcua::dossier
{

std::string_view to_string(RatingSource s)
{
    switch (s)
    {
    case RatingSource::panel: return "panel";
    case RatingSource::phone: return "phone";
    case RatingSource::desk: return "desk";
    }
    return "desk";
}

Result<RatingDecision> decide_rating(std::int64_t ticket, const RatingSubject& subject, int score,
                                     std::string field)
{
    const auto label = "Ticket #" + std::to_string(ticket);
    if (score < 1 || score > 3)
        return make_error("bad_score", "A rating is 3 (rất hài lòng), 2 (hài lòng) or 1 (không hài lòng).");
    if (!subject.known)
        return make_error("unknown_ticket", "There is no ticket #" + std::to_string(ticket) + ".");
    const bool served_by_officer = subject.counter > 0 && !subject.officer.empty();
    if (!subject.called || subject.no_show || !(subject.done || served_by_officer))
        return make_error("not_served", label + " was not served at a counter: only a served ticket can be rated.");
    if (subject.already_rated)
        return make_error("already_rated", label + " has already been rated.");
    return RatingDecision{ticket, subject.counter, subject.officer, subject.service, std::move(field), score};
}

} // namespace motcua::dossier
