#include "store/tickets.hpp"

#include <sqlite3.h>

namespace motcua::store
{

namespace
{
std::int64_t ms(WallTime t)
{
    return t.time_since_epoch().count();
}

WallTime wall(std::int64_t v)
{
    return WallTime{std::chrono::milliseconds{v}};
}
} // namespace

std::string_view to_string(PrintState s)
{
    switch (s)
    {
    case PrintState::none:
        return "none";
    case PrintState::printed:
        return "printed";
    case PrintState::print_failed:
        return "print_failed";
    }
    return "none";
}

std::optional<PrintState> print_state_from_string(std::string_view text)
{
    for (auto s : {PrintState::none, PrintState::printed, PrintState::print_failed})
        if (to_string(s) == text)
            return s;
    return std::nullopt;
}

Tickets::Tickets(Database& db) : db_(db) {}

// Runs a one-ticket UPDATE whose first parameter is the ticket id and the next ones are
// bound by the caller beforehand; exactly one row must change.
Result<void> Tickets::update_one(const queue::Event& e, std::string_view sql)
{
    auto& st = db_.prepare(sql);
    st.bind(1, e.ticket);
    switch (e.kind)
    {
    case queue::EventKind::called:
        st.bind(2, ms(e.at.wall)).bind(3, e.counter).bind(4, e.officer);
        break;
    case queue::EventKind::transferred:
        st.bind(2, e.to_counter == 0 ? std::string_view(e.service) : std::string_view());
        break;
    case queue::EventKind::done:
        st.bind(2, ms(e.at.wall));
        break;
    default:
        break;
    }
    if (auto r = st.run(); !r)
        return r;
    if (sqlite3_changes(db_.handle()) != 1)
        return make_error("store_inconsistent",
                          "The tickets table holds no ticket " + std::to_string(e.ticket) +
                              " for a " + std::string(queue::to_string(e.kind)) + " event.");
    return {};
}

Result<void> Tickets::apply(const queue::Event& e)
{
    using K = queue::EventKind;
    switch (e.kind)
    {
    case K::issued:
    {
        auto& st =
            db_.prepare("INSERT INTO tickets (id, business_day, service, issued_service, number, "
                        "priority, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        st.bind(1, e.ticket)
            .bind(2, format_date(e.business_day))
            .bind(3, e.service)
            .bind(4, e.service)
            .bind(5, e.number)
            .bind(6, e.priority)
            .bind(7, ms(e.at.wall));
        return st.run();
    }
    case K::called:
        return update_one(
            e, "UPDATE tickets SET status = 'called', called_at = coalesce(called_at, ?2), "
               "counter = ?3, officer = ?4 WHERE id = ?1");
    case K::recalled:
        return update_one(e, "UPDATE tickets SET recalls = recalls + 1 WHERE id = ?1");
    case K::no_show:
        return update_one(e, "UPDATE tickets SET status = 'no_show' WHERE id = ?1");
    case K::readmitted:
        return update_one(e, "UPDATE tickets SET status = 'waiting' WHERE id = ?1");
    case K::transferred:
        return update_one(e, "UPDATE tickets SET status = 'waiting', "
                             "service = CASE WHEN ?2 <> '' THEN ?2 ELSE service END WHERE id = ?1");
    case K::done:
        return update_one(e, "UPDATE tickets SET status = 'done', done_at = ?2 WHERE id = ?1");
    case K::day_opened:
    {
        // Any other day: after a clock that jumped forward and came back, the "later" day's
        // tickets are the ones that end.
        auto& st = db_.prepare("UPDATE tickets SET status = 'expired' "
                               "WHERE status IN ('waiting', 'called') AND business_day <> ?");
        st.bind(1, format_date(e.business_day));
        return st.run();
    }
    case K::paused:
    case K::resumed:
    case K::counter_opened:
    case K::counter_closed:
        return {};
    }
    return {};
}

Result<std::vector<queue::Engine::UsedNumbers>> Tickets::numbers_of_day(Date day)
{
    auto& st = db_.prepare("SELECT issued_service, max(number), count(*) FROM tickets WHERE business_day = ? "
                           "GROUP BY issued_service");
    st.bind(1, format_date(day));
    std::vector<queue::Engine::UsedNumbers> used;
    auto r = st.each_row([&](const Statement& row) {
        used.push_back({row.column_text(0), static_cast<int>(row.column_int64(1)),
                        static_cast<int>(row.column_int64(2))});
    });
    if (!r)
        return r.error();
    return used;
}

Result<std::int64_t> Tickets::max_ticket_id()
{
    auto& st = db_.prepare("SELECT coalesce(max(id), 0) FROM tickets");
    auto r = st.step();
    if (!r)
        return r.error();
    std::int64_t id = *r ? st.column_int64(0) : 0;
    st.reset();
    return id;
}

Result<void> Tickets::set_print_state(std::int64_t id, PrintState state)
{
    auto& st = db_.prepare("UPDATE tickets SET print_state = ? WHERE id = ?");
    st.bind(1, to_string(state)).bind(2, id);
    if (auto r = st.run(); !r)
        return r;
    if (sqlite3_changes(db_.handle()) != 1)
        return make_error("unknown_ticket", "There is no ticket " + std::to_string(id) + ".");
    return {};
}

Result<std::optional<TicketRow>> Tickets::find(std::int64_t id)
{
    auto& st =
        db_.prepare("SELECT id, business_day, service, issued_service, number, priority, status, "
                    "issued_at, called_at, done_at, counter, officer, recalls, print_state "
                    "FROM tickets WHERE id = ?");
    st.bind(1, id);
    auto r = st.step();
    if (!r)
        return r.error();
    std::optional<TicketRow> out;
    if (*r)
    {
        TicketRow t;
        t.id = st.column_int64(0);
        t.business_day = st.column_text(1);
        t.service = st.column_text(2);
        t.issued_service = st.column_text(3);
        t.number = static_cast<int>(st.column_int64(4));
        t.priority = st.column_text(5);
        t.status = st.column_text(6);
        t.issued_at = wall(st.column_int64(7));
        if (!st.is_null(8))
            t.called_at = wall(st.column_int64(8));
        if (!st.is_null(9))
            t.done_at = wall(st.column_int64(9));
        t.counter = st.is_null(10) ? 0 : static_cast<int>(st.column_int64(10));
        t.officer = st.column_text(11);
        t.recalls = static_cast<int>(st.column_int64(12));
        t.print_state = print_state_from_string(st.column_text(13)).value_or(PrintState::none);
        out = std::move(t);
    }
    st.reset();
    return out;
}

} // namespace motcua::store
