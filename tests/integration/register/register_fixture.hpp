#pragma once

// motcuad on a temporary config with a [register] section and the shipped working
// calendar, driven by motcuactl; all files in a mkdtemp directory.

#include "process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace motcua::testing
{

// The source tree (for config/calendar): MOTCUA_SOURCE_DIR, else the tree this was built from.
inline std::string register_source_dir()
{
    const char* v = std::getenv("MOTCUA_SOURCE_DIR");
    return v && *v ? v : MOTCUA_TEST_SOURCE_DIR;
}

inline std::string register_config(const std::string& calendar_dir)
{
    return R"(
[office]
name = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm"
unit_code = "000.17.22.H56"

[queue]
policy = "strict"

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
field = "Tư pháp – Hộ tịch"
first = 1
last = 8999
prefix = "TP-"

[[counter]]
number = 1
services = ["TP"]

[register]
database = "motcua.db"
calendar_dir = ")" + calendar_dir + R"("

[[register.procedure]]
code = "2.000001.H38"
name = "Đăng ký khai sinh"
field = "Tư pháp – Hộ tịch"
days = 3
deciding_agency = "UBND xã Thử Nghiệm"

[[register.procedure]]
code = "1.000948.H38"
name = "Chứng thực bản sao từ bản chính"
field = "Tư pháp – Hộ tịch"
same_day = true

[[register.procedure]]
code = "1.004227.000.00.00.H26"
name = "Cấp giấy chứng nhận quyền sử dụng đất"
field = "Đất đai"
days = 10
)";
}

class RegisterProcess : public ::testing::Test
{
  protected:
    TempDir dir;
    std::unique_ptr<Child> daemon;

    std::string socket() const { return dir.file("control.sock"); }
    std::string config() const { return dir.file("office.toml"); }
    std::string log() const { return read_file(dir.file("motcuad.log")); }

    void SetUp() override { dir.write("office.toml", register_config(register_source_dir() + "/config/calendar")); }

    void start()
    {
        daemon = std::make_unique<Child>(std::vector<std::string>{bin_dir() + "/motcuad", "--config", config(),
                                                                  "--state-dir", dir.path(), "--socket", socket()},
                                         dir.file("motcuad.log"));
        ASSERT_TRUE(wait_for_socket(socket(), std::chrono::seconds(10))) << log();
    }

    Output ctl(std::vector<std::string> args)
    {
        args.insert(args.begin(), {bin_dir() + "/motcuactl", "--socket", socket()});
        return run(args, std::chrono::seconds(60));
    }

    nlohmann::json ctl_json(std::vector<std::string> args)
    {
        args.insert(args.begin(), "--json");
        auto out = ctl(args);
        EXPECT_EQ(out.exit_code, 0) << out.err;
        return nlohmann::json::parse(out.out, nullptr, false);
    }
};

} // namespace motcua::testing
