#include "dossier/json.hpp"

#include <stdexcept>

namespace motcua::dossier
{

namespace
{

using json = nlohmann::json;

json time_json(const std::optional<LocalDateTime>& t) { return t ? json(format_local_minute(*t)) : json(nullptr); }

// Reading a payload: each accessor names the key's path in its error.
struct BadKey : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

class Reader
{
  public:
    Reader(const json& object, std::string path) : object_(object), path_(std::move(path))
    {
        if (!object_.is_object())
            fail("", "must be an object");
    }

    [[noreturn]] void fail(std::string_view key, std::string_view why) const
    {
        std::string where = path_;
        if (!key.empty())
            where += (where.empty() ? "" : ".") + std::string(key);
        throw BadKey((where.empty() ? std::string("the payload") : where) + ": " + std::string(why));
    }

    // Missing or null: nullptr.
    const json* find(const char* key) const
    {
        auto it = object_.find(key);
        return it == object_.end() || it->is_null() ? nullptr : &*it;
    }

    std::string text(const char* key, std::string fallback = {}) const
    {
        const auto* v = find(key);
        if (!v)
            return fallback;
        if (!v->is_string())
            fail(key, "must be a string");
        return v->get<std::string>();
    }

    std::string required_text(const char* key) const
    {
        if (!find(key))
            fail(key, "is missing");
        return text(key);
    }

    std::int64_t integer(const char* key, std::int64_t fallback = 0) const
    {
        const auto* v = find(key);
        if (!v)
            return fallback;
        if (!v->is_number_integer())
            fail(key, "must be an integer");
        return v->get<std::int64_t>();
    }

    int small(const char* key, int fallback = 0) const
    {
        auto n = integer(key, fallback);
        if (n < -1'000'000'000 || n > 1'000'000'000)
            fail(key, "is out of range");
        return static_cast<int>(n);
    }

    std::optional<int> optional_small(const char* key) const
    {
        if (!find(key))
            return std::nullopt;
        return small(key);
    }

    bool flag(const char* key) const
    {
        const auto* v = find(key);
        if (!v)
            return false;
        if (!v->is_boolean())
            fail(key, "must be true or false");
        return v->get<bool>();
    }

    std::optional<LocalDateTime> time(const char* key) const
    {
        if (!find(key))
            return std::nullopt;
        auto t = parse_local_date_time(text(key));
        if (!t)
            fail(key, "must be a local time \"YYYY-MM-DD HH:MM\"");
        return t;
    }

    LocalDateTime required_time(const char* key) const
    {
        auto t = time(key);
        if (!t)
            fail(key, "is missing");
        return *t;
    }

