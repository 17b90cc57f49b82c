#include "config/reader.hpp"

#include "util/time.hpp"

#include <algorithm>
#include <cstdio>

namespace motcua::config
{

namespace
{
const char* type_name(const toml::node& node)
{
    switch (node.type())
    {
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a number";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::date:
        return "a date";
    case toml::node_type::time:
        return "a time";
    case toml::node_type::date_time:
        return "a date-time";
    default:
        return "nothing";
    }
}

// "1.5", "60", not std::to_string's "1.500000".
std::string format_number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// Edit distance counting a swap of two neighbours as one edit (optimal string alignment),
// for "did you mean" hints on misspelt keys: nmae -> name, daily_cpa -> daily_cap.
std::size_t distance(std::string_view a, std::string_view b)
{
    const std::size_t w = b.size() + 1;
    std::vector<std::size_t> d((a.size() + 1) * w);
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i * w] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j)
        {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            std::size_t v = std::min(
                {d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                v = std::min(v, d[(i - 2) * w + j - 2] + 1);
            d[i * w + j] = v;
        }
    return d[a.size() * w + b.size()];
}

bool is_table_array(const toml::node& node)
{
    const auto* arr = node.as_array();
    return arr && !arr->empty() && arr->is_array_of_tables();
}
} // namespace

Where where_of(const toml::node& node)
{
    const auto& src = node.source();
    return Where{static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)};
}

void report_syntax_error(const toml::parse_error& err, const std::string& file, Diagnostics& diags)
{
    std::string what(err.description());
    if (what.starts_with("Error while "))
        what = "TOML syntax error while " + what.substr(12);
    else
        what = "TOML syntax error: " + what;
    if (what.find("utf-8") != std::string::npos)
        what += " (save the file as UTF-8: Vietnamese text in a legacy encoding such as "
                "TCVN3 or Windows-1258 is not accepted)";
    diags.error(file, static_cast<int>(err.source().begin.line),
                static_cast<int>(err.source().begin.column), what);
}

Table::Table(const toml::table& table, std::string path, Context& ctx)
    : table_(&table), path_(std::move(path)), ctx_(&ctx)
{
}

Where Table::where() const
{
    return where_of(*table_);
}

