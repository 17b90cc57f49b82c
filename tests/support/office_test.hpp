#pragma once

// A GoogleTest fixture on an OfficeHarness (office.hpp): its parts under the names the
// process tests use, motcuad started and motcuactl's answers checked.

#include "office.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace motcua::testing
{

class OfficeTest : public ::testing::Test
{
  protected:
    OfficeHarness office;
    TempDir& dir = office.dir;
    std::unique_ptr<Child>& daemon = office.daemon;

    std::string socket() const { return office.socket(); }
    std::string config() const { return office.config_path(); }
    std::string log() const { return office.log(); }

    // motcuad on office.toml, its control socket answering.
    void start() { ASSERT_TRUE(office.start_daemon()) << office.log(); }

    Output ctl(std::vector<std::string> args) { return office.ctl(std::move(args)); }

    // motcuactl --json, expected to succeed.
    nlohmann::json ctl_json(std::vector<std::string> args)
    {
        args.insert(args.begin(), "--json");
        auto out = ctl(args);
        EXPECT_EQ(out.exit_code, 0) << out.out << out.err;
        return nlohmann::json::parse(out.out, nullptr, false);
    }
};

} // namespace motcua::testing
