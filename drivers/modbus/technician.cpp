#include "modbus/technician.hpp"

#include "modbus/error.hpp"
#include "modbus/transport.hpp"

#include <algorithm>

namespace motcua::modbus
{

namespace
{
// `done` belongs to the caller and runs whether or not the Bus still exists.
template <class Done, class Value>
void complete(boost::asio::io_context& io, const Done& done, Value value)
{
    boost::asio::post(io, [done, value = std::move(value)]() mutable { done(std::move(value)); });
}

std::string slave_text(int id) { return "Slave " + std::to_string(id); }
} // namespace

TechnicianOp scan_op(boost::asio::io_context& io, const BusConfig& bus, const DeviceProfile& profile, int first,
                     int last, std::function<void(Result<std::vector<ScanEntry>>)> done)
{
    struct State
    {
        int next = 1;
        int last = 247;
        std::vector<ScanEntry> found;
    };
    auto st = std::make_shared<State>(State{std::clamp(first, 1, 247), std::clamp(last, 1, 247), {}});
    auto role = profile.identity.role.value_or(0);
    int count = profile.identity.firmware && *profile.identity.firmware == role + 1 ? 2 : 1;
    int timeout = bus.response_timeout_ms;
    auto step = [&io, st, role, count, timeout, done](Transport& t) {
        if (st->next > st->last || !t.is_open())
        {
            complete(io, done, Result<std::vector<ScanEntry>>{std::move(st->found)});
            return true;
        }
        int id = st->next++;
        std::uint16_t regs[2] = {};
        int err = t.read(id, role, count, regs, timeout).err;
        auto fault = classify(err);
        if (err == 0)
            st->found.push_back(ScanEntry{id, regs[0], count == 2 ? std::optional<int>(regs[1]) : std::nullopt, ""});
        else if (fault == Fault::exception)
            st->found.push_back(ScanEntry{id, std::nullopt, std::nullopt, "answers with exception: " + errno_code(err).message()});
        else if (fault == Fault::crc || fault == Fault::protocol)
            st->found.push_back(ScanEntry{id, std::nullopt, std::nullopt, "garbled reply: " + errno_code(err).message()});
        return false;
    };
    auto fail = [&io, done](Error e) { complete(io, done, Result<std::vector<ScanEntry>>{std::move(e)}); };
    return TechnicianOp{step, fail};
}

namespace
{
// One set-id attempt, start to end; returns the outcome.
Result<void> set_id_steps(Transport& t, int timeout, const DeviceProfile& profile, int from, int to,
                          std::optional<int> baud_code)
{
    const auto& setup = profile.setup;
    auto write = [&](std::uint16_t address, std::uint16_t value) {
        return t.write(from, RegisterWrite{address, {value}, profile.single_register_write(1)}, timeout).err;
    };
    if (int err = write(*setup.slave_id, static_cast<std::uint16_t>(to)); err != 0)
        return make_error("device_error", slave_text(from) + " did not take the new id: " + errno_code(err).message());
    if (baud_code)
        if (int err = write(*setup.baud_code, static_cast<std::uint16_t>(*baud_code)); err != 0)
            return make_error("device_error", slave_text(from) + " did not take the baud code: " + errno_code(err).message());
    if (setup.commit)
    {
        // The device may restart before its reply is out: a timeout here is not a failure.
        int err = write(*setup.commit, setup.commit_value);
        if (err != 0 && classify(err) != Fault::timeout)
            return make_error("device_error", slave_text(from) + " refused COMMIT: " + errno_code(err).message());
    }
    if (baud_code || !profile.identity.role)
        return {}; // at another baud it cannot answer us; without DEVICE_ROLE nothing to read
    std::uint16_t role = 0;
    int err = 0;
    for (int attempt = 0; attempt < 3; ++attempt)
        if ((err = t.read(to, *profile.identity.role, 1, &role, timeout).err) == 0)
            return {};
    return make_error("device_error", "No answer at the new id " + std::to_string(to) + ": " + errno_code(err).message());
}
} // namespace

TechnicianOp set_id_op(boost::asio::io_context& io, const BusConfig& bus, const DeviceProfile& profile, int from,
                       int to, std::optional<int> baud_code, std::function<void(Result<void>)> done)
{
    int timeout = bus.response_timeout_ms;
    auto step = [&io, timeout, profile, from, to, baud_code, done](Transport& t) {
        complete(io, done, set_id_steps(t, timeout, profile, from, to, baud_code));
        return true;
    };
    auto fail = [&io, done](Error e) { complete(io, done, Result<void>{std::move(e)}); };
    return TechnicianOp{step, fail};
}

} // namespace motcua::modbus
