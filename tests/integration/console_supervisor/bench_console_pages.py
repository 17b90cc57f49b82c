#!/usr/bin/env python3
"""The supervisor's and the technician's pages timed in headless chromium against a real
motcuad holding a busy centre's year (motcua-bench-register's data: 100,000 tickets, 30,000
ratings, 50,000 dossiers of 2025). Prints, for each page, the time from navigation to its
data shown (the page's own performance mark), beside the control-socket equivalent: the
`motcuactl --json report` calls the page makes. Goals (issue 15): any console page ≤ 1 s,
the year report ≤ 2 s. Nothing is asserted.

  bench_console_pages.py [--tickets N --dossiers N --ratings N] [--database year.db] [--runs 5]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from supervisor_office import ConsoleOffice, browser_sign_in, chromium, close_chromium, eventually

BIN = os.environ.get("MOTCUA_BIN_DIR", "build/bin")


def year_database(args, where):
    if args.database:
        return args.database
    path = os.path.join(where, "year.db")
    cmd = [os.path.join(BIN, "motcua-bench-register"), "--tickets", str(args.tickets), "--dossiers",
           str(args.dossiers), "--ratings", str(args.ratings), "--runs", "1", "--keep-database", path]
    print("Generating the year:", " ".join(cmd), flush=True)
    out = subprocess.run(cmd, capture_output=True, text=True)
    print(out.stdout)
    if not os.path.exists(path):
        sys.exit("motcua-bench-register failed: " + out.stdout + out.stderr)
    if out.returncode != 0:  # after the year was kept (its export figures): the year is usable
        print("(motcua-bench-register ended with an error after keeping the year: %s)" % out.stderr.strip())
    return path


def page_ms(driver, url, mark, ready):
    driver.get("about:blank")
    driver.get(url)
    eventually(lambda: driver.execute_script(ready), "the page's data", limit=120)
    return driver.execute_script(
        "var prefix = arguments[0];"
        "var m = performance.getEntriesByType('mark').filter(function (e) { return e.name.indexOf(prefix) === 0; });"
        "return m.length ? m[m.length - 1].startTime : null;", mark)


def ctl_ms(office, *args):
    t0 = time.monotonic()
    office.ctl(*args)
    return (time.monotonic() - t0) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--dossiers", type=int, default=50000)
    parser.add_argument("--ratings", type=int, default=30000)
    parser.add_argument("--database", help="a database kept by motcua-bench-register --keep-database")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="motcua-bench-console-")
    office = ConsoleOffice()
    driver = None
    try:
        shutil.copyfile(year_database(args, work), office.path("motcua.db"))
        office.start()
        office.add_user("giam.sat", "supervisor")
        office.add_user("ky.thuat", "technician")
        driver = chromium()
        results = []

        def measure(label, goal, url, mark, ready, equivalent):
            runs = sorted(page_ms(driver, url, mark, ready) for _ in range(args.runs))
            ctl = sorted(equivalent() for _ in range(args.runs))
            results.append((label, runs[0], statistics.median(runs), goal, statistics.median(ctl)))

        base = office.console_base + "/console/"
        browser_sign_in(driver, office, "giam.sat")
        measure("supervisor: the office now", "≤ 1000", base + "supervisor.html", "motcua:now-shown",
                "return document.body.dataset.ready === 'all'",
                lambda: ctl_ms(office, "status") + ctl_ms(office, "devices"))
        for label, period in (("supervisor: report, one month", ("2025-11-01", "2025-11-30")),
                              ("supervisor: report, the year", ("2025-01-01", "2025-12-31"))):
            ready = ("var r = document.querySelector('[data-role=report]');"
                     "return r.dataset.from === '%s' && r.dataset.to === '%s' && r.getAttribute('aria-busy') === 'false';"
                     % period)
            measure(label, "≤ 2000" if "year" in label else "≤ 1000",
                    base + "supervisor.html#reports/%s/%s" % period, "motcua:report-shown", ready,
                    lambda p=period: sum(ctl_ms(office, "report", "--from", p[0], "--to", p[1], "--by", by)
                                         for by in ("field", "officer", "counter", "service")))
        browser_sign_in(driver, office, "ky.thuat")
        measure("technician: devices and config", "≤ 1000", base + "technician.html", "motcua:devices-shown",
                "return document.body.dataset.ready === 'all'",
                lambda: ctl_ms(office, "devices"))

        print("\n%-34s %12s %12s %10s %26s" % ("page (navigation → data shown)", "best", "median", "goal",
                                             "motcuactl equivalent (median)"))
        for label, best, median, goal, ctl in results:
            print("%-34s %9.0f ms %9.0f ms %7s ms %23.0f ms" % (label, best, median, goal, ctl))
        print("(motcuactl: one process per call, the same commands the page runs; %d runs each)" % args.runs)
    finally:
        if driver:
            close_chromium(driver)
        office.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
