// [central]: the defaults, paths relative to the config's folder, each error at its
// file:line:col.

#include "config/load.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace motcua::config
{
namespace
{

using ::testing::ElementsAre;

const std::string office = R"([office]
name = "Xã An Bình"
unit_code = "000.00.00.H00"

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 99

[[counter]]
number = 1
services = ["TP"]
)"; // 13 lines

std::vector<std::string> errors(const LoadResult& r)
{
    std::vector<std::string> out;
    for (const auto& d : r.diags.list())
        out.push_back(d.str());
    return out;
}

TEST(CentralConfig, NoSectionNoUpload)
{
    auto r = load_string(office, "office.toml", {"/etc/motcua"});
    ASSERT_TRUE(r.config) << r.diags.str();
    EXPECT_FALSE(r.config->central);
}

TEST(CentralConfig, ASectionWithItsDefaultsAndPathsBesideTheConfig)
{
    auto r = load_string(office + R"(
[central]
url = "https://central.tinh.gov.vn:8600"
site = "H56.01"
cert = "central/site.crt"
key = "/var/lib/motcua/central/site.key"
ca = "central/ca.crt"
)",
                         "office.toml", {"/etc/motcua"});
    ASSERT_TRUE(r.config) << r.diags.str();
    ASSERT_TRUE(r.config->central);
    const auto& c = *r.config->central;
    EXPECT_EQ(c.url, "https://central.tinh.gov.vn:8600");
    EXPECT_EQ(c.site, "H56.01");
    EXPECT_EQ(c.cert, "/etc/motcua/central/site.crt");
    EXPECT_EQ(c.key, "/var/lib/motcua/central/site.key");
    EXPECT_EQ(c.ca, "/etc/motcua/central/ca.crt");
    EXPECT_FALSE(c.send_personal_data); // NĐ 13/2023: nothing personal leaves by default
    EXPECT_EQ(c.batch_rows, 500);
}

TEST(CentralConfig, EachMistakeIsNamedWhereItIs)
{
    auto r = load_string(office + R"(
[central]
url = "http://central.tinh.gov.vn"
site = "H56 01"
cert = ""
ca = "ca.crt"
batch_rows = 0
sned_personal_data = true
)",
                         "office.toml", {"/etc/motcua"});
    EXPECT_FALSE(r.config);
    EXPECT_THAT(errors(r),
                ElementsAre("office.toml:16:1: central is missing required key 'key' (a string)",
                            "office.toml:17:7: central.url must be an https:// address, e.g. "
                            "\"https://central.tinh.gov.vn:8600\"",
                            "office.toml:18:8: central.site must be the site code of this box's certificate: "
                            "letters, digits, '.', '-' or '_', at most 32",
                            "office.toml:19:8: central.cert is empty: give the path of a PEM file",
                            "office.toml:21:14: central.batch_rows = 0 is out of range 1..5000",
                            "office.toml:22:1: unknown key 'sned_personal_data' in central; did you mean "
                            "'send_personal_data'?"));
}

} // namespace
} // namespace motcua::config
