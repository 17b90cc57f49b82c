// A journal edited behind motcuad's back is found at start (docs/journal.md, "Checked at
// start"): the office keeps running, and the break is shown until acknowledged.

#include "startup_fixture.hpp"

using namespace motcua::testing;
using json = nlohmann::json;

namespace
{

TEST_F(Startup, EditedJournalIsFoundAtStartAndShownUntilAcknowledged)
{
    a_day_then_stop();
    const auto seq = query_value(
        database(), "SELECT seq FROM journal WHERE kind = 'issued' ORDER BY seq LIMIT 1");
    // Drop the append-only trigger, then change the first ticket's number in its row.
    ASSERT_EQ(exec_sql(database(), "DROP TRIGGER journal_no_update; UPDATE journal SET payload = "
                                   "replace(payload, '\"number\":1', '\"number\":7') WHERE seq = " +
                                       seq),
              "");

    start_notified("tampered.log");
    auto seen = notify->wait_for("READY=1", std::chrono::seconds(10));
    ASSERT_NE(seen.find("READY=1"), std::string::npos) << read_file(dir.file("tampered.log"));
    EXPECT_NE(seen.find("JOURNAL BROKEN at row " + seq), std::string::npos) << seen;
    auto log = read_file(dir.file("tampered.log"));
    EXPECT_NE(log.find("<2>Journal chain is BROKEN"), std::string::npos) << log;
    EXPECT_NE(log.find("first_bad_seq=" + seq + " reason=\"content changed"), std::string::npos)
        << log;
    EXPECT_NE(log.find("trigger=journal_no_update"), std::string::npos) << log;
    // The trigger is back: the table refuses edits again.
    EXPECT_NE(
        exec_sql(database(), "UPDATE journal SET kind = 'x' WHERE seq = 1").find("append-only"),
        std::string::npos);

    // The office keeps running, and says so in `status` until acknowledged.
    EXPECT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    auto status = ctl_json({"status"});
    EXPECT_EQ(status["journal"]["intact"], false);
    EXPECT_EQ(status["journal"]["first_bad_seq"], std::stoi(seq));
    EXPECT_NE(ctl({"status"}).out.find("JOURNAL BROKEN at row " + seq), std::string::npos);

    auto ack = ctl_json({"journal", "acknowledge"});
    EXPECT_EQ(ack["acknowledged"]["first_bad_seq"], std::stoi(seq));
    EXPECT_EQ(ack["journal"]["intact"], true);
    EXPECT_EQ(
        query_value(database(),
                    "SELECT json_extract(payload, '$.first_bad_seq') FROM journal WHERE kind = "
                    "'journal.acknowledged'"),
        seq);
    status = ctl_json({"status"});
    EXPECT_EQ(status["journal"]["intact"], true);
    EXPECT_TRUE(status["journal"]["first_bad_seq"].is_null());
    EXPECT_EQ(ctl({"journal", "acknowledge"}).exit_code, 1); // nothing left to acknowledge

    // A restart stays quiet about the acknowledged break (the edited row is replayed again).
    daemon->signal(SIGTERM);
    ASSERT_EQ(daemon->wait(std::chrono::seconds(10)), 0);
    start_notified("after.log");
    seen = notify->wait_for("READY=1", std::chrono::seconds(10));
    ASSERT_NE(seen.find("READY=1"), std::string::npos) << read_file(dir.file("after.log"));
    EXPECT_EQ(seen.find("JOURNAL BROKEN"), std::string::npos) << seen;
    EXPECT_EQ(ctl_json({"status"})["journal"]["intact"], true);
}

TEST_F(Startup, EditedRowThatCannotBeReplayedIsPassedOverAndTheOfficeRuns)
{
    a_day_then_stop();
    const auto seq = query_value(
        database(), "SELECT seq FROM journal WHERE kind = 'issued' ORDER BY seq LIMIT 1");
    ASSERT_EQ(exec_sql(database(),
                       "DROP TRIGGER journal_no_update; UPDATE journal SET payload = 'garbage' "
                       "WHERE seq = " +
                           seq),
              "");
    start();
    auto log = read_file(dir.file("motcuad.log"));
    EXPECT_NE(log.find("Journal row passed over in the replay of a broken journal"),
              std::string::npos)
        << log;
    auto status = ctl_json({"status"});
    EXPECT_EQ(status["journal"]["first_bad_seq"], std::stoi(seq));
    EXPECT_EQ(status["services"][0]["waiting"].size(), 1u); // the other ticket
    EXPECT_EQ(ctl({"issue", "TP"}).exit_code, 0);
}

TEST_F(Startup, IntactJournalIsReportedIntact)
{
    start();
    ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    auto status = ctl_json({"status"});
    EXPECT_EQ(status["journal"]["intact"], true);
    EXPECT_TRUE(status["journal"]["first_bad_seq"].is_null());
    EXPECT_EQ(ctl({"journal", "acknowledge"}).exit_code, 1);
}

} // namespace
