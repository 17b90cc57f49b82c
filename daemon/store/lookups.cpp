#include "store/lookups.hpp"

namespace motcua::store
{

Result<std::vector<KeySequence>> last_key_sequences(Database& db)
{
    std::vector<KeySequence> out;
    auto& st = db.prepare(
        "SELECT json_extract(payload, '$.bus'), json_extract(payload, '$.device'), json_extract(payload, '$.seq') "
        "FROM journal WHERE seq IN (SELECT MAX(seq) FROM journal WHERE kind = 'device.key' "
        "GROUP BY json_extract(payload, '$.bus'), json_extract(payload, '$.device'))");
    auto r = st.each_row([&](const Statement& row) {
        out.push_back(KeySequence{row.column_text(0), row.column_text(1),
                                  static_cast<std::uint16_t>(row.column_int64(2))});
    });
    if (!r)
        return r.error();
    return out;
}

Result<std::vector<UnprintedTicket>> unprinted_tickets(Database& db, Date business_day)
{
    std::vector<UnprintedTicket> out;
    auto& st = db.prepare(
        "SELECT id, print_state FROM tickets WHERE business_day = ? AND print_state != 'printed' ORDER BY id");
    st.bind(1, format_date(business_day));
    auto r = st.each_row([&](const Statement& row) { out.push_back({row.column_int64(0), row.column_text(1)}); });
    if (!r)
        return r.error();
    return out;
}

} // namespace motcua::store
