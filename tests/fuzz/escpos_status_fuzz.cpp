// The ESC/POS status decoder: bytes as they come back from a printer (DLE EOT replies, ASB
// blocks, XON/XOFF, noise) through escpos::ReplyParser, and each reply's meaning through
// classify / classify_asb. The first 8 bytes are the profile's status masks.

#include "escpos/status.hpp"
#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>

namespace
{

using namespace motcua::escpos;

bool valid(State s)
{
    switch (s)
    {
    case State::online:
    case State::paper_near_end:
    case State::paper_out:
    case State::cover_open:
    case State::cutter_error:
    case State::offline: return true;
    }
    return false;
}

// The header's order of conditions, checked at its two ends: cover open wins over
// everything; online only when no masked bit is set.
void check_classify(const StatusReplies& r, const StatusMasks& m)
{
    auto s = classify(r, m);
    FUZZ_CHECK(valid(s));
    const auto [printer, cause, error, roll] = r.bytes;
    if (cause & m.cover_open)
        FUZZ_CHECK(s == State::cover_open);
    bool any = (printer & m.offline) || (cause & (m.cover_open | m.paper_stop | m.error)) ||
               (error & (m.cutter | m.unrecoverable)) || (roll & (m.near_end | m.paper_end));
    FUZZ_CHECK((s == State::online) == !any);
    if (s == State::paper_near_end)
        FUZZ_CHECK(can_print(s));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 8)
        return 0;
    StatusMasks masks{data[0], data[1], data[2], data[3], data[4], data[5], data[6], data[7]};
    ReplyParser parser;
    StatusReplies replies;
    std::size_t dle_eot = 0;
    for (std::size_t i = 8; i < size; ++i)
    {
        auto reply = parser.feed(data[i]);
        if (!reply)
            continue;
        if (reply->kind == Reply::Kind::dle_eot)
        {
            FUZZ_CHECK(reply->bytes[0] == data[i]);
            FUZZ_CHECK((data[i] & 0x93) == 0x12);
            replies.bytes[dle_eot++ % 4] = data[i];
            if (dle_eot % 4 == 0)
                check_classify(replies, masks);
        }
        else
        {
            // The block ends at this byte and began three bytes before, with an ASB header.
            FUZZ_CHECK(i >= 11);
            FUZZ_CHECK(reply->bytes[3] == data[i] && reply->bytes[0] == data[i - 3]);
            FUZZ_CHECK((reply->bytes[0] & 0x93) == 0x10);
            FUZZ_CHECK(valid(classify_asb(reply->bytes)));
        }
    }
    check_classify(replies, masks);
    return 0;
}
