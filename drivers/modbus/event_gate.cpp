#include "modbus/event_gate.hpp"

namespace motcua::modbus
{

GateAction EventGate::on_head(const EventHead& head)
{
    if (in_flight_)
        return GateAction::wait;
    if (head.pending == 0)
        return GateAction::none;
    if (last_committed_ && *last_committed_ == head.seq)
        return GateAction::ack;
    in_flight_ = head.seq;
    return GateAction::deliver;
}

void EventGate::committed(std::uint16_t seq)
{
    if (in_flight_ && *in_flight_ == seq)
        in_flight_.reset();
    last_committed_ = seq;
}

void EventGate::abandoned(std::uint16_t seq)
{
    if (in_flight_ && *in_flight_ == seq)
        in_flight_.reset();
}

} // namespace motcua::modbus
