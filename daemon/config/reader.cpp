#include "config/reader.hpp"

#include "util/time.hpp"

namespace motcua::config
{

namespace
{
const char* type_name(const toml::node& node)
{
    switch (node.type())
    {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
    }
}
} // namespace

Where where_of(const toml::node& node)
{
    const auto& src = node.source();
    return Where{static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)};
}

Table::Table(const toml::table& table, std::string path, Context& ctx)
    : table_(&table), path_(std::move(path)), ctx_(&ctx)
{}

Where Table::where() const { return where_of(*table_); }

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
    error(key, path_ + "." + std::string(key) + " must be " + expected + ", not " + type_name(node));
}

const toml::node* Table::get(std::string_view key, Need need, const char* expected)
{
    read_.emplace(key);
    const auto* n = table_->get(key);
    if (!n && need == Need::required)
        error_here(path_ + " is missing required key '" + std::string(key) + "' (" + expected + ")");
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
        error(key, path_ + "." + std::string(key) + " = " + std::to_string(i->get()) +
                       " is out of range " + std::to_string(min) + ".." + std::to_string(max));
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
        error(key, path_ + "." + std::string(key) + " = " + std::to_string(v) + " is out of range " +
                       std::to_string(min) + ".." + std::to_string(max));
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
                              path_ + "." + std::string(key) + " must hold only strings, not " +
                                  type_name(el));
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
                              path_ + "." + std::string(key) + " must hold integers in " +
                                  std::to_string(min) + ".." + std::to_string(max));
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
    error(key, path_ + "." + std::string(key) + " = \"" + *s + "\" is not one of: " + list);
    return std::nullopt;
}

std::optional<int> Table::time_of_day_minutes(std::string_view key, Need need)
{
    auto s = string(key, need);
    if (!s)
        return std::nullopt;
    auto t = parse_time_of_day(*s);
    if (!t)
    {
        error(key, path_ + "." + std::string(key) + " = \"" + *s + "\" is not a time of day HH:MM");
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
        return Table{*t, path_.empty() ? std::string(key) : path_ + "." + std::string(key), *ctx_};
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
        type_error(key, *n, "an array of tables");
        return out;
    }
    std::size_t i = 0;
    for (const auto& el : *arr)
    {
        auto name = std::string(key) + "[" + std::to_string(i++) + "]";
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
        auto w = where_of(node);
        ctx_->diags.error(ctx_->file, w.line, w.column,
                          "unknown key '" + std::string(key.str()) + "'" +
                              (path_.empty() ? std::string(" at top level") : " in " + path_));
    }
}

} // namespace motcua::config
