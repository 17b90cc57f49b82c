#include "queue/engine.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace motcua::queue
{

namespace
{
std::string counter_name(int counter) { return "counter " + std::to_string(counter); }

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}
} // namespace

std::string_view to_string(TicketState s)
{
    switch (s)
    {
    case TicketState::waiting: return "waiting";
    case TicketState::called: return "called";
    case TicketState::no_show: return "no_show";
    case TicketState::done: return "done";
    case TicketState::expired: return "expired";
    }
    return "unknown";
}

std::string_view to_string(CounterState s)
{
    switch (s)
    {
    case CounterState::closed: return "closed";
    case CounterState::idle: return "idle";
    case CounterState::serving: return "serving";
    case CounterState::paused: return "paused";
    }
    return "unknown";
}

Engine::Engine(const config::Config& cfg) : cfg_(&cfg)
{
    reconfigure(cfg);
}

void Engine::reconfigure(const config::Config& cfg)
{
    cfg_ = &cfg;
    for (const auto& c : cfg.counters)
        counters_.try_emplace(c.number, CounterStatus{c.number, CounterState::closed, {}, 0, 0});
    for (const auto& s : cfg.services)
        pools_.try_emplace(s.id);
}

Date Engine::business_day_of(WallTime t) const
{
    auto local = to_local(t, cfg_->office.utc_offset);
    if (local.time < cfg_->office.day_cutoff)
        return Date{std::chrono::sys_days{local.date} - std::chrono::days{1}};
    return local.date;
}

Event Engine::make(EventKind kind, const Now& now) const
{
    Event e;
    e.kind = kind;
    e.at = now;
    e.business_day = day_.value_or(business_day_of(now.wall));
    return e;
}

std::optional<Event> Engine::rollover(const Now& now) const
{
    auto day = business_day_of(now.wall);
    // The wall clock's date as it is now, even one it left before (a clock that jumped
    // forward and came back): a stuck future day would never roll over again.
    if (day_ && day == *day_)
        return std::nullopt;
    Event e = make(EventKind::day_opened, now);
    e.business_day = day;
    return e;
}

void Engine::continue_numbering(const std::vector<UsedNumbers>& used)
{
    for (const auto& u : used)
    {
        auto& pool = pools_[u.service];
        pool.last_number = std::max(pool.last_number, u.last_number);
        pool.issued_today = std::max(pool.issued_today, u.issued);
    }
}

Result<Event> Engine::issue(const Now& now, std::string_view service, std::string_view priority) const
{
    const auto* svc = cfg_->service(service);
    if (!svc)
        return make_error("unknown_service", "There is no service \"" + std::string(service) + "\".");
    if (!priority.empty() && !cfg_->priority_class(priority))
        return make_error("unknown_priority", "There is no priority class \"" + std::string(priority) + "\".");
    auto it = pools_.find(service);
    const ServicePool empty{};
    const ServicePool& pool = it == pools_.end() ? empty : it->second;
    if (svc->daily_cap && pool.issued_today >= *svc->daily_cap)
        return make_error("daily_cap", "Service " + svc->id + " has reached its daily cap of " +
                                           std::to_string(*svc->daily_cap) + " tickets.");
    int number = pool.last_number == 0 ? svc->first : pool.last_number + 1;
    if (number > svc->last)
        return make_error("range_exhausted", "Service " + svc->id + " has issued every number up to " +
                                                 std::to_string(svc->last) + " today.");
    Event e = make(EventKind::issued, now);
    e.ticket = next_ticket_id_;
    e.service = svc->id;
    e.number = number;
    e.priority = std::string(priority);
    return e;
}

Result<Event> Engine::open(const Now& now, int counter, std::string_view officer) const
{
    const auto* c = counter_status_or_null(counter);
    if (!c)
        return make_error("unknown_counter", "There is no counter " + std::to_string(counter) + ".");
    if (officer.empty())
        return make_error("no_officer", "Opening " + counter_name(counter) + " needs an officer id.");
    if (c->state != CounterState::closed)
        return make_error("already_open", "Counter " + std::to_string(counter) + " is already open (officer " +
                                              c->officer + "); close it first.");
    Event e = make(EventKind::counter_opened, now);
    e.counter = counter;
    e.officer = std::string(officer);
    return e;
}

