#pragma once

// motcua-central's network face (Boost.Asio/Beast, one io_context run by `workers`
// threads):
//  - the uploads port, HTTPS with client certificates signed by the province CA; the
//    certificate's CN is the site, so a box can only upload as itself:
//      GET  /api/v1/position   where the site stands
//      POST /api/v1/rows       a batch of journal rows (central/ingest.hpp)
//  - the report pages, plain HTTP for the province's reverse proxy (docs/central.md):
//      GET /                    the page (tables and charts of the province's figures)
//      GET /api/report?from=&to=&by=&site=   the figures as JSON (motcua-central report)
//      GET /report.csv?…, /report.xlsx?…     the same as files
//      GET /api/alerts          open alerts per site
// Database work is blocking libpq on a connection from the pool; a worker thread waits
// for it while the others go on.

#include "central/pg.hpp"
#include "central/settings.hpp"

#include <boost/asio/io_context.hpp>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace motcua::central
{

// One connection per worker, lent out for one request.
class Pool
{
  public:
    Pool(std::string conninfo, int size);
    class Lease
    {
      public:
        Lease(Pool& pool, std::unique_ptr<pg::Connection> c) : pool_(pool), conn_(std::move(c)) {}
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        pg::Connection& operator*() { return *conn_; }

      private:
        Pool& pool_;
        std::unique_ptr<pg::Connection> conn_;
    };
    // Waits for a free connection; opens one when the pool has room. Errors: "pg_connection".
    Result<std::unique_ptr<Lease>> lease();

  private:
    friend class Lease;
    std::string conninfo_;
    int size_;
    int open_ = 0;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<pg::Connection>> idle_;
};

class Server
{
  public:
    Server(const Settings& settings, Pool& pool);
    ~Server();
    // Binds every address; errors name the address.
    Result<void> start();
    // Runs the io_context on `workers` threads until stop().
    void run();
    void stop();

    struct Impl; // server.cpp: the sessions are free functions that take it

  private:
    std::unique_ptr<Impl> impl_;
};

} // namespace motcua::central
