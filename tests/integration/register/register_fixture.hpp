#pragma once

// motcuad on a temporary config with a [register] section and the shipped working
// calendar, driven by motcuactl; all files in a mkdtemp directory.

#include "office_test.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace motcua::testing
{

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

class RegisterProcess : public OfficeTest
{
  protected:
    void SetUp() override { office.write_config(register_config(source_dir() + "/config/calendar")); }
};

} // namespace motcua::testing