const CounterStatus* Engine::counter_status_or_null(int counter) const
{
    auto it = counters_.find(counter);
    return it == counters_.end() ? nullptr : &it->second;
}

Result<const CounterStatus*> Engine::open_counter(int counter) const
{
    const auto* c = counter_status_or_null(counter);
    if (!c)
        return make_error("unknown_counter", "There is no counter " + std::to_string(counter) + ".");
    if (c->state == CounterState::closed)
        return make_error("counter_closed", "Counter " + std::to_string(counter) + " is closed; open it first.");
    return c;
}

Result<const Ticket*> Engine::held_ticket(int counter) const
{
    auto c = open_counter(counter);
    if (!c)
        return c.error();
    if ((*c)->state != CounterState::serving)
        return make_error("no_ticket", "Counter " + std::to_string(counter) + " holds no ticket.");
    return ticket((*c)->ticket);
}

Result<Event> Engine::close(const Now& now, int counter) const
{
    auto c = open_counter(counter);
    if (!c)
        return c.error();
    if ((*c)->state == CounterState::serving)
        return make_error("counter_busy", "Counter " + std::to_string(counter) + " still holds ticket " +
                                              label(*ticket((*c)->ticket)) + "; finish it (done or no-show) first.");
    Event e = make(EventKind::counter_closed, now);
    e.counter = counter;
    e.officer = (*c)->officer;
    return e;
}

const Ticket* Engine::choose_in_service(const std::string& service, WallTime now) const
{
    std::vector<const Ticket*> pool;
    for (const auto& [id, t] : tickets_)
        if (t.state == TicketState::waiting && t.directed_to == 0 && t.service == service)
            pool.push_back(&t);
    auto run = pools_.find(service);
    return pick_in_pool(pool, run == pools_.end() ? 0 : run->second.normal_run, now);
}

const Ticket* Engine::pick_in_pool(const std::vector<const Ticket*>& pool, int normal_run, WallTime now) const
{
    const Ticket* first_normal = nullptr;
    const Ticket* first_priority = nullptr;
    const Ticket* first_aged = nullptr;
    const auto ageing = std::chrono::minutes{cfg_->queue.ageing_minutes};
    for (const auto* t : pool)
    {
        if (t->is_priority())
        {
            if (!first_priority)
                first_priority = t;
        }
        else
        {
            if (!first_normal)
                first_normal = t;
            if (!first_aged && now - t->issued_at >= ageing)
                first_aged = t;
        }
    }
    if (!first_priority && !first_normal)
        return nullptr;
    switch (cfg_->queue.policy)
    {
    case config::Policy::strict:
        return first_priority ? first_priority : first_normal;
    case config::Policy::interleave:
        if (first_priority && (!first_normal || normal_run >= cfg_->queue.interleave_normal))
            return first_priority;
        return first_normal;
    case config::Policy::ageing: {
        // Priority tickets and normal tickets past the ageing limit are served first, in
        // issue order among themselves.
        const Ticket* best = first_priority;
        if (first_aged && (!best || first_aged->id < best->id))
            best = first_aged;
        return best ? best : first_normal;
    }
    }
    return first_normal;
}

const Ticket* Engine::choose(int counter, WallTime now) const
{
    // Tickets transferred to this very counter come first, in issue order.
    for (const auto& [id, t] : tickets_)
        if (t.state == TicketState::waiting && t.directed_to == counter)
            return &t;
    const auto* c = cfg_->counter(counter);
    if (!c)
        return nullptr;
    for (const auto& service : c->services)
        if (const auto* t = choose_in_service(service, now))
            return t;
    return nullptr;
}

