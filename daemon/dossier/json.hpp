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

// --- the way back: journal payloads to records (the central service's projection) -----
// Both accept what older versions wrote (a missing optional key takes its default) and
// extra keys ("actor", "import", "status_name"). A redacted payload, where the box
// replaced personal data by a commitment ("applicant": {"redacted": "<hex>"}, "notes":
// {"redacted": "<hex>"}), reads with those fields empty. A key of the wrong type or value
// is an Error "bad_payload" naming it ("handoffs[1].at: ...").

// The inverse of to_json(const Dossier&).
Result<Dossier> dossier_from_json(const nlohmann::json& payload);

// The inverse of to_json(const Change&, after) for the row kind `journal_kind`
// ("dossier.transferred", ...; "unknown_change" for another kind). The payload's "status"
// (the dossier's status after the change) is not part of a Change and is not read.
Result<Change> change_from_json(std::string_view journal_kind, const nlohmann::json& payload);

// What a change's payload does not carry because the dossier determines it: a result's
// hand-off (from the last desk or agency back to the desk, as record_result sets it).
// Call with the dossier as it was before the change, then apply().
void complete_change(Change& c, const Dossier& before);

} // namespace motcua::dossier
