#pragma once

// Exactly-once delivery of an event device's key presses. Pure.
//
// The device keeps a FIFO and removes its head only when the host writes EVT_ACK equal to
// EVT_SEQ. The driver reads the head and
//   - delivers it to the application once (the app commits it, e.g. to the journal),
//   - writes EVT_ACK only after the application said it committed that sequence number,
//   - never delivers a sequence number again while the app holds it or once committed
//     (a lost ACK reply, a retried read or a late reply shows the same head again: it is
//     acknowledged again, not delivered again).
// If the application drops an event without committing it, it is delivered again later.

#include <cstdint>
#include <optional>

namespace motcua::modbus
{

struct EventHead
{
    std::uint16_t seq = 0;
    std::uint16_t pending = 0; // 0: FIFO empty, the other fields mean nothing
    std::uint16_t key = 0;
    std::uint16_t arg = 0;
};

enum class GateAction
{
    none,    // nothing pending
    deliver, // hand it to the application
    ack,     // already committed: write EVT_ACK again
    wait,    // the application holds an event of this device: do nothing yet
};

class EventGate
{
  public:
    GateAction on_head(const EventHead& head);
    // The application committed `seq`: EVT_ACK may be written.
    void committed(std::uint16_t seq);
    // The application dropped `seq` without committing it.
    void abandoned(std::uint16_t seq);
    // After a restart: the last sequence number the journal says was committed.
    void seed(std::uint16_t last_committed) { last_committed_ = last_committed; }

    std::optional<std::uint16_t> in_flight() const { return in_flight_; }
    std::optional<std::uint16_t> last_committed() const { return last_committed_; }

  private:
    std::optional<std::uint16_t> in_flight_;
    std::optional<std::uint16_t> last_committed_;
};

} // namespace motcua::modbus
