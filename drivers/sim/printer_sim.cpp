#include "sim/printer_sim.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/write.hpp>

#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

namespace motcua::sim
{

namespace asio = boost::asio;

std::string_view to_string(SimState s)
{
    switch (s)
    {
    case SimState::ok: return "ok";
    case SimState::paper_near_end: return "paper_near_end";
    case SimState::paper_out: return "paper_out";
    case SimState::cover_open: return "cover_open";
    case SimState::cutter_error: return "cutter_error";
    case SimState::silent: return "silent";
    case SimState::stops_reading: return "stops_reading";
    }
    return "ok";
}

std::optional<SimState> sim_state_from_string(std::string_view s)
{
    for (auto st : {SimState::ok, SimState::paper_near_end, SimState::paper_out, SimState::cover_open,
                    SimState::cutter_error, SimState::silent, SimState::stops_reading})
        if (to_string(st) == s)
            return st;
    return std::nullopt;
}

struct PrinterSim::Impl : std::enable_shared_from_this<Impl>
{
    Impl(asio::io_context& io, PrinterSimConfig cfg)
        : io(io), config(std::move(cfg)), decoder(config.tables), master(io), acceptor(io), socket(io)
    {}

    asio::io_context& io;
    PrinterSimConfig config;
    EscposDecoder decoder;
    asio::posix::stream_descriptor master;
    asio::ip::tcp::acceptor acceptor;
    asio::ip::tcp::socket socket;
    int slave_fd = -1;
    std::string slave_path;
    std::uint16_t bound_port = 0;
    SimState state = SimState::ok;
    bool reading = false;
    bool writing = false;
    bool asb_enabled = false;
    bool stopped = false;
    std::deque<std::uint8_t> out;
    std::vector<std::uint8_t> wbuf;
    std::array<std::uint8_t, 4096> rbuf{};
    std::vector<std::uint8_t> received;
    int queries = 0;
    int replies = 0;
    std::function<void(const DecodedTicket&)> ticket_cb;

    bool connected() const { return config.tcp ? socket.is_open() : master.is_open(); }

    void start_read()
    {
        if (reading || stopped || state == SimState::stops_reading || !connected())
            return;
        reading = true;
        auto self = shared_from_this();
        auto handler = [self](const boost::system::error_code& ec, std::size_t n) { self->on_read(ec, n); };
        if (config.tcp)
            socket.async_read_some(asio::buffer(rbuf), handler);
        else
            master.async_read_some(asio::buffer(rbuf), handler);
    }

    void on_read(const boost::system::error_code& ec, std::size_t n)
    {
        reading = false;
        if (stopped)
            return;
        if (ec)
        {
            if (config.tcp)
            {
                boost::system::error_code ignored;
                socket.close(ignored);
            }
            // A pty master reads EIO while no one holds the slave; we hold it, so this is rare.
            return;
        }
        received.insert(received.end(), rbuf.begin(), rbuf.begin() + static_cast<std::ptrdiff_t>(n));
        decoder.feed(std::span<const std::uint8_t>(rbuf.data(), n));
        start_read();
    }

    void send(std::initializer_list<std::uint8_t> bytes)
    {
        out.insert(out.end(), bytes);
        ++replies;
        flush();
    }

    void flush()
    {
        if (writing || out.empty() || !connected())
            return;
        writing = true;
        wbuf.assign(out.begin(), out.end());
        out.clear();
        auto self = shared_from_this();
        auto handler = [self](const boost::system::error_code&, std::size_t) {
            self->writing = false;
            if (!self->stopped)
                self->flush();
        };
        if (config.tcp)
            asio::async_write(socket, asio::buffer(wbuf), handler);
        else
            asio::async_write(master, asio::buffer(wbuf), handler);
    }

    bool offline() const
    {
        return state == SimState::paper_out || state == SimState::cover_open || state == SimState::cutter_error;
    }

    // Epson bit layout (printers.md §6): DLE EOT replies are 0xx1xx10.
    void answer_dle_eot(int n)
    {
        ++queries;
        if (state == SimState::silent || state == SimState::stops_reading)
            return;
        std::uint8_t b = 0x12;
        switch (n)
        {
        case 1:
            if (offline())
                b |= 0x08;
            break;
        case 2:
            if (state == SimState::cover_open)
                b |= 0x04;
            if (state == SimState::paper_out)
                b |= 0x20;
            if (state == SimState::cutter_error)
                b |= 0x40;
            break;
        case 3:
            if (state == SimState::cutter_error)
                b |= 0x08;
            break;
        case 4:
            if (state == SimState::paper_near_end || state == SimState::paper_out)
                b |= 0x0C;
            if (state == SimState::paper_out)
                b |= 0x60;
            break;
        default:
            return;
        }
        send({b});
    }

    void answer_gs_r(int n)
    {
        ++queries;
        // GS r is not executed once paper end has taken the printer offline.
        if (state == SimState::silent || state == SimState::stops_reading || offline())
            return;
        if (n == 1 || n == 49)
            send({static_cast<std::uint8_t>(state == SimState::paper_near_end ? 0x03 : 0x00)});
        else if (n == 2 || n == 50)
            send({0x00});
    }

