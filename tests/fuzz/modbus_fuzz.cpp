// The Modbus side: RTU frames as the simulated devices decode them, and the event blocks
// the bus driver reads from a keypad's FIFO.
//
// Input: one byte selects the part, the rest drives it.
//   frames     request_length / crc_ok / parse_request at every offset of the bytes, as a
//              slave resynchronising byte by byte sees them; a parsed request with a good
//              CRC is rebuilt byte for byte by the request builders.
//   event gate a device FIFO (register-map.md: EVT_SEQ mod 65536, removed only when
//              EVT_ACK equals its EVT_SEQ) polled through modbus::EventGate, with lost
//              replies, lost ACKs, an application that commits or drops events, and
//              daemon restarts seeded from the journal. Every press is committed exactly
//              once.

#include "fuzz_check.hpp"
#include "modbus/event_gate.hpp"
#include "sim/rtu_frame.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <vector>

namespace
{

using namespace motcua;

void check_frames(std::span<const std::uint8_t> bytes)
{
    for (std::size_t at = 0; at < bytes.size(); ++at)
    {
        auto rest = bytes.subspan(at);
        int len = sim::request_length(rest);
        if (len <= 0 || static_cast<std::size_t>(len) > rest.size())
            continue;
        auto frame = rest.first(static_cast<std::size_t>(len));
        auto request = sim::parse_request(frame);
        if (!request || !sim::crc_ok(frame))
            continue;
        FUZZ_CHECK(request->slave == frame[0] && request->function == frame[1]);
        std::vector<std::uint8_t> rebuilt;
        switch (request->function)
        {
        case 0x03: rebuilt = sim::read_request(request->slave, request->address, request->count); break;
        case 0x06:
            FUZZ_CHECK(request->values.size() == 1);
            rebuilt = sim::write_single_request(request->slave, request->address, request->values[0]);
            break;
        case 0x10:
            FUZZ_CHECK(request->values.size() == request->count);
            rebuilt = sim::write_multiple_request(request->slave, request->address, request->values);
            break;
        default: continue; // FC04 has no builder
        }
        FUZZ_CHECK(std::vector<std::uint8_t>(frame.begin(), frame.end()) == rebuilt);
    }
}

struct Press
{
    std::uint16_t seq = 0;
    int id = 0; // which press, to tell two presses with the same seq apart
};

// One keypad and the daemon in front of it.
class EventWorld
{
  public:
    void press()
    {
        if (fifo_.size() >= 16)
            return; // a full FIFO refuses the key; nothing was pressed as far as we know
        fifo_.push_back(Press{next_seq_++, ++presses_});
    }

    // One poll of the FIFO head; the reply may be lost.
    void poll(bool reply_lost)
    {
        if (reply_lost)
            return;
        modbus::EventHead head;
        if (!fifo_.empty())
            head = {fifo_.front().seq, static_cast<std::uint16_t>(fifo_.size()), 1, 0};
        switch (gate_.on_head(head))
        {
        case modbus::GateAction::none:
            FUZZ_CHECK(fifo_.empty());
            break;
        case modbus::GateAction::wait: break;
        case modbus::GateAction::ack: ack(head.seq); break;
        case modbus::GateAction::deliver:
            FUZZ_CHECK(!fifo_.empty() && !held_);
            held_ = fifo_.front();
            break;
        }
    }

    // The application commits or drops what it holds; the ACK that follows may be lost.
    void app(bool commit, bool ack_lost)
    {
        if (!held_)
            return;
        auto p = *held_;
        held_.reset();
        if (!commit)
        {
            gate_.abandoned(p.seq);
            return;
        }
        ++journal_[p.id];
        last_journalled_ = p.seq;
        gate_.committed(p.seq);
        if (!ack_lost)
            ack(p.seq);
    }

    // motcuad killed and started again: a fresh gate seeded from the journal.
    void restart()
    {
        held_.reset();
        gate_ = modbus::EventGate{};
        if (last_journalled_)
            gate_.seed(*last_journalled_);
    }

    // Nothing more is pressed: polls and commits until the FIFO is empty.
    void drain()
    {
        for (int i = 0; i < 100 && (!fifo_.empty() || held_); ++i)
        {
            poll(false);
            app(true, false);
        }
        FUZZ_CHECK(fifo_.empty() && !held_);
        for (int id = 1; id <= presses_; ++id)
            FUZZ_CHECK(journal_[id] == 1);
    }

  private:
    void ack(std::uint16_t seq)
    {
        if (!fifo_.empty() && fifo_.front().seq == seq)
            fifo_.pop_front();
    }

    std::deque<Press> fifo_;
    std::uint16_t next_seq_ = 1;
    int presses_ = 0;
    modbus::EventGate gate_;
    std::optional<Press> held_;
    std::map<int, int> journal_; // press id -> times committed
    std::optional<std::uint16_t> last_journalled_;
};

void check_event_gate(std::span<const std::uint8_t> ops)
{
    EventWorld world;
    for (auto op : ops)
    {
        bool lost = op & 0x10;
        switch (op & 0x07)
        {
        case 0:
        case 1: world.press(); break;
        case 2:
        case 3: world.poll(lost); break;
        case 4: world.app(true, lost); break;
        case 5: world.app(false, lost); break;
        case 6:
            if (op & 0x20)
                world.restart();
            break;
        default: break;
        }
    }
    world.drain();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    std::span<const std::uint8_t> rest(data + 1, size - 1);
    if (data[0] & 1)
        check_event_gate(rest);
    else
        check_frames(rest);
    return 0;
}
