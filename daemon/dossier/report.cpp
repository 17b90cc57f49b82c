#include "dossier/report.hpp"

#include <algorithm>
#include <map>

namespace motcua::dossier
{

namespace chr = std::chrono;

namespace
{

double ratio(int num, int den) { return den == 0 ? 0.0 : static_cast<double>(num) / den; }

std::string two_digits(int n) { return {static_cast<char>('0' + n / 10 % 10), static_cast<char>('0' + n % 10)}; }

std::string key_of(const Dossier& d, GroupBy by)
{
    switch (by)
    {
    case GroupBy::none: return {};
    case GroupBy::field: return d.field;
    case GroupBy::procedure: return d.procedure_code;
    case GroupBy::officer: return d.officer;
    case GroupBy::counter: return d.counter ? std::to_string(d.counter) : std::string();
    case GroupBy::service: return d.service;
    case GroupBy::hour: return two_digits(d.received_at.time.minutes / 60);
    }
    return {};
}

std::string key_of(const Rating& r, GroupBy by, UtcOffset tz)
{
    switch (by)
    {
    case GroupBy::hour: return hour_key(r.at, tz);
    case GroupBy::field: return r.field;
    case GroupBy::officer: return r.officer;
    case GroupBy::counter: return r.counter ? std::to_string(r.counter) : std::string();
    case GroupBy::service: return r.service;
    default: return {};
    }
}

std::string key_of(const TicketRecord& t, GroupBy by, UtcOffset tz)
{
    switch (by)
    {
    case GroupBy::hour: return hour_key(t.issued, tz);
    case GroupBy::field: return t.field;
    case GroupBy::officer: return t.officer;
    case GroupBy::counter: return t.counter ? std::to_string(t.counter) : std::string();
    case GroupBy::service: return t.service;
    default: return {};
    }
}

template <class Counts>
std::vector<Row<Counts>> rows_of(std::map<std::string, Counts>& groups)
{
    std::vector<Row<Counts>> rows;
    rows.reserve(groups.size());
    for (auto& [k, c] : groups)
        rows.push_back(Row<Counts>{k, std::move(c)});
    return rows;
}

void add_dossier(DossierCounts& c, const Dossier& d, const Period& period, std::int64_t start,
                 const TimingRules& rules)
{
    const auto as_of = period.end();
    auto received = to_minutes(d.received_at);
    if (received >= to_minutes(as_of))
        return; // received after the period
    auto timing = classify(d, as_of, rules);
    if (timing.end && to_minutes(*timing.end) < start)
        return; // finished (or closed) before the period
    if (received >= start)
    {
        ++c.received;
        if (d.channel == Channel::online)
            ++c.received_online;
        else
            ++c.received_direct_postal;
        c.online_full += d.online == OnlineSubmission::full;
        c.online_partial += d.online == OnlineSubmission::partial;
        c.paid_online += d.online_payment;
        c.digitised += d.digitised;
        c.result_electronic += d.result_electronic;
    }
    else
        ++c.carried_over;
    for (const auto& a : d.apologies)
        c.apologies += to_minutes(a.at) >= start && to_minutes(a.at) < to_minutes(as_of);
    c.supplement_lapsed += timing.supplement_lapsed;
    switch (timing.outcome)
    {
    case Outcome::early: ++c.resolved, ++c.early; break;
    case Outcome::on_time: ++c.resolved, ++c.on_time; break;
    case Outcome::late: ++c.resolved, ++c.late; break;
    case Outcome::open_within_due: ++c.in_progress, ++c.within_due; break;
    case Outcome::open_over_due: ++c.in_progress, ++c.over_due; break;
    case Outcome::closed:
        if (d.status == Status::refused)
            ++c.refused;
        else if (d.status == Status::withdrawn)
            ++c.withdrawn;
        else
            ++c.stopped;
        break;
    }
}

void add_stats(DurationStats& s, std::vector<std::int64_t>& samples)
{
    s.count = static_cast<int>(samples.size());
    if (samples.empty())
        return;
    std::int64_t sum = 0;
    for (auto v : samples)
        sum += v;
    s.mean = chr::milliseconds{sum / static_cast<std::int64_t>(samples.size())};
    // Nearest rank: the smallest sample with at least 90 % of samples at or below it.
    auto rank = (samples.size() * 9 + 9) / 10; // ceil(0.9 n)
    auto nth = samples.begin() + static_cast<std::ptrdiff_t>(rank - 1);
    std::nth_element(samples.begin(), nth, samples.end());
    s.p90 = chr::milliseconds{*nth};
}

struct QueueAcc
{
    QueueCounts counts;
    std::vector<std::int64_t> waits;
    std::vector<std::int64_t> services;
    void add(const TicketRecord& t)
    {
        ++counts.issued;
        if (t.no_show)
            ++counts.no_show;
        if (t.called)
            waits.push_back((*t.called - t.issued).count());
        if (t.done && !t.no_show)
        {
            ++counts.served;
            if (t.called)
                services.push_back((*t.done - *t.called).count());
        }
    }
    QueueCounts finish()
    {
        add_stats(counts.wait, waits);
        add_stats(counts.service, services);
        return counts;
    }
};

void add_vote(SatisfactionCounts& c, const Rating& r)
{
    const auto v = r.vote;
    ++c.votes;
    c.from_phone += r.source == "phone";
    if (v == Vote::very_satisfied)
        ++c.very_satisfied;
    else if (v == Vote::satisfied)
        ++c.satisfied;
    else
        ++c.dissatisfied;
}

} // namespace

std::optional<GroupBy> group_by_from(std::string_view text)
{
    for (auto g : {GroupBy::none, GroupBy::field, GroupBy::procedure, GroupBy::officer, GroupBy::counter,
                   GroupBy::service, GroupBy::hour})
        if (to_string(g) == text)
            return g;
    return std::nullopt;
}

std::string_view to_string(GroupBy g)
{
    switch (g)
    {
    case GroupBy::none: return "none";
    case GroupBy::field: return "field";
    case GroupBy::procedure: return "procedure";
    case GroupBy::officer: return "officer";
    case GroupBy::counter: return "counter";
    case GroupBy::service: return "service";
    case GroupBy::hour: return "hour";
    }
    return "none";
}

std::string hour_key(WallTime t, UtcOffset tz) { return two_digits(to_local(t, tz).time.minutes / 60); }

LocalDateTime Period::end() const { return LocalDateTime{Date{chr::sys_days{to} + chr::days{1}}, TimeOfDay{0}}; }

DossierCounts& DossierCounts::operator+=(const DossierCounts& o)
{
    received += o.received;
    received_online += o.received_online;
    received_direct_postal += o.received_direct_postal;
    carried_over += o.carried_over;
    resolved += o.resolved;
    early += o.early;
    on_time += o.on_time;
    late += o.late;
    in_progress += o.in_progress;
    within_due += o.within_due;
    over_due += o.over_due;
    refused += o.refused;
    withdrawn += o.withdrawn;
    stopped += o.stopped;
    apologies += o.apologies;
    supplement_lapsed += o.supplement_lapsed;
    online_full += o.online_full;
    online_partial += o.online_partial;
    paid_online += o.paid_online;
    digitised += o.digitised;
    result_electronic += o.result_electronic;
    return *this;
}

double DossierCounts::online_share() const { return ratio(received_online, received); }
double DossierCounts::on_time_rate() const { return ratio(early + on_time, resolved); }
double DossierCounts::qd766_rate() const { return ratio(early + on_time + within_due, handled() - closed()); }
double DossierCounts::digitised_share() const { return ratio(digitised, received); }
double DossierCounts::result_electronic_share() const { return ratio(result_electronic, received); }
double DossierCounts::paid_online_share() const { return ratio(paid_online, received); }
double SatisfactionCounts::satisfied_share() const { return ratio(very_satisfied + satisfied, votes); }

DossierReport dossier_report(const std::vector<Dossier>& dossiers, const Period& period, GroupBy by,
                             const TimingRules& rules)
{
    DossierReport report;
    report.period = period;
    const auto start = to_minutes(LocalDateTime{period.from, TimeOfDay{0}});
    std::map<std::string, DossierCounts> groups;
    for (const auto& d : dossiers)
    {
        DossierCounts one;
        add_dossier(one, d, period, start, rules);
        if (one.handled() == 0)
            continue;
        report.total += one;
        if (by != GroupBy::none)
            groups[key_of(d, by)] += one;
    }
    report.rows = rows_of(groups);
    return report;
}

SatisfactionReport satisfaction_report(const std::vector<Rating>& ratings, WallTime from, WallTime to, GroupBy by,
                                       UtcOffset tz)
{
    SatisfactionReport report;
    std::map<std::string, SatisfactionCounts> groups;
    for (const auto& r : ratings)
    {
        if (r.at < from || !(r.at < to))
            continue;
        add_vote(report.total, r);
        if (by != GroupBy::none)
            add_vote(groups[key_of(r, by, tz)], r);
    }
    report.rows = rows_of(groups);
    return report;
}

QueueReport queue_report(const std::vector<TicketRecord>& tickets, WallTime from, WallTime to, GroupBy by,
                         UtcOffset tz)
{
    QueueAcc total;
    std::map<std::string, QueueAcc> groups;
    for (const auto& t : tickets)
    {
        if (t.issued < from || !(t.issued < to))
            continue;
        total.add(t);
        if (by != GroupBy::none)
            groups[key_of(t, by, tz)].add(t);
    }
    QueueReport report;
    report.total = total.finish();
    for (auto& [k, acc] : groups)
        report.rows.push_back(Row<QueueCounts>{k, acc.finish()});
    return report;
}

} // namespace motcua::dossier
