#!/usr/bin/env python3
"""The soak test: the simulated office, busy and faulty, for a set time; then an audit.

motcua-sim plays two RS-485 buses (displays, clerk keypads, rating panels, a kiosk button
panel each) and two kiosk printers; motcuad runs against it with its state directory on a
small tmpfs. For --minutes the driver:
  - presses kiosk buttons (tickets), clerk keys (next, done, recall) and rating keys,
    and issues tickets over the control socket, at a busy rate;
  - injects faults: CRC errors and silent devices on the buses, paper out and stalled
    printers, SIGKILL and restart of motcuad every few minutes, a full state disk for a
    while, and a wall-clock jump when motcuad has --test-clock.
Then it lets everything drain and audits what the journal holds against what it did:
  - every press the simulator accepted was acknowledged by motcuad and is in the journal
    exactly once (device.key rows, one per device and sequence number);
  - every ticket acknowledged over the control socket is in the tickets table once;
  - ticket numbers are contiguous per service and business day, none used twice;
  - `verify` finds the journal's hash chain intact;
  - motcuad's RSS and open file descriptors stay flat over each life between restarts.
It prints its figures and exits 1 when an audit check fails.

Python 3 standard library only. Needs root for the tmpfs (the full-disk fault); without
it the fault is skipped and reported.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

CONFIG = """
[office]
name = "Trung tâm Phục vụ hành chính công xã Thử Tải"
unit_code = "000.00.00.H99"

[queue]
policy = "strict"

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
first = 1
last = 4999
prefix = "TP-"

[[service]]
id = "DD"
number = 2
name = "Đất đai"
first = 5000
last = 9999
prefix = "DD-"

[[counter]]
number = 1
services = ["TP"]

[[counter]]
number = 2
services = ["DD", "TP"]

[[counter]]
number = 3
services = ["DD"]

[register]
database = "motcua.db"

[[printer]]
name = "p1"
profile = "epson-tm-t20"
transport = "serial"
device = "dev/p1"
status_timeout_ms = 200
retry_ms = 300

[[printer]]
name = "p2"
profile = "xprinter-r200"
transport = "serial"
device = "dev/p2"
status_timeout_ms = 200
retry_ms = 300

[[kiosk]]
id = "K1"
printer = "p1"
services = ["TP", "DD"]

[[kiosk]]
id = "K2"
printer = "p2"
services = ["TP", "DD"]

[devices]
rating_window_s = 5

[[bus]]
name = "bus-1"
device = "dev/bus-1"
baud = 19200
parity = "N"
stop_bits = 2
min_poll_period_ms = 20
heartbeat_period_ms = 300

[[bus]]
name = "bus-2"
device = "dev/bus-2"
baud = 19200
parity = "N"
stop_bits = 2
min_poll_period_ms = 20
heartbeat_period_ms = 300
"""

# (bus, slave, role, counter or kiosk)
DEVICES = [
    ("bus-1", 1, "display", 1), ("bus-1", 11, "keypad", 1), ("bus-1", 21, "rating", 1),
    ("bus-1", 3, "display", 3), ("bus-1", 13, "keypad", 3),
    ("bus-1", 31, "kiosk_panel", "K1"),
    ("bus-2", 2, "display", 2), ("bus-2", 12, "keypad", 2), ("bus-2", 22, "rating", 2),
    ("bus-2", 32, "kiosk_panel", "K2"),
]


def device_config():
    out = []
    for bus, slave, role, owner in DEVICES:
        owner_line = f'kiosk = "{owner}"' if role == "kiosk_panel" else f"counter = {owner}"
        out.append(f'\n[[device]]\nbus = "{bus}"\nslave = {slave}\nrole = "{role}"\n{owner_line}\n')
    return "".join(out)


class Client:
    """One JSON-lines connection to a control socket (motcuad's or motcua-sim's)."""

    def __init__(self, path, timeout=15.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b""
        self.next_id = 0

    def request(self, cmd, args=None):
        self.next_id += 1
        line = json.dumps({"id": self.next_id, "cmd": cmd, "args": args or {}}) + "\n"
        self.sock.sendall(line.encode())
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"{cmd}: connection closed")
            self.buf += chunk
        reply, self.buf = self.buf.split(b"\n", 1)
        return json.loads(reply)

    def close(self):
        self.sock.close()


def wait_for_socket(path, seconds):
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            Client(path, 1.0).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def proc_figures(pid):
    """(RSS in KiB, open fds) of a running process, or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        return rss, len(os.listdir(f"/proc/{pid}/fd"))
    except (OSError, StopIteration):
        return None


