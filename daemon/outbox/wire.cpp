#include "outbox/wire.hpp"

#include "store/journal_redaction.hpp"
#include "util/sha256.hpp"

namespace motcua::outbox
{

using json = nlohmann::json;

json to_wire(const store::JournalRow& row, bool send_personal_data)
{
    const bool redact = !send_personal_data && store::has_personal_data(row.kind, row.payload);
    return {{"seq", row.seq},
            {"kind", row.kind},
            {"wall_ms", row.wall.time_since_epoch().count()},
            {"mono_ns", row.mono_ns},
            {"counter", row.counter},
            {"officer", row.officer},
            {"ticket", row.ticket},
            {"payload", redact ? store::redacted_payload(row.kind, row.payload) : row.payload},
            {"prev_hash", row.prev_hash},
            {"hash", row.hash},
            {"scheme", row.scheme},
            {"redacted", redact}};
}

Result<WireRow> from_wire(const json& j)
{
    WireRow w;
    auto& r = w.row;
    try
    {
        r.seq = j.at("seq").get<std::int64_t>();
        r.kind = j.at("kind").get<std::string>();
        r.wall = WallTime{std::chrono::milliseconds{j.at("wall_ms").get<std::int64_t>()}};
        r.mono_ns = j.at("mono_ns").get<std::int64_t>();
        r.counter = j.at("counter").get<int>();
        r.officer = j.at("officer").get<std::string>();
        r.ticket = j.at("ticket").get<std::int64_t>();
        r.payload = j.at("payload").get<std::string>();
        r.prev_hash = j.at("prev_hash").get<std::string>();
        r.hash = j.at("hash").get<std::string>();
        r.scheme = j.at("scheme").get<int>();
        w.redacted = j.value("redacted", false);
    }
    catch (const json::exception& e)
    {
        return make_error("bad_row", std::string("a row is incomplete: ") + e.what());
    }
    if (r.seq < 1 || r.kind.empty() || r.hash.size() != 64 || r.prev_hash.size() != 64 ||
        (r.scheme != 1 && r.scheme != 2))
        return make_error("bad_row", "row " + std::to_string(r.seq) + " has a bad seq, kind, hash or scheme");
    return w;
}

bool content_verifies(const WireRow& w)
{
    if (w.redacted && w.row.scheme == 1)
        return true;
    return sha256_hex(store::Journal::canonical(w.row)) == w.row.hash;
}

} // namespace motcua::outbox
