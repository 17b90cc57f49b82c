#pragma once

// The central database's schema (PostgreSQL 15) and its migrations, applied in order at
// start, each in its own transaction, recorded in schema_migrations. docs/central.md
// explains the tables; in short:
//  - sites: one row per commune centre (its code, certificate, the last row stored and
//    that row's hash, the context its figures need, revoked or not);
//  - chain: (site, seq, hash) of every row, unpartitioned, so (site, seq) is unique across
//    all months — what makes every row stored once;
//  - journal_rows: the rows themselves, partitioned by month of their wall time;
//  - tickets, dossiers, ratings: projections written in the same transaction, which the
//    reports read by (site, time);
//  - quarantine and alerts: rows that did not chain, kept aside, and what was raised.

#include "central/pg.hpp"

namespace motcua::central
{

// Applies the migrations not yet applied; returns the schema version now in place.
Result<int> migrate(pg::Connection& db);

// The partition of journal_rows for the month of `wall_ms` exists afterwards.
Result<void> ensure_month_partition(pg::Connection& db, std::int64_t wall_ms);

} // namespace motcua::central