class Office:
    def __init__(self, bin_dir, work, state_dir, test_clock):
        self.bin = bin_dir
        self.work = work
        self.state = state_dir
        self.test_clock = test_clock  # file with the wall-clock offset, or None
        self.daemon = None
        self.ctl = None
        self.lives = []  # per daemon life: figures after a warm-up and at its end
        self.sim = subprocess.Popen(
            [os.path.join(bin_dir, "motcua-sim"), "--config", os.path.join(work, "office.toml"),
             "--socket", os.path.join(work, "sim.sock")],
            stdout=open(os.path.join(work, "sim.log"), "ab"), stderr=subprocess.STDOUT)
        if not wait_for_socket(os.path.join(work, "sim.sock"), 20):
            raise RuntimeError("motcua-sim did not start; see " + os.path.join(work, "sim.log"))
        self.simctl = Client(os.path.join(work, "sim.sock"))

    def start_daemon(self):
        """Starts motcuad and waits for its socket; False when it exits or stays silent."""
        argv = [os.path.join(self.bin, "motcuad"), "--config", os.path.join(self.work, "office.toml"),
                "--state-dir", self.state, "--socket", os.path.join(self.work, "ctl.sock")]
        if self.test_clock:
            argv += ["--test-clock", self.test_clock]
        self.daemon = subprocess.Popen(argv, stdout=open(os.path.join(self.work, "motcuad.log"), "ab"),
                                       stderr=subprocess.STDOUT)
        until = time.monotonic() + 30
        while time.monotonic() < until and self.daemon.poll() is None:
            if wait_for_socket(os.path.join(self.work, "ctl.sock"), 0.5):
                self.ctl = Client(os.path.join(self.work, "ctl.sock"))
                self.lives.append({"pid": self.daemon.pid, "started": time.monotonic(), "first": None,
                                   "last": None, "max_rss": 0, "max_fds": 0})
                return True
        if self.daemon.poll() is None:
            self.daemon.kill()
            self.daemon.wait()
        return False

    def ensure_daemon(self, counts):
        """Like systemd's Restart=: a motcuad that exited is started again after a second."""
        while self.daemon is None or self.daemon.poll() is not None:
            if self.daemon is not None:
                counts["unexpected_exits"].append(self.daemon.returncode)
            time.sleep(1)
            if not self.start_daemon():
                counts["failed_starts"] += 1

    def sample(self):
        if not self.lives or self.daemon is None:
            return
        life = self.lives[-1]
        fig = proc_figures(self.daemon.pid)
        if not fig:
            return
        life["last"] = fig
        life["max_rss"] = max(life["max_rss"], fig[0])
        life["max_fds"] = max(life["max_fds"], fig[1])
        # The first figure after a warm-up: connections opened, caches filled.
        if life["first"] is None and time.monotonic() - life["started"] > 30:
            life["first"] = fig

    def kill_daemon(self):
        if self.ctl:
            self.ctl.close()
        self.daemon.send_signal(signal.SIGKILL)
        self.daemon.wait(10)

    def stop(self):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            try:
                self.daemon.wait(10)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
        self.sim.send_signal(signal.SIGTERM)
        try:
            self.sim.wait(10)
        except subprocess.TimeoutExpired:
            self.sim.kill()

    def ask(self, cmd, args=None):
        """A motcuad request; reconnects once after a restart."""
        try:
            return self.ctl.request(cmd, args)
        except (OSError, ConnectionError, ValueError):
            self.ctl = Client(os.path.join(self.work, "ctl.sock"))
            return self.ctl.request(cmd, args)


def device_name(role, owner):
    """The name the config gives a device without `name =` (daemon/config/devices.cpp)."""
    return f"{role}-{owner}"


