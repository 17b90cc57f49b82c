// The printer driver against the simulated printer over a real pty (serial and USB-class
// transports) and over TCP on 127.0.0.1, in every scripted status state, including a
// printer that stops reading. Every io_context run is bounded; nothing sleeps.

#include "config/diagnostics.hpp"
#include "config/printers_model.hpp"
#include "escpos/ticket.hpp"
#include "printer/printer.hpp"
#include "sim/printer_sim.hpp"
#include "process.hpp"

#include <boost/asio/co_spawn.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>

namespace motcua::printer
{
namespace
{

namespace asio = boost::asio;
using namespace std::chrono_literals;
using sim::SimState;

using motcua::testing::source_dir;

escpos::Profile profile(const std::string& name)
{
    config::Diagnostics diags;
    auto p = config::load_printer_profile(source_dir() + "/config/printers/" + name + ".toml", name, diags);
    EXPECT_TRUE(diags.ok()) << diags.str();
    return p.value_or(escpos::Profile{});
}

class PrinterOverPty : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        char tmpl[] = "/tmp/motcua-printer-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir = tmpl;
    }
    void TearDown() override
    {
        if (printer)
            printer->stop();
        if (sim)
            sim->stop();
        io.restart();
        io.run_for(50ms);
        std::filesystem::remove_all(dir);
    }

    // Runs the loop until `done` holds or `limit` passes; returns whether it held.
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s)
    {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done() && std::chrono::steady_clock::now() < deadline)
        {
            io.restart();
            io.run_for(5ms);
        }
        return done();
    }

    template <class T>
    std::optional<T> await(asio::awaitable<T> op, std::chrono::milliseconds limit = 5s)
    {
        std::optional<T> out;
        asio::co_spawn(io, std::move(op), [&out](std::exception_ptr e, T v) {
            if (!e)
                out.emplace(std::move(v));
        });
        run_until([&] { return out.has_value(); }, limit);
        return out;
    }

    void start_sim(bool tcp = false, const escpos::Profile& p = profile("epson-tm-t20"))
    {
        sim::PrinterSimConfig sc;
        sc.name = "kiosk-1";
        sc.tcp = tcp;
        sc.link_path = dir + "/ttyPRN0";
        sc.tables = {p.tcvn_lower_table, p.tcvn_upper_table, p.cp1258_table};
        sc.asb = p.asb;
        sim = std::make_unique<sim::PrinterSim>(io, sc);
        auto r = sim->start();
        ASSERT_TRUE(r) << r.error().message;
    }

    config::Printer printer_config(config::TransportKind kind, const escpos::Profile& p = profile("epson-tm-t20"))
    {
        config::Printer c;
        c.name = "kiosk-1";
        c.profile_name = p.name;
        c.profile = p;
        c.transport.kind = kind;
        c.transport.device = dir + "/ttyPRN0";
        c.transport.baud = 921600;
        c.transport.flow = config::FlowControl::rtscts;
        c.transport.host = "127.0.0.1";
        c.transport.port = sim ? sim->port() : 9100;
        c.status_timeout_ms = 200;
        c.write_timeout_ms = 300;
        c.retry_ms = 100;
        c.poll_ms = 60000; // the tests ask for status themselves
        return c;
    }

    void start_printer(config::Printer c)
    {
        printer = Printer::create(io, std::move(c));
        printer->start();
        ASSERT_TRUE(run_until([&] { return printer->state() == State::online; })) << printer->reason();
    }

    std::vector<std::uint8_t> ticket(const escpos::Profile& p, const std::string& number)
    {
        escpos::TicketLayout l;
        l.office_name = "UBND xã Yên Sở";
        l.qr_url = "https://dvc.example.vn/t/{ticket_id}";
        escpos::TicketData d;
        d.ticket_id = "T-" + number;
        d.number = number;
        d.service_name = "Tư pháp – Hộ tịch";
        d.waiting_ahead = 3;
        d.issued_at = "2025-07-01 07:42";
        return escpos::render_ticket(p, l, d, nullptr);
    }

    asio::io_context io;
    std::string dir;
    std::unique_ptr<sim::PrinterSim> sim;
    std::shared_ptr<Printer> printer;
};

TEST_F(PrinterOverPty, EveryStatusStateIsRecognised)
{
    start_sim();
    start_printer(printer_config(config::TransportKind::serial));
    const std::vector<std::pair<SimState, State>> cases{
        {SimState::ok, State::online},
        {SimState::paper_near_end, State::paper_near_end},
        {SimState::paper_out, State::paper_out},
        {SimState::cover_open, State::cover_open},
        {SimState::cutter_error, State::cutter_error},
        {SimState::silent, State::offline},
        {SimState::ok, State::online},
    };
    for (const auto& [sim_state, expected] : cases)
    {
        sim->set_state(sim_state);
        auto st = await(printer->refresh());
        ASSERT_TRUE(st.has_value());
        EXPECT_EQ(*st, expected) << sim::to_string(sim_state) << ": " << printer->reason();
    }
    // Asking again in the same state is not a transition (logged once per transition).
    const auto transitions = printer->counters().transitions;
    await(printer->refresh());
    await(printer->refresh());
    EXPECT_EQ(printer->counters().transitions, transitions);
}

