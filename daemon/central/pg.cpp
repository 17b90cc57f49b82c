#include "central/pg.hpp"

#include <charconv>

namespace motcua::central::pg
{

std::int64_t Rows::int64(int row, int col) const
{
    auto t = text(row, col);
    std::int64_t v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& conninfo)
{
    PGconn* c = PQconnectdb(conninfo.c_str());
    if (PQstatus(c) != CONNECTION_OK)
    {
        std::string why = PQerrorMessage(c);
        PQfinish(c);
        while (!why.empty() && why.back() == '\n')
            why.pop_back();
        return make_error("pg_connection", "cannot connect to PostgreSQL: " + why);
    }
    // Notices (e.g. "relation already exists, skipping") are not errors: keep them quiet.
    PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
    return std::unique_ptr<Connection>(new Connection(c));
}

Connection::~Connection() { PQfinish(conn_); }

Result<Rows> Connection::exec(std::string_view sql, const std::vector<Param>& params)
{
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    const std::string text(sql);
    // Without parameters, PQexec: it also runs several statements (a migration's script).
    PGresult* r = params.empty() ? PQexec(conn_, text.c_str())
                                 : PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                                                values.data(), nullptr, nullptr, 0);
    Rows rows(r);
    const auto status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return rows;
    if (PQstatus(conn_) != CONNECTION_OK)
    {
        PQreset(conn_); // the next statement gets a fresh connection if the server is back
        return make_error("pg_connection", "lost the connection to PostgreSQL");
    }
    const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    std::string message = PQresultErrorMessage(r);
    while (!message.empty() && message.back() == '\n')
        message.pop_back();
    return make_error("pg:" + std::string(state ? state : "?????"),
                      message + " (in: " + text.substr(0, 60) + (text.size() > 60 ? "…" : "") + ")");
}

Result<void> Connection::transaction(const std::function<Result<void>()>& body)
{
    if (auto r = exec("BEGIN"); !r)
        return r.error();
    try
    {
        auto r = body();
        if (!r)
        {
            (void)exec("ROLLBACK");
            return r;
        }
        if (auto c = exec("COMMIT"); !c)
            return c.error();
        return {};
    }
    catch (...)
    {
        (void)exec("ROLLBACK");
        throw;
    }
}

bool is_unique_violation(const Error& e) { return e.code == "pg:23505"; }

namespace
{
void quote_into(std::string& out, std::string_view s)
{
    out += '"';
    for (char c : s)
    {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
}
} // namespace

std::string array_literal(const std::vector<std::string>& items)
{
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i)
    {
        if (i)
            out += ',';
        quote_into(out, items[i]);
    }
    return out + "}";
}

std::string array_literal(const std::vector<std::int64_t>& items)
{
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? "," : "") + std::to_string(items[i]);
    return out + "}";
}

std::string array_literal(const std::vector<std::optional<std::int64_t>>& items)
{
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? "," : "") + (items[i] ? std::to_string(*items[i]) : std::string("NULL"));
    return out + "}";
}

} // namespace motcua::central::pg
