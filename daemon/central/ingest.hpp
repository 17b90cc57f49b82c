#pragma once

// Storing a batch of one site's journal rows, exactly once and only if they chain
// (docs/central.md "Ingest"). One transaction per batch holds the site's row locked, so
// two uploads of the same site (a retry racing the original) run one after the other:
//  - a row at or below what is stored must be the same row (same hash): a batch sent
//    twice is acknowledged and nothing is stored again;
//  - the next row must follow without a gap, link to the stored last hash and verify;
//    the first that does not is refused, kept aside in `quarantine` and raised as an
//    alert for the site, with every row before it stored;
//  - the projections (tickets, dossiers, ratings) are updated in the same transaction by
//    the register's own pure code (central/projection.hpp).

#include "central/pg.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace motcua::central
{

struct IngestAnswer
{
    int http_status = 200;           // 200, or 400 bad batch, 403 site, 409 refused row
    std::int64_t stored_through = 0; // the site's last stored row after this batch
    std::int64_t stored = 0;         // rows newly stored by this batch
    std::string error_code;          // "" when 200
    std::string message;
    std::int64_t bad_seq = 0;

    nlohmann::json to_json() const;
};

// `site`: the site named by the client's certificate.
IngestAnswer ingest(pg::Connection& db, const std::string& site, const nlohmann::json& batch);

// Where the site stands: {"site","stored_through","hash","context_hash"}; nullopt for an
// unknown or revoked site.
Result<std::optional<nlohmann::json>> position(pg::Connection& db, const std::string& site);

} // namespace motcua::central
