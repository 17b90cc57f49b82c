// [web], [web.board], [[screen]]: defaults, every error at its file:line:col, the listen
// address syntax.

#include "config/load.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace motcua::config
{
namespace
{

using ::testing::ElementsAre;

std::vector<std::string> lines(const LoadResult& r)
{
    std::vector<std::string> out;
    for (const auto& d : r.diags.list())
        out.push_back(d.str());
    return out;
}

// Two services, three counters; the [web] part is appended by each test.
const std::string office = R"([office]
name = "Xã An Bình"
unit_code = "000.00.00.H00"

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 99
prefix = "TP-"

[[service]]
id = "DD"
number = 2
name = "Đất đai"
first = 100
last = 199

[[counter]]
number = 1
services = ["TP"]

[[counter]]
number = 2
services = ["DD"]

[[counter]]
number = 3
services = ["TP", "DD"]
)"; // 29 lines, then the [web] part (a raw string starting with a newline adds one)

LoadResult load(const std::string& web)
{
    return load_string(office + web, "office.toml", {"/etc/motcua"});
}

TEST(WebConfig, NoWebSectionOpensNothing)
{
    auto r = load("");
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    EXPECT_FALSE(r.config->web.has_value());
}

TEST(WebConfig, MinimalWebGetsDefaults)
{
    auto r = load("[web]\nlisten = [\"0.0.0.0:8080\"]\n");
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    const auto& web = *r.config->web;
    ASSERT_EQ(web.listen.size(), 1u);
    EXPECT_EQ(web.listen[0].host, "0.0.0.0");
    EXPECT_EQ(web.listen[0].port, 8080);
    EXPECT_EQ(web.public_url, "");
    EXPECT_EQ(web.static_dir, "");
    EXPECT_EQ(web.max_connections, 1000);
    EXPECT_EQ(web.idle_timeout_s, 30);
    EXPECT_EQ(web.request_timeout_s, 10);
    EXPECT_EQ(web.board.recent_calls, 8);
    EXPECT_EQ(web.board.min_row_seconds, 10);
    EXPECT_EQ(web.board.flash_seconds, 5);
    EXPECT_EQ(web.board.notice, "");
    EXPECT_TRUE(web.screens.empty());
}

TEST(WebConfig, EverySettingAndScreens)
{
    auto r = load(R"(
[web]
listen = ["0.0.0.0:8080", "[::]:8080", "127.0.0.1:0"]
public_url = "http://192.168.1.10:8080/"
static_dir = "web"
max_connections = 2000
idle_timeout_s = 60
request_timeout_s = 5

[web.board]
recent_calls = 6
min_row_seconds = 12
flash_seconds = 3
notice = "Giờ làm việc: 7h30 – 17h00"
office_name = "UBND xã An Bình"

[[screen]]
name = "tang-1"
title = "Tầng 1"
services = ["TP"]
counters = [1, 3]

[[screen]]
name = "doc"
orientation = "portrait"
)");
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    const auto& web = *r.config->web;
    ASSERT_EQ(web.listen.size(), 3u);
    EXPECT_EQ(web.listen[1].host, "::");
    EXPECT_EQ(web.listen[2].port, 0);
    EXPECT_EQ(web.public_url, "http://192.168.1.10:8080"); // the trailing / dropped
    EXPECT_EQ(web.static_dir, "/etc/motcua/web");           // relative to the config's folder
    EXPECT_EQ(web.max_connections, 2000);
    EXPECT_EQ(web.idle_timeout_s, 60);
    EXPECT_EQ(web.request_timeout_s, 5);
    EXPECT_EQ(web.board.recent_calls, 6);
    EXPECT_EQ(web.board.min_row_seconds, 12);
    EXPECT_EQ(web.board.flash_seconds, 3);
    EXPECT_EQ(web.board.notice, "Giờ làm việc: 7h30 – 17h00");
    EXPECT_EQ(web.board.office_name, "UBND xã An Bình");
    ASSERT_EQ(web.screens.size(), 2u);
    EXPECT_EQ(web.screens[0].name, "tang-1");
    EXPECT_EQ(web.screens[0].title, "Tầng 1");
    EXPECT_THAT(web.screens[0].services, ElementsAre("TP"));
    EXPECT_THAT(web.screens[0].counters, ElementsAre(1, 3));
    EXPECT_EQ(web.screens[0].orientation, Orientation::landscape);
    EXPECT_EQ(web.screens[1].orientation, Orientation::portrait);
    EXPECT_TRUE(web.screens[1].services.empty());
    EXPECT_EQ(web.screen("doc"), &web.screens[1]);
    EXPECT_EQ(web.screen("nope"), nullptr);
}

TEST(WebConfig, BadListenAddressesPointAtTheElement)
{
    auto r = load(R"(
[web]
listen = ["8080", "0.0.0.0:99999", "::1:80", "[::1]80", "localhost:80", "0.0.0.0:80", "0.0.0.0:80"]
)");
    EXPECT_THAT(lines(r),
                ElementsAre("office.toml:33:11: web.listen entry \"8080\" has no :PORT",
                            "office.toml:33:19: web.listen entry \"0.0.0.0:99999\" has a port above 65535",
                            "office.toml:33:36: web.listen entry \"::1:80\" an IPv6 address needs [ ], e.g. \"[::]:8080\"",
                            "office.toml:33:46: web.listen entry \"[::1]80\" an IPv6 address needs [ ] followed by :PORT",
                            "office.toml:33:57: web.listen entry \"localhost:80\" does not start with an IPv4 address "
                            "(e.g. 0.0.0.0)",
                            "office.toml:33:87: web.listen entry \"0.0.0.0:80\" is given twice"));
}

TEST(WebConfig, MissingOrEmptyListen)
{
    EXPECT_THAT(lines(load("[web]\n")), ElementsAre("office.toml:31:1: web is missing required key 'listen' (an array of strings)"));
    EXPECT_THAT(lines(load("[web]\nlisten = []\n")),
                ElementsAre("office.toml:32:10: web.listen is empty: give at least one \"HOST:PORT\", e.g. \"0.0.0.0:8080\""));
}

TEST(WebConfig, BadPublicUrlAndRanges)
{
    auto r = load(R"(
[web]
listen = ["0.0.0.0:8080"]
public_url = "192.168.1.10:8080"
max_connections = 5

[web.board]
recent_calls = 0
flash_seconds = 61
colour = "red"
)");
    EXPECT_THAT(lines(r),
                ElementsAre("office.toml:34:14: web.public_url \"192.168.1.10:8080\" must be an address such as "
                            "\"http://192.168.1.10:8080\" (http:// or https://, no spaces, no ? or #)",
                            "office.toml:35:19: web.max_connections = 5 is out of range 16..20000",
                            "office.toml:38:16: web.board.recent_calls = 0 is out of range 1..30",
                            "office.toml:39:17: web.board.flash_seconds = 61 is out of range 0..60",
                            "office.toml:40:1: unknown key 'colour' in web.board"));
}

TEST(WebConfig, ScreensNameKnownServicesAndCounters)
{
    auto r = load(R"(
[web]
listen = ["0.0.0.0:8080"]

[[screen]]
name = "Tầng 1"

[[screen]]
name = "a"
services = ["TP", "XX"]
counters = [3, 7]
orientation = "sideways"

[[screen]]
name = "a"
)");
    auto got = lines(r);
    ASSERT_EQ(got.size(), 5u) << r.diags.str();
    EXPECT_EQ(got[0], "office.toml:36:8: screen[0].name \"Tầng 1\" may hold only a-z, 0-9, _ and - (it is part of "
                      "the address /board?screen=NAME)");
    EXPECT_EQ(got[1], "office.toml:40:19: screen[1] names unknown service \"XX\"");
    EXPECT_EQ(got[2], "office.toml:41:16: screen[1] names counter 7, which is not a configured [[counter]]");
    EXPECT_THAT(got[3], ::testing::Eq("office.toml:42:15: screen[1].orientation = \"sideways\" is not one of: landscape, portrait"));
    EXPECT_EQ(got[4], "office.toml:45:8: screen \"a\" is given twice");
}

TEST(WebConfig, ScreenWithoutWebIsAnError)
{
    auto r = load("[[screen]]\nname = \"a\"\n");
    EXPECT_THAT(lines(r), ElementsAre("office.toml:31:1: [[screen]] needs a [web] section (with listen = [\"HOST:PORT\"])"));
}

TEST(WebConfig, ListenAddressSyntax)
{
    auto v4 = parse_listen_address("192.168.1.10:80");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->host, "192.168.1.10");
    EXPECT_EQ(v4->port, 80);
    auto v6 = parse_listen_address("[fe80::1]:8080");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "fe80::1");
    EXPECT_FALSE(parse_listen_address(""));
    EXPECT_FALSE(parse_listen_address(":80"));
    EXPECT_FALSE(parse_listen_address("1.2.3.4:"));
    EXPECT_FALSE(parse_listen_address("1.2.3.4:8x"));
    EXPECT_FALSE(parse_listen_address("1.2.3.400:80"));
    EXPECT_FALSE(parse_listen_address("[]:80"));
    std::string why;
    EXPECT_FALSE(parse_listen_address("1.2.3.4:123456", &why));
    EXPECT_EQ(why, "has no port number after the colon");
}

