#pragma once

// The shipped profile files, read through the real loader.

#include "config/devices_model.hpp"
#include "config/diagnostics.hpp"
#include "process.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace motcua::test
{

using motcua::testing::source_dir;

inline modbus::DeviceProfile shipped_profile(const std::string& name)
{
    config::Diagnostics diags;
    auto p = config::load_device_profile(source_dir() + "/config/devices/" + name + ".toml", diags);
    EXPECT_TRUE(p.has_value()) << diags.str();
    return p.value_or(modbus::DeviceProfile{});
}

} // namespace motcua::test
