#pragma once

// Printer status: the DLE EOT n queries, the replies' meaning under a profile's masks,
// and a parser that tells DLE EOT replies, ASB blocks and XON/XOFF apart in the byte
// stream coming back from a printer (Citizen CT-S310 manual's scheme, printers.md §6).

#include "escpos/profile.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace motcua::escpos
{

enum class State
{
    online,
    paper_near_end,
    paper_out,
    cover_open,
    cutter_error,
    offline
};

std::string_view to_string(State s);
// A ticket may be printed: online, or paper near its end (a warning only).
bool can_print(State s);

// DLE EOT n, n = 1..4.
std::array<std::uint8_t, 3> status_query(int n);
// GS a n: enable ASB for the given bits (0 disables).
std::array<std::uint8_t, 3> asb_enable(std::uint8_t bits);
inline constexpr std::uint8_t asb_all = 0x0F; // drawer, online, error, roll sensor

// The four replies (1 printer, 2 offline cause, 3 error cause, 4 roll sensor).
struct StatusReplies
{
    std::array<std::uint8_t, 4> bytes{};
};

// Highest-priority condition first: cover open, paper out, cutter error, other errors and
// offline, paper near end, online.
State classify(const StatusReplies& r, const StatusMasks& m);
// The same from a 4-byte ASB block.
State classify_asb(const std::array<std::uint8_t, 4>& asb);

struct Reply
{
    enum class Kind
    {
        dle_eot, // one byte, pattern 0xx1xx10
        asb      // four bytes, the first 0xx1xx00
    };
    Kind kind;
    std::array<std::uint8_t, 4> bytes{};
};

// Feed it every byte read from the printer; it returns a reply when one is complete.
class ReplyParser
{
  public:
    std::optional<Reply> feed(std::uint8_t b);
    void reset() { asb_pos_ = 0; }

  private:
    std::array<std::uint8_t, 4> asb_{};
    int asb_pos_ = 0;
};

} // namespace motcua::escpos
