#pragma once

// A thin layer over libpq (Debian libpq-dev): one connection, statements with text
// parameters, results read by row and column, transactions. Errors carry PostgreSQL's
// message and SQLSTATE, so a caller can tell a unique violation from a lost connection.

#include "util/result.hpp"

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::central::pg
{

// A parameter: text, or SQL NULL.
using Param = std::optional<std::string>;

class Rows
{
  public:
    explicit Rows(PGresult* r) : result_(r, &PQclear) {}
    int size() const { return PQntuples(result_.get()); }
    bool null(int row, int col) const { return PQgetisnull(result_.get(), row, col); }
    std::string_view text(int row, int col) const
    {
        return {PQgetvalue(result_.get(), row, col), static_cast<std::size_t>(PQgetlength(result_.get(), row, col))};
    }
    std::int64_t int64(int row, int col) const;
    std::optional<std::int64_t> opt_int64(int row, int col) const
    {
        return null(row, col) ? std::nullopt : std::optional<std::int64_t>(int64(row, col));
    }
    std::string string(int row, int col) const { return std::string(text(row, col)); }

  private:
    std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

class Connection
{
  public:
    // `conninfo`: a libpq connection string or URI ("postgresql:///motcua_central").
    static Result<std::unique_ptr<Connection>> open(const std::string& conninfo);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Result<Rows> exec(std::string_view sql, const std::vector<Param>& params = {});
    // BEGIN, body, COMMIT; an Error from the body (or an exception) rolls back.
    Result<void> transaction(const std::function<Result<void>()>& body);
    bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }

  private:
    explicit Connection(PGconn* c) : conn_(c) {}
    PGconn* conn_;
};

// SQLSTATE of a PostgreSQL error kept in Error::code as "pg:<state>" ("pg:23505" unique
// violation); a lost connection is "pg_connection".
bool is_unique_violation(const Error& e);

// A Postgres array literal of texts or numbers for `= ANY($1::text[])` and unnest().
std::string array_literal(const std::vector<std::string>& items);
std::string array_literal(const std::vector<std::int64_t>& items);
std::string array_literal(const std::vector<std::optional<std::int64_t>>& items);

} // namespace motcua::central::pg