Result<Event> Engine::call_next(const Now& now, int counter) const
{
    auto c = open_counter(counter);
    if (!c)
        return c.error();
    if ((*c)->state == CounterState::paused)
        return make_error("counter_paused", "Counter " + std::to_string(counter) + " is paused; resume it first.");
    if ((*c)->state == CounterState::serving)
        return make_error("counter_busy", "Counter " + std::to_string(counter) + " still holds ticket " +
                                              label(*ticket((*c)->ticket)) + "; finish it (done or no-show) first.");
    const auto* t = choose(counter, now.wall);
    if (!t)
        return make_error("nothing_waiting", "Nothing is waiting for counter " + std::to_string(counter) + ".");
    Event e = make(EventKind::called, now);
    e.counter = counter;
    e.officer = (*c)->officer;
    e.ticket = t->id;
    return e;
}

Result<Event> Engine::recall(const Now& now, int counter) const
{
    auto t = held_ticket(counter);
    if (!t)
        return t.error();
    if ((*t)->recalls >= cfg_->queue.recall_limit)
        return make_error("recall_limit", "Ticket " + label(**t) + " has been recalled " +
                                              std::to_string((*t)->recalls) + " times, the limit; mark it no-show.");
    Event e = make(EventKind::recalled, now);
    e.counter = counter;
    e.officer = counter_status_or_null(counter)->officer;
    e.ticket = (*t)->id;
    return e;
}

Result<Event> Engine::no_show(const Now& now, int counter) const
{
    auto t = held_ticket(counter);
    if (!t)
        return t.error();
    Event e = make(EventKind::no_show, now);
    e.counter = counter;
    e.officer = counter_status_or_null(counter)->officer;
    e.ticket = (*t)->id;
    return e;
}

Result<Event> Engine::readmit(const Now& now, TicketId id) const
{
    const auto* t = ticket(id);
    if (!t)
        return make_error("unknown_ticket", "There is no ticket #" + std::to_string(id) + " today.");
    if (t->state != TicketState::no_show)
        return make_error("not_no_show", "Ticket " + label(*t) + " is " + std::string(to_string(t->state)) +
                                             ", not a no-show; only a no-show can be readmitted.");
    auto tolerance = std::chrono::minutes{cfg_->queue.readmit_tolerance_minutes};
    if (t->no_show_at && now.wall - *t->no_show_at > tolerance)
        return make_error("readmit_expired", "Ticket " + label(*t) + " was a no-show more than " +
                                                 std::to_string(tolerance.count()) +
                                                 " minutes ago; the citizen needs a new ticket.");
    Event e = make(EventKind::readmitted, now);
    e.ticket = id;
    return e;
}

Result<Event> Engine::transfer(const Now& now, int counter, const TransferTarget& to) const
{
    auto t = held_ticket(counter);
    if (!t)
        return t.error();
    Event e = make(EventKind::transferred, now);
    e.counter = counter;
    e.officer = counter_status_or_null(counter)->officer;
    e.ticket = (*t)->id;
    if (!to.service.empty())
    {
        if (!cfg_->service(to.service))
            return make_error("unknown_service", "There is no service \"" + to.service + "\".");
        if (to.service == (*t)->service)
            return make_error("same_service", "Ticket " + label(**t) + " is already in service " + to.service + ".");
        e.service = to.service;
    }
    else
    {
        if (!cfg_->counter(to.counter))
            return make_error("unknown_counter", "There is no counter " + std::to_string(to.counter) + ".");
        if (to.counter == counter)
            return make_error("same_counter", "Ticket " + label(**t) + " is already at counter " +
                                                  std::to_string(counter) + ".");
        e.to_counter = to.counter;
    }
    return e;
}