    std::vector<std::string> texts(const char* key) const
    {
        std::vector<std::string> out;
        const auto* v = find(key);
        if (!v)
            return out;
        if (!v->is_array())
            fail(key, "must be a list of strings");
        for (const auto& item : *v)
        {
            if (!item.is_string())
                fail(key, "must be a list of strings");
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    // Each object of the list `key`, read with its own Reader ("handoffs[2]").
    template <class Each>
    void each(const char* key, Each&& each_one) const
    {
        const auto* v = find(key);
        if (!v)
            return;
        if (!v->is_array())
            fail(key, "must be a list");
        for (std::size_t i = 0; i < v->size(); ++i)
            each_one(Reader((*v)[i], child(key) + "[" + std::to_string(i) + "]"));
    }

    std::string child(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

    bool has_commitment(const char* key) const
    {
        const auto* v = find(key);
        return v && v->is_object() && v->contains("redacted");
    }

    // A personal text a redacted payload replaced by {"redacted": "<hex>"}: read as "".
    std::string personal_text(const char* key) const
    {
        const auto* v = find(key);
        if (v && v->is_object())
        {
            if (!v->contains("redacted"))
                fail(key, "must be a string or {\"redacted\": ...}");
            return {};
        }
        return text(key);
    }

    std::optional<Punctuality> punctuality(const char* key) const
    {
        if (!find(key))
            return std::nullopt;
        auto t = text(key);
        for (auto p : {Punctuality::early, Punctuality::on_time, Punctuality::late})
            if (t == to_string(p))
                return p;
        fail(key, "must be early, on_time or late");
    }

    const json& object() const { return object_; }

  private:
    const json& object_;
    std::string path_;
};

Applicant applicant_from(const Reader& r)
{
    Applicant a;
    const auto* v = r.find("applicant");
    if (!v)
        return a;
    if (v->is_object() && v->contains("redacted"))
        return a; // the box kept the applicant: the commitment stands for it
    Reader in(*v, r.child("applicant"));
    a.name = in.text("name");
    a.address = in.text("address");
    a.phone = in.text("phone");
    a.id_number = in.text("id_number");
    a.email = in.text("email");
    return a;
}

Dossier read_dossier(const Reader& r)
{
    Dossier d;
    d.code = r.required_text("code");
    d.book = r.small("book");
    d.row = r.small("row");
    d.procedure_code = r.text("procedure_code");
    d.procedure_name = r.text("procedure_name");
    d.field = r.text("field");
    d.sets = r.small("sets", 1);
    d.applicant = applicant_from(r);
    d.receiving_unit = r.text("receiving_unit");
    d.deciding_agency = r.text("deciding_agency");
    d.officer = r.text("officer");
    d.counter = r.small("counter");
    d.service = r.text("service");
    if (r.find("channel"))
    {
        auto c = channel_from(std::to_string(r.small("channel")));
        if (!c)
            r.fail("channel", "must be 1, 2 or 3");
        d.channel = *c;
    }
    if (r.find("delivery"))
    {
        auto v = delivery_from(r.text("delivery"));
        if (!v)
            r.fail("delivery", "must be desk, post or online");
        d.delivery = *v;
    }
    d.waybill = r.text("waybill");
    if (r.find("status"))
    {
        auto s = status_from_code(r.small("status"));
        if (!s)
            r.fail("status", "must be a status code 1..10");
        d.status = *s;
    }
    d.submitted_at = r.time("submitted_at");
    d.received_at = r.required_time("received_at");
    d.due_at = r.time("due_at");
    d.processing_days = r.optional_small("processing_days");
    d.processing_hours = r.optional_small("processing_hours");
    d.same_day = r.flag("same_day");
    d.transferred_at = r.time("transferred_at");
    d.result_at = r.time("result_at");
    d.returned_at = r.time("returned_at");
    d.closed_at = r.time("closed_at");
    d.close_reason = r.text("close_reason");
    d.documents = r.texts("documents");
    d.fee = r.text("fee");
    if (r.find("online"))
    {
        auto o = online_from(r.text("online"));
        if (!o)
            r.fail("online", "must be none, partial or full");
        d.online = *o;
    }
    d.online_payment = r.flag("online_payment");
    d.digitised = r.flag("digitised");
    d.result_electronic = r.flag("result_electronic");
    r.each("obligations", [&](const Reader& o) {
        d.obligations.push_back(ObligationPause{o.required_time("from"), o.time("to"), o.text("reason")});
    });
    r.each("handoffs", [&](const Reader& h) {
        d.handoffs.push_back(Handoff{h.text("from"), h.text("to"), h.required_time("at"), h.time("due"),
                                     h.punctuality("punctuality"), h.text("note")});
    });
    r.each("supplements", [&](const Reader& s) {
        d.supplements.push_back(SupplementRequest{s.required_time("requested_at"), s.time("completed_at"),
                                                  s.text("reason"), s.texts("missing"), s.time("deadline")});
    });
    r.each("apologies", [&](const Reader& a) {
        d.apologies.push_back(Apology{a.required_time("at"), a.required_time("new_due"), a.text("reason")});
    });
    if (r.find("ticket"))
        d.ticket_id = r.integer("ticket");
    d.notes = r.personal_text("notes");
    return d;
}

std::optional<ChangeKind> change_kind_of(std::string_view journal_kind_text)
{
    for (auto k : {ChangeKind::supplement_requested, ChangeKind::supplement_completed, ChangeKind::transferred,
                   ChangeKind::result_received, ChangeKind::returned, ChangeKind::apologized, ChangeKind::refused,
                   ChangeKind::withdrawn, ChangeKind::stopped, ChangeKind::obligation_started,
                   ChangeKind::obligation_ended, ChangeKind::corrected})
        if (journal_kind(k) == journal_kind_text)
            return k;
    return std::nullopt;
}

Change read_change(ChangeKind kind, const Reader& r)
{
    Change c;
    c.kind = kind;
    c.code = r.required_text("code");
    c.at = r.required_time("at");
    c.officer = r.text("officer");
    c.reason = r.text("reason");
    switch (kind)
    {
    case ChangeKind::supplement_requested:
        c.missing = r.texts("missing");
        c.deadline = r.time("deadline");
        break;
    case ChangeKind::transferred:
        c.from = r.text("from");
        c.to = r.text("to");
        c.deadline = r.time("deadline");
        break;
    case ChangeKind::result_received:
        c.punctuality = r.punctuality("punctuality");
        c.from = r.text("from"); // not written today: complete_change derives them
        c.to = r.text("to");
        break;
    case ChangeKind::returned: c.waybill = r.text("waybill"); break;
    case ChangeKind::apologized: c.deadline = r.required_time("new_due"); break;
    case ChangeKind::corrected:
        c.field = r.required_text("field");
        // A correction of a personal value travels redacted ({"redacted": "<hex>"}): it reads
        // as "[redacted]", which the central's projection knows to leave alone.
        c.old_value = r.personal_text("old").empty() && r.has_commitment("old") ? "[redacted]" : r.personal_text("old");
        c.new_value = r.personal_text("new").empty() && r.has_commitment("new") ? "[redacted]" : r.personal_text("new");
        break;
    default: break;
    }
    return c;
}

} // namespace

Result<Dossier> dossier_from_json(const json& payload)
{
    try
    {
        return read_dossier(Reader(payload, ""));
    }
    catch (const BadKey& e)
    {
        return make_error("bad_payload", std::string("A dossier payload is not valid: ") + e.what() + ".");
    }
}

Result<Change> change_from_json(std::string_view kind_text, const json& payload)
{
    auto kind = change_kind_of(kind_text);
    if (!kind)
        return make_error("unknown_change", "\"" + std::string(kind_text) + "\" is not a dossier change.");
    try
    {
        return read_change(*kind, Reader(payload, ""));
    }
    catch (const BadKey& e)
    {
        return make_error("bad_payload",
                          "A \"" + std::string(kind_text) + "\" payload is not valid: " + std::string(e.what()) + ".");
    }
}

void complete_change(Change& c, const Dossier& before)
{
    if (c.kind != ChangeKind::result_received)
        return;
    if (c.from.empty())
        c.from = before.handoffs.empty() ? before.deciding_agency : before.handoffs.back().to;
    if (c.to.empty())
        c.to = std::string(desk_name);
}

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
