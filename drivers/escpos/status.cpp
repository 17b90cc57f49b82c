#include "escpos/status.hpp"

namespace motcua::escpos
{

std::string_view to_string(State s)
{
    switch (s)
    {
    case State::online: return "online";
    case State::paper_near_end: return "paper_near_end";
    case State::paper_out: return "paper_out";
    case State::cover_open: return "cover_open";
    case State::cutter_error: return "cutter_error";
    case State::offline: return "offline";
    }
    return "offline";
}

bool can_print(State s)
{
    return s == State::online || s == State::paper_near_end;
}

std::array<std::uint8_t, 3> status_query(int n)
{
    return {0x10, 0x04, static_cast<std::uint8_t>(n)};
}

std::array<std::uint8_t, 3> asb_enable(std::uint8_t bits)
{
    return {0x1D, 0x61, bits};
}

State classify(const StatusReplies& r, const StatusMasks& m)
{
    const auto [printer, cause, error, roll] = r.bytes;
    if (cause & m.cover_open)
        return State::cover_open;
    if ((roll & m.paper_end) || (cause & m.paper_stop))
        return State::paper_out;
    if (error & m.cutter)
        return State::cutter_error;
    if ((error & m.unrecoverable) || (cause & m.error) || (printer & m.offline))
        return State::offline;
    if (roll & m.near_end)
        return State::paper_near_end;
    return State::online;
}

State classify_asb(const std::array<std::uint8_t, 4>& asb)
{
    if (asb[0] & 0x20)
        return State::cover_open;
    if (asb[2] & 0x0C)
        return State::paper_out;
    if (asb[1] & 0x08)
        return State::cutter_error;
    if ((asb[1] & 0x24) || (asb[0] & 0x08))
        return State::offline;
    if (asb[2] & 0x03)
        return State::paper_near_end;
    return State::online;
}

std::optional<Reply> ReplyParser::feed(std::uint8_t b)
{
    if (asb_pos_ > 0)
    {
        asb_[static_cast<std::size_t>(asb_pos_++)] = b;
        if (asb_pos_ < 4)
            return std::nullopt;
        asb_pos_ = 0;
        return Reply{Reply::Kind::asb, asb_};
    }
    if (b == 0x11 || b == 0x13) // XON / XOFF
        return std::nullopt;
    if ((b & 0x93) == 0x12)
        return Reply{Reply::Kind::dle_eot, {b, 0, 0, 0}};
    if ((b & 0x93) == 0x10)
    {
        asb_[0] = b;
        asb_pos_ = 1;
        return std::nullopt;
    }
    return std::nullopt; // a GS r reply or noise: not used (GS r waits behind the buffer)
}

} // namespace motcua::escpos