Result<Event> Engine::pause(const Now& now, int counter, int reason) const
{
    auto c = open_counter(counter);
    if (!c)
        return c.error();
    if ((*c)->state == CounterState::paused)
        return make_error("counter_paused", "Counter " + std::to_string(counter) + " is already paused.");
    if ((*c)->state == CounterState::serving)
        return make_error("counter_busy", "Counter " + std::to_string(counter) + " still holds ticket " +
                                              label(*ticket((*c)->ticket)) + "; finish it before pausing.");
    Event e = make(EventKind::paused, now);
    e.counter = counter;
    e.officer = (*c)->officer;
    e.reason = reason;
    return e;
}

Result<Event> Engine::resume(const Now& now, int counter) const
{
    auto c = open_counter(counter);
    if (!c)
        return c.error();
    if ((*c)->state != CounterState::paused)
        return make_error("not_paused", "Counter " + std::to_string(counter) + " is not paused.");
    Event e = make(EventKind::resumed, now);
    e.counter = counter;
    e.officer = (*c)->officer;
    return e;
}

Result<Event> Engine::done(const Now& now, int counter) const
{
    auto t = held_ticket(counter);
    if (!t)
        return t.error();
    Event e = make(EventKind::done, now);
    e.counter = counter;
    e.officer = counter_status_or_null(counter)->officer;
    e.ticket = (*t)->id;
    return e;
}

Ticket* Engine::mutable_ticket(TicketId id)
{
    auto it = tickets_.find(id);
    if (it == tickets_.end())
        throw std::runtime_error("queue event refers to ticket #" + std::to_string(id) +
                                 ", which is not among the business day's tickets");
    return &it->second;
}

CounterStatus& Engine::mutable_counter(int number)
{
    // A counter removed from the config by a reload may still appear in today's events.
    return counters_.try_emplace(number, CounterStatus{number, CounterState::closed, {}, 0, 0}).first->second;
}

void Engine::apply(const Event& e)
{
    switch (e.kind)
    {
    case EventKind::day_opened:
        day_ = e.business_day;
        tickets_.clear();
        for (auto& [id, pool] : pools_)
            pool = ServicePool{};
        for (auto& [n, c] : counters_)
            c = CounterStatus{n, CounterState::closed, {}, 0, 0};
        return;
    case EventKind::issued: {
        if (!day_)
            day_ = e.business_day;
        Ticket t;
        t.id = e.ticket;
        t.service = e.service;
        t.issued_service = e.service;
        t.number = e.number;
        t.priority = e.priority;
        t.issued_at = e.at.wall;
        tickets_[t.id] = t;
        auto& pool = pools_[e.service];
        pool.last_number = std::max(pool.last_number, e.number);
        pool.issued_today += 1;
        next_ticket_id_ = std::max(next_ticket_id_, e.ticket + 1);
        return;
    }
    case EventKind::called: {
        auto* t = mutable_ticket(e.ticket);
        // Fairness bookkeeping for the interleave policy: count normal tickets called while
        // a priority ticket of the same service waited; a priority call resets the run.
        auto& pool = pools_[t->service];
        if (t->is_priority())
            pool.normal_run = 0;
        else if (t->directed_to == 0)
        {
            bool priority_waits = std::any_of(tickets_.begin(), tickets_.end(), [&](const auto& kv) {
                const auto& o = kv.second;
                return o.state == TicketState::waiting && o.directed_to == 0 && o.service == t->service &&
                       o.is_priority();
            });
            if (priority_waits)
                pool.normal_run += 1;
        }
        t->state = TicketState::called;
        t->counter = e.counter;
        t->directed_to = 0;
        t->recalls = 0;
        t->officer = e.officer;
        if (!t->called_at)
            t->called_at = e.at.wall;
        auto& c = mutable_counter(e.counter);
        c.state = CounterState::serving;
        c.ticket = t->id;
        return;
    }
    case EventKind::recalled:
        mutable_ticket(e.ticket)->recalls += 1;
        return;
    case EventKind::no_show: {
        auto* t = mutable_ticket(e.ticket);
        t->state = TicketState::no_show;
        t->no_show_at = e.at.wall;
        auto& c = mutable_counter(e.counter);
        c.state = CounterState::idle;
        c.ticket = 0;
        return;
    }
    case EventKind::readmitted: {
        auto* t = mutable_ticket(e.ticket);
        t->state = TicketState::waiting;
        t->no_show_at.reset();
        return;
    }
    case EventKind::transferred: {
        auto* t = mutable_ticket(e.ticket);
        t->state = TicketState::waiting;
        if (e.to_counter != 0)
            t->directed_to = e.to_counter;
        else
            t->service = e.service;
        auto& c = mutable_counter(e.counter);
        c.state = CounterState::idle;
        c.ticket = 0;
        return;
    }
    case EventKind::paused: {
        auto& c = mutable_counter(e.counter);
        c.state = CounterState::paused;
        c.pause_reason = e.reason;
        return;
    }
    case EventKind::resumed: {
        auto& c = mutable_counter(e.counter);
        c.state = CounterState::idle;
        c.pause_reason = 0;
        return;
    }
    case EventKind::done: {
        auto* t = mutable_ticket(e.ticket);
        t->state = TicketState::done;
        t->done_at = e.at.wall;
        auto& c = mutable_counter(e.counter);
        c.state = CounterState::idle;
        c.ticket = 0;
        return;
    }
    case EventKind::counter_opened: {
        if (!day_)
            day_ = e.business_day;
        auto& c = mutable_counter(e.counter);
        c.state = CounterState::idle;
        c.officer = e.officer;
        c.ticket = 0;
        return;
    }
    case EventKind::counter_closed: {
        auto& c = mutable_counter(e.counter);
        c = CounterStatus{e.counter, CounterState::closed, {}, 0, 0};
        return;
    }
    }
}