TEST_F(PrinterOverPty, PrintsATicketTheSimulatorDecodes)
{
    start_sim();
    const auto p = profile("epson-tm-t20");
    start_printer(printer_config(config::TransportKind::serial, p));
    auto r = await(printer->print(ticket(p, "TP-012")));
    ASSERT_TRUE(r.has_value());
    ASSERT_TRUE(*r) << r->error().message;
    ASSERT_TRUE(run_until([&] { return sim->tickets().size() == 1; }));
    const auto t = sim->tickets()[0];
    EXPECT_NE(t.text.find("UBND xã Yên Sở"), std::string::npos) << t.text;
    EXPECT_NE(t.text.find("TP-012"), std::string::npos);
    EXPECT_EQ(t.qr, std::vector<std::string>{"https://dvc.example.vn/t/T-TP-012"});
    EXPECT_TRUE(t.problems.empty());
    EXPECT_EQ(t.state_at_cut, "ok");
}

TEST_F(PrinterOverPty, AsbReportsACoverOpenedWithoutAQuery)
{
    start_sim();
    start_printer(printer_config(config::TransportKind::serial));
    std::vector<std::pair<State, std::string>> seen;
    printer->on_state_change([&seen](State s, const std::string& why) { seen.emplace_back(s, why); });
    sim->set_state(SimState::cover_open);
    EXPECT_TRUE(run_until([&] { return printer->state() == State::cover_open; }));
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.front(), std::make_pair(State::cover_open, std::string("reported by ASB")));
    sim->set_state(SimState::ok);
    EXPECT_TRUE(run_until([&] { return printer->state() == State::online; }));
}

TEST_F(PrinterOverPty, RecoversByItselfWhenPaperIsLoaded)
{
    start_sim();
    auto p = profile("epson-tm-t20");
    p.asb = false; // recovery by the supervision loop's queries alone
    start_printer(printer_config(config::TransportKind::serial, p));
    sim->set_state(SimState::paper_out);
    EXPECT_EQ(await(printer->refresh()), std::optional<State>(State::paper_out));
    sim->set_state(SimState::ok);
    EXPECT_TRUE(run_until([&] { return printer->state() == State::online; })) << printer->reason();
}

TEST_F(PrinterOverPty, APrinterThatStopsReadingIsAFaultNotAHang)
{
    start_sim();
    start_printer(printer_config(config::TransportKind::serial));
    sim->set_state(SimState::stops_reading);
    // More than the pty can buffer (about 18 KB), in plain text so the stream stays parseable.
    std::vector<std::uint8_t> job(64 * 1024, 'A');
    for (std::size_t i = 47; i < job.size(); i += 48)
        job[i] = '\n';
    auto r = await(printer->print(job), 10s);
    ASSERT_TRUE(r.has_value()) << "print() did not return: the write hung";
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().code, "write_timeout");
    EXPECT_EQ(printer->state(), State::offline);
    EXPECT_TRUE(printer->stalled());
    // The printer reads again: the supervision loop brings it back.
    sim->set_state(SimState::ok);
    EXPECT_TRUE(run_until([&] { return printer->state() == State::online; })) << printer->reason();
    EXPECT_FALSE(printer->stalled());
}

TEST_F(PrinterOverPty, StatusQueriesToAPrinterThatStopsReadingTimeOut)
{
    start_sim();
    start_printer(printer_config(config::TransportKind::serial));
    sim->set_state(SimState::stops_reading);
    EXPECT_EQ(await(printer->refresh()), std::optional<State>(State::offline));
    EXPECT_NE(printer->reason().find("no reply to DLE EOT 1"), std::string::npos) << printer->reason();
}

TEST_F(PrinterOverPty, UsbPrinterClassTransport)
{
    const auto p = profile("generic-58mm-cp1258");
    start_sim(false, p);
    start_printer(printer_config(config::TransportKind::usb, p));
    auto r = await(printer->print(ticket(p, "HT-7")));
    ASSERT_TRUE(r.has_value() && *r);
    // No cutter on this model: the ticket is complete once its footer arrived.
    ASSERT_TRUE(run_until([&] { return sim->pending().text.find("Giờ lấy số") != std::string::npos; }));
    EXPECT_NE(sim->pending().text.find("Tư pháp – Hộ tịch"), std::string::npos) << sim->pending().text;
    sim->set_state(SimState::paper_near_end);
    EXPECT_EQ(await(printer->refresh()), std::optional<State>(State::paper_near_end));
}

TEST_F(PrinterOverPty, RawTcpOnAnEphemeralLoopbackPort)
{
    start_sim(true);
    ASSERT_NE(sim->port(), 0);
    const auto p = profile("epson-tm-t20");
    start_printer(printer_config(config::TransportKind::tcp, p));
    auto r = await(printer->print(ticket(p, "TP-001")));
    ASSERT_TRUE(r.has_value() && *r);
    ASSERT_TRUE(run_until([&] { return sim->tickets().size() == 1; }));
    EXPECT_NE(sim->tickets()[0].text.find("TP-001"), std::string::npos);
    sim->set_state(SimState::paper_out);
    EXPECT_TRUE(run_until([&] { return printer->state() == State::paper_out; })); // by ASB
    sim->set_state(SimState::silent);
    EXPECT_EQ(await(printer->refresh()), std::optional<State>(State::offline));
}

TEST_F(PrinterOverPty, NoPrinterAtTheDeviceIsOfflineAndRetried)
{
    auto c = printer_config(config::TransportKind::serial); // dir/ttyPRN0 does not exist yet
    printer = Printer::create(io, c);
    printer->start();
    run_until([&] { return printer->reason() != "not started"; });
    EXPECT_EQ(printer->state(), State::offline);
    EXPECT_NE(printer->reason().find("cannot open"), std::string::npos) << printer->reason();
    // The device appears: the printer comes online without being told.
    start_sim();
    EXPECT_TRUE(run_until([&] { return printer->state() == State::online; }, 5s)) << printer->reason();
}

} // namespace
} // namespace motcua::printer
