#include "dossier/lifecycle.hpp"

#include "util/text.hpp"

#include <algorithm>

namespace motcua::dossier
{

namespace
{

bool before_or_at(LocalDateTime a, LocalDateTime b) { return to_minutes(a) <= to_minutes(b); }

const SupplementRequest* open_supplement(const Dossier& d)
{
    for (const auto& s : d.supplements)
        if (!s.completed_at)
            return &s;
    return nullptr;
}

const ObligationPause* open_obligation(const Dossier& d)
{
    for (const auto& o : d.obligations)
        if (!o.to)
            return &o;
    return nullptr;
}

Error finished_error(const Dossier& d)
{
    if (d.closed_at)
        return make_error("dossier_closed", "Dossier " + d.code + " is " + std::string(to_string(d.status)) + ".");
    return make_error("dossier_finished", "Dossier " + d.code + " is already finished.");
}

Change make(ChangeKind kind, const Dossier& d, LocalDateTime now)
{
    Change c;
    c.kind = kind;
    c.code = d.code;
    c.at = now;
    return c;
}

// Free text from outside: valid UTF-8, NFC, no control characters, a sane length.
Result<std::string> clean(std::string_view value, std::string_view what, std::size_t max_chars,
                          bool newlines = false)
{
    return text::clean(value, what, text::Limits{max_chars, newlines});
}

} // namespace

std::string_view event_name(ChangeKind k)
{
    switch (k)
    {
    case ChangeKind::supplement_requested: return "supplement_requested";
    case ChangeKind::supplement_completed: return "supplement_completed";
    case ChangeKind::transferred: return "transferred";
    case ChangeKind::result_received: return "result_received";
    case ChangeKind::returned: return "returned";
    case ChangeKind::apologized: return "apologized";
    case ChangeKind::refused: return "refused";
    case ChangeKind::withdrawn: return "withdrawn";
    case ChangeKind::stopped: return "stopped";
    case ChangeKind::obligation_started: return "obligation_started";
    case ChangeKind::obligation_ended: return "obligation_ended";
    case ChangeKind::corrected: return "corrected";
    }
    return "corrected";
}

std::string journal_kind(ChangeKind k)
{
    if (k == ChangeKind::supplement_completed)
        return "dossier.supplement_completed";
    return "dossier." + std::string(event_name(k));
}

bool finished(const Dossier& d) { return d.result_at || d.returned_at || d.closed_at; }

Result<LocalDateTime> due_for(const config::Procedure& p, LocalDateTime received, const DueContext& due)
{
    if (!due.calendar)
        return make_error("calendar_missing", "No working calendar is loaded: due times cannot be computed.");
    auto rules = due.rules;
    if (p.same_day_cutoff)
        rules.same_day_cutoff = *p.same_day_cutoff;
    calendar::Duration duration;
    if (p.hours)
        duration = calendar::Duration::hours(*p.hours);
    else if (p.calendar_days)
        duration = calendar::Duration::calendar_days(*p.calendar_days);
    else
        duration = calendar::Duration::days(p.days.value_or(0));
    return due.calendar->due(received, duration, p.same_day, rules);
}

Result<Dossier> receive(const ReceiveInput& in, const config::Register& catalogue, std::string_view receiving_unit,
                        LocalDateTime now, const DueContext& due)
{
    Dossier d;
    auto name = clean(in.applicant.name, "the applicant's name", 200);
    if (!name)
        return name.error();
    if (name->empty())
        return make_error("bad_text", "The applicant's name is empty.");
    d.applicant.name = *name;
    struct Text
    {
        const std::string& in;
        std::string& out;
        const char* what;
        std::size_t max;
        bool newlines;
    };
    for (const auto& t : {Text{in.applicant.address, d.applicant.address, "the applicant's address", 300, false},
                          Text{in.applicant.email, d.applicant.email, "the applicant's e-mail", 254, false},
                          Text{in.notes, d.notes, "the notes", 2000, true},
                          Text{in.waybill, d.waybill, "the waybill", 64, false}})
    {
        auto v = clean(t.in, t.what, t.max, t.newlines);
        if (!v)
            return v.error();
        t.out = *v;
    }
    d.applicant.phone = in.applicant.phone;
    d.applicant.id_number = in.applicant.id_number;
    if (!d.applicant.phone.empty() && !valid_phone(d.applicant.phone))
        return make_error("bad_phone", "\"" + d.applicant.phone + "\" is not a phone number (8 to 15 digits).");
    if (!d.applicant.id_number.empty() && !valid_id_number(d.applicant.id_number))
        return make_error("bad_id_number",
                          "\"" + d.applicant.id_number + "\" is not an ID number (12 digits, or 9 for a CMND).");
    if (in.sets < 1 || in.sets > 99)
        return make_error("bad_sets", "The number of sets must be 1..99.");
    d.sets = in.sets;
    d.channel = in.channel;
    d.delivery = in.delivery;
    if (!d.waybill.empty() && d.delivery != Delivery::post)
        return make_error("waybill_not_postal", "A waybill is given but the result is not delivered by post.");
    d.online = in.online;
    d.online_payment = in.online_payment;
    d.digitised = in.digitised;
    d.result_electronic = in.result_electronic;

    d.procedure_code = in.procedure_code;
    const auto* proc = catalogue.procedure(d.procedure_code, now.date);
    if (!proc)
        return make_error("unknown_procedure", "Procedure " + d.procedure_code + " is not in the catalogue on " +
                                                   format_date(now.date) + ".");
    d.procedure_name = proc->name;
    d.field = proc->field;
    d.deciding_agency = proc->deciding_agency;
    d.processing_days = proc->days ? proc->days : proc->calendar_days;
    d.processing_hours = proc->hours;
    d.same_day = proc->same_day;
    for (const auto& doc : in.documents.empty() ? proc->documents : in.documents)
    {
        auto v = clean(doc, "a document's name", 300);
        if (!v)
            return v.error();
        if (!v->empty())
            d.documents.push_back(*v);
    }
    auto fee = clean(in.fee.empty() ? proc->fee : in.fee, "the fee", 200);
    if (!fee)
        return fee.error();
    d.fee = *fee;
    d.receiving_unit = std::string(receiving_unit);
    d.received_at = now;
    if (d.channel != Channel::direct)
        d.submitted_at = now;
    d.status = Status::received;
    auto due_at = due_for(*proc, now, due);
    if (!due_at)
        return due_at.error();
    d.due_at = *due_at;
    return d;
}

Result<Change> request_supplement(const Dossier& d, LocalDateTime now, std::vector<std::string> missing,
                                  std::optional<LocalDateTime> deadline, std::string reason)
{
    if (finished(d))
        return finished_error(d);
    if (open_supplement(d))
        return make_error("supplement_open", "Dossier " + d.code + " already waits for a supplement.");
    if (open_obligation(d))
        return make_error("obligation_open", "Dossier " + d.code + " waits for a financial obligation.");
    std::erase_if(missing, [](const std::string& m) { return m.empty(); });
    if (missing.empty() && reason.empty())
        return make_error("nothing_missing", "Name the missing documents (or the reason) of the supplement request.");
    if (deadline && before_or_at(*deadline, now))
        return make_error("deadline_past", "The supplement deadline must be in the future.");
    auto c = make(ChangeKind::supplement_requested, d, now);
    c.missing = std::move(missing);
    c.deadline = deadline;
    c.reason = std::move(reason);
    return c;
}

Result<Change> complete_supplement(const Dossier& d, LocalDateTime now)
{
    if (d.closed_at)
        return finished_error(d);
    if (!open_supplement(d))
        return make_error("no_supplement_open", "Dossier " + d.code + " does not wait for a supplement.");
    return make(ChangeKind::supplement_completed, d, now);
}

Result<Change> transfer(const Dossier& d, LocalDateTime now, std::string to, std::optional<LocalDateTime> deadline)
{
    if (finished(d))
        return finished_error(d);
    if (to.empty())
        return make_error("empty_target", "Name the agency or desk the dossier goes to.");
    if (deadline && before_or_at(*deadline, now))
        return make_error("deadline_past", "The step's deadline must be in the future.");
    auto c = make(ChangeKind::transferred, d, now);
    c.from = d.handoffs.empty() ? std::string(desk_name) : d.handoffs.back().to;
    c.to = std::move(to);
    c.deadline = deadline;
    return c;
}

Result<Change> record_result(const Dossier& d, LocalDateTime now, const TimingRules& rules)
{
    if (d.result_at)
        return make_error("already_decided", "Dossier " + d.code + " already has its result.");
    if (d.closed_at)
        return finished_error(d);
    if (open_supplement(d))
        return make_error("supplement_open", "Dossier " + d.code + " still waits for a supplement.");
    auto judged = d;
    judged.result_at = now;
    auto c = make(ChangeKind::result_received, d, now);
    c.punctuality = punctuality_of(classify(judged, now, rules).outcome);
    c.from = d.handoffs.empty() ? d.deciding_agency : d.handoffs.back().to;
    c.to = std::string(desk_name);
    return c;
}

Result<Change> return_result(const Dossier& d, LocalDateTime now, std::string waybill)
{
    if (d.returned_at)
        return make_error("already_returned", "Dossier " + d.code + " was already returned.");
    if (d.closed_at)
        return finished_error(d);
    if (open_obligation(d))
        return make_error("obligation_open", "Dossier " + d.code + " waits for a financial obligation.");
    if (!waybill.empty() && d.delivery != Delivery::post)
        return make_error("not_postal", "Dossier " + d.code + " is not returned by post: no waybill.");
    auto c = make(ChangeKind::returned, d, now);
    c.waybill = waybill.empty() ? d.waybill : std::move(waybill);
    return c;
}

Result<Change> apologize(const Dossier& d, LocalDateTime now, LocalDateTime new_due, std::string reason)
{
    if (finished(d))
        return finished_error(d);
    if (before_or_at(new_due, now))
        return make_error("new_due_past", "The new appointment must be in the future.");
    auto c = make(ChangeKind::apologized, d, now);
    c.deadline = new_due;
    c.reason = std::move(reason);
    return c;
}

Result<Change> close(const Dossier& d, LocalDateTime now, Status status, std::string reason)
{
    ChangeKind kind;
    switch (status)
    {
    case Status::refused: kind = ChangeKind::refused; break;
    case Status::withdrawn: kind = ChangeKind::withdrawn; break;
    case Status::stopped: kind = ChangeKind::stopped; break;
    default:
        return make_error("not_a_closing_status",
                          "Only refused (3), withdrawn (7) or stopped (8) close a dossier without a result.");
    }
    if (reason.empty())
        return make_error("reason_required", "Give the reason why dossier " + d.code + " is " +
                                                 std::string(to_string(status)) + ".");
    if (finished(d))
        return finished_error(d);
    auto c = make(kind, d, now);
    c.reason = std::move(reason);
    return c;
}

Result<Change> start_obligation(const Dossier& d, LocalDateTime now, std::string reason)
{
    if (finished(d) && !(d.result_at && !d.returned_at && !d.closed_at))
        return finished_error(d);
    if (open_obligation(d))
        return make_error("obligation_open", "Dossier " + d.code + " already waits for a financial obligation.");
    if (open_supplement(d))
        return make_error("supplement_open", "Dossier " + d.code + " waits for a supplement.");
    auto c = make(ChangeKind::obligation_started, d, now);
    c.reason = std::move(reason);
    return c;
}

Result<Change> end_obligation(const Dossier& d, LocalDateTime now)
{
    if (d.closed_at)
        return finished_error(d);
    if (!open_obligation(d))
        return make_error("no_obligation_open", "Dossier " + d.code + " does not wait for a financial obligation.");
    return make(ChangeKind::obligation_ended, d, now);
}

namespace
{

std::string bool_text(bool b) { return b ? "true" : "false"; }

std::optional<bool> bool_from(std::string_view v)
{
    if (v == "true" || v == "1" || v == "yes")
        return true;
    if (v == "false" || v == "0" || v == "no")
        return false;
    return std::nullopt;
}

// The current text of a correctable field, or nullopt for an unknown field.
std::optional<std::string> field_value(const Dossier& d, std::string_view field)
{
    if (field == "applicant_name") return d.applicant.name;
    if (field == "applicant_address") return d.applicant.address;
    if (field == "applicant_phone") return d.applicant.phone;
    if (field == "applicant_id") return d.applicant.id_number;
    if (field == "applicant_email") return d.applicant.email;
    if (field == "notes") return d.notes;
    if (field == "sets") return std::to_string(d.sets);
    if (field == "delivery") return std::string(to_string(d.delivery));
    if (field == "waybill") return d.waybill;
    if (field == "online") return std::string(to_string(d.online));
    if (field == "online_payment") return bool_text(d.online_payment);
    if (field == "digitised") return bool_text(d.digitised);
    if (field == "result_electronic") return bool_text(d.result_electronic);
    return std::nullopt;
}

// Checks and normalises a new value; sets it on `d` when `d` is not null.
Result<std::string> set_field(Dossier* d, std::string_view field, const std::string& value)
{
    auto text_field = [&](std::string Applicant::*member, const char* what, std::size_t max) -> Result<std::string> {
        auto v = clean(value, what, max);
        if (!v)
            return v.error();
        if (d)
            d->applicant.*member = *v;
        return *v;
    };
    if (field == "applicant_name")
    {
        if (value.empty())
            return make_error("bad_value", "The applicant's name cannot be empty.");
        return text_field(&Applicant::name, "the applicant's name", 200);
    }
    if (field == "applicant_address")
        return text_field(&Applicant::address, "the applicant's address", 300);
    if (field == "applicant_email")
        return text_field(&Applicant::email, "the applicant's e-mail", 254);
    if (field == "applicant_phone")
    {
        if (!value.empty() && !valid_phone(value))
            return make_error("bad_value", "\"" + value + "\" is not a phone number (8 to 15 digits).");
        return text_field(&Applicant::phone, "the phone", 32);
    }
    if (field == "applicant_id")
    {
        if (!value.empty() && !valid_id_number(value))
            return make_error("bad_value", "\"" + value + "\" is not an ID number (12 digits, or 9 for a CMND).");
        return text_field(&Applicant::id_number, "the ID number", 12);
    }
    if (field == "notes")
    {
        auto v = clean(value, "the notes", 2000, true);
        if (v && d)
            d->notes = *v;
        return v;
    }
    if (field == "waybill")
    {
        auto v = clean(value, "the waybill", 64);
        if (v && d)
            d->waybill = *v;
        return v;
    }
    if (field == "sets")
    {
        int n = 0;
        for (char ch : value)
            n = (ch >= '0' && ch <= '9' && n < 1000) ? n * 10 + (ch - '0') : 1000;
        if (value.empty() || n < 1 || n > 99)
            return make_error("bad_value", "The number of sets must be 1..99.");
        if (d)
            d->sets = n;
        return std::to_string(n);
    }
    if (field == "delivery")
    {
        auto v = delivery_from(value);
        if (!v)
            return make_error("bad_value", "The delivery must be desk, post or online.");
        if (d)
            d->delivery = *v;
        return std::string(to_string(*v));
    }
    if (field == "online")
    {
        auto v = online_from(value);
        if (!v)
            return make_error("bad_value", "The online submission must be none, partial or full.");
        if (d)
            d->online = *v;
        return std::string(to_string(*v));
    }
    auto b = bool_from(value);
    if (!b)
        return make_error("bad_value", "The value of " + std::string(field) + " must be true or false.");
    if (d)
        (field == "online_payment" ? d->online_payment : field == "digitised" ? d->digitised : d->result_electronic) = *b;
    return bool_text(*b);
}

} // namespace

const std::vector<std::string>& correctable_fields()
{
    static const std::vector<std::string> fields = {
        "applicant_name", "applicant_address", "applicant_phone", "applicant_id", "applicant_email",
        "notes",          "sets",              "delivery",        "waybill",      "online",
        "online_payment", "digitised",         "result_electronic"};
    return fields;
}

Result<Change> correct(const Dossier& d, LocalDateTime now, std::string field, std::string value, std::string reason)
{
    auto old = field_value(d, field);
    if (!old)
        return make_error("unknown_field", "\"" + field + "\" cannot be corrected; fields: applicant_name, "
                                           "applicant_address, applicant_phone, applicant_id, applicant_email, notes, "
                                           "sets, delivery, waybill, online, online_payment, digitised, "
                                           "result_electronic.");
    if (reason.empty())
        return make_error("reason_required", "Give the reason for the correction.");
    auto normalised = set_field(nullptr, field, value);
    if (!normalised)
        return make_error("bad_value", normalised.error().message);
    if (*normalised == *old)
        return make_error("no_change", "The " + field + " of dossier " + d.code + " is already \"" + *old + "\".");
    if (field == "waybill" && !normalised->empty() && d.delivery != Delivery::post)
        return make_error("bad_value", "A waybill needs delivery by post.");
    auto c = make(ChangeKind::corrected, d, now);
    c.field = std::move(field);
    c.old_value = *old;
    c.new_value = *normalised;
    c.reason = std::move(reason);
    return c;
}

void apply(Dossier& d, const Change& c)
{
    auto running = [&d] {
        if (d.result_at)
            return Status::decided;
        return Status::processing;
    };
    switch (c.kind)
    {
    case ChangeKind::supplement_requested:
        d.supplements.push_back(SupplementRequest{c.at, std::nullopt, c.reason, c.missing, c.deadline});
        d.status = Status::supplement_requested;
        break;
    case ChangeKind::supplement_completed:
        for (auto& s : d.supplements)
            if (!s.completed_at)
                s.completed_at = c.at;
        d.status = running();
        break;
    case ChangeKind::transferred:
        d.handoffs.push_back(Handoff{c.from, c.to, c.at, c.deadline, std::nullopt, {}});
        if (!d.transferred_at)
            d.transferred_at = c.at;
        if (d.deciding_agency.empty())
            d.deciding_agency = c.to;
        if (d.status != Status::supplement_requested && d.status != Status::financial_obligation)
            d.status = Status::processing;
        break;
    case ChangeKind::result_received:
        d.result_at = c.at;
        d.status = Status::decided;
        d.handoffs.push_back(Handoff{c.from, c.to, c.at, d.due_at, c.punctuality, {}});
        break;
    case ChangeKind::returned:
        d.returned_at = c.at;
        d.waybill = c.waybill;
        d.status = Status::returned;
        break;
    case ChangeKind::apologized: d.apologies.push_back(Apology{c.at, *c.deadline, c.reason}); break;
    case ChangeKind::refused:
    case ChangeKind::withdrawn:
    case ChangeKind::stopped:
        d.closed_at = c.at;
        d.close_reason = c.reason;
        d.status = c.kind == ChangeKind::refused     ? Status::refused
                   : c.kind == ChangeKind::withdrawn ? Status::withdrawn
                                                     : Status::stopped;
        break;
    case ChangeKind::obligation_started:
        d.obligations.push_back(ObligationPause{c.at, std::nullopt, c.reason});
        d.status = Status::financial_obligation;
        break;
    case ChangeKind::obligation_ended:
        for (auto& o : d.obligations)
            if (!o.to)
                o.to = c.at;
        d.status = running();
        break;
    case ChangeKind::corrected: (void)set_field(&d, c.field, c.new_value); break;
    }
}

} // namespace motcua::dossier
