#include "dossier/json.hpp"

namespace motcua::dossier
{

namespace
{

using json = nlohmann::json;

json time_json(const std::optional<LocalDateTime>& t) { return t ? json(format_local_minute(*t)) : json(nullptr); }

} // namespace

json to_json(const Dossier& d)
{
    json handoffs = json::array();
    for (const auto& h : d.handoffs)
        handoffs.push_back({{"from", h.from},
                            {"to", h.to},
                            {"at", format_local_minute(h.at)},
                            {"due", time_json(h.due)},
                            {"punctuality", h.punctuality ? json(to_string(*h.punctuality)) : json(nullptr)},
                            {"note", h.note}});
    json supplements = json::array();
    for (const auto& s : d.supplements)
        supplements.push_back({{"requested_at", format_local_minute(s.requested_at)},
                               {"completed_at", time_json(s.completed_at)},
                               {"reason", s.reason},
                               {"missing", s.missing},
                               {"deadline", time_json(s.deadline)}});
    json apologies = json::array();
    for (const auto& a : d.apologies)
        apologies.push_back({{"at", format_local_minute(a.at)},
                             {"new_due", format_local_minute(a.new_due)},
                             {"reason", a.reason}});
    json obligations = json::array();
    for (const auto& o : d.obligations)
        obligations.push_back({{"from", format_local_minute(o.from)}, {"to", time_json(o.to)}, {"reason", o.reason}});
    json j{{"code", d.code},
           {"book", d.book},
           {"row", d.row},
           {"procedure_code", d.procedure_code},
           {"procedure_name", d.procedure_name},
           {"field", d.field},
           {"sets", d.sets},
           {"applicant",
            {{"name", d.applicant.name},
             {"address", d.applicant.address},
             {"phone", d.applicant.phone},
             {"id_number", d.applicant.id_number},
             {"email", d.applicant.email}}},
           {"receiving_unit", d.receiving_unit},
           {"deciding_agency", d.deciding_agency},
           {"officer", d.officer},
           {"counter", d.counter},
           {"service", d.service},
           {"channel", static_cast<int>(d.channel)},
           {"delivery", to_string(d.delivery)},
           {"waybill", d.waybill},
           {"status", static_cast<int>(d.status)},
           {"status_name", to_string(d.status)},
           {"submitted_at", time_json(d.submitted_at)},
           {"received_at", format_local_minute(d.received_at)},
           {"due_at", time_json(d.due_at)},
           {"processing_days", d.processing_days ? json(*d.processing_days) : json(nullptr)},
           {"processing_hours", d.processing_hours ? json(*d.processing_hours) : json(nullptr)},
           {"same_day", d.same_day},
           {"transferred_at", time_json(d.transferred_at)},
           {"result_at", time_json(d.result_at)},
           {"returned_at", time_json(d.returned_at)},
           {"closed_at", time_json(d.closed_at)},
           {"close_reason", d.close_reason},
           {"documents", d.documents},
           {"fee", d.fee},
           {"online", to_string(d.online)},
           {"online_payment", d.online_payment},
           {"digitised", d.digitised},
           {"result_electronic", d.result_electronic},
           {"obligations", obligations},
           {"handoffs", handoffs},
           {"supplements", supplements},
           {"apologies", apologies},
           {"ticket", d.ticket_id ? json(*d.ticket_id) : json(nullptr)},
           {"notes", d.notes}};
    return j;
}

json to_json(const Change& c, const Dossier& after)
{
    json j{{"code", c.code}, {"at", format_local_minute(c.at)}, {"status", static_cast<int>(after.status)}};
    if (!c.officer.empty())
        j["officer"] = c.officer;
    if (!c.reason.empty())
        j["reason"] = c.reason;
    switch (c.kind)
    {
    case ChangeKind::supplement_requested:
        j["missing"] = c.missing;
        j["deadline"] = time_json(c.deadline);
        break;
    case ChangeKind::transferred:
        j["from"] = c.from;
        j["to"] = c.to;
        j["deadline"] = time_json(c.deadline);
        break;
    case ChangeKind::result_received:
        j["punctuality"] = c.punctuality ? json(to_string(*c.punctuality)) : json(nullptr);
        break;
    case ChangeKind::returned: j["waybill"] = c.waybill; break;
    case ChangeKind::apologized: j["new_due"] = time_json(c.deadline); break;
    case ChangeKind::corrected:
        j["field"] = c.field;
        j["old"] = c.old_value;
        j["new"] = c.new_value;
        break;
    default: break;
    }
    return j;
}

json to_json(const RatingDecision& r)
{
    return {{"ticket", r.ticket}, {"counter", r.counter}, {"officer", r.officer},
            {"service", r.service}, {"field", r.field},     {"score", r.score}};
}

json steps_json(const std::vector<StepTiming>& steps)
{
    json out = json::array();
    for (const auto& s : steps)
        out.push_back({{"from", s.from},
                       {"to", s.to},
                       {"start", format_local_minute(s.start)},
                       {"deadline", time_json(s.deadline)},
                       {"end", time_json(s.end)},
                       {"outcome", s.outcome ? json(to_string(*s.outcome)) : json(nullptr)},
                       {"paused_minutes", s.paused_minutes},
                       {"result", s.result}});
    return out;
}

} // namespace motcua::dossier
