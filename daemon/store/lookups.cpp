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

Result<std::vector<std::int64_t>> unprinted_kiosk_tickets(Database& db, Date business_day,
                                                          std::string_view kiosk_issued_kind)
{
    std::vector<std::int64_t> out;
    auto& st = db.prepare(
        "SELECT t.id FROM tickets t WHERE t.business_day = ? AND t.print_state = 'none' AND EXISTS "
        "(SELECT 1 FROM journal j WHERE j.ticket = t.id AND j.kind = ?) ORDER BY t.id");
    st.bind(1, format_date(business_day)).bind(2, kiosk_issued_kind);
    auto r = st.each_row([&](const Statement& row) { out.push_back(row.column_int64(0)); });
    if (!r)
        return r.error();
    return out;
}

} // namespace motcua::store
