#include "modbus/event_gate.hpp"

#include <gtest/gtest.h>

using namespace motcua::modbus;

TEST(EventGate, DeliversOnceAndAcksOnlyAfterCommit)
{
    EventGate g;
    EXPECT_EQ(g.on_head({0, 0, 0, 0}), GateAction::none);
    EXPECT_EQ(g.on_head({5, 1, 1, 0}), GateAction::deliver);
    // A retried read of the same head while the app holds it: not delivered again.
    EXPECT_EQ(g.on_head({5, 1, 1, 0}), GateAction::wait);
    g.committed(5);
    // The ACK reply was lost and the device still shows 5: acknowledge again only.
    EXPECT_EQ(g.on_head({5, 1, 1, 0}), GateAction::ack);
    EXPECT_EQ(g.on_head({6, 1, 2, 0}), GateAction::deliver);
}

TEST(EventGate, AbandonedEventIsDeliveredAgain)
{
    EventGate g;
    EXPECT_EQ(g.on_head({9, 2, 1, 0}), GateAction::deliver);
    g.abandoned(9);
    EXPECT_EQ(g.on_head({9, 2, 1, 0}), GateAction::deliver);
}

TEST(EventGate, SeededFromJournalAfterRestart)
{
    EventGate g;
    g.seed(41);
    EXPECT_EQ(g.on_head({41, 1, 1, 0}), GateAction::ack);
    EXPECT_EQ(g.on_head({42, 1, 1, 0}), GateAction::deliver);
}

TEST(EventGate, SequenceWrapsModulo65536)
{
    EventGate g;
    EXPECT_EQ(g.on_head({65535, 1, 1, 0}), GateAction::deliver);
    g.committed(65535);
    EXPECT_EQ(g.on_head({0, 1, 1, 0}), GateAction::deliver);
}
