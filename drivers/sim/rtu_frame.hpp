#pragma once

// Modbus RTU frames as a slave sees them on the wire: CRC, request length from the
// function code (RTU has no length field; the function code decides), parsing and
// building replies. Pure: no I/O. Used by the simulator to frame requests itself, so that
// a request for an absent id never desynchronises it (modbus.md §3).

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace motcua::sim
{

std::uint16_t crc16(std::span<const std::uint8_t> bytes);
void append_crc(std::vector<std::uint8_t>& frame);
bool crc_ok(std::span<const std::uint8_t> frame);

// Bytes of the request that starts at buf[0]: 0 when more bytes are needed to tell,
// -1 when the function code is not one a master sends (the byte is not a frame start).
int request_length(std::span<const std::uint8_t> buf);

struct Request
{
    std::uint8_t slave = 0;
    std::uint8_t function = 0;
    std::uint16_t address = 0;
    std::uint16_t count = 0;           // registers or coils
    std::vector<std::uint16_t> values; // FC06: one; FC16: count
};

// A CRC-checked frame of FC03, FC04, FC06 or FC16; nullopt for anything else or a
// malformed one (byte count not matching the register count).
std::optional<Request> parse_request(std::span<const std::uint8_t> frame);

std::vector<std::uint8_t> read_reply(std::uint8_t slave, std::uint8_t function,
                                     std::span<const std::uint16_t> values);
std::vector<std::uint8_t> write_single_reply(std::uint8_t slave, std::uint16_t address, std::uint16_t value);
std::vector<std::uint8_t> write_multiple_reply(std::uint8_t slave, std::uint16_t address, std::uint16_t count);
std::vector<std::uint8_t> exception_reply(std::uint8_t slave, std::uint8_t function, std::uint8_t code);

// Requests as a master builds them (for tests and tools).
std::vector<std::uint8_t> read_request(std::uint8_t slave, std::uint16_t address, std::uint16_t count);
std::vector<std::uint8_t> write_single_request(std::uint8_t slave, std::uint16_t address, std::uint16_t value);
std::vector<std::uint8_t> write_multiple_request(std::uint8_t slave, std::uint16_t address,
                                                 std::span<const std::uint16_t> values);

} // namespace motcua::sim