TEST(WebConfig, ConsoleListenCertificateAndIdleTime)
{
    auto r = load(R"(
[web]
listen = ["0.0.0.0:8080"]
console_listen = ["0.0.0.0:8443", "[::]:8443"]
console_cert = "tls/console.crt"
console_key = "/etc/ssl/private/console.key"
console_idle_minutes = 5
)");
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    const auto& web = *r.config->web;
    ASSERT_EQ(web.console_listen.size(), 2u);
    EXPECT_EQ(web.console_listen[0].port, 8443);
    EXPECT_EQ(web.console_listen[1].host, "::");
    EXPECT_EQ(web.console_cert, "/etc/motcua/tls/console.crt"); // relative to the config's folder
    EXPECT_EQ(web.console_key, "/etc/ssl/private/console.key");
    EXPECT_EQ(web.console_idle_minutes, 5);

    auto plain = load("[web]\nlisten = [\"0.0.0.0:8080\"]\n");
    ASSERT_TRUE(plain.diags.ok()) << plain.diags.str();
    EXPECT_TRUE(plain.config->web->console_listen.empty()); // no console unless asked
    EXPECT_TRUE(plain.config->web->console_cert.empty());
    EXPECT_EQ(plain.config->web->console_idle_minutes, 30);
}

TEST(WebConfig, ConsoleErrorsPointAtTheKey)
{
    auto r = load(R"(
[web]
listen = ["0.0.0.0:8080"]
console_listen = ["127.0.0.1:8080", "0.0.0.0:99999", "0.0.0.0:8443"]
console_cert = "console.crt"
console_idle_minutes = 0
)");
    EXPECT_THAT(lines(r),
                ElementsAre("office.toml:34:19: web.console_listen entry \"127.0.0.1:8080\" takes a port of web.listen: "
                            "the console needs its own (HTTPS) port, e.g. \"0.0.0.0:8443\"",
                            "office.toml:34:37: web.console_listen entry \"0.0.0.0:99999\" has a port above 65535",
                            "office.toml:35:16: web.console_cert and web.console_key go together: give both (PEM "
                            "files), or neither for a self-signed certificate made in the state directory",
                            "office.toml:36:24: web.console_idle_minutes = 0 is out of range 1..1440"));
    EXPECT_THAT(lines(load("[web]\nlisten = [\"0.0.0.0:8080\"]\nconsole_listen = []\n")),
                ElementsAre("office.toml:33:18: web.console_listen is empty: give at least one \"HOST:PORT\", e.g. "
                            "\"0.0.0.0:8443\""));
}

} // namespace
} // namespace motcua::config
