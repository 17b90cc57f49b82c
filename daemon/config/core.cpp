// [office], [queue], [[service]], [[priority_class]], [[counter]], [control].

#include "config/sections.hpp"

#include <algorithm>
#include <map>

namespace motcua::config
{

namespace
{

std::optional<UtcOffset> parse_timezone(const std::string& tz)
{
    // Vietnam has one zone without daylight saving; a fixed offset is exact there.
    if (tz == "Asia/Ho_Chi_Minh" || tz == "Asia/Saigon" || tz == "Etc/GMT-7")
        return UtcOffset{std::chrono::minutes{7 * 60}};
    // "UTC+07:00", "UTC-03:30", "UTC"
    if (tz == "UTC")
        return UtcOffset{std::chrono::minutes{0}};
    if (tz.size() == 9 && tz.starts_with("UTC") && (tz[3] == '+' || tz[3] == '-'))
    {
        auto t = parse_time_of_day(tz.substr(4));
        if (t && t->minutes <= 14 * 60)
            return UtcOffset{std::chrono::minutes{tz[3] == '-' ? -t->minutes : t->minutes}};
    }
    return std::nullopt;
}

void parse_office(Table& root, Config& cfg)
{
    auto t = root.table("office", Need::required);
    if (!t)
        return;
    auto& o = cfg.office;
    o.name = t->string("name", Need::required).value_or("");
    o.unit_code = t->string("unit_code", Need::required).value_or("");
    if (auto tz = t->string("timezone", Need::optional))
    {
        if (auto off = parse_timezone(*tz))
        {
            o.timezone = *tz;
            o.utc_offset = *off;
        }
        else
            t->error("timezone", "office.timezone \"" + *tz +
                                     "\" is not supported: use Asia/Ho_Chi_Minh or a fixed "
                                     "offset such as UTC+07:00");
    }
    if (auto hours = t->strings("hours", Need::optional))
    {
        o.hours.clear();
        for (const auto& h : *hours)
        {
            auto from = h.size() == 11 && h[5] == '-' ? parse_time_of_day(h.substr(0, 5)) : std::nullopt;
            auto to = h.size() == 11 && h[5] == '-' ? parse_time_of_day(h.substr(6, 5)) : std::nullopt;
            if (!from || !to || !(*from < *to))
            {
                t->error("hours", "office.hours entry \"" + h +
                                      "\" must be an interval \"HH:MM-HH:MM\" that ends after it starts");
                continue;
            }
            if (!o.hours.empty() && *from < o.hours.back().second)
                t->error("hours", "office.hours entry \"" + h +
                                      "\" overlaps or precedes the one before it; list them in order");
            o.hours.emplace_back(*from, *to);
        }
    }
    else
        o.hours = {{TimeOfDay{7 * 60 + 30}, TimeOfDay{11 * 60 + 30}},
                   {TimeOfDay{13 * 60 + 30}, TimeOfDay{17 * 60}}};
    if (auto cut = t->time_of_day_minutes("day_cutoff", Need::optional))
        o.day_cutoff = TimeOfDay{*cut};
    t->finish();
}

void parse_queue(Table& root, Config& cfg)
{
    auto t = root.table("queue", Need::optional);
    if (!t)
        return;
    auto& q = cfg.queue;
    if (auto p = t->choice("policy", Need::optional, {"strict", "interleave", "ageing"}))
        q.policy = *p == "strict" ? Policy::strict : *p == "interleave" ? Policy::interleave : Policy::ageing;
    q.interleave_normal = static_cast<int>(t->integer("interleave_normal", Need::optional, 1, 100).value_or(q.interleave_normal));
    q.ageing_minutes = static_cast<int>(t->integer("ageing_minutes", Need::optional, 1, 24 * 60).value_or(q.ageing_minutes));
    q.recall_limit = static_cast<int>(t->integer("recall_limit", Need::optional, 0, 20).value_or(q.recall_limit));
    q.readmit_tolerance_minutes = static_cast<int>(
        t->integer("readmit_tolerance_minutes", Need::optional, 0, 24 * 60).value_or(q.readmit_tolerance_minutes));
    t->finish();
}

void parse_services(Table& root, Config& cfg)
{
    std::map<std::string, Where> ids;
    std::map<int, Where> numbers;
    auto tables = root.tables("service", Need::required);
    if (tables.empty())
        root.error_here("the config names no [[service]]: at least one is needed");
    for (auto& t : tables)
    {
        Service s;
        s.id = t.string("id", Need::required).value_or("");
        s.number = static_cast<int>(t.integer("number", Need::required, 1, 32).value_or(0));
        s.name = t.string("name", Need::required).value_or("");
        s.field = t.string("field", Need::optional).value_or(s.name);
        s.first = static_cast<int>(t.integer("first", Need::required, 0, 9999).value_or(1));
        s.last = static_cast<int>(t.integer("last", Need::required, 0, 9999).value_or(9999));
        s.prefix = t.string("prefix", Need::optional).value_or("");
        if (auto cap = t.integer("daily_cap", Need::optional, 1, 9999))
            s.daily_cap = static_cast<int>(*cap);
        t.finish();

        if (!s.id.empty())
        {
            bool valid = std::all_of(s.id.begin(), s.id.end(), [](char c) {
                return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            });
            if (!valid)
                t.error("id", "service id \"" + s.id + "\" may hold only ASCII letters, digits, '-' and '_'");
            if (auto [it, fresh] = ids.emplace(s.id, t.where("id")); !fresh)
                t.error("id", "duplicate service id \"" + s.id + "\" (first defined at line " +
                                  std::to_string(it->second.line) + ")");
        }
        if (s.number != 0)
            if (auto [it, fresh] = numbers.emplace(s.number, t.where("number")); !fresh)
                t.error("number", "duplicate service number " + std::to_string(s.number) +
                                      " (first defined at line " + std::to_string(it->second.line) + ")");
        if (s.first > s.last)
            t.error("first", "service " + s.id + ": first " + std::to_string(s.first) +
                                 " is greater than last " + std::to_string(s.last));
        for (const auto& other : cfg.services)
            if (s.first <= other.last && other.first <= s.last)
                t.error("first", "service " + s.id + ": number range " + std::to_string(s.first) + ".." +
                                     std::to_string(s.last) + " overlaps service " + other.id + "'s " +
                                     std::to_string(other.first) + ".." + std::to_string(other.last));
        cfg.services.push_back(std::move(s));
    }
}

void parse_priority_classes(Table& root, Config& cfg)
{
    for (auto& t : root.tables("priority_class", Need::optional))
    {
        PriorityClass p;
        p.id = t.string("id", Need::required).value_or("");
        p.number = static_cast<int>(t.integer("number", Need::required, 1, 99).value_or(0));
        p.name = t.string("name", Need::required).value_or("");
        p.prefix = t.string("prefix", Need::optional).value_or("");
        t.finish();
        for (const auto& other : cfg.priority_classes)
        {
            if (!p.id.empty() && other.id == p.id)
                t.error("id", "duplicate priority_class id \"" + p.id + "\"");
            if (p.number != 0 && other.number == p.number)
                t.error("number", "duplicate priority_class number " + std::to_string(p.number));
        }
        cfg.priority_classes.push_back(std::move(p));
    }
}

void parse_counters(Table& root, Config& cfg)
{
    for (auto& t : root.tables("counter", Need::optional))
    {
        Counter c;
        c.number = static_cast<int>(t.integer("number", Need::required, 1, 99).value_or(0));
        c.name = t.string("name", Need::optional).value_or("Quầy " + std::to_string(c.number));
        c.services = t.strings("services", Need::required).value_or(std::vector<std::string>{});
        t.finish();
        if (t.node().contains("services") && c.services.empty())
            t.error("services", "counter " + std::to_string(c.number) + " serves no service");
        for (const auto& id : c.services)
            if (!cfg.service(id))
                t.error("services", "counter " + std::to_string(c.number) + " names unknown service \"" + id + "\"");
        for (const auto& other : cfg.counters)
            if (c.number != 0 && other.number == c.number)
                t.error("number", "duplicate counter number " + std::to_string(c.number));
        cfg.counters.push_back(std::move(c));
    }
}

void parse_control(Table& root, Config& cfg)
{
    auto t = root.table("control", Need::optional);
    if (!t)
        return;
    cfg.control.socket = t->string("socket", Need::optional).value_or(cfg.control.socket);
    t->finish();
}

} // namespace

void parse_core(Table& root, Config& cfg, SectionContext&)
{
    parse_office(root, cfg);
    parse_queue(root, cfg);
    parse_services(root, cfg);
    parse_priority_classes(root, cfg);
    parse_counters(root, cfg);
    parse_control(root, cfg);
}

const Service* Config::service(std::string_view id) const
{
    for (const auto& s : services)
        if (s.id == id)
            return &s;
    return nullptr;
}

const Service* Config::service_by_number(int number) const
{
    for (const auto& s : services)
        if (s.number == number)
            return &s;
    return nullptr;
}

const Counter* Config::counter(int number) const
{
    for (const auto& c : counters)
        if (c.number == number)
            return &c;
    return nullptr;
}

const PriorityClass* Config::priority_class(std::string_view id) const
{
    for (const auto& p : priority_classes)
        if (p.id == id)
            return &p;
    return nullptr;
}

const PriorityClass* Config::priority_class_by_number(int number) const
{
    for (const auto& p : priority_classes)
        if (p.number == number)
            return &p;
    return nullptr;
}

} // namespace motcua::config
