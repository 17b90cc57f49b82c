#include "central/projection.hpp"

#include "dossier/json.hpp"
#include "dossier/lifecycle.hpp"
#include "store/queue_rows.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace motcua::central
{

namespace
{

using json = nlohmann::json;

constexpr std::string_view kind_received = "dossier.received";
constexpr std::string_view kind_imported = "dossier.imported";
constexpr std::string_view kind_rating = "rating.given";
constexpr std::string_view kind_import_started = "dossier.import_started";
constexpr std::string_view kind_import_completed = "dossier.import_completed";
constexpr std::string_view kind_import_failed = "dossier.import_failed";
constexpr std::string_view redacted_value = "[redacted]";

Error failed(const store::JournalRow& row, const std::string& why)
{
    return make_error("projection_failed",
                      "Journal row " + std::to_string(row.seq) + " (" + row.kind + ") cannot be projected: " + why);
}

// The fields a redacted payload leaves out: a correction of one of them carries
// "[redacted]" for its old and new value and changes nothing the central keeps.
bool personal_field(std::string_view field) { return field.starts_with("applicant_") || field == "notes"; }

Result<void> project_ticket(Records& records, const store::JournalRow& row)
{
    auto event = store::event_from_row(row);
    if (!event)
        return failed(row, event.error().message);
    const auto& e = *event;
    using K = queue::EventKind;
    if (e.kind == K::issued)
    {
        if (records.tickets.contains(e.ticket))
            return failed(row, "ticket " + std::to_string(e.ticket) + " was already issued.");
        TicketState t;
        t.id = e.ticket;
        t.record.issued = e.at.wall;
        t.record.service = e.service;
        records.tickets.emplace(e.ticket, std::move(t));
        return {};
    }
    switch (e.kind)
    {
    case K::called:
    case K::no_show:
    case K::readmitted:
    case K::transferred:
    case K::done: break;
    default: return {}; // recalls, days, pauses and counters change nothing a report counts
    }
    auto it = records.tickets.find(e.ticket);
    if (it == records.tickets.end())
        return failed(row, "ticket " + std::to_string(e.ticket) + " was never issued.");
    auto& t = it->second.record;
    switch (e.kind)
    {
    case K::called:
        if (!t.called)
            t.called = e.at.wall;
        t.counter = e.counter;
        t.officer = e.officer;
        t.no_show = false;
        break;
    case K::no_show: t.no_show = true; break;
    case K::readmitted: t.no_show = false; break;
    case K::transferred:
        t.no_show = false;
        if (e.to_counter == 0 && !e.service.empty())
            t.service = e.service;
        break;
    case K::done:
        t.done = e.at.wall;
        t.no_show = false;
        break;
    default: break;
    }
    return {};
}

Result<json> payload_of(const store::JournalRow& row)
{
    auto payload = json::parse(row.payload, nullptr, false);
    if (payload.is_discarded() || !payload.is_object())
        return failed(row, "its payload is not a JSON object.");
    return payload;
}

// The "import" id of a payload, if it has one.
Result<std::optional<std::int64_t>> import_id(const store::JournalRow& row, const json& payload)
{
    auto it = payload.find("import");
    if (it == payload.end() || it->is_null())
        return std::optional<std::int64_t>();
    if (!it->is_number_integer())
        return failed(row, "\"import\" must be an integer.");
    return std::optional<std::int64_t>(it->get<std::int64_t>());
}

Result<void> project_import_state(Records& records, const store::JournalRow& row, const json& payload)
{
    auto id = import_id(row, payload);
    if (!id)
        return id.error();
    if (!*id)
        return failed(row, "\"import\" is missing.");
    auto state = row.kind == kind_import_started     ? ImportState::running
                 : row.kind == kind_import_completed ? ImportState::complete
                                                     : ImportState::failed;
    records.imports[**id] = state;
    if (state == ImportState::failed)
        for (auto it = records.import_of.begin(); it != records.import_of.end();)
        {
            if (it->second == **id)
            {
                records.dossiers.erase(it->first);
                it = records.import_of.erase(it);
            }
            else
                ++it;
        }
    return {};
}

Result<void> project_dossier(Records& records, const store::JournalRow& row)
{
    auto payload = payload_of(row);
    if (!payload)
        return payload.error();
    if (row.kind == kind_import_started || row.kind == kind_import_completed || row.kind == kind_import_failed)
        return project_import_state(records, row, *payload);
    if (row.kind == kind_received || row.kind == kind_imported)
    {
        auto d = dossier::dossier_from_json(*payload);
        if (!d)
            return failed(row, d.error().message);
        auto import = import_id(row, *payload);
        if (!import)
            return import.error();
        if (records.dossiers.contains(d->code))
            return failed(row, "dossier " + d->code + " is already in the register.");
        if (*import)
            records.import_of[d->code] = **import;
        auto code = d->code;
        records.dossiers.emplace(std::move(code), std::move(*d));
        return {};
    }
    auto change = dossier::change_from_json(row.kind, *payload);
    if (!change)
    {
        if (change.error().code == "unknown_change")
            return {}; // imports' markers, forms printed, ...: not a change of the record
        return failed(row, change.error().message);
    }
    auto it = records.dossiers.find(change->code);
    if (it == records.dossiers.end())
        return failed(row, "dossier " + change->code + " was never received.");
    if (change->kind == dossier::ChangeKind::corrected && personal_field(change->field) &&
        change->new_value == redacted_value)
        return {};
    dossier::complete_change(*change, it->second);
    dossier::apply(it->second, *change);
    return {};
}

// As store::report_ratings reads a vote: a missing key reads empty, a score it does not
// know is not a vote.
Result<void> project_rating(Records& records, const store::JournalRow& row)
{
    auto payload = payload_of(row);
    if (!payload)
        return payload.error();
    auto text = [&](const char* key) -> Result<std::string> {
        auto it = payload->find(key);
        if (it == payload->end() || it->is_null())
            return std::string();
        if (!it->is_string())
            return failed(row, std::string("\"") + key + "\" must be a string.");
        return it->get<std::string>();
    };
    auto number = [&](const char* key) -> Result<std::int64_t> {
        auto it = payload->find(key);
        if (it == payload->end() || it->is_null())
            return std::int64_t{0};
        if (!it->is_number_integer())
            return failed(row, std::string("\"") + key + "\" must be an integer.");
        return it->get<std::int64_t>();
    };
    auto score = number("score");
    auto counter = number("counter");
    auto officer = text("officer");
    auto field = text("field");
    auto service = text("service");
    auto source = text("source");
    for (const Result<std::int64_t>* r : {&score, &counter})
        if (!*r)
            return r->error();
    for (const Result<std::string>* r : {&officer, &field, &service, &source})
        if (!*r)
            return r->error();
    dossier::Rating rating;
    switch (*score)
    {
    case 3: rating.vote = dossier::Vote::very_satisfied; break;
    case 2: rating.vote = dossier::Vote::satisfied; break;
    case 1: rating.vote = dossier::Vote::dissatisfied; break;
    default: return {}; // not a vote this version understands
    }
    rating.at = row.wall;
    rating.counter = static_cast<int>(*counter);
    rating.officer = std::move(*officer);
    rating.field = std::move(*field);
    rating.service = std::move(*service);
    rating.source = std::move(*source);
    records.new_ratings.push_back(std::move(rating));
    return {};
}

} // namespace

Touched touched_by(const std::vector<store::JournalRow>& rows)
{
    Touched touched;
    for (const auto& row : rows)
    {
        if (store::is_queue_kind(row.kind))
        {
            if (row.ticket != 0)
                touched.tickets.insert(row.ticket);
            continue;
        }
        if (!row.kind.starts_with("dossier."))
            continue;
        // The code is in the payload; a payload that does not read is project()'s error.
        auto payload = json::parse(row.payload, nullptr, false);
        if (!payload.is_object())
            continue;
        if (auto it = payload.find("code"); it != payload.end() && it->is_string())
            touched.dossiers.insert(it->get<std::string>());
    }
    return touched;
}

Result<void> project(Records& records, const std::vector<store::JournalRow>& rows)
{
    std::int64_t last_seq = 0;
    for (const auto& row : rows)
    {
        if (row.seq <= last_seq)
            return failed(row, "it comes after row " + std::to_string(last_seq) + ": rows must be in increasing seq.");
        last_seq = row.seq;
        Result<void> r;
        if (store::is_queue_kind(row.kind))
            r = project_ticket(records, row);
        else if (row.kind == kind_rating)
            r = project_rating(records, row);
        else if (row.kind.starts_with("dossier."))
            r = project_dossier(records, row);
        if (!r)
            return r;
    }
    return {};
}

} // namespace motcua::central