class Soak:
    def __init__(self, office, minutes, seed, disk_mount):
        self.o = office
        self.minutes = minutes
        self.rng = random.Random(seed)
        self.disk_mount = disk_mount  # tmpfs of the state dir, or None
        self.accepted = {}            # device name -> presses the simulator took
        self.issued = []              # labels motcuad acknowledged over the socket
        self.counts = {"kiosk_presses": 0, "clerk_presses": 0, "rating_presses": 0, "refused_presses": 0,
                       "ctl_issues": 0, "ctl_issue_errors": 0, "kills": 0, "faults": {},
                       "unexpected_exits": [], "failed_starts": 0}
        self.names = {}
        self.pending_undo = []        # (time, function) to end a fault

    def fault(self, kind):
        self.counts["faults"][kind] = self.counts["faults"].get(kind, 0) + 1

    def press(self, target, key, arg=0, device=None):
        r = self.o.simctl.request("press", {"target": target, "key": key, "arg": arg})
        if r.get("ok"):
            name = r["result"]["device"]
            self.accepted[name] = self.accepted.get(name, 0) + 1
            return True
        self.counts["refused_presses"] += 1  # FIFO full: the device refuses the key
        return False

    def traffic(self):
        roll = self.rng.random()
        if roll < 0.30:
            kiosk = self.rng.choice(["K1", "K2"])
            if self.press(kiosk, str(self.rng.choice([1, 2]))):
                self.counts["kiosk_presses"] += 1
        elif roll < 0.70:
            counter = self.rng.choice([1, 2, 3])
            key = self.rng.choices(["next", "done", "recall", "no-show"], [5, 4, 1, 1])[0]
            if self.press(str(counter), key):
                self.counts["clerk_presses"] += 1
        elif roll < 0.80:
            counter = self.rng.choice([1, 2])
            r = self.o.simctl.request("rate", {"counter": counter, "key": self.rng.choice([1, 2, 3])})
            if r.get("ok"):
                self.accepted[r["result"]["device"]] = self.accepted.get(r["result"]["device"], 0) + 1
                self.counts["rating_presses"] += 1
            else:
                self.counts["refused_presses"] += 1
        elif roll < 0.90:
            try:
                r = self.o.ask("issue", {"service": self.rng.choice(["TP", "DD"])})
            except (OSError, ConnectionError, ValueError):
                r = {"ok": False}
            if r.get("ok"):
                self.counts["ctl_issues"] += 1
                self.issued.append((r["result"]["ticket"], r["result"]["label"]))
            else:
                self.counts["ctl_issue_errors"] += 1
        else:
            self.o.simctl.request("display", {})

    def inject(self, now):
        kind = self.rng.choice(["crc", "silent", "paper_out", "stall", "disk_full", "clock_jump"])
        if kind in ("crc", "silent"):
            bus, slave, role, _ = self.rng.choice(DEVICES)
            name = self.names[(bus, slave)]
            args = {"device": name, "bad_crc_rate": 0.2} if kind == "crc" else {"device": name, "silent": True}
            self.o.simctl.request("fault", args)
            self.pending_undo.append((now + self.rng.uniform(5, 25),
                                      lambda: self.o.simctl.request("fault", {"device": name})))
        elif kind in ("paper_out", "stall"):
            printer = self.rng.choice(["p1", "p2"])
            state = "paper_out" if kind == "paper_out" else "stops_reading"
            self.o.simctl.request("printer-state", {"printer": printer, "state": state})
            self.pending_undo.append((now + self.rng.uniform(5, 20),
                                      lambda: self.o.simctl.request("printer-state", {"printer": printer, "state": "ok"})))
        elif kind == "disk_full":
            if not self.disk_mount:
                return
            filler = os.path.join(self.disk_mount, "filler")
            with open(filler, "wb") as f:
                try:
                    while True:
                        f.write(b"\0" * 65536)
                except OSError:
                    pass
            self.pending_undo.append((now + self.rng.uniform(10, 30), lambda: os.unlink(filler)))
        elif kind == "clock_jump":
            if not self.o.test_clock:
                return
            jump = self.rng.choice([-3600, -600, 600, 3600])
            with open(self.o.test_clock, "w") as f:
                f.write(str(jump))
            self.pending_undo.append((now + self.rng.uniform(10, 30), lambda: open(self.o.test_clock, "w").write("0")))
        self.fault(kind)

    def run(self):
        o = self.o
        o.ensure_daemon(self.counts)
        for bus, slave, role, owner in DEVICES:
            self.names[(bus, slave)] = device_name(role, owner)
        for counter, officer in ((1, "an"), (2, "binh"), (3, "chi")):
            o.ask("open", {"counter": counter, "officer": officer})
        start = time.monotonic()
        end = start + self.minutes * 60
        next_kill = start + self.rng.uniform(120, 240)
        next_fault = start + self.rng.uniform(10, 30)
        next_sample = start
        while time.monotonic() < end:
            now = time.monotonic()
            for due, undo in [u for u in self.pending_undo if u[0] <= now]:
                undo()
            self.pending_undo = [u for u in self.pending_undo if u[0] > now]
            if now >= next_sample:
                o.sample()
                next_sample = now + 5
            if now >= next_kill:
                if o.daemon.poll() is None:
                    o.kill_daemon()
                    self.counts["kills"] += 1
                time.sleep(self.rng.uniform(0.5, 3))
                o.daemon = None
                next_kill = time.monotonic() + self.rng.uniform(120, 240)
            o.ensure_daemon(self.counts)
            if now >= next_fault:
                self.inject(now)
                next_fault = now + self.rng.uniform(15, 45)
            self.traffic()
            time.sleep(self.rng.uniform(0.05, 0.25))
        for _, undo in self.pending_undo:
            undo()
        self.pending_undo = []
        for bus, slave, _, _ in DEVICES:
            o.simctl.request("fault", {"device": self.names[(bus, slave)]})
        for printer in ("p1", "p2"):
            o.simctl.request("printer-state", {"printer": printer, "state": "ok"})
        o.ensure_daemon(self.counts)
        return time.monotonic() - start

    def drain(self, seconds=60):
        """Waits until the simulator's FIFOs are empty: every press acknowledged."""
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            stats = self.o.simctl.request("modbus.stats")["result"]["devices"]
            acks = {d["device"]: d["acks"] for d in stats}
            if all(acks.get(name, 0) >= n for name, n in self.accepted.items()):
                return acks
            time.sleep(0.5)
        return {d["device"]: d["acks"] for d in self.o.simctl.request("modbus.stats")["result"]["devices"]}


