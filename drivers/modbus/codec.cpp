#include "modbus/codec.hpp"

#include <algorithm>
#include <map>

namespace motcua::modbus
{

namespace
{

using Image = std::map<std::uint16_t, std::uint16_t>;

std::uint16_t raw(std::int32_t v) { return static_cast<std::uint16_t>(v & 0xFFFF); }

// Registers in address order become one FC16 per contiguous run (or one FC06 each); a
// run of one register goes out with the profile's single-register function.
std::vector<RegisterWrite> to_writes(const DeviceProfile& p, const Image& regs)
{
    std::vector<RegisterWrite> out;
    for (const auto& [addr, value] : regs)
    {
        bool extend = p.write == WriteFunction::fc16 && !out.empty() &&
                      out.back().address + out.back().values.size() == addr;
        if (extend)
            out.back().values.push_back(value);
        else
            out.push_back(RegisterWrite{addr, {value}, false});
    }
    for (auto& w : out)
        w.single = p.single_register_write(w.values.size());
    return out;
}

} // namespace

std::string display_text(const DisplayRegisters& d, const DisplayImage& image)
{
    auto width = static_cast<std::size_t>(std::max(1, d.width));
    std::string text;
    switch (image.mode)
    {
    case DisplayMode::blank: text = ""; break;
    case DisplayMode::dashes: text = std::string(std::min<std::size_t>(4, width), '-'); break;
    case DisplayMode::number: text = std::to_string(image.number); break;
    }
    if (text.size() > width)
        text = text.substr(text.size() - width);
    return std::string(width - text.size(), ' ') + text;
}

std::vector<RegisterWrite> encode_display(const DeviceProfile& p, const DisplayImage& image)
{
    const auto& d = p.display;
    if (!d.present)
        return {};
    Image regs;
    if (d.codec == Codec::ascii)
    {
        auto text = display_text(d, image);
        for (std::size_t i = 0; i < text.size(); ++i)
            regs[static_cast<std::uint16_t>(d.number + i)] = static_cast<unsigned char>(text[i]);
    }
    else
    {
        std::int32_t blank = d.blank_value.value_or(d.codec == Codec::u16 ? 0xFFFF : 0);
        std::int32_t value = blank;
        if (image.mode == DisplayMode::number)
            value = image.number;
        else if (image.mode == DisplayMode::dashes && !d.mode)
            value = d.dashes_value.value_or(blank);
        regs[d.number] = raw(value);
    }
    if (d.mode)
        regs[*d.mode] = static_cast<std::uint16_t>(image.mode == DisplayMode::number   ? d.mode_number
                                                   : image.mode == DisplayMode::dashes ? d.mode_dashes
                                                                                       : d.mode_blank);
    if (d.counter)
        regs[*d.counter] = static_cast<std::uint16_t>(std::clamp(image.counter, 0, 0xFFFF));
    if (d.blink)
        regs[*d.blink] = image.blinks > 0 ? static_cast<std::uint16_t>((std::clamp(image.blinks, 0, 255) << 8) |
                                                                       std::clamp(image.blink_period, 1, 255))
                                          : 0;
    if (d.brightness)
        regs[*d.brightness] = static_cast<std::uint16_t>(std::clamp(image.brightness, 0, 15));
    return to_writes(p, regs);
}

std::vector<std::pair<std::uint16_t, std::uint16_t>> shown_registers(const DeviceProfile& p,
                                                                     const DisplayImage& image)
{
    auto steady = image;
    steady.blinks = 0;
    std::vector<std::pair<std::uint16_t, std::uint16_t>> out;
    for (const auto& w : encode_display(p, steady))
        for (std::size_t i = 0; i < w.values.size(); ++i)
        {
            auto address = static_cast<std::uint16_t>(w.address + i);
            if (address != p.display.blink)
                out.emplace_back(address, w.values[i]);
        }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<RegisterWrite> encode_feedback(const DeviceProfile& p, const FeedbackImage& image)
{
    const auto& f = p.feedback;
    Image regs;
    if (f.show_number)
        regs[*f.show_number] = image.show_number ? raw(*image.show_number) : 0xFFFF;
    if (f.show_waiting)
        regs[*f.show_waiting] = static_cast<std::uint16_t>(std::clamp(image.waiting, 0, 0xFFFF));
    if (f.led)
        regs[*f.led] = static_cast<std::uint16_t>(image.led);
    return to_writes(p, regs);
}

std::vector<RegisterWrite> encode_waiting(const DeviceProfile& p, const FeedbackImage& image)
{
    if (!p.feedback.show_waiting)
        return encode_feedback(p, image);
    return {RegisterWrite{*p.feedback.show_waiting, {static_cast<std::uint16_t>(std::clamp(image.waiting, 0, 0xFFFF))},
                          p.single_register_write(1)}};
}

std::optional<RegisterWrite> encode_beep(const DeviceProfile& p, int beeps)
{
    if (!p.feedback.beep || beeps <= 0)
        return std::nullopt;
    return RegisterWrite{*p.feedback.beep, {static_cast<std::uint16_t>(std::min(beeps, 255))}, p.single_register_write(1)};
}

std::vector<DisplayImage> test_pattern(const DeviceProfile& p, const DisplayImage& current)
{
    int digits = std::clamp(p.display.width, 1, 4);
    int eights = 0;
    for (int i = 0; i < digits; ++i)
        eights = eights * 10 + 8;
    DisplayImage all = current;
    all.mode = DisplayMode::number;
    all.number = eights;
    all.blinks = 0;
    all.brightness = 15;
    DisplayImage blink = all;
    blink.number = 1234 % (digits >= 4 ? 10000 : digits == 3 ? 1000 : digits == 2 ? 100 : 10);
    blink.blinks = 3;
    blink.blink_period = 3;
    DisplayImage dashes = all;
    dashes.mode = DisplayMode::dashes;
    return {all, blink, dashes};
}

} // namespace motcua::modbus
