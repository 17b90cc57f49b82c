#include "central/ingest.hpp"

#include "central/projection.hpp"
#include "central/schema.hpp"
#include "dossier/json.hpp"
#include "outbox/context.hpp"
#include "outbox/wire.hpp"

#include <map>

namespace motcua::central
{

using json = nlohmann::json;

namespace
{

std::string str(std::int64_t v) { return std::to_string(v); }

std::optional<std::int64_t> ms_of(const std::optional<WallTime>& t)
{
    return t ? std::optional<std::int64_t>(t->time_since_epoch().count()) : std::nullopt;
}

std::optional<WallTime> wall_of(std::optional<std::int64_t> ms)
{
    return ms ? std::optional<WallTime>(WallTime{std::chrono::milliseconds{*ms}}) : std::nullopt;
}

// Column arrays for one unnest() insert.
struct Columns
{
    std::vector<std::vector<std::string>> text;
    std::vector<std::vector<std::optional<std::int64_t>>> ints;
};

Result<void> load_records(pg::Connection& db, const std::string& site, const Touched& touched, Records& records)
{
    if (!touched.tickets.empty())
    {
        std::vector<std::int64_t> ids(touched.tickets.begin(), touched.tickets.end());
        auto rows = db.exec("SELECT id, issued_at, called_at, done_at, no_show, service, counter, officer FROM tickets "
                            "WHERE site = $1 AND id = ANY($2::bigint[])",
                            {site, pg::array_literal(ids)});
        if (!rows)
            return rows.error();
        for (int i = 0; i < rows->size(); ++i)
        {
            TicketState t;
            t.id = rows->int64(i, 0);
            t.record.issued = WallTime{std::chrono::milliseconds{rows->int64(i, 1)}};
            t.record.called = wall_of(rows->opt_int64(i, 2));
            t.record.done = wall_of(rows->opt_int64(i, 3));
            t.record.no_show = rows->text(i, 4) == "t";
            t.record.service = rows->string(i, 5);
            t.record.counter = static_cast<int>(rows->int64(i, 6));
            t.record.officer = rows->string(i, 7);
            records.tickets.emplace(t.id, std::move(t));
        }
    }
    if (!touched.dossiers.empty())
    {
        std::vector<std::string> codes(touched.dossiers.begin(), touched.dossiers.end());
        auto rows = db.exec("SELECT code, record, import_id FROM dossiers WHERE site = $1 AND code = ANY($2::text[])",
                            {site, pg::array_literal(codes)});
        if (!rows)
            return rows.error();
        for (int i = 0; i < rows->size(); ++i)
        {
            auto d = dossier::dossier_from_json(json::parse(rows->text(i, 1)));
            if (!d)
                return make_error("projection", "the stored dossier " + rows->string(i, 0) +
                                                    " does not read back: " + d.error().message);
            if (auto import = rows->opt_int64(i, 2))
                records.import_of[rows->string(i, 0)] = *import;
            records.dossiers.emplace(rows->string(i, 0), std::move(*d));
        }
    }
    return {};
}

Result<void> store_rows(pg::Connection& db, const std::string& site, const std::vector<outbox::WireRow>& rows)
{
    std::vector<std::int64_t> seq, wall, mono, counter, ticket, scheme;
    std::vector<std::string> kind, officer, payload, prev, hash, redacted;
    for (const auto& w : rows)
    {
        const auto& r = w.row;
        seq.push_back(r.seq);
        wall.push_back(r.wall.time_since_epoch().count());
        mono.push_back(r.mono_ns);
        counter.push_back(r.counter);
        ticket.push_back(r.ticket);
        scheme.push_back(r.scheme);
        kind.push_back(r.kind);
        officer.push_back(r.officer);
        payload.push_back(r.payload);
        prev.push_back(r.prev_hash);
        hash.push_back(r.hash);
        redacted.push_back(w.redacted ? "t" : "f");
    }
    const auto seqs = pg::array_literal(seq);
    const auto hashes = pg::array_literal(hash);
    // The chain's primary key is the guard: a row stored twice would fail here and roll
    // the batch back, whatever the checks above it missed.
    if (auto r = db.exec("INSERT INTO chain (site, seq, hash) SELECT $1, s, h FROM unnest($2::bigint[], $3::text[]) "
                         "AS u(s, h)",
                         {site, seqs, hashes});
        !r)
        return r.error();
    if (auto r = db.exec(
            "INSERT INTO journal_rows (site, seq, kind, wall_ms, mono_ns, counter, officer, ticket, payload, "
            "prev_hash, hash, scheme, redacted) SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], "
            "$5::bigint[], $6::int[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::smallint[], "
            "$13::boolean[])",
            {site, seqs, pg::array_literal(kind), pg::array_literal(wall), pg::array_literal(mono),
             pg::array_literal(counter), pg::array_literal(officer), pg::array_literal(ticket),
             pg::array_literal(payload), pg::array_literal(prev), hashes, pg::array_literal(scheme),
             pg::array_literal(redacted)});
        !r)
        return r.error();
    return {};
}

Result<void> store_projections(pg::Connection& db, const std::string& site, const Records& records,
                               const Touched& touched)
{
    std::vector<std::int64_t> id, issued, counter;
    std::vector<std::optional<std::int64_t>> called, done;
    std::vector<std::string> no_show, service, officer;
    for (auto tid : touched.tickets)
    {
        auto it = records.tickets.find(tid);
        if (it == records.tickets.end())
            continue; // an event about a ticket issued before the first row sent
        const auto& t = it->second.record;
        id.push_back(tid);
        issued.push_back(t.issued.time_since_epoch().count());
        called.push_back(ms_of(t.called));
        done.push_back(ms_of(t.done));
        no_show.push_back(t.no_show ? "t" : "f");
        service.push_back(t.service);
        counter.push_back(t.counter);
        officer.push_back(t.officer);
    }
    if (!id.empty())
        if (auto r = db.exec(
                "INSERT INTO tickets (site, id, issued_at, called_at, done_at, no_show, service, counter, officer) "
                "SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::boolean[], "
                "$7::text[], $8::int[], $9::text[]) ON CONFLICT (site, id) DO UPDATE SET issued_at = "
                "excluded.issued_at, called_at = excluded.called_at, done_at = excluded.done_at, no_show = "
                "excluded.no_show, service = excluded.service, counter = excluded.counter, officer = excluded.officer",
                {site, pg::array_literal(id), pg::array_literal(issued), pg::array_literal(called),
                 pg::array_literal(done), pg::array_literal(no_show), pg::array_literal(service),
                 pg::array_literal(counter), pg::array_literal(officer)});
            !r)
            return r.error();

    std::vector<std::string> code, record;
    std::vector<std::int64_t> received;
    std::vector<std::optional<std::int64_t>> finished, import;
    for (const auto& c : touched.dossiers)
    {
        auto it = records.dossiers.find(c);
        if (it == records.dossiers.end())
            continue;
        const auto& d = it->second;
        code.push_back(c);
        received.push_back(dossier::to_minutes(d.received_at));
        // Finished by the precedence the box's report uses (store/dossiers.cpp for_report).
        const auto& end = d.result_at ? d.result_at : d.returned_at ? d.returned_at : d.closed_at;
        finished.push_back(end ? std::optional<std::int64_t>(dossier::to_minutes(*end)) : std::nullopt);
        record.push_back(dossier::to_json(d).dump());
        auto i = records.import_of.find(c);
        import.push_back(i == records.import_of.end() ? std::nullopt : std::optional<std::int64_t>(i->second));
    }
    if (!code.empty())
        if (auto r = db.exec("INSERT INTO dossiers (site, code, received_min, finished_min, record, import_id) SELECT $1, "
                             "* FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[]) ON "
                             "CONFLICT (site, code) DO UPDATE SET received_min = excluded.received_min, finished_min = "
                             "excluded.finished_min, record = excluded.record, import_id = excluded.import_id",
                             {site, pg::array_literal(code), pg::array_literal(received), pg::array_literal(finished),
                              pg::array_literal(record), pg::array_literal(import)});
            !r)
            return r.error();

    // Chunked imports: their state; a failed one's dossiers leave the register, as on the box
    // (after the upserts: a dossier imported again under a new import keeps its new row).
    for (const auto& [id, state] : records.imports)
    {
        const char* text = state == ImportState::running ? "running" : state == ImportState::complete ? "complete"
                                                                                                      : "failed";
        if (auto r = db.exec("INSERT INTO imports (site, id, state) VALUES ($1, $2, $3) ON CONFLICT (site, id) DO "
                             "UPDATE SET state = excluded.state",
                             {site, str(id), std::string(text)});
            !r)
            return r.error();
        if (state == ImportState::failed)
            if (auto r = db.exec("DELETE FROM dossiers WHERE site = $1 AND import_id = $2", {site, str(id)}); !r)
                return r.error();
    }

    if (!records.new_ratings.empty())
    {
        std::vector<std::int64_t> at, rcounter, vote;
        std::vector<std::string> rofficer, field, rservice, source;
        for (const auto& r : records.new_ratings)
        {
            at.push_back(r.at.time_since_epoch().count());
            rcounter.push_back(r.counter);
            rofficer.push_back(r.officer);
            field.push_back(r.field);
            rservice.push_back(r.service);
            vote.push_back(static_cast<int>(r.vote));
            source.push_back(r.source);
        }
        if (auto r = db.exec("INSERT INTO ratings (site, at_ms, counter, officer, field, service, vote, source) "
                             "SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[], "
                             "$7::smallint[], $8::text[])",
                             {site, pg::array_literal(at), pg::array_literal(rcounter), pg::array_literal(rofficer),
                              pg::array_literal(field), pg::array_literal(rservice), pg::array_literal(vote),
                              pg::array_literal(source)});
            !r)
            return r.error();
    }
    return {};
}

// An alert for the site; `refused`: the row itself is kept aside in quarantine too.
Result<void> set_aside(pg::Connection& db, const std::string& site, const json& row, std::int64_t seq,
                       const std::string& kind, const std::string& message, bool refused = true)
{
    if (refused)
        if (auto r = db.exec("INSERT INTO quarantine (site, seq, reason, row_json) VALUES ($1, $2, $3, $4)",
                             {site, str(seq), message, row.dump()});
            !r)
            return r.error();
    // One alert per site, row and kind; a box that retries makes it count, not multiply.
    auto r = db.exec("INSERT INTO alerts (site, seq, kind, message) VALUES ($1, $2, $3, $4) ON CONFLICT (site, seq, "
                     "kind) DO UPDATE SET last_seen = now(), times = alerts.times + 1",
                     {site, str(seq), kind, message});
    if (!r)
        return r.error();
    return {};
}

} // namespace

json IngestAnswer::to_json() const
{
    json j{{"stored_through", stored_through}, {"stored", stored}};
    if (!error_code.empty())
        j["error"] = json{{"code", error_code}, {"message", message}, {"seq", bad_seq}};
    return j;
}

IngestAnswer ingest(pg::Connection& db, const std::string& site, const json& batch)
{
    IngestAnswer answer;
    auto refuse = [&](int status, std::string code, std::string message) {
        answer.http_status = status;
        answer.error_code = std::move(code);
        answer.message = std::move(message);
        return answer;
    };
    if (!batch.is_object() || !batch.contains("rows") || !batch["rows"].is_array())
        return refuse(400, "bad_batch", "the batch is not {\"site\", \"rows\": [...]}");
    if (batch.value("site", std::string()) != site)
        return refuse(403, "site_mismatch",
                      "this certificate is site " + site + "; the batch names site " + batch.value("site", std::string()));
    std::vector<outbox::WireRow> rows;
    for (const auto& j : batch["rows"])
    {
        auto w = outbox::from_wire(j);
        if (!w)
            return refuse(400, w.error().code, w.error().message);
        if (!rows.empty() && w->row.seq != rows.back().row.seq + 1)
            return refuse(400, "bad_batch", "the batch's rows are not consecutive at row " + str(w->row.seq));
        rows.push_back(std::move(*w));
    }
    for (const auto& w : rows)
        if (auto r = ensure_month_partition(db, w.row.wall.time_since_epoch().count()); !r)
            return refuse(500, r.error().code, r.error().message);

    auto done = db.transaction([&]() -> Result<void> {
        auto s = db.exec("SELECT stored_through, last_hash, revoked_at IS NOT NULL FROM sites WHERE code = $1 FOR UPDATE",
                         {site});
        if (!s)
            return s.error();
        if (s->size() == 0)
        {
            refuse(403, "unknown_site", "site " + site + " is not registered at the central");
            return {};
        }
        if (s->text(0, 2) == "t")
        {
            refuse(403, "site_revoked", "site " + site + " is revoked");
            return {};
        }
        std::int64_t stored = s->int64(0, 0);
        std::string last_hash = s->string(0, 1);
        answer.stored_through = stored;
        if (batch.contains("context") && batch["context"].is_object())
            if (auto r = db.exec("UPDATE sites SET context = $2::jsonb, context_hash = $3 WHERE code = $1",
                                 {site, batch["context"].dump(), outbox::context_hash(batch["context"])});
                !r)
                return r.error();

        // Rows the central has already: the same rows again, or a different history.
        std::vector<std::int64_t> again;
        for (const auto& w : rows)
            if (w.row.seq <= stored)
                again.push_back(w.row.seq);
        if (!again.empty())
        {
            auto known = db.exec("SELECT seq, hash FROM chain WHERE site = $1 AND seq = ANY($2::bigint[])",
                                 {site, pg::array_literal(again)});
            if (!known)
                return known.error();
            std::map<std::int64_t, std::string> hash_of;
            for (int i = 0; i < known->size(); ++i)
                hash_of[known->int64(i, 0)] = known->string(i, 1);
            for (std::size_t i = 0; i < rows.size() && rows[i].row.seq <= stored; ++i)
                if (hash_of[rows[i].row.seq] != rows[i].row.hash)
                {
                    const auto seq = rows[i].row.seq;
                    refuse(409, "history_changed",
                           "row " + str(seq) + " differs from the row " + str(seq) +
                               " stored before: the box's history changed (restored from an older backup, or edited)");
                    answer.bad_seq = seq;
                    return set_aside(db, site, batch["rows"][i], seq, "history_changed", answer.message);
                }
        }

        std::vector<outbox::WireRow> accepted;
        for (std::size_t i = 0; i < rows.size(); ++i)
        {
            const auto& w = rows[i];
            if (w.row.seq <= stored)
                continue;
            std::string kind, why;
            if (w.row.seq != stored + 1)
            {
                refuse(409, "gap", "row " + str(stored + 1) + " is missing before row " + str(w.row.seq));
                answer.bad_seq = stored + 1;
                break;
            }
            if (!outbox::content_verifies(w))
                kind = "content_changed", why = "row " + str(w.row.seq) + ": its hash does not match its content "
                                                                          "(the row was changed on the box)";
            else if (w.row.prev_hash != last_hash)
                kind = "link_broken", why = "row " + str(w.row.seq) + " does not link to row " + str(stored) +
                                            " stored before (a row was removed or changed on the box)";
            if (!kind.empty())
            {
                refuse(409, kind, why);
                answer.bad_seq = w.row.seq;
                if (auto r = set_aside(db, site, batch["rows"][i], w.row.seq, kind, why); !r)
                    return r;
                break;
            }
            accepted.push_back(w);
            stored = w.row.seq;
            last_hash = w.row.hash;
        }
        if (accepted.empty())
            return {};

        std::vector<store::JournalRow> plain;
        plain.reserve(accepted.size());
        for (const auto& w : accepted)
            plain.push_back(w.row);
        auto touched = touched_by(plain);
        Records records;
        if (auto r = load_records(db, site, touched, records); !r)
            return r;
        // Row by row, so a row the projection cannot read (a newer box's kind, a bug) is
        // stored all the same, raised as an alert, and does not hold back the rows after it.
        for (std::size_t i = 0; i < plain.size(); ++i)
            if (auto r = project(records, {plain[i]}); !r)
                if (auto a = set_aside(db, site, json(), plain[i].seq, "projection_failed", r.error().message, false);
                    !a)
                    return a;
        if (auto r = store_rows(db, site, accepted); !r)
            return r;
        if (auto r = store_projections(db, site, records, touched); !r)
            return r;
        if (auto r = db.exec("UPDATE sites SET stored_through = $2, last_hash = $3, last_upload = now() WHERE code = $1",
                             {site, str(stored), last_hash});
            !r)
            return r.error();
        answer.stored = static_cast<std::int64_t>(accepted.size());
        answer.stored_through = stored;
        return {};
    });
    if (!done)
    {
        answer = IngestAnswer{};
        return refuse(done.error().code == "pg_connection" ? 503 : 500, done.error().code, done.error().message);
    }
    return answer;
}

Result<std::optional<json>> position(pg::Connection& db, const std::string& site)
{
    auto s = db.exec("SELECT stored_through, last_hash, context_hash FROM sites WHERE code = $1 AND revoked_at IS NULL",
                     {site});
    if (!s)
        return s.error();
    if (s->size() == 0)
        return std::optional<json>();
    return std::optional<json>(json{{"site", site},
                                    {"stored_through", s->int64(0, 0)},
                                    {"hash", s->string(0, 1)},
                                    {"context_hash", s->string(0, 2)}});
}

} // namespace motcua::central
