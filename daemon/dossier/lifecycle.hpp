#pragma once

// The dossier's life at the one-stop desk as pure decisions, in the style of queue::Engine:
//   1. decide: `auto c = dossier::transfer(d, now, "UBND xã", deadline);` checks the rules
//      and returns the change that would happen (or an Error with a stable code), without
//      touching the dossier;
//   2. the caller commits the change (register row + journal row, one transaction), then
//      `dossier::apply(d, *c)`.
// No I/O, no clock: `now` is passed in. docs/register.md "Lifecycle" lists every status
// and refusal.
//
// Receipt (status 2) is `receive`: it builds the register row from the desk's input and
// the procedure version in force, and computes the due time on the office calendar.

#include "calendar/calendar.hpp"
#include "config/register_model.hpp"
#include "dossier/record.hpp"
#include "dossier/timing.hpp"
#include "util/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::dossier
{

enum class ChangeKind
{
    supplement_requested, // Mẫu 02, status 5: the clock pauses
    supplement_completed, // status 4: the clock runs again
    transferred,          // control-slip (Mẫu 06) hand-off to an agency or desk
    result_received,      // status 9: the deciding agency's result is at the desk
    returned,             // status 10: the result went to the applicant
    apologized,           // Mẫu 04: new appointment; the statistics keep the original due
    refused,              // status 3 (Mẫu 03)
    withdrawn,            // status 7: the applicant withdrew it
    stopped,              // status 8: processing stopped
    obligation_started,   // status 6: a fee or tax is due; the clock pauses
    obligation_ended,     // paid: the clock runs again
    corrected             // a recorded value was wrong: old and new value, never an edit
};

std::string_view event_name(ChangeKind k);  // "supplement_requested"
std::string journal_kind(ChangeKind k);      // "dossier.supplement_requested"

struct Change
{
    ChangeKind kind = ChangeKind::supplement_requested;
    std::string code;
    LocalDateTime at{};
    std::string officer;                   // who recorded it (journal)
    std::string reason;
    std::vector<std::string> missing;      // supplement: documents to bring
    std::optional<LocalDateTime> deadline; // supplement: the applicant's; transfer: the step's;
                                           // apology: the new appointment
    std::string from;                      // hand-off: from which desk or agency
    std::string to;                        // hand-off: to which
    std::string waybill;                   // return by post
    std::optional<Punctuality> punctuality; // result: judged against the original due time
    std::string field;                     // correction: which value
    std::string old_value;
    std::string new_value;
};

// The desk's own name in hand-offs (the control slip, Mẫu 06).
inline constexpr std::string_view desk_name = "Bộ phận Một cửa";

// --- receipt --------------------------------------------------------------------------

struct ReceiveInput
{
    std::string procedure_code;
    Applicant applicant;
    std::string notes;
    Channel channel = Channel::direct;
    Delivery delivery = Delivery::desk;
    std::string waybill;
    int sets = 1;
    OnlineSubmission online = OnlineSubmission::none;
    bool online_payment = false;
    bool digitised = false;
    bool result_electronic = false;
    // The documents received and the fee as the receipt prints them; empty: the
    // catalogue's list and fee for the procedure.
    std::vector<std::string> documents;
    std::string fee;
};

// Where and how the due time is computed.
struct DueContext
{
    const calendar::Calendar* calendar = nullptr; // null: "calendar_missing"
    calendar::DueRules rules;
};

// The due time of a procedure version for a receipt at `received` (its kind of period, its
// cut-off when it has one).
Result<LocalDateTime> due_for(const config::Procedure& p, LocalDateTime received, const DueContext& due);

// A dossier received at the desk at `now`: cleans the text (UTF-8, NFC, no control
// characters, lengths), checks phone, ID number, sets and waybill, applies the procedure
// version in force on the receipt date and computes the due time. Errors: "bad_text",
// "bad_phone", "bad_id_number", "bad_sets", "waybill_not_postal", "unknown_procedure",
// and the calendar's errors. The code and book row are allocated by the store. Documents
// and the fee default to the catalogue's.
Result<Dossier> receive(const ReceiveInput& in, const config::Register& catalogue, std::string_view receiving_unit,
                        LocalDateTime now, const DueContext& due);

// --- decisions --------------------------------------------------------------------------
// Common refusals: "dossier_finished" (a result, return or closing already ends it),
// "dossier_closed" (refused, withdrawn or stopped), "deadline_past".

// Errors: dossier_finished, supplement_open, obligation_open, nothing_missing (neither a
// document list nor a reason), deadline_past.
Result<Change> request_supplement(const Dossier& d, LocalDateTime now, std::vector<std::string> missing,
                                  std::optional<LocalDateTime> deadline, std::string reason);
// Errors: dossier_closed, no_supplement_open.
Result<Change> complete_supplement(const Dossier& d, LocalDateTime now);
// Errors: dossier_finished, empty_target, deadline_past.
Result<Change> transfer(const Dossier& d, LocalDateTime now, std::string to, std::optional<LocalDateTime> deadline);
// Errors: already_decided, dossier_closed, supplement_open.
Result<Change> record_result(const Dossier& d, LocalDateTime now, const TimingRules& rules);
// Errors: already_returned, dossier_closed, obligation_open, not_postal.
Result<Change> return_result(const Dossier& d, LocalDateTime now, std::string waybill);
// Errors: dossier_finished, new_due_past.
Result<Change> apologize(const Dossier& d, LocalDateTime now, LocalDateTime new_due, std::string reason);
// status: refused (3), withdrawn (7) or stopped (8). Errors: not_a_closing_status,
// reason_required, dossier_finished.
Result<Change> close(const Dossier& d, LocalDateTime now, Status status, std::string reason);
// Errors: dossier_finished, obligation_open, supplement_open.
Result<Change> start_obligation(const Dossier& d, LocalDateTime now, std::string reason);
// Errors: dossier_closed, no_obligation_open.
Result<Change> end_obligation(const Dossier& d, LocalDateTime now);

// The fields a correction may change (applicant data, notes, sets, delivery, waybill,
// QĐ 766 fields).
const std::vector<std::string>& correctable_fields();
// Errors: unknown_field, reason_required, bad_value (with why), no_change.
Result<Change> correct(const Dossier& d, LocalDateTime now, std::string field, std::string value, std::string reason);

// Applies a decided (and committed) change.
void apply(Dossier& d, const Change& c);

// Whether a result, a return or a closing already ends the dossier.
bool finished(const Dossier& d);

} // namespace motcua::dossier
