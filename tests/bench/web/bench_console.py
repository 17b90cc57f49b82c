#!/usr/bin/python3
"""The desk console's command round trip (make bench-web; not part of ctest): a soft
keypad's NEXT as console.js sends it — POST /api/v1/next over HTTPS on one keep-alive
connection, with the session cookie and the CSRF token — against the same command on one
control-socket connection (motcuactl's transport), on the same motcuad, interleaved so both
see the same load. Every NEXT finishes the ticket held and calls the next one: two journal
commits (SQLite WAL, synchronous=FULL), so both figures sit on the disk's fsync time; the
difference is what HTTPS, the session and the JSON over HTTP cost. Goal (issue 15): p99 ≤
50 ms on the box. Printed, not asserted. Only 127.0.0.1; bounded in count."""

import argparse
import json
import os
import socket
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "integration", "console"))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="build/bin")
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    os.environ["MOTCUA_BIN_DIR"] = os.path.abspath(args.bin)
    import console_office  # after MOTCUA_BIN_DIR is set: the harness reads it at import
    from console_office import ConsoleOffice

    office = ConsoleOffice(console_office.CONSOLE_CONFIG.replace("last = 299", "last = 9999"))
    try:
        office.start()
        office.add_user("giam.sat", "supervisor")
        web = office.signed_in("giam.sat")
        for counter in (1, 2):
            status, answer = web.api("open", {"counter": counter, "officer": "bench"})
            assert status == 200, answer
        for _ in range(2 * args.calls + 4):
            status, answer = web.api("issue", {"service": "TP"})
            assert status == 200, answer

        ctl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        ctl.connect(office.path("ctl.sock"))
        reader = ctl.makefile("rb")

        def over_socket(i):
            ctl.sendall((json.dumps({"id": i, "cmd": "next", "args": {"counter": 2}}) + "\n").encode())
            answer = json.loads(reader.readline())
            assert answer["ok"], answer

        def over_https(i):
            status, answer = web.api("next", {"counter": 1})
            assert status == 200, answer

        https_ms, socket_ms = [], []
        for i in range(args.calls):
            for run, into in ((over_https, https_ms), (over_socket, socket_ms)):
                start = time.perf_counter()
                run(i)
                into.append((time.perf_counter() - start) * 1000)
        ctl.close()

        print("NEXT round trip over %d calls each (finish + call: two fsynced commits)" % args.calls)
        print("  %-34s %8s %8s %8s" % ("", "p50 ms", "p99 ms", "max ms"))
        for name, values in (("HTTPS keep-alive (console.js)", https_ms), ("control socket (motcuactl)", socket_ms)):
            print("  %-34s %8.2f %8.2f %8.2f" % (name, statistics.median(values), percentile(values, 99), max(values)))
        print("  goal: p99 <= 50 ms on the box (issue 15)")
    finally:
        office.close()


if __name__ == "__main__":
    main()
