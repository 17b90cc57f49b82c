// Configuration loading: the shipped files load, and every broken file reports every
// error as FILE:LINE:COL: message with the position a technician needs to fix it.

#include "config/load.hpp"
#include "process.hpp"
#include "config/reader.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace motcua::config
{
namespace
{

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Every diagnostic as the technician sees it.
std::vector<std::string> lines(const LoadResult& r)
{
    std::vector<std::string> out;
    for (const auto& d : r.diags.list())
        out.push_back(d.str());
    return out;
}

LoadResult load(std::string_view text)
{
    return load_string(text, "office.toml", {});
}

// Each diagnostic is exactly FILE:LINE:COL: message, with a real position. Parsed by hand
// (GCC 12's std::regex trips -Wmaybe-uninitialized under the sanitizers).
void expect_well_formed(const LoadResult& r, const std::string& file)
{
    auto digits = [](std::string_view s, std::size_t& at)
    {
        auto start = at;
        while (at < s.size() && s[at] >= '0' && s[at] <= '9')
            ++at;
        return at > start;
    };
    for (const auto& d : r.diags.list())
    {
        auto s = d.str();
        SCOPED_TRACE(s);
        ASSERT_TRUE(s.starts_with(file + ":"));
        std::size_t at = file.size() + 1;
        ASSERT_TRUE(digits(s, at));
        ASSERT_EQ(s.substr(at, 1), ":");
        ++at;
        ASSERT_TRUE(digits(s, at));
        ASSERT_EQ(s.substr(at, 2), ": ");
        EXPECT_GT(s.size(), at + 2);
        EXPECT_EQ(s.find('\n'), std::string::npos);
        EXPECT_EQ(s, file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
                         d.message);
        EXPECT_GE(d.line, 1);
        EXPECT_GE(d.column, 1);
    }
}

using motcua::testing::source_dir;

// The smallest valid office, the base of most broken variants below.
constexpr std::string_view minimal = R"([office]
name = "Xã An Bình"
unit_code = "000.00.00.H00"

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
first = 1
last = 99

[[counter]]
number = 1
services = ["TP"]
)";

TEST(Diagnostics, SortKeepsFileOrderAndSortsPositionsWithinAFile)
{
    Diagnostics d;
    d.error("office.toml", 9, 1, "c");
    d.error("printers/x.toml", 2, 1, "p");
    d.error("office.toml", 3, 5, "b");
    d.error("office.toml", 3, 2, "a");
    d.error("printers/x.toml", 1, 1, "o");
    d.sort();
    EXPECT_EQ(d.str(), "office.toml:3:2: a\noffice.toml:3:5: b\noffice.toml:9:1: c\n"
                       "printers/x.toml:1:1: o\nprinters/x.toml:2:1: p\n");
}

// The reader API as other sections (and data files such as device profiles) use it.
TEST(Table, NestedTablesAndDataFileRoots)
{
    auto doc = toml::parse(std::string_view(R"(model = "X1"
[identity]
vendor = "ACME"
colour = "red"
[[identity.port]]
baud = 9600
[[identity.port]]
baud = "fast"
parity = "N"
)"),
                           std::string_view("profile.toml"));
    ASSERT_TRUE(doc);
    Diagnostics diags;
    Context ctx{"profile.toml", diags};
    Table root{doc.table(), "", ctx};
    EXPECT_EQ(root.string("model", Need::required), "X1");
    EXPECT_FALSE(root.strings("roles", Need::required));
    auto id = root.table("identity", Need::required);
    ASSERT_TRUE(id);
    EXPECT_EQ(id->path(), "identity");
    EXPECT_EQ(id->string("vendor", Need::required), "ACME");
    auto ports = id->tables("port", Need::required);
    ASSERT_EQ(ports.size(), 2u);
    EXPECT_EQ(ports[1].path(), "identity.port[1]");
    for (auto& p : ports)
    {
        p.integer("baud", Need::required, 1200, 115200);
        p.finish();
    }
    id->finish();
    root.finish();
    diags.sort();
    EXPECT_EQ(diags.str(),
              "profile.toml:1:1: missing required key 'roles' (an array of strings) at top level\n"
              "profile.toml:4:1: unknown key 'colour' in identity\n"
              "profile.toml:8:8: identity.port[1].baud must be an integer, not a string\n"
              "profile.toml:9:1: unknown key 'parity' in identity.port[1]\n");
}

// --- the shipped files -------------------------------------------------------------------

TEST(ShippedConfig, ExampleLoadsWithoutErrors)
{
    auto path = source_dir() + "/config/example.toml";
    auto r = load_file(path);
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    ASSERT_TRUE(r.config);
    const auto& c = *r.config;
    EXPECT_EQ(c.source, path);
    EXPECT_FALSE(c.office.name.empty());
    EXPECT_EQ(c.office.utc_offset.offset, std::chrono::minutes{7 * 60});
    EXPECT_EQ(c.office.hours.size(), 2u);
    EXPECT_EQ(c.office.day_cutoff, TimeOfDay{5 * 60});
    EXPECT_EQ(c.services.size(), 6u);
    EXPECT_EQ(c.priority_classes.size(), 4u);
    EXPECT_EQ(c.counters.size(), 6u);
    EXPECT_EQ(c.queue.policy, Policy::interleave);
    ASSERT_NE(c.service("DD"), nullptr);
    EXPECT_EQ(c.service("DD")->daily_cap, 80);
    EXPECT_EQ(c.service("TP")->prefix, "TP-");
    EXPECT_EQ(c.service_by_number(6)->id, "BC");
    EXPECT_EQ(c.priority_class("cao-tuoi")->prefix, "UT-");
    ASSERT_NE(c.counter(5), nullptr);
    EXPECT_THAT(c.counter(5)->services, ElementsAre("KT", "CH", "DD"));
    // Every service is called by some counter.
    for (const auto& s : c.services)
    {
        bool served = false;
        for (const auto& k : c.counters)
            for (const auto& id : k.services)
                served = served || id == s.id;
        EXPECT_TRUE(served) << s.id;
    }
}

TEST(ShippedConfig, DemoLoadsWithoutErrorsAndUsesRelativeStatePaths)
{
    auto r = load_file(source_dir() + "/config/demo.toml");
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    const auto& c = *r.config;
    EXPECT_EQ(c.services.size(), 3u);
    EXPECT_EQ(c.counters.size(), 3u);
    EXPECT_EQ(c.priority_classes.size(), 2u);
    EXPECT_TRUE(std::filesystem::path(c.control.socket).is_relative());
    EXPECT_TRUE(std::filesystem::path(c.reg.database).is_relative());
}

// --- valid inputs and defaults -----------------------------------------------------------

TEST(ConfigLoad, MinimalOfficeGetsDefaults)
{
    auto r = load(minimal);
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    const auto& c = *r.config;
    EXPECT_EQ(c.office.timezone, "Asia/Ho_Chi_Minh");
    EXPECT_EQ(c.office.utc_offset.offset, std::chrono::minutes{420});
    ASSERT_EQ(c.office.hours.size(), 2u);
    EXPECT_EQ(c.office.hours[0].first, TimeOfDay{450});
    EXPECT_EQ(c.office.day_cutoff, TimeOfDay{0});
    EXPECT_EQ(c.queue.policy, Policy::interleave);
    EXPECT_EQ(c.queue.interleave_normal, 3);
    EXPECT_EQ(c.services[0].field, "Tư pháp – Hộ tịch"); // defaults to the name
    EXPECT_EQ(c.services[0].prefix, "");
    EXPECT_FALSE(c.services[0].daily_cap);
    EXPECT_EQ(c.counters[0].name, "Quầy 1");
    EXPECT_EQ(c.control.socket, "/run/motcua/control.sock");
    EXPECT_TRUE(c.priority_classes.empty());
}

TEST(ConfigLoad, AcceptsTomlTimesFixedOffsetsAndAllPolicies)
{
    auto r = load(R"([office]
name = "X"
unit_code = "U"
timezone = "UTC+07:00"
day_cutoff = 04:30:00
[queue]
policy = "ageing"
ageing_minutes = 20
[[service]]
id = "TP"
number = 1
name = "T"
first = 1
last = 1
)");
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    EXPECT_EQ(r.config->office.day_cutoff, TimeOfDay{270});
    EXPECT_EQ(r.config->queue.policy, Policy::ageing);
    EXPECT_EQ(r.config->queue.ageing_minutes, 20);
}

// --- unknown keys ------------------------------------------------------------------------

TEST(ConfigErrors, UnknownTopLevelSectionsAndKeys)
{
    auto r = load(std::string(minimal) + R"(
[[servce]]
id = "DD"

[ofice]
x = 1

verbose_logging = true
)");
    // Lines 15.. of the text; a top-level key after a table belongs to that table.
    EXPECT_THAT(lines(r),
                ElementsAre("office.toml:16:3: unknown section [[servce]]; did you mean 'service'?",
                            "office.toml:19:2: unknown section [ofice]; did you mean 'office'?"));
    EXPECT_FALSE(r.config);
    expect_well_formed(r, "office.toml");
}

TEST(ConfigErrors, UnknownTopLevelKeyBeforeAnySection)
{
    auto r = load("debug = true\n" + std::string(minimal));
    EXPECT_THAT(lines(r), ElementsAre("office.toml:1:1: unknown key 'debug' at top level"));
}

TEST(ConfigErrors, UnknownNestedKeysPointAtTheKey)
{
    auto r = load(R"([office]
nmae = "Xã An Bình"
unit_code = "000.00.00.H00"
[queue]
polcy = "strict"
[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 99
colour = "red"
  [service.display]
  blink = true
[[counter]]
number = 1
services = ["TP"]
servces = ["TP"]
[control]
sockt = "/run/x.sock"
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre(
            "office.toml:1:1: office is missing required key 'name' (a string)",
            "office.toml:2:1: unknown key 'nmae' in office; did you mean 'name'?",
            "office.toml:5:1: unknown key 'polcy' in queue; did you mean 'policy'?",
            "office.toml:12:1: unknown key 'colour' in service[0]",
            "office.toml:13:12: unknown key 'display' in service[0]",
            "office.toml:18:1: unknown key 'servces' in counter[0]; did you mean 'services'?",
            "office.toml:20:1: unknown key 'sockt' in control; did you mean 'socket'?"));
    expect_well_formed(r, "office.toml");
}

// --- wrong types -------------------------------------------------------------------------

TEST(ConfigErrors, WrongTypesPointAtTheValue)
{
    auto r = load(R"([office]
name = 42
unit_code = "U"
hours = "07:30-11:30"
[queue]
policy = 1
recall_limit = "3"
[[service]]
id = "TP"
number = "1"
name = "Tư pháp"
first = 1.5
last = 99
[[counter]]
number = 1
services = "TP"
[control]
socket = ["/run/a.sock"]
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre(
            "office.toml:2:8: office.name must be a string, not an integer",
            "office.toml:4:9: office.hours must be an array of strings, not a string",
            "office.toml:6:10: queue.policy must be a string, not an integer",
            "office.toml:7:16: queue.recall_limit must be an integer, not a string",
            "office.toml:10:10: service[0].number must be an integer, not a string",
            "office.toml:12:9: service[0].first must be an integer, not a number",
            "office.toml:16:12: counter[0].services must be an array of strings, not a string",
            "office.toml:18:10: control.socket must be a string, not an array"));
    expect_well_formed(r, "office.toml");
}

TEST(ConfigErrors, SectionOfTheWrongKind)
{
    auto r = load(R"(office = "Xã An Bình"
service = 3
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre("office.toml:1:10: office must be a table, not a string",
                    "office.toml:2:11: service must be an array of tables, not an integer"));
}

TEST(ConfigErrors, ArrayElementsOfTheWrongType)
{
    auto r = load(R"([office]
name = "X"
unit_code = "U"
hours = ["07:30-11:30", 13]
[[service]]
id = "TP"
number = 1
name = "T"
first = 1
last = 9
[[counter]]
number = 1
services = ["TP", 2]
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre(
            "office.toml:4:25: office.hours must hold only strings, not an integer",
            "office.toml:13:19: counter[0].services must hold only strings, not an integer"));
}

TEST(ConfigErrors, SingleAndDoubleBracketsMixedUp)
{
    auto r = load(R"([[office]]
name = "X"
unit_code = "U"
[service]
id = "TP"
number = 1
name = "T"
first = 1
last = 9
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre(
            "office.toml:1:1: office is a single section: write [office] with single "
            "brackets, not [[office]]",
            "office.toml:4:1: service is a list: write each entry as [[service]] with double "
            "brackets, not [service]"));
}

TEST(ConfigErrors, InlineTablesReportTheirOwnPositions)
{
    auto r = load(R"(office = { name = "X", unit_code = "U", nme = 1 }
service = [ { id = "TP", number = 1, name = "T", first = 1, last = 9 }, { id = "DD" } ]
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre("office.toml:1:41: unknown key 'nme' in office; did you mean 'name'?",
                    "office.toml:2:73: service[1] is missing required key 'number' (an integer)",
                    "office.toml:2:73: service[1] is missing required key 'name' (a string)",
                    "office.toml:2:73: service[1] is missing required key 'first' (an integer)",
                    "office.toml:2:73: service[1] is missing required key 'last' (an integer)"));
}

// --- values out of range -----------------------------------------------------------------

TEST(ConfigErrors, OutOfRangeAndBadChoices)
{
    auto r = load(R"([office]
name = "X"
unit_code = "U"
[queue]
policy = "interleaved"
interleave_normal = 0
[[service]]
id = "TP"
number = 33
name = "T"
first = 0
last = 10000
[[counter]]
number = 100
services = ["TP"]
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre(
            "office.toml:5:10: queue.policy = \"interleaved\" is not one of: strict, interleave, "
            "ageing; did you mean \"interleave\"?",
            "office.toml:6:21: queue.interleave_normal = 0 is out of range 1..100",
            "office.toml:9:10: service[0].number = 33 is out of range 1..32",
            "office.toml:11:9: service[0].first = 0 is out of range 1..9999",
            "office.toml:12:8: service[0].last = 10000 is out of range 1..9999",
            "office.toml:14:10: counter[0].number = 100 is out of range 1..99"));
}

TEST(ConfigErrors, BadTimeOfDayHoursAndTimezone)
{
    auto r = load(R"([office]
name = "X"
unit_code = "U"
timezone = "Europe/Paris"
hours = ["07:30-11:30", "13:30-12:00", "11:00-12:00", "8h-17h"]
day_cutoff = "25:00"
[[service]]
id = "TP"
number = 1
name = "T"
first = 1
last = 9
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre(
            "office.toml:4:12: office.timezone \"Europe/Paris\" is not supported: use "
            "\"Asia/Ho_Chi_Minh\" or a fixed offset such as \"UTC+07:00\"",
            "office.toml:5:25: office.hours entry \"13:30-12:00\" must be an interval "
            "\"HH:MM-HH:MM\" that ends after it starts",
            "office.toml:5:40: office.hours entry \"11:00-12:00\" overlaps or precedes the one "
            "before it; list them in order",
            "office.toml:5:55: office.hours entry \"8h-17h\" must be an interval \"HH:MM-HH:MM\" "
            "that ends after it starts",
            "office.toml:6:14: office.day_cutoff = \"25:00\" is not a time of day: write \"HH:MM\" "
            "from 00:00 to 23:59"));
}

TEST(ConfigErrors, TomlTimeWithSecondsIsRejected)
{
    auto r = load(R"([office]
name = "X"
unit_code = "U"
day_cutoff = 04:30:15
[[service]]
id = "TP"
number = 1
name = "T"
first = 1
last = 9
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre("office.toml:4:14: office.day_cutoff must be whole minutes, e.g. \"07:30\""));
}

// --- duplicates, references, ranges ------------------------------------------------------

TEST(ConfigErrors, DuplicateIdsAndNumbersNameTheFirstDefinition)
{
    auto r = load(R"([office]
name = "X"
unit_code = "U"
[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 99
[[service]]
id = "TP"
number = 1
name = "Hộ tịch"
first = 100
last = 199
[[priority_class]]
id = "cao-tuoi"
number = 1
name = "Người cao tuổi"
[[priority_class]]
id = "cao-tuoi"
number = 1
name = "Người khuyết tật"
[[counter]]
number = 1
services = ["TP"]
[[counter]]
number = 1
services = ["TP"]
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre(
            "office.toml:11:6: duplicate service id \"TP\" (first defined at line 5)",
            "office.toml:12:10: duplicate service number 1 (first defined at line 6)",
            "office.toml:21:6: duplicate priority_class id \"cao-tuoi\" (first defined at line 17)",
            "office.toml:22:10: duplicate priority_class number 1 (first defined at line 18)",
            "office.toml:28:10: duplicate counter number 1 (first defined at line 25)"));
}

TEST(ConfigErrors, CounterNamingUnknownServicePointsAtTheElement)
{
    auto r = load(R"([office]
name = "X"
unit_code = "U"
[[service]]
id = "TP"
number = 1
name = "T"
first = 1
last = 9
[[service]]
id = "DD"
number = 2
name = "D"
first = 10
last = 19
[[counter]]
number = 4
services = ["TP", "TB", "DD", "TP"]
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre("office.toml:18:19: counter 4 names unknown service \"TB\" (services: TP, DD)",
                    "office.toml:18:31: counter 4 lists service \"TP\" twice"));
}

TEST(ConfigErrors, CounterWithNoServices)
{
    auto r = load(R"([office]
name = "X"
unit_code = "U"
[[service]]
id = "TP"
number = 1
name = "T"
first = 1
last = 9
[[counter]]
number = 2
services = []
)");
    EXPECT_THAT(lines(r),
                ElementsAre("office.toml:12:12: counter 2 serves no service: list service ids, "
                            "most preferred first"));
}

TEST(ConfigErrors, OverlappingAndReversedRanges)
{
    auto r = load(R"([office]
name = "X"
unit_code = "U"
[[service]]
id = "TP"
number = 1
name = "T"
first = 1
last = 199
[[service]]
id = "DD"
number = 2
name = "D"
first = 150
last = 299
[[service]]
id = "KT"
number = 3
name = "K"
first = 500
last = 400
[[service]]
id = "NV"
number = 4
name = "N"
first = 300
last = 309
daily_cap = 11
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre("office.toml:14:9: service DD: number range 150..299 overlaps service TP's "
                    "1..199 (line 8)",
                    "office.toml:20:9: service KT: first 500 is greater than last 400; the numbers "
                    "run first..last",
                    "office.toml:28:13: service NV: daily_cap 11 is more than the 10 numbers in "
                    "300..309"));
}

TEST(ConfigErrors, InvalidRangeDoesNotCauseSpuriousOverlap)
{
    // A missing `first` must not be read as 1 and reported as overlapping TP's 1..9.
    auto r = load(R"([office]
name = "X"
unit_code = "U"
[[service]]
id = "TP"
number = 1
name = "T"
first = 1
last = 9
[[service]]
id = "DD"
number = 2
name = "D"
last = 19
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre("office.toml:10:1: service[1] is missing required key 'first' (an integer)"));
}

TEST(ConfigErrors, BadIdsAndBlankNames)
{
    auto r = load(R"([office]
name = " "
unit_code = "U"
[[service]]
id = "Tư pháp"
number = 1
name = ""
first = 1
last = 9
[[priority_class]]
id = "cao tuoi"
number = 1
name = "Người cao tuổi"
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre("office.toml:2:8: office.name must not be empty",
                    "office.toml:5:6: service id \"Tư pháp\" may hold only ASCII letters, digits, "
                    "'-' and '_'",
                    "office.toml:7:8: service[0].name must not be empty",
                    "office.toml:11:6: priority_class id \"cao tuoi\" may hold only ASCII letters, "
                    "digits, '-' and '_'"));
}

// --- missing things ----------------------------------------------------------------------

TEST(ConfigErrors, MissingOfficeAndServices)
{
    auto r = load(R"(# Nothing but a counter.
[[counter]]
number = 1
services = ["TP"]
)");
    EXPECT_THAT(lines(r), ElementsAre("office.toml:1:1: missing required section [office]",
                                      "office.toml:1:1: missing required section [[service]]",
                                      "office.toml:4:13: counter 1 names unknown service \"TP\""));
}

TEST(ConfigErrors, EmptyServiceList)
{
    auto r = load(R"([office]
name = "X"
unit_code = "U"
service = []
)");
    // A list written inside [office] belongs to [office]: both consequences are reported.
    EXPECT_THAT(lines(r), ElementsAre("office.toml:1:1: missing required section [[service]]",
                                      "office.toml:4:1: unknown key 'service' in office"));
    auto r2 = load(R"(service = []
[office]
name = "X"
unit_code = "U"
)");
    EXPECT_THAT(lines(r2),
                ElementsAre("office.toml:1:11: service = [] defines no service: at least one "
                            "[[service]] is required"));
}

TEST(ConfigErrors, MissingRequiredKeysPointAtTheSectionHeader)
{
    auto r = load(R"([office]
timezone = "Asia/Ho_Chi_Minh"

[[service]]
id = "TP"
number = 1
name = "T"
first = 1
last = 9

  [[service]]
  name = "Đất đai"

[[priority_class]]
id = "cao-tuoi"

[[counter]]
name = "Quầy 1"
)");
    EXPECT_THAT(
        lines(r),
        ElementsAre(
            "office.toml:1:1: office is missing required key 'name' (a string)",
            "office.toml:1:1: office is missing required key 'unit_code' (a string)",
            "office.toml:11:3: service[1] is missing required key 'id' (a string)",
            "office.toml:11:3: service[1] is missing required key 'number' (an integer)",
            "office.toml:11:3: service[1] is missing required key 'first' (an integer)",
            "office.toml:11:3: service[1] is missing required key 'last' (an integer)",
            "office.toml:14:1: priority_class[0] is missing required key 'number' (an integer)",
            "office.toml:14:1: priority_class[0] is missing required key 'name' (a string)",
            "office.toml:17:1: counter[0] is missing required key 'number' (an integer)",
            "office.toml:17:1: counter[0] is missing required key 'services' (an array of "
            "strings)"));
    expect_well_formed(r, "office.toml");
}

// --- syntax ------------------------------------------------------------------------------

TEST(ConfigErrors, TomlSyntaxErrorHasItsPosition)
{
    auto r = load(R"([office]
name = "Xã An Bình"
unit_code = 
)");
    EXPECT_THAT(lines(r),
                ElementsAre("office.toml:3:13: TOML syntax error while parsing key-value pair: "
                            "expected value, saw '\\n'"));
    auto r2 = load(R"([office]
name = "Xã An Bình"; unit_code = "U"
)");
    // Columns count characters, not bytes: "Xã An Bình" has two 2-byte letters.
    EXPECT_THAT(lines(r2),
                ElementsAre("office.toml:2:20: TOML syntax error while parsing key-value pair: "
                            "expected a comment or whitespace, saw ';'"));
    auto r3 = load(R"([office]
name = "X"
[office]
unit_code = "U"
)");
    EXPECT_THAT(lines(r3),
                ElementsAre("office.toml:3:1: TOML syntax error while parsing table header: "
                            "cannot redefine existing table 'office'"));
}

TEST(ConfigErrors, EmptyFileAndWindowsLineEndings)
{
    EXPECT_THAT(lines(load("")),
                ElementsAre("office.toml:1:1: missing required section [office]",
                            "office.toml:1:1: missing required section [[service]]"));
    auto crlf = std::string(minimal);
    for (std::size_t at = crlf.find('\n'); at != std::string::npos; at = crlf.find('\n', at + 2))
        crlf.replace(at, 1, "\r\n");
    auto r = load(crlf + "unit = 5\r\n");
    EXPECT_THAT(lines(r), ElementsAre("office.toml:15:1: unknown key 'unit' in counter[0]"));
}

TEST(ConfigErrors, NonUtf8TextIsASyntaxErrorWithAHint)
{
    // "Xã" as Windows-1258 would write it: 0xE3 is not valid UTF-8 here.
    auto r = load("[office]\nname = \"X\xe3 An\"\n");
    ASSERT_EQ(r.diags.list().size(), 1u);
    EXPECT_EQ(r.diags.list()[0].line, 2);
    EXPECT_THAT(r.diags.list()[0].message, ::testing::HasSubstr("invalid utf-8"));
    EXPECT_THAT(r.diags.list()[0].message, ::testing::HasSubstr("save the file as UTF-8"));
}

// --- many errors at once -----------------------------------------------------------------

TEST(ConfigErrors, EveryErrorOfAFileIsReportedTogetherInFileOrder)
{
    auto r = load(R"([office]
name = "Xã An Bình"
unit_code = "000.00.00.H00"
timezone = "ICT"
day_cutoff = "24:00"

[queue]
policy = "fifo"
recall_limit = -1

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 199

[[service]]
id = "TP"
number = 2
name = "Đất đai"
first = 100
last = 299
prefx = "DD-"

[[counter]]
number = 1
services = ["TP", "DD"]

[[teller]]
name = "Quầy 7"
)");
    auto got = lines(r);
    ASSERT_EQ(got.size(), 9u) << r.diags.str();
    EXPECT_THAT(
        got,
        ElementsAre("office.toml:4:12: office.timezone \"ICT\" is not supported: use "
                    "\"Asia/Ho_Chi_Minh\" or a fixed offset such as \"UTC+07:00\"",
                    "office.toml:5:14: office.day_cutoff = \"24:00\" is not a time of day: write "
                    "\"HH:MM\" from 00:00 to 23:59",
                    "office.toml:8:10: queue.policy = \"fifo\" is not one of: strict, interleave, "
                    "ageing",
                    "office.toml:9:16: queue.recall_limit = -1 is out of range 0..20",
                    "office.toml:19:6: duplicate service id \"TP\" (first defined at line 12)",
                    "office.toml:22:9: service TP: number range 100..299 overlaps service TP's "
                    "1..199 (line 15)",
                    "office.toml:24:1: unknown key 'prefx' in service[1]; did you mean 'prefix'?",
                    "office.toml:28:19: counter 1 names unknown service \"DD\" (services: TP)",
                    "office.toml:30:3: unknown section [[teller]]"));
    EXPECT_FALSE(r.config);
    expect_well_formed(r, "office.toml");
}

// --- files -------------------------------------------------------------------------------

class ConfigFiles : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "motcua-config-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override
    {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    std::string write(const std::string& name, std::string_view text)
    {
        auto path = (dir_ / name).string();
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
    std::filesystem::path dir_;
};

TEST_F(ConfigFiles, ErrorsNameTheFileAsGiven)
{
    auto path = write("broken.toml", std::string(minimal) + "[[servce]]\nid = \"X\"\n");
    auto r = load_file(path);
    EXPECT_THAT(lines(r),
                ElementsAre(path + ":15:3: unknown section [[servce]]; did you mean 'service'?"));
    expect_well_formed(r, path);
}

TEST_F(ConfigFiles, ValidFileLoads)
{
    auto path = write("good.toml", minimal);
    auto r = load_file(path);
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    EXPECT_EQ(r.config->source, path);
    EXPECT_EQ(r.config->services.at(0).id, "TP");
}

TEST_F(ConfigFiles, SyntaxErrorInAFile)
{
    auto path = write("syntax.toml", "[office\nname = \"X\"\n");
    auto r = load_file(path);
    ASSERT_EQ(r.diags.list().size(), 1u);
    EXPECT_EQ(r.diags.list()[0].line, 1);
    EXPECT_EQ(r.diags.list()[0].file, path);
    EXPECT_THAT(r.diags.list()[0].message, ::testing::StartsWith("TOML syntax error"));
}

TEST_F(ConfigFiles, UnreadableFile)
{
    auto path = (dir_ / "absent.toml").string();
    auto r = load_file(path);
    EXPECT_THAT(lines(r),
                ElementsAre(path + ":0:0: cannot read the config file: No such file or directory"));
    EXPECT_FALSE(r.config);
}

TEST_F(ConfigFiles, DirectoryInsteadOfAFile)
{
    auto r = load_file(dir_.string());
    EXPECT_THAT(lines(r), ElementsAre(dir_.string() +
                                      ":0:0: cannot read the config file: it is a directory"));
}

TEST_F(ConfigFiles, ShippedExampleWithATypoReportsTheTypoOnly)
{
    // The technician's usual mistake: one misspelt key in the reference file.
    std::ifstream in(source_dir() + "/config/example.toml", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto at = text.find("\ndaily_cap = 80");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 10, "\ndaily_cpa");
    auto path = write("example.toml", text);
    auto r = load_file(path);
    ASSERT_EQ(r.diags.list().size(), 1u) << r.diags.str();
    EXPECT_THAT(r.diags.list()[0].message,
                ::testing::Eq("unknown key 'daily_cpa' in service[1]; did you mean 'daily_cap'?"));
    auto line =
        1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at) + 1, '\n');
    EXPECT_EQ(r.diags.list()[0].line, line);
    EXPECT_EQ(r.diags.list()[0].column, 1);
}

} // namespace
} // namespace motcua::config
