#pragma once

// The shipped profile files, read through the real loader.

#include "config/devices_model.hpp"
#include "config/diagnostics.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace motcua::test
{

inline std::string source_dir()
{
    const char* s = std::getenv("MOTCUA_SOURCE_DIR");
    return s ? s : MOTCUA_TEST_SOURCE_DIR;
}

inline modbus::DeviceProfile shipped_profile(const std::string& name)
{
    config::Diagnostics diags;
    auto p = config::load_device_profile(source_dir() + "/config/devices/" + name + ".toml", diags);
    EXPECT_TRUE(p.has_value()) << diags.str();
    return p.value_or(modbus::DeviceProfile{});
}

} // namespace motcua::test
