#pragma once

// The office's figures as pure functions over records (issue 3 "Reports"):
//  - dossiers in the layout of form II.06a (received: online, direct and postal, carried
//    over; resolved: early, on time, late; in progress: within and over due);
//  - satisfaction votes per field, officer or counter;
//  - queue tickets: issued, served, no-show, wait and service times (mean, 90th percentile).
// The store loads the records of the period; these functions only count.

#include "dossier/record.hpp"
#include "dossier/timing.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace motcua::dossier
{

enum class GroupBy
{
    none,
    field,
    procedure,
    officer,
    counter,
    service,
    hour // the local hour of day ("07"): a ticket's issue, a vote, a dossier's receipt
};

std::optional<GroupBy> group_by_from(std::string_view text); // "field", "procedure", ...
// The key of GroupBy::hour: the local hour of `t`, two digits ("07").
std::string hour_key(WallTime t, UtcOffset tz);
std::string_view to_string(GroupBy g);

// A reporting period of whole local days, both included.
struct Period
{
    Date from{};
    Date to{};
    LocalDateTime end() const; // the first minute after `to`
};

struct DossierCounts
{
    int received = 0;             // received in the period
    int received_online = 0;      // channel 2
    int received_direct_postal = 0; // channels 1 and 3
    int carried_over = 0;         // received before, still open at the start
    int resolved = 0;
    int early = 0;
    int on_time = 0;
    int late = 0;
    int in_progress = 0;
    int within_due = 0;
    int over_due = 0;
    // Closed without a result in the period (status 3, 7, 8): neither resolved nor open.
    int refused = 0;
    int withdrawn = 0;
    int stopped = 0;
    int apologies = 0;         // apology letters (Mẫu 04) sent in the period
    int supplement_lapsed = 0; // in progress, waiting for a supplement past its deadline
    // QĐ 766 fields of the dossiers received in the period.
    int online_full = 0;       // toàn trình
    int online_partial = 0;    // một phần
    int paid_online = 0;
    int digitised = 0;         // số hóa at receipt
    int result_electronic = 0;

    int handled() const { return received + carried_over; }
    int closed() const { return refused + withdrawn + stopped; }
    DossierCounts& operator+=(const DossierCounts& other);
    double online_share() const;  // received_online / received, 0 when nothing received
    double on_time_rate() const;  // (early + on_time) / resolved
    // (early + on_time + within_due) / (handled - closed): a dossier refused, withdrawn or
    // stopped is not judged on time.
    double qd766_rate() const;
    double digitised_share() const;          // digitised / received
    double result_electronic_share() const;  // result_electronic / received
    double paid_online_share() const;        // paid_online / received
};

template <class Counts>
struct Row
{
    std::string key; // the group's value ("Tư pháp – Hộ tịch", "3", ...); "" for none
    Counts counts;
};

struct DossierReport
{
    Period period;
    DossierCounts total;
    std::vector<Row<DossierCounts>> rows; // sorted by key; empty for GroupBy::none
};

DossierReport dossier_report(const std::vector<Dossier>& dossiers, const Period& period, GroupBy by,
                             const TimingRules& rules);

enum class Vote
{
    very_satisfied, // rất hài lòng
    satisfied,      // hài lòng
    dissatisfied    // không hài lòng
};

struct Rating
{
    WallTime at{};
    int counter = 0;
    std::string officer;
    std::string field;
    std::string service;
    Vote vote = Vote::satisfied;
    std::string source; // "panel", "phone", "desk"; "" in rows older than the phone page
};

struct SatisfactionCounts
{
    int votes = 0;
    int very_satisfied = 0;
    int satisfied = 0;
    int dissatisfied = 0;
    int from_phone = 0; // of the votes, those given on the citizen's phone page
    double satisfied_share() const; // (very_satisfied + satisfied) / votes
};

struct SatisfactionReport
{
    SatisfactionCounts total;
    std::vector<Row<SatisfactionCounts>> rows;
};

// Ratings with from <= at < to. `tz` places a vote in its local hour (GroupBy::hour).
SatisfactionReport satisfaction_report(const std::vector<Rating>& ratings, WallTime from, WallTime to, GroupBy by,
                                       UtcOffset tz = {});

struct TicketRecord
{
    WallTime issued{};
    std::optional<WallTime> called;
    std::optional<WallTime> done;
    bool no_show = false;
    std::string service;
    std::string field;
    std::string officer;
    int counter = 0;
};

struct DurationStats
{
    int count = 0;
    std::chrono::milliseconds mean{0};
    std::chrono::milliseconds p90{0}; // nearest rank
};

struct QueueCounts
{
    int issued = 0;
    int served = 0;  // done and not a no-show
    int no_show = 0;
    DurationStats wait;    // issued -> called, over called tickets
    DurationStats service; // called -> done, over served tickets
};

struct QueueReport
{
    QueueCounts total;
    std::vector<Row<QueueCounts>> rows;
};

// Tickets issued with from <= issued < to. GroupBy::procedure groups nothing (key "").
// GroupBy::hour groups by the local hour the ticket was issued in (`tz`): the office's
// load and waiting through the day.
QueueReport queue_report(const std::vector<TicketRecord>& tickets, WallTime from, WallTime to, GroupBy by,
                         UtcOffset tz = {});

} // namespace motcua::dossier
