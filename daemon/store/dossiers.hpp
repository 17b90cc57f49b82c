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

#include "dossier/lifecycle.hpp"
#include "dossier/record.hpp"
#include "dossier/report.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <span>
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
    std::string actor; // who asked (command::Actor's label), written as the payload's "actor"
};

// Journal kinds of the register ("dossier.*") and of ratings.
inline constexpr std::string_view kind_dossier_received = "dossier.received";
inline constexpr std::string_view kind_dossier_imported = "dossier.imported";
inline constexpr std::string_view kind_import_started = "dossier.import_started";
inline constexpr std::string_view kind_import_completed = "dossier.import_completed";
inline constexpr std::string_view kind_import_failed = "dossier.import_failed";

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
    // one "dossier.imported" journal row each. Inside the caller's transaction.
    // `line_of[i]` names the CSV line of dossiers[i] in error messages (may be empty).
    // With an `import_id` (begin_import) the rows stay out of the register until
    // finish_import; without one they count at once.
    Result<int> import(std::span<dossier::Dossier> dossiers, std::string_view unit, const Stamp& stamp,
                       std::span<const int> line_of = {}, std::optional<std::int64_t> import_id = std::nullopt);

    // A large import is committed in chunks (several transactions) and is atomic through its
    // marker: begin_import records it as 'running' ("dossier.import_started"), import()
    // writes the chunks, finish_import marks it 'complete' ("dossier.import_completed") in
    // the transaction that makes all its rows visible at once. A failed or interrupted
    // import is removed with discard_import (call until it returns 0, each call one
    // transaction) and fail_import ("dossier.import_failed"); the journal's imported rows
    // of it are voided by that row. Each call inside the caller's transaction.
    Result<std::int64_t> begin_import(std::string_view actor, int rows, const Stamp& stamp);
    Result<void> finish_import(std::int64_t import_id, int rows, const Stamp& stamp);
    Result<int> discard_import(std::int64_t import_id, int limit);
    Result<void> fail_import(std::int64_t import_id, const std::string& reason, const Stamp& stamp);
    // Imports a crash left running, or failed ones with rows left: to discard at start.
    Result<std::vector<std::int64_t>> unfinished_imports();
    // "running", "complete", "failed", or nullopt for an unknown id.
    Result<std::optional<std::string>> import_state(std::int64_t import_id);

    // Stores the changed dossier `after` (looked up by code) and appends the change's
    // journal row ("dossier.supplement_requested" …, payload dossier::to_json(change)).
    // Inside the caller's transaction.
    Result<void> change(const dossier::Dossier& after, const dossier::Change& change, const Stamp& stamp);

    Result<std::optional<dossier::Dossier>> find(std::string_view code);
    // The code of the dossier linked to a queue ticket, if any.
    Result<std::optional<std::string>> code_of_ticket(std::int64_t ticket);

    // Dossiers received on days from..to (both included), in receipt order.
    Result<std::vector<dossier::Dossier>> received_between(Date from, Date to);
    // The dossiers form II.06a needs for a period: received before its end and not
    // finished before its start. Supplements, obligations and apologies are loaded; hand-offs are not.
    Result<std::vector<dossier::Dossier>> for_report(const dossier::Period& period);

  private:
    Result<int> next_sequence(std::string_view unit, const std::string& day);
    Result<void> claim_sequence(std::string_view unit, const std::string& day, int sequence);
    Result<void> assign_row(dossier::Dossier& d);
    Result<std::int64_t> insert(const dossier::Dossier& d, std::string_view unit, Date code_day, int sequence,
                                std::optional<std::int64_t> import_id = std::nullopt);
    Result<void> insert_children(std::int64_t id, const dossier::Dossier& d);
    Result<void> journal_dossier(std::string_view kind, const dossier::Dossier& d, const Stamp& stamp,
                                 std::optional<std::int64_t> import_id = std::nullopt);
    Result<std::vector<dossier::Dossier>> load(std::string_view where, const std::vector<std::int64_t>& params,
                                               bool children_all);

    Database& db_;
    Journal& journal_;
};

// Schema versions 2, 3 and 6: the register's tables. Listed in store/schema.cpp.
const Migration& dossier_migration();
const Migration& dossier_lifecycle_migration();
const Migration& dossier_receipt_migration();

// --- report queries ----------------------------------------------------------------------

// Tickets issued with from <= issued_at < to, as the queue report needs them (service,
// counter, officer; the field is left empty for the caller to fill from its config).
Result<std::vector<dossier::TicketRecord>> report_tickets(Database& db, WallTime from, WallTime to);

} // namespace motcua::store