def audit(soak, database):
    problems = []
    figures = {}
    o = soak.o
    acks = soak.drain()
    o.sample()
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    q = lambda sql, *a: db.execute(sql, a).fetchall()

    # Presses: acknowledged on the device = journalled once, and nothing journalled twice.
    rows = q("SELECT json_extract(payload, '$.device'), json_extract(payload, '$.seq'), COUNT(*) "
             "FROM journal WHERE kind = 'device.key' GROUP BY 1, 2")
    journalled = {}
    for device, _, n in rows:
        journalled[device] = journalled.get(device, 0) + 1
        if n != 1:
            problems.append(f"press {device} seq journalled {n} times")
    for device, n in sorted(soak.accepted.items()):
        if acks.get(device, 0) != n:
            problems.append(f"{device}: {n} presses accepted, {acks.get(device, 0)} acknowledged")
        if journalled.get(device, 0) != n:
            problems.append(f"{device}: {n} presses accepted, {journalled.get(device, 0)} in the journal")
    figures["presses_accepted"] = sum(soak.accepted.values())
    figures["presses_journalled"] = sum(journalled.values())

    # Tickets acknowledged over the socket: each once in the tickets and in the journal.
    issued_rows = dict(q("SELECT ticket, COUNT(*) FROM journal WHERE kind = 'issued' GROUP BY ticket"))
    ticket_rows = dict(q("SELECT id, COUNT(*) FROM tickets GROUP BY id"))
    for ticket, label in soak.issued:
        if issued_rows.get(ticket, 0) != 1 or ticket_rows.get(ticket, 0) != 1:
            problems.append(f"ticket {label} (#{ticket}) acknowledged; journal has it {issued_rows.get(ticket, 0)} "
                            f"times, tickets {ticket_rows.get(ticket, 0)}")
    figures["tickets_issued_rows"] = sum(issued_rows.values())

    # Numbers contiguous per service and business day, none twice.
    for day, service, n, lo, hi, distinct in q(
            "SELECT business_day, issued_service, COUNT(*), MIN(number), MAX(number), COUNT(DISTINCT number) "
            "FROM tickets GROUP BY 1, 2"):
        if distinct != n:
            problems.append(f"{day} {service}: {n - distinct} numbers used twice")
        if hi - lo + 1 != n:
            problems.append(f"{day} {service}: numbers {lo}..{hi} but {n} tickets (a gap)")
    figures["tickets"] = q("SELECT COUNT(*) FROM tickets")[0][0]
    figures["tickets_by_day_service"] = q("SELECT business_day, issued_service, COUNT(*) FROM tickets GROUP BY 1, 2")
    figures["journal_rows"] = q("SELECT COUNT(*) FROM journal")[0][0]
    # Printed tickets: reported, not judged (a ticket whose print a kill interrupted may be
    # missing or come out again after the restart).
    printed = o.simctl.request("tickets")["result"]["tickets"]
    figures["tickets_printed"] = len(printed)
    labels = [t["text"].split("\n") for t in printed]
    printed_labels = [next((w for line in lines for w in line.split() if w[:3] in ("TP-", "DD-")), "?")
                      for lines in labels]
    figures["tickets_printed_twice"] = len(printed_labels) - len(set(printed_labels))
    db.close()

    v = o.ask("verify")
    figures["verify"] = v.get("result")
    if not v.get("ok") or not v["result"].get("ok"):
        problems.append(f"verify: {v}")

    # RSS and fds over each life long enough to judge (a few minutes).
    lives = []
    for life in o.lives:
        if life["first"] and life["last"]:
            lives.append({"pid": life["pid"], "rss_kib": [life["first"][0], life["last"][0]],
                          "fds": [life["first"][1], life["last"][1]], "max_rss_kib": life["max_rss"],
                          "max_fds": life["max_fds"]})
    figures["lives"] = lives
    for life in lives:
        if life["fds"][1] > life["fds"][0] + 3:
            problems.append(f"pid {life['pid']}: fds grew {life['fds'][0]} -> {life['fds'][1]}")
        if life["rss_kib"][1] > life["rss_kib"][0] * 1.25 + 2048:
            problems.append(f"pid {life['pid']}: RSS grew {life['rss_kib'][0]} -> {life['rss_kib'][1]} KiB")
    return figures, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="directory with motcuad, motcua-sim")
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    bin_dir = os.path.abspath(args.bin)

    work = tempfile.mkdtemp(prefix="motcua-soak-")
    state = os.path.join(work, "state")
    os.makedirs(state)
    mounted = False
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", state]).returncode == 0
    # The clock jump needs motcuad --test-clock FILE (util/clock.hpp, a newer motcuad):
    # a config check with the flag passes only when motcuad knows it.
    test_clock = os.path.join(work, "clock")
    with open(test_clock, "w") as f:
        f.write("0")
    with open(os.path.join(work, "office.toml"), "w") as f:
        f.write(CONFIG + device_config())
    probe = subprocess.run([os.path.join(bin_dir, "motcuad"), "--test-clock", test_clock,
                            "--check-config", os.path.join(work, "office.toml")], capture_output=True)
    if probe.returncode != 0:
        test_clock = None
    print(f"soak: {args.minutes} min, seed {args.seed}, work {work}; full disk: "
          f"{'tmpfs' if mounted else 'skipped (needs root)'}; clock jump: "
          f"{'--test-clock' if test_clock else 'skipped (motcuad has no --test-clock)'}", flush=True)

    office = Office(bin_dir, work, state, test_clock)
    soak = Soak(office, args.minutes, args.seed, state if mounted else None)
    ok = False
    try:
        ran = soak.run()
        figures, problems = audit(soak, os.path.join(state, "motcua.db"))
        figures["ran_s"] = round(ran)
        figures.update({k: v for k, v in soak.counts.items()})
        figures["tickets_acknowledged_over_socket"] = len(soak.issued)
        print(json.dumps(figures, indent=1, ensure_ascii=False))
        for p in problems:
            print("AUDIT FAILED:", p)
        ok = not problems
        print("soak: audit", "passed" if ok else f"failed ({len(problems)} problems)")
    finally:
        office.stop()
        if args.keep or not ok:
            print("soak: logs and state kept in", work, "(state on a tmpfs: umount it after)" if mounted else "")
        else:
            if mounted:
                subprocess.run(["umount", state])
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