std::string Table::qualified(std::string_view key) const
{
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

Where Table::where(std::string_view key, std::size_t index) const
{
    if (const auto* n = table_->get(key))
        if (const auto* arr = n->as_array(); arr && index < arr->size())
            return where_of(*arr->get(index));
    return where(key);
}

void Table::error_at(Where w, const std::string& message)
{
    ctx_->diags.error(ctx_->file, w.line, w.column, message);
}

Where Table::where(std::string_view key) const
{
    if (const auto* n = table_->get(key))
        return where_of(*n);
    return where();
}

void Table::error(std::string_view key, const std::string& message)
{
    auto w = where(key);
    ctx_->diags.error(ctx_->file, w.line, w.column, message);
}

void Table::error_here(const std::string& message)
{
    auto w = where();
    ctx_->diags.error(ctx_->file, w.line, w.column, message);
}

void Table::type_error(std::string_view key, const toml::node& node, const char* expected)
{
    error(key, qualified(key) + " must be " + expected + ", not " + type_name(node));
}

const toml::node* Table::get(std::string_view key, Need need, const char* expected)
{
    read_.emplace(key);
    const auto* n = table_->get(key);
    if (!n && need == Need::required)
    {
        std::string_view what(expected);
        if (path_.empty() && what == "a table")
            error_here("missing required section [" + std::string(key) + "]");
        else if (path_.empty() && what == "an array of tables")
            error_here("missing required section [[" + std::string(key) + "]]");
        else if (path_.empty())
            error_here("missing required key '" + std::string(key) + "' (" + expected +
                       ") at top level");
        else
            error_here(path_ + " is missing required key '" + std::string(key) + "' (" + expected +
                       ")");
    }
    return n;
}

std::optional<std::string> Table::string(std::string_view key, Need need)
{
    const auto* n = get(key, need, "a string");
    if (!n)
        return std::nullopt;
    if (const auto* s = n->as_string())
        return s->get();
    type_error(key, *n, "a string");
    return std::nullopt;
}

std::optional<std::int64_t> Table::integer(std::string_view key, Need need, std::int64_t min,
                                           std::int64_t max)
{
    const auto* n = get(key, need, "an integer");
    if (!n)
        return std::nullopt;
    const auto* i = n->as_integer();
    if (!i)
    {
        type_error(key, *n, "an integer");
        return std::nullopt;
    }
    if (i->get() < min || i->get() > max)
    {
        error(key, qualified(key) + " = " + std::to_string(i->get()) + " is out of range " +
                       std::to_string(min) + ".." + std::to_string(max));
        return std::nullopt;
    }
    return i->get();
}

std::optional<double> Table::number(std::string_view key, Need need, double min, double max)
{
    const auto* n = get(key, need, "a number");
    if (!n)
        return std::nullopt;
    double v = 0;
    if (const auto* f = n->as_floating_point())
        v = f->get();
    else if (const auto* i = n->as_integer())
        v = static_cast<double>(i->get());
    else
    {
        type_error(key, *n, "a number");
        return std::nullopt;
    }
    if (v < min || v > max)
    {
        error(key, qualified(key) + " = " + format_number(v) + " is out of range " +
                       format_number(min) + ".." + format_number(max));
        return std::nullopt;
    }
    return v;
}

std::optional<bool> Table::boolean(std::string_view key, Need need)
{
    const auto* n = get(key, need, "true or false");
    if (!n)
        return std::nullopt;
    if (const auto* b = n->as_boolean())
        return b->get();
    type_error(key, *n, "true or false");
    return std::nullopt;
}

std::optional<std::vector<std::string>> Table::strings(std::string_view key, Need need)
{
    const auto* n = get(key, need, "an array of strings");
    if (!n)
        return std::nullopt;
    const auto* arr = n->as_array();
    if (!arr)
    {
        type_error(key, *n, "an array of strings");
        return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (const auto& el : *arr)
    {
        if (const auto* s = el.as_string())
            out.push_back(s->get());
        else
        {
            auto w = where_of(el);
            ctx_->diags.error(ctx_->file, w.line, w.column,
                              qualified(key) + " must hold only strings, not " + type_name(el));
            ok = false;
        }
    }
    if (!ok)
        return std::nullopt;
    return out;
}

std::optional<std::vector<std::int64_t>> Table::integers(std::string_view key, Need need,
                                                         std::int64_t min, std::int64_t max)
{
    const auto* n = get(key, need, "an array of integers");
    if (!n)
        return std::nullopt;
    const auto* arr = n->as_array();
    if (!arr)
    {
        type_error(key, *n, "an array of integers");
        return std::nullopt;
    }
    std::vector<std::int64_t> out;
    bool ok = true;
    for (const auto& el : *arr)
    {
        const auto* i = el.as_integer();
        auto w = where_of(el);
        if (!i || i->get() < min || i->get() > max)
        {
            ctx_->diags.error(ctx_->file, w.line, w.column,
                              qualified(key) + " must hold integers in " + std::to_string(min) +
                                  ".." + std::to_string(max) + ", not " +
                                  (i ? std::to_string(i->get()) : std::string(type_name(el))));
            ok = false;
            continue;
        }
        out.push_back(i->get());
    }
    if (!ok)
        return std::nullopt;
    return out;
}

std::optional<std::string> Table::choice(std::string_view key, Need need,
                                         const std::vector<std::string>& choices)
{
    auto s = string(key, need);
    if (!s)
        return std::nullopt;
    for (const auto& c : choices)
        if (c == *s)
            return s;
    std::string list;
    for (const auto& c : choices)
        list += (list.empty() ? "" : ", ") + c;
    std::string hint;
    for (const auto& c : choices)
        if (auto d = distance(*s, c); d <= 2 && d * 3 <= std::max(c.size(), s->size()))
            hint = "; did you mean \"" + c + "\"?";
    error(key, qualified(key) + " = \"" + *s + "\" is not one of: " + list + hint);
    return std::nullopt;
}

std::optional<int> Table::time_of_day_minutes(std::string_view key, Need need)
{
    const auto* n = get(key, need, "a time of day \"HH:MM\"");
    if (!n)
        return std::nullopt;
    if (const auto* tv = n->as_time())
    {
        // An unquoted TOML local time, 07:30:00.
        const auto& t = tv->get();
        if (t.second != 0 || t.nanosecond != 0)
        {
            error(key, qualified(key) + " must be whole minutes, e.g. \"07:30\"");
            return std::nullopt;
        }
        return t.hour * 60 + t.minute;
    }
    const auto* sv = n->as_string();
    if (!sv)
    {
        type_error(key, *n, "a time of day \"HH:MM\"");
        return std::nullopt;
    }
    auto t = parse_time_of_day(sv->get());
    if (!t)
    {
        error(key, qualified(key) + " = \"" + sv->get() +
                       "\" is not a time of day: write \"HH:MM\" from 00:00 to 23:59");
        return std::nullopt;
    }
    return t->minutes;
}

std::optional<Table> Table::table(std::string_view key, Need need)
{
    const auto* n = get(key, need, "a table");
    if (!n)
        return std::nullopt;
    if (const auto* t = n->as_table())
        return Table{*t, qualified(key), *ctx_};
    if (is_table_array(*n))
    {
        error(key, qualified(key) + " is a single section: write [" + qualified(key) +
                       "] with single brackets, not [[" + qualified(key) + "]]");
        return std::nullopt;
    }
    type_error(key, *n, "a table");
    return std::nullopt;
}

std::vector<Table> Table::tables(std::string_view key, Need need)
{
    std::vector<Table> out;
    const auto* n = get(key, need, "an array of tables");
    if (!n)
        return out;
    const auto* arr = n->as_array();
    if (!arr)
    {
        if (n->is_table())
            error(key, qualified(key) + " is a list: write each entry as [[" + qualified(key) +
                           "]] with double brackets, not [" + qualified(key) + "]");
        else
            type_error(key, *n, "an array of tables");
        return out;
    }
    std::size_t i = 0;
    for (const auto& el : *arr)
    {
        auto name = qualified(key) + "[" + std::to_string(i++) + "]";
        if (const auto* t = el.as_table())
            out.emplace_back(*t, name, *ctx_);
        else
        {
            auto w = where_of(el);
            ctx_->diags.error(ctx_->file, w.line, w.column, name + " must be a table");
        }
    }
    return out;
}

const toml::table* Table::raw_table(std::string_view key)
{
    read_.emplace(key);
    const auto* n = table_->get(key);
    return n ? n->as_table() : nullptr;
}

void Table::finish()
{
    for (const auto& [key, node] : *table_)
    {
        if (read_.contains(key.str()))
            continue;
        // Point at the key itself (the header's name for a section), not at its value.
        auto w = key.source().begin.line != 0 ? Where{static_cast<int>(key.source().begin.line),
                                                      static_cast<int>(key.source().begin.column)}
                                              : where_of(node);
        std::string what;
        if (path_.empty() && node.is_table())
            what = "unknown section [" + std::string(key.str()) + "]";
        else if (path_.empty() && is_table_array(node))
            what = "unknown section [[" + std::string(key.str()) + "]]";
        else
            what = "unknown key '" + std::string(key.str()) + "'" +
                   (path_.empty() ? std::string(" at top level") : " in " + path_);
        // The keys this table's parser asked for are the known ones.
        std::string best;
        std::size_t best_distance = 3;
        for (const auto& known : read_)
        {
            auto d = distance(key.str(), known);
            if (d < best_distance && d * 3 <= std::max(known.size(), key.str().size()))
            {
                best = known;
                best_distance = d;
            }
        }
        if (!best.empty())
            what += "; did you mean '" + best + "'?";
        ctx_->diags.error(ctx_->file, w.line, w.column, what);
    }
}

} // namespace motcua::config
