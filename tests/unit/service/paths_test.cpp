#include "notify_listener.hpp"
#include "service/paths.hpp"

#include <gtest/gtest.h>

namespace motcua::service::test
{
namespace
{

class ServicePathsTest : public CleanEnvironment
{
};

TEST_F(ServicePathsTest, DebianDefaultsOutsideSystemd)
{
    auto p = ServicePaths::from_environment();
    EXPECT_EQ(p.state_dir, "/var/lib/motcua");
    EXPECT_EQ(p.config_dir, "/etc/motcua");
    EXPECT_EQ(p.runtime_dir, "/run/motcua");
}

TEST_F(ServicePathsTest, TakenFromSystemdVariables)
{
    ::setenv("STATE_DIRECTORY", "/var/lib/motcua-test", 1);
    ::setenv("CONFIGURATION_DIRECTORY", "/etc/motcua-test:/etc/other", 1);
    ::setenv("RUNTIME_DIRECTORY", "/run/motcua-test:/run/b:/run/c", 1);
    auto p = ServicePaths::from_environment();
    EXPECT_EQ(p.state_dir, "/var/lib/motcua-test");
    EXPECT_EQ(p.config_dir, "/etc/motcua-test");
    EXPECT_EQ(p.runtime_dir, "/run/motcua-test");
}

TEST(FirstDirectory, FallsBackOnUnusableValues)
{
    EXPECT_EQ(first_directory(nullptr, "/fb"), "/fb");
    EXPECT_EQ(first_directory("", "/fb"), "/fb");
    EXPECT_EQ(first_directory(":/a", "/fb"), "/fb");
    EXPECT_EQ(first_directory("relative:/a", "/fb"), "/fb");
    EXPECT_EQ(first_directory("/a:", "/fb"), "/a");
    EXPECT_EQ(first_directory("/a", "/fb"), "/a");
}

} // namespace
} // namespace motcua::service::test
