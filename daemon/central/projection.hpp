#pragma once

// The central service's projection (issue 16): a site's journal rows, as the box wrote
// them, turned into the records its reports count — queue tickets, dossiers, votes — by
// the register's own pure rules (dossier::apply for dossier changes), so the province's
// figures for a site are the box's own. Pure: no I/O. The central loads the records a
// batch touches (touched_by), projects the batch, and stores what changed in the same
// transaction as the rows.
//
// Ticket rules mirror store::Tickets::apply: "issued" inserts; "called" sets the first
// call time, the counter and the officer; "no_show" marks a no-show, "readmitted",
// "transferred" (to a service: its new service), "called" and "done" clear it; "done"
// sets the done time. Other queue kinds change nothing a report counts.
// Dossiers: "dossier.received"/"dossier.imported" carry the whole record; every other
// "dossier.<change>" is read back with dossier::change_from_json and applied. Ratings:
// "rating.given" as store::report_ratings reads it. "dossier.import_started", "_completed"
// and "_failed" set an import's state. Rows of other kinds are passed over.
// Payloads may be redacted (applicant and notes replaced by a commitment): those fields
// stay empty, and a correction of them (old/new "[redacted]") leaves them so.

#include "dossier/record.hpp"
#include "dossier/report.hpp"
#include "store/journal.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace motcua::central
{

struct TicketState
{
    std::int64_t id = 0;
    dossier::TicketRecord record; // record.field is left "": the site's services map it
};

// A large import is committed in chunks (store::Dossiers::begin_import): its dossiers carry
// the import's id and are in the register only once it is complete; when it fails the box
// removes them.
enum class ImportState
{
    running,
    complete,
    failed
};

struct Records
{
    std::map<std::int64_t, TicketState> tickets;
    std::map<std::string, dossier::Dossier> dossiers; // by code
    std::vector<dossier::Rating> new_ratings; // votes of the rows projected, to insert
    // The import of each dossier projected from a chunked import's row (code -> import id):
    // the central keeps it with the dossier and counts the dossier only while its import is
    // complete, as the box does.
    std::map<std::string, std::int64_t> import_of;
    // Imports whose state the rows set. On `failed` the central removes every dossier of
    // that import (project() removes those in `dossiers`), as the box's discard does.
    std::map<std::int64_t, ImportState> imports;
};

// What a batch of rows reads or changes: the records to load before project().
struct Touched
{
    std::set<std::int64_t> tickets;
    std::set<std::string> dossiers;
};

Touched touched_by(const std::vector<store::JournalRow>& rows);

// Applies `rows` (in increasing seq) to `records`, which must hold every record they touch
// that earlier rows created. A row the projection cannot understand (a payload that does
// not read, a change to a dossier never received, a call of a ticket never issued, a
// ticket or dossier created twice, rows out of order) is an Error "projection_failed"
// naming its seq and why; `records` then holds the rows before it applied.
Result<void> project(Records& records, const std::vector<store::JournalRow>& rows);

} // namespace motcua::central