    void send_asb()
    {
        if (!asb_enabled || state == SimState::silent || state == SimState::stops_reading)
            return;
        std::uint8_t b1 = 0x10;
        if (offline())
            b1 |= 0x08;
        if (state == SimState::cover_open)
            b1 |= 0x20;
        std::uint8_t b2 = state == SimState::cutter_error ? 0x08 : 0x00;
        std::uint8_t b3 = 0;
        if (state == SimState::paper_near_end || state == SimState::paper_out)
            b3 |= 0x03;
        if (state == SimState::paper_out)
            b3 |= 0x0C;
        send({b1, b2, b3, 0x00});
    }

    void on_query(QueryKind kind, int n)
    {
        switch (kind)
        {
        case QueryKind::dle_eot: answer_dle_eot(n); break;
        case QueryKind::gs_r: answer_gs_r(n); break;
        case QueryKind::asb:
            if (!config.asb)
                return;
            asb_enabled = n != 0;
            send_asb();
            break;
        }
    }

    void accept()
    {
        auto self = shared_from_this();
        acceptor.async_accept([self](const boost::system::error_code& ec, asio::ip::tcp::socket s) {
            if (self->stopped || ec)
                return;
            boost::system::error_code ignored;
            self->socket.close(ignored);
            self->socket = std::move(s);
            self->reading = false;
            self->asb_enabled = false;
            self->start_read();
            self->accept();
        });
    }

    Result<void> start()
    {
        decoder.on_query = [this](QueryKind k, int n) { on_query(k, n); };
        decoder.on_ticket = [this](DecodedTicket& t) {
            t.state_at_cut = std::string(to_string(state));
            if (ticket_cb)
                ticket_cb(t);
        };
        if (config.tcp)
        {
            boost::system::error_code ec;
            auto addr = asio::ip::make_address(config.tcp_host, ec);
            if (ec)
                return make_error("bad_address", "cannot parse " + config.tcp_host);
            asio::ip::tcp::endpoint ep{addr, config.tcp_port};
            acceptor.open(ep.protocol(), ec);
            if (!ec)
                acceptor.set_option(asio::socket_base::reuse_address(true), ec);
            if (!ec)
                acceptor.bind(ep, ec);
            if (!ec)
                acceptor.listen(4, ec);
            if (ec)
                return make_error("listen_failed", "cannot listen on " + config.tcp_host + ":" +
                                                       std::to_string(config.tcp_port) + ": " + ec.message());
            bound_port = acceptor.local_endpoint().port();
            accept();
            return {};
        }
        int m = -1;
        char name[128] = {};
        if (openpty(&m, &slave_fd, name, nullptr, nullptr) != 0)
            return make_error("openpty_failed", std::string("openpty: ") + std::strerror(errno));
        slave_path = name;
        termios tio{};
        tcgetattr(slave_fd, &tio);
        cfmakeraw(&tio);
        tcsetattr(slave_fd, TCSANOW, &tio);
        master.assign(m);
        if (!config.link_path.empty())
        {
            std::error_code fec;
            namespace fs = std::filesystem;
            if (fs::is_symlink(fs::symlink_status(config.link_path, fec)))
                fs::remove(config.link_path, fec);
            fs::create_symlink(slave_path, config.link_path, fec);
            if (fec)
                return make_error("link_failed", "cannot link " + config.link_path + " to " + slave_path +
                                                     ": " + fec.message());
        }
        start_read();
        return {};
    }

    void stop()
    {
        if (stopped)
            return;
        stopped = true;
        boost::system::error_code ec;
        master.close(ec);
        socket.close(ec);
        acceptor.close(ec);
        if (slave_fd >= 0)
            ::close(slave_fd);
        slave_fd = -1;
        if (!config.tcp && !config.link_path.empty())
        {
            std::error_code fec;
            std::filesystem::remove(config.link_path, fec);
        }
    }
};

PrinterSim::PrinterSim(asio::io_context& io, PrinterSimConfig config)
    : impl_(std::make_shared<Impl>(io, std::move(config)))
{}

PrinterSim::~PrinterSim()
{
    impl_->stop();
}

Result<void> PrinterSim::start() { return impl_->start(); }
void PrinterSim::stop() { impl_->stop(); }
const PrinterSimConfig& PrinterSim::config() const { return impl_->config; }
std::string PrinterSim::device_path() const { return impl_->slave_path; }
std::uint16_t PrinterSim::port() const { return impl_->bound_port; }
SimState PrinterSim::state() const { return impl_->state; }

void PrinterSim::set_state(SimState s)
{
    auto& i = *impl_;
    if (i.state == s)
        return;
    i.state = s;
    if (s != SimState::stops_reading)
        i.start_read();
    i.send_asb();
}

std::vector<DecodedTicket> PrinterSim::tickets() const { return impl_->decoder.tickets(); }
DecodedTicket PrinterSim::pending() const { return impl_->decoder.pending(); }
const std::vector<std::uint8_t>& PrinterSim::bytes() const { return impl_->received; }
int PrinterSim::status_queries() const { return impl_->queries; }
int PrinterSim::replies_sent() const { return impl_->replies; }

void PrinterSim::clear()
{
    impl_->decoder.clear();
    impl_->received.clear();
}

void PrinterSim::on_ticket(std::function<void(const DecodedTicket&)> f)
{
    impl_->ticket_cb = std::move(f);
}

} // namespace motcua::sim
