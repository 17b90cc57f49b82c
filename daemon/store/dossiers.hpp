#pragma once

// The dossier register's tables (schema version 2, store/schema.cpp): dossiers with their
// supplement requests, hand-offs and apologies, the per-(unit, day) dossier-code sequence
// and the per-(book, year) row counter, plus the report queries over dossiers, tickets and
// rating rows of the journal.
//
// Every write here runs inside the caller's open transaction (Database::transaction or
// Application::commit_rows) together with its journal row, so a code or a row number is
// allocated, written and journalled at once: a crash before the commit leaves no trace, a
// commit makes all of it durable. Sequences are stored counters, never derived from
// MAX(...) of surviving rows, so a number once committed is never handed out again.
//
// Times of the register are local times to the minute, stored as minutes since
// 1970-01-01 00:00 of the office's clock (dossier::to_minutes).

#include "dossier/record.hpp"
#include "dossier/report.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::store
{

// Who and when, for the journal row of a dossier change.
struct Stamp
{
    WallTime wall{};
    std::int64_t mono_ns = 0;
    int counter = 0;
    std::string officer;
};

// Journal kinds of the register ("dossier.*") and of ratings.
inline constexpr std::string_view kind_dossier_received = "dossier.received";
inline constexpr std::string_view kind_dossier_imported = "dossier.imported";
inline constexpr std::string_view kind_rating_given = "rating.given";

// The default register book (Quyển số) when none is given; rows count per book and year.
inline constexpr int default_book = 1;

class Dossiers
{
  public:
    Dossiers(Database& db, Journal& journal);

    // A new dossier received at the desk: allocates the code (`unit`, receipt date, next
    // sequence of that unit and day) and, when d.book/d.row are 0, the book row; writes the
    // register row and a "dossier.received" journal row carrying the whole record.
    // Inside the caller's transaction. Errors: "sequence_exhausted" after 9999 dossiers of
    // a unit in a day, "ticket_has_dossier", "database".
    Result<dossier::Dossier> receive(dossier::Dossier d, std::string_view unit, const Stamp& stamp);

    // Dossiers received elsewhere (import): each keeps its code, book and row when given
    // (they must be free: "code_taken", "row_taken") and gets them allocated otherwise;
    // one "dossier.imported" journal row each. Inside the caller's transaction; the caller
    // rolls back on any error, so a file is imported whole or not at all.
    // `line_of[i]` names the CSV line of dossiers[i] in error messages (may be empty).
    Result<int> import(std::vector<dossier::Dossier>& dossiers, std::string_view unit, const Stamp& stamp,
                       const std::vector<int>& line_of = {});

    // Stores the changed dossier `after` (looked up by code) and appends a journal row of
    // `kind` ("dossier.supplement_requested" …) with `payload` (a compact JSON object that
    // should name the code). Inside the caller's transaction.
    Result<void> change(const dossier::Dossier& after, std::string_view kind, const std::string& payload,
                        const Stamp& stamp);

    Result<std::optional<dossier::Dossier>> find(std::string_view code);
    // The code of the dossier linked to a queue ticket, if any.
    Result<std::optional<std::string>> code_of_ticket(std::int64_t ticket);

    // Dossiers received on days from..to (both included), in receipt order.
    Result<std::vector<dossier::Dossier>> received_between(Date from, Date to);
    // The dossiers form II.06a needs for a period: received before its end and not
    // finished before its start. Supplements are loaded; hand-offs and apologies are not.
    Result<std::vector<dossier::Dossier>> for_report(const dossier::Period& period);

    // The whole record as the compact JSON of the journal payload and the control API.
    static std::string to_json(const dossier::Dossier& d);

  private:
    Result<int> next_sequence(std::string_view unit, const std::string& day);
    Result<void> claim_sequence(std::string_view unit, const std::string& day, int sequence);
    Result<void> assign_row(dossier::Dossier& d);
    Result<std::int64_t> insert(const dossier::Dossier& d, std::string_view unit, int sequence);
    Result<void> insert_children(std::int64_t id, const dossier::Dossier& d);
    Result<void> journal_dossier(std::string_view kind, const dossier::Dossier& d, const Stamp& stamp);
    Result<std::vector<dossier::Dossier>> load(std::string_view where, const std::vector<std::int64_t>& params,
                                               bool children_all);

    Database& db_;
    Journal& journal_;
};

// Schema version 2: the register's tables. Listed in store/schema.cpp.
const Migration& dossier_migration();

// --- report queries ----------------------------------------------------------------------

// Tickets issued with from <= issued_at < to, as the queue report needs them (service,
// counter, officer; the field is left empty for the caller to fill from its config).
Result<std::vector<dossier::TicketRecord>> report_tickets(Database& db, WallTime from, WallTime to);

// Ratings from the journal ("rating.given" rows: {ticket, counter, officer, service, field,
// score}; score 3 = rất hài lòng, 2 = hài lòng, 1 = không hài lòng) with from <= wall < to.
Result<std::vector<dossier::Rating>> report_ratings(Database& db, WallTime from, WallTime to);

// Whether a ticket already has a rating row.
Result<bool> ticket_rated(Database& db, std::int64_t ticket);

// Score <-> vote of the rating rows.
std::optional<dossier::Vote> vote_from_score(int score);
int score_of(dossier::Vote v);

} // namespace motcua::store
