#pragma once

// What a display or a keypad should show, and how a device profile turns that into
// register writes. Pure: no I/O.

#include "modbus/profile.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace motcua::modbus
{

enum class DisplayMode
{
    blank,  // nothing shown
    number, // the ticket number
    dashes, // "----": counter closed or paused, or host gone
};

struct DisplayImage
{
    DisplayMode mode = DisplayMode::blank;
    int number = 0;  // 0..9999 when mode == number
    int counter = 0; // counter number shown beside it, 0 = none
    int blinks = 0;  // blink this many times when written (on call and recall), 0 = steady
    int blink_period = 5; // 100 ms units
    int brightness = 15;  // 0..15
    friend bool operator==(const DisplayImage&, const DisplayImage&) = default;
};

enum class Led
{
    off = 0,
    green = 1,
    red = 2,
    green_blink = 3,
    red_blink = 4,
};

// Keypad / panel feedback that stays current.
struct FeedbackImage
{
    std::optional<int> show_number; // ticket now served; nullopt = blank
    int waiting = 0;                // tickets waiting for this counter
    Led led = Led::off;
    friend bool operator==(const FeedbackImage&, const FeedbackImage&) = default;
};

// One request: FC06 (`single`, one value) or FC16, as the profile says: `write` for
// several registers, `write_single` for one alone.
struct RegisterWrite
{
    std::uint16_t address = 0;
    std::vector<std::uint16_t> values;
    bool single = false; // FC06
    friend bool operator==(const RegisterWrite&, const RegisterWrite&) = default;
};

std::vector<RegisterWrite> encode_display(const DeviceProfile& p, const DisplayImage& image);
// The registers that hold what a display shows for `image` (number or characters, mode,
// counter, brightness; not the one-shot blink) and their values: what reading the display
// back must find while it still shows what it was given. Ascending by address.
std::vector<std::pair<std::uint16_t, std::uint16_t>> shown_registers(const DeviceProfile& p,
                                                                     const DisplayImage& image);
std::vector<RegisterWrite> encode_feedback(const DeviceProfile& p, const FeedbackImage& image);
// A change of SHOW_WAITING alone: that one register (all feedback where there is none).
std::vector<RegisterWrite> encode_waiting(const DeviceProfile& p, const FeedbackImage& image);
std::optional<RegisterWrite> encode_beep(const DeviceProfile& p, int beeps);

// The characters a display of this profile shows for `image`, right-aligned in the
// profile's width ("  42", "----", "    "): what a person would read off the device.
std::string display_text(const DisplayRegisters& d, const DisplayImage& image);

// The test pattern a technician runs: all segments, a blink, dashes; the caller restores
// the real image afterwards.
std::vector<DisplayImage> test_pattern(const DeviceProfile& p, const DisplayImage& current);

} // namespace motcua::modbus