const Ticket* Engine::ticket(TicketId id) const
{
    auto it = tickets_.find(id);
    return it == tickets_.end() ? nullptr : &it->second;
}

std::string Engine::label(const Ticket& t) const
{
    std::string prefix;
    int width = 3;
    if (const auto* s = cfg_->service(t.issued_service))
    {
        prefix = s->prefix;
        width = static_cast<int>(std::to_string(s->last).size());
    }
    if (const auto* p = cfg_->priority_class(t.priority); p && !p->prefix.empty())
        prefix = p->prefix;
    auto digits = std::to_string(t.number);
    if (static_cast<int>(digits.size()) < width)
        digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
    return prefix + digits;
}

const Ticket* Engine::find_ticket(std::string_view text) const
{
    if (text.starts_with("#"))
    {
        TicketId id = 0;
        auto rest = text.substr(1);
        auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), id);
        if (ec != std::errc{} || p != rest.data() + rest.size())
            return nullptr;
        return ticket(id);
    }
    int number = -1;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    bool plain_number = ec == std::errc{} && p == text.data() + text.size();
    for (const auto& [id, t] : tickets_)
        if (iequals(label(t), text) || (plain_number && t.number == number))
            return &t;
    return nullptr;
}

std::vector<const Ticket*> Engine::waiting(std::string_view service) const
{
    std::vector<const Ticket*> out;
    for (const auto& [id, t] : tickets_)
        if (t.state == TicketState::waiting && t.service == service && t.directed_to == 0)
            out.push_back(&t);
    return out;
}

int Engine::waiting_for_counter(int counter) const
{
    const auto* c = cfg_->counter(counter);
    int n = 0;
    for (const auto& [id, t] : tickets_)
    {
        if (t.state != TicketState::waiting)
            continue;
        if (t.directed_to == counter ||
            (t.directed_to == 0 && c && std::find(c->services.begin(), c->services.end(), t.service) != c->services.end()))
            ++n;
    }
    return n;
}

int Engine::waiting_ahead(TicketId id) const
{
    const auto* me = ticket(id);
    if (!me)
        return 0;
    int n = 0;
    for (const auto& [other_id, t] : tickets_)
        if (other_id != id && t.state == TicketState::waiting && t.service == me->service &&
            (t.is_priority() && !me->is_priority() ? true : other_id < id))
            ++n;
    return n;
}

