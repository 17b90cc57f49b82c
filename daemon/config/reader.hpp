#pragma once

// A checked view of one TOML table. Every getter records an error with file:line:col
// instead of throwing, and finish() reports the keys nobody asked for, so a typo such
// as `nmae = ...` is an error rather than a silently ignored line.
//
// Section parsers (config/*.cpp) use it like this:
//   Table t{node_table, "service[2]", ctx};
//   auto id = t.string("id", Need::required);
//   auto cap = t.integer("daily_cap", Need::optional, 1, 9999);
//   t.finish();

#include "config/diagnostics.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <toml++/toml.h>
#include <vector>

namespace motcua::config
{

enum class Need
{
    required,
    optional
};

struct Context
{
    std::string file;
    Diagnostics& diags;
};

struct Where
{
    int line = 0;
    int column = 0;
};

class Table
{
  public:
    Table(const toml::table& table, std::string path, Context& ctx);

    std::optional<std::string> string(std::string_view key, Need need);
    std::optional<std::int64_t> integer(std::string_view key, Need need, std::int64_t min,
                                        std::int64_t max);
    std::optional<double> number(std::string_view key, Need need, double min, double max);
    std::optional<bool> boolean(std::string_view key, Need need);
    std::optional<std::vector<std::string>> strings(std::string_view key, Need need);
    std::optional<std::vector<std::int64_t>> integers(std::string_view key, Need need,
                                                      std::int64_t min, std::int64_t max);
    // A string that must be one of `choices`.
    std::optional<std::string> choice(std::string_view key, Need need,
                                      const std::vector<std::string>& choices);
    // "HH:MM" (a string), or a TOML local time such as 07:30:00; minutes after midnight.
    std::optional<int> time_of_day_minutes(std::string_view key, Need need);
    std::optional<Table> table(std::string_view key, Need need);
    // [[key]] arrays; each element's path is "key[i]" (i from 0, as in TOML paths).
    std::vector<Table> tables(std::string_view key, Need need);
    // A table whose keys are free-form names (e.g. [ticket.lines]): marks it read.
    const toml::table* raw_table(std::string_view key);

    // Reports every key that was not read, at the key's position, with a "did you mean"
    // hint when a known key is spelled nearly the same. On the root table (empty path) an
    // unknown table reads "unknown section [name]". Call once when the section is parsed.
    void finish();

    // Position of a key's value (or of the table when the key is absent), for errors that
    // involve several fields, e.g. "counter 3 names unknown service TP9".
    Where where(std::string_view key) const;
    Where where() const;
    // Position of element `index` of the array under `key` (of the key when absent).
    Where where(std::string_view key, std::size_t index) const;
    void error(std::string_view key, const std::string& message);
    void error_at(Where where, const std::string& message);
    void error_here(const std::string& message);
    const std::string& path() const { return path_; }
    // "office.name", or "name" on the root table: how messages name a key.
    std::string qualified(std::string_view key) const;
    Context& context() const { return *ctx_; }
    const toml::table& node() const { return *table_; }

  private:
    const toml::node* get(std::string_view key, Need need, const char* expected);
    void type_error(std::string_view key, const toml::node& node, const char* expected);

    const toml::table* table_;
    std::string path_;
    Context* ctx_;
    std::set<std::string, std::less<>> read_;
};

Where where_of(const toml::node& node);

// Records toml++'s syntax error (it stops at the first one) as "TOML syntax error while
// parsing X: detail", with a UTF-8 hint when the text is in a legacy encoding. For the
// config and for every data file a section loads (profiles, calendar years).
void report_syntax_error(const toml::parse_error& err, const std::string& file, Diagnostics& diags);

} // namespace motcua::config
