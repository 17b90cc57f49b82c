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

bool valid_id(const std::string& id)
{
    return !id.empty() && std::all_of(id.begin(), id.end(),
                                      [](char c)
                                      {
                                          return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                                 (c >= '0' && c <= '9') || c == '_' || c == '-';
                                      });
}

// A required string that must not be blank: "" is as good as missing.
std::string nonempty_string(Table& t, std::string_view key)
{
    auto s = t.string(key, Need::required);
    if (s && s->find_first_not_of(" \t") == std::string::npos)
    {
        t.error(key, t.path() + "." + std::string(key) + " must not be empty");
        return {};
    }
    return s.value_or("");
}

std::string line_of(Where w)
{
    return "line " + std::to_string(w.line);
}

void parse_office(Table& root, Config& cfg)
{
    auto t = root.table("office", Need::required);
    if (!t)
        return;
    auto& o = cfg.office;
    o.name = nonempty_string(*t, "name");
    o.unit_code = nonempty_string(*t, "unit_code");
    if (auto tz = t->string("timezone", Need::optional))
    {
        if (auto off = parse_timezone(*tz))
        {
            o.timezone = *tz;
            o.utc_offset = *off;
        }
        else
            t->error("timezone", "office.timezone \"" + *tz +
                                     "\" is not supported: use \"Asia/Ho_Chi_Minh\" or a fixed "
                                     "offset such as \"UTC+07:00\"");
    }
    if (auto hours = t->strings("hours", Need::optional))
    {
        o.hours.clear();
        if (hours->empty())
            t->error("hours", "office.hours is empty: list the opening intervals, e.g. "
                              "[\"07:30-11:30\", \"13:30-17:00\"]");
        for (std::size_t i = 0; i < hours->size(); ++i)
        {
            const auto& h = (*hours)[i];
            auto from =
                h.size() == 11 && h[5] == '-' ? parse_time_of_day(h.substr(0, 5)) : std::nullopt;
            auto to =
                h.size() == 11 && h[5] == '-' ? parse_time_of_day(h.substr(6, 5)) : std::nullopt;
            if (!from || !to || !(*from < *to))
            {
                t->error_at(t->where("hours", i),
                            "office.hours entry \"" + h +
                                "\" must be an interval \"HH:MM-HH:MM\" that ends after it starts");
                continue;
            }
            if (!o.hours.empty() && *from < o.hours.back().second)
                t->error_at(t->where("hours", i),
                            "office.hours entry \"" + h +
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
        q.policy = *p == "strict"       ? Policy::strict
                   : *p == "interleave" ? Policy::interleave
                                        : Policy::ageing;
    q.interleave_normal = static_cast<int>(
        t->integer("interleave_normal", Need::optional, 1, 100).value_or(q.interleave_normal));
    q.ageing_minutes = static_cast<int>(
        t->integer("ageing_minutes", Need::optional, 1, 24 * 60).value_or(q.ageing_minutes));
    q.recall_limit = static_cast<int>(
        t->integer("recall_limit", Need::optional, 0, 20).value_or(q.recall_limit));
    q.readmit_tolerance_minutes =
        static_cast<int>(t->integer("readmit_tolerance_minutes", Need::optional, 0, 24 * 60)
                             .value_or(q.readmit_tolerance_minutes));
    t->finish();
}

void parse_services(Table& root, Config& cfg)
{
    struct Range
    {
        std::string id;
        int first;
        int last;
        Where where;
    };
    std::map<std::string, Where> ids;
    std::map<int, Where> numbers;
    std::vector<Range> ranges;
    auto tables = root.tables("service", Need::required);
    if (tables.empty())
        if (const auto* arr = root.node().get_as<toml::array>("service"); arr && arr->empty())
            root.error("service",
                       "service = [] defines no service: at least one [[service]] is required");
    for (auto& t : tables)
    {
        Service s;
        s.id = nonempty_string(t, "id");
        auto number = t.integer("number", Need::required, 1, 32);
        s.number = static_cast<int>(number.value_or(0));
        s.name = nonempty_string(t, "name");
        s.field = t.string("field", Need::optional).value_or(s.name);
        auto first = t.integer("first", Need::required, 1, 9999);
        auto last = t.integer("last", Need::required, 1, 9999);
        s.prefix = t.string("prefix", Need::optional).value_or("");
        auto cap = t.integer("daily_cap", Need::optional, 1, 9999);
        t.finish();

        const std::string label =
            "service " + (s.id.empty() ? std::string("at ") + line_of(t.where()) : s.id);
        if (!s.id.empty())
        {
            if (!valid_id(s.id))
                t.error("id", "service id \"" + s.id +
                                  "\" may hold only ASCII letters, digits, '-' and '_'");
            if (auto [it, fresh] = ids.emplace(s.id, t.where("id")); !fresh)
                t.error("id", "duplicate service id \"" + s.id + "\" (first defined at " +
                                  line_of(it->second) + ")");
        }
        if (number)
            if (auto [it, fresh] = numbers.emplace(s.number, t.where("number")); !fresh)
                t.error("number", "duplicate service number " + std::to_string(s.number) +
                                      " (first defined at " + line_of(it->second) + ")");
        if (first && last)
        {
            s.first = static_cast<int>(*first);
            s.last = static_cast<int>(*last);
            if (s.first > s.last)
                t.error("first", label + ": first " + std::to_string(s.first) +
                                     " is greater than last " + std::to_string(s.last) +
                                     "; the numbers run first..last");
            else
            {
                for (const auto& other : ranges)
                    if (s.first <= other.last && other.first <= s.last)
                        t.error("first", label + ": number range " + std::to_string(s.first) +
                                             ".." + std::to_string(s.last) + " overlaps service " +
                                             other.id + "'s " + std::to_string(other.first) + ".." +
                                             std::to_string(other.last) + " (" +
                                             line_of(other.where) + ")");
                ranges.push_back(Range{s.id, s.first, s.last, t.where("first")});
                if (cap && *cap > s.last - s.first + 1)
                    t.error("daily_cap",
                            label + ": daily_cap " + std::to_string(*cap) + " is more than the " +
                                std::to_string(s.last - s.first + 1) + " numbers in " +
                                std::to_string(s.first) + ".." + std::to_string(s.last));
            }
        }
        if (cap)
            s.daily_cap = static_cast<int>(*cap);
        cfg.services.push_back(std::move(s));
    }
}

void parse_priority_classes(Table& root, Config& cfg)
{
    std::map<std::string, Where> ids;
    std::map<int, Where> numbers;
    for (auto& t : root.tables("priority_class", Need::optional))
    {
        PriorityClass p;
        p.id = nonempty_string(t, "id");
        auto number = t.integer("number", Need::required, 1, 99);
        p.number = static_cast<int>(number.value_or(0));
        p.name = nonempty_string(t, "name");
        p.prefix = t.string("prefix", Need::optional).value_or("");
        t.finish();
        if (!p.id.empty())
        {
            if (!valid_id(p.id))
                t.error("id", "priority_class id \"" + p.id +
                                  "\" may hold only ASCII letters, digits, '-' and '_'");
            if (auto [it, fresh] = ids.emplace(p.id, t.where("id")); !fresh)
                t.error("id", "duplicate priority_class id \"" + p.id + "\" (first defined at " +
                                  line_of(it->second) + ")");
        }
        if (number)
            if (auto [it, fresh] = numbers.emplace(p.number, t.where("number")); !fresh)
                t.error("number", "duplicate priority_class number " + std::to_string(p.number) +
                                      " (first defined at " + line_of(it->second) + ")");
        cfg.priority_classes.push_back(std::move(p));
    }
}

void parse_counters(Table& root, Config& cfg)
{
    std::map<int, Where> numbers;
    for (auto& t : root.tables("counter", Need::optional))
    {
        Counter c;
        auto number = t.integer("number", Need::required, 1, 99);
        c.number = static_cast<int>(number.value_or(0));
        c.name = t.string("name", Need::optional).value_or("Quầy " + std::to_string(c.number));
        auto services = t.strings("services", Need::required);
        t.finish();
        const std::string label =
            number ? "counter " + std::to_string(c.number) : "counter at " + line_of(t.where());
        if (number)
            if (auto [it, fresh] = numbers.emplace(c.number, t.where("number")); !fresh)
                t.error("number", "duplicate counter number " + std::to_string(c.number) +
                                      " (first defined at " + line_of(it->second) + ")");
        if (!services)
        {
            cfg.counters.push_back(std::move(c));
            continue;
        }
        if (services->empty())
            t.error("services",
                    label + " serves no service: list service ids, most preferred first");
        for (std::size_t i = 0; i < services->size(); ++i)
        {
            const auto& id = (*services)[i];
            if (!cfg.service(id))
            {
                std::string known;
                for (std::size_t k = 0; k < cfg.services.size(); ++k)
                    if (const auto& sid = cfg.services[k].id;
                        !sid.empty() && cfg.service(sid) == &cfg.services[k])
                        known += (known.empty() ? "" : ", ") + sid;
                t.error_at(t.where("services", i),
                           label + " names unknown service \"" + id + "\"" +
                               (known.empty() ? "" : " (services: " + known + ")"));
            }
            else if (std::find(c.services.begin(), c.services.end(), id) != c.services.end())
                t.error_at(t.where("services", i), label + " lists service \"" + id + "\" twice");
            else
                c.services.push_back(id);
        }
        cfg.counters.push_back(std::move(c));
    }
}

void parse_control(Table& root, Config& cfg)
{
    auto t = root.table("control", Need::optional);
    if (!t)
        return;
    if (auto socket = t->string("socket", Need::optional))
    {
        if (socket->empty())
            t->error("socket", "control.socket must not be empty");
        else
            cfg.control.socket = *socket;
    }
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