int Engine::ahead_in_call_order(TicketId id, WallTime now) const
{
    const auto* me = ticket(id);
    if (!me || me->state != TicketState::waiting)
        return 0;
    if (me->directed_to != 0)
    {
        // Transferred to a counter: that counter calls its directed tickets first, in id order.
        int n = 0;
        for (const auto& [other_id, t] : tickets_)
            n += other_id < id && t.state == TicketState::waiting && t.directed_to == me->directed_to;
        return n;
    }
    // Play the service's pool forward with call_next's rule (pick_in_pool), the interleave
    // run counted as apply(called) counts it, until this ticket comes out. The rule only
    // ever looks at the first priority ticket, the first normal one and the first normal one
    // past the ageing limit, so each step gives it just those three: the play is linear in
    // the pool (a phone page asks this for its ticket after every queue event).
    std::vector<const Ticket*> priority, normal;
    for (const auto& [other_id, t] : tickets_)
        if (t.state == TicketState::waiting && t.directed_to == 0 && t.service == me->service)
            (t.is_priority() ? priority : normal).push_back(&t);
    auto run = pools_.find(me->service);
    int normal_run = run == pools_.end() ? 0 : run->second.normal_run;
    const auto ageing = std::chrono::minutes{cfg_->queue.ageing_minutes};
    std::vector<bool> taken(normal.size(), false);
    std::size_t first_priority = 0, first_normal = 0, first_aged = 0;
    std::vector<const Ticket*> heads;
    for (int n = 0;; ++n)
    {
        while (first_normal < normal.size() && taken[first_normal])
            ++first_normal;
        while (first_aged < normal.size() && (taken[first_aged] || now - normal[first_aged]->issued_at < ageing))
            ++first_aged;
        heads.clear(); // in issue order, as the pool is
        if (first_normal < normal.size())
            heads.push_back(normal[first_normal]);
        if (first_aged < normal.size() && first_aged != first_normal)
            heads.push_back(normal[first_aged]);
        if (first_priority < priority.size())
            heads.insert(std::find_if(heads.begin(), heads.end(),
                                      [&](const Ticket* t) { return t->id > priority[first_priority]->id; }),
                         priority[first_priority]);
        const auto* next = pick_in_pool(heads, normal_run, now);
        if (!next || next == me)
            return n;
        if (next->is_priority())
        {
            ++first_priority;
            normal_run = 0;
            continue;
        }
        taken[next == normal[first_normal] ? first_normal : first_aged] = true;
        if (first_priority < priority.size())
            normal_run += 1;
    }
}

std::vector<std::chrono::milliseconds> Engine::service_times(std::string_view service) const
{
    std::vector<std::pair<WallTime, std::chrono::milliseconds>> done;
    for (const auto& [id, t] : tickets_)
        if (t.state == TicketState::done && t.service == service && t.called_at && t.done_at &&
            *t.done_at >= *t.called_at)
            done.emplace_back(*t.done_at, *t.done_at - *t.called_at);
    std::sort(done.begin(), done.end());
    std::vector<std::chrono::milliseconds> out;
    out.reserve(done.size());
    for (const auto& [at, d] : done)
        out.push_back(d);
    return out;
}

int Engine::open_counters_for(std::string_view service) const
{
    int n = 0;
    for (const auto& [number, c] : counters_)
    {
        if (c.state != CounterState::idle && c.state != CounterState::serving)
            continue;
        const auto* cc = cfg_->counter(number);
        n += cc && std::find(cc->services.begin(), cc->services.end(), service) != cc->services.end();
    }
    return n;
}

std::vector<CounterStatus> Engine::counters() const
{
    std::vector<CounterStatus> out;
    for (const auto& [n, c] : counters_)
        out.push_back(c);
    return out;
}

const CounterStatus* Engine::counter(int number) const { return counter_status_or_null(number); }

} // namespace motcua::queue
