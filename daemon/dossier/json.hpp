#pragma once

// The JSON form of a dossier and of a lifecycle change: the payload of their journal rows
// and the control API's answer. One definition, so the journal and the API agree.

#include "dossier/lifecycle.hpp"
#include "dossier/rating.hpp"
#include "dossier/record.hpp"
#include "dossier/timing.hpp"

#include <nlohmann/json.hpp>

namespace motcua::dossier
{

nlohmann::json to_json(const Dossier& d);
// The journal payload of a change: {"code", "at", "officer", …, "status"} with the status
// the dossier has after it (`after`).
nlohmann::json to_json(const Change& c, const Dossier& after);
// The control slip's steps, each judged against its own deadline:
// [{"from", "to", "start", "deadline", "end", "outcome", "paused_minutes", "result"}].
nlohmann::json steps_json(const std::vector<StepTiming>& steps);
// The payload of a "rating.given" journal row: {ticket, counter, officer, service, field, score}.
nlohmann::json to_json(const RatingDecision& r);

} // namespace motcua::dossier
