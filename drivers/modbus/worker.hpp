#pragma once

// Internal to the bus driver: the worker thread of one bus. Each turn it asks the
// scheduler what to send, takes that work from the device state, sends it over the
// transport and records the outcome (device health, statistics, state transitions).

#include "modbus/device_state.hpp"
#include "modbus/health.hpp"
#include "modbus/scheduler.hpp"
#include "modbus/transport.hpp"

namespace motcua::modbus
{

class Worker
{
  public:
    Worker(std::shared_ptr<Bus::Core> core, HealthPolicy policy);
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void run(); // until the core is stopping

    // Every device on the bus takes HOST_HEARTBEAT at the same address with the same write
    // function: one broadcast feeds every watchdog. On a mixed bus a broadcast could land in
    // another vendor's register, so each device gets its own write.
    static std::optional<RegisterWrite> shared_heartbeat(const std::vector<DeviceInfo>& devices);

  private:
    using Clock = std::chrono::steady_clock;

    // What the scheduler chose, with the data taken from the device state under the lock.
    struct Work
    {
        Job job;
        DisplayImage image;
        std::vector<RegisterWrite> writes;
        FeedbackImage sent;
        std::uint16_t seq = 0;
        OneShot shot;
        TechnicianOp op;
    };

    bool open();
    std::vector<DeviceDue> due_list() const; // under the lock
    bool take(Work& w); // under the lock: false when the job has nothing to do any more
    void execute(Work& w);
    void after(const Work& w, bool ok);
    int read(std::size_t i, std::uint16_t address, int count, std::uint16_t* out);
    int write_all(std::size_t i, const std::vector<RegisterWrite>& writes);
    void record(std::size_t i, int err, double ms);
    void transition(std::size_t i, DeviceState from, DeviceState to);
    void lost_port(const std::string& why);
    void contacted(std::optional<std::size_t> dev);
    void poll(std::size_t i);
    void probe(std::size_t i);
    void heartbeat(std::size_t i);
    void check_display(std::size_t i);
    bool sets_watchdog(std::size_t i) const;
    int first_contact_ms(int request_bytes) const;

    std::shared_ptr<Bus::Core> core_;
    Transport transport_;
    std::optional<RegisterWrite> broadcast_;
    std::uint16_t broadcast_value_ = 0;
    Scheduler scheduler_;
    std::vector<Health> health_;
    std::vector<std::uint16_t> heartbeat_;
    std::vector<bool> contacted_;   // attempted at least once
    std::vector<bool> no_readback_; // the display refused FC03 on its own registers
    bool first_contact_reported_ = false;
    Clock::time_point next_open_{};
    std::chrono::milliseconds open_backoff_{0};
    std::chrono::microseconds broadcast_turnaround_{5000};
};

} // namespace motcua::modbus
