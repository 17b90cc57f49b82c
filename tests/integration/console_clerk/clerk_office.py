"""An office for the clerk's screen tests: motcua-sim plays counter 1's keypad on a bus and
the counter's thermal printer; motcuad runs the console on 127.0.0.1 over HTTPS (its
self-signed certificate); a clerk account for counter 1 exists. Helpers talk to both
processes as the other tests do (motcuactl, motcua-sim, the database read-only). Deadlines
are generous and nothing is timed: every wait polls until its condition holds."""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time

BIN = os.environ.get("MOTCUA_BIN_DIR", "build/bin")
SOURCE = os.environ.get("MOTCUA_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
LIMIT = float(os.environ.get("MOTCUA_TEST_LIMIT", "30"))  # seconds; reached only on failure

CLERK = "lan.nguyen"
CLERK_PASSWORD = "hoa sen nở sớm 2025"

CONFIG = """
[office]
name = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm"
unit_code = "000.00.00.H99"

[queue]
policy = "strict"

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
field = "Tư pháp – Hộ tịch"
first = 1
last = 899
prefix = "TP-"

[[service]]
id = "DD"
number = 2
name = "Đất đai"
first = 900
last = 999
prefix = "DD-"

[[counter]]
number = 1
name = "Quầy 1"
services = ["TP"]

[[counter]]
number = 2
name = "Quầy 2"
services = ["TP", "DD"]

[register]
database = "motcua.db"
calendar_dir = "%(calendar)s"
authority = "UBND xã Thử Nghiệm"
place = "Thử Nghiệm"
forms_printer = "quay-1"

[[register.procedure]]
code = "1.001193.000.00.00.H00"
name = "Đăng ký khai sinh"
field = "Tư pháp – Hộ tịch"
days = 3

[[register.procedure]]
code = "2.000908.000.00.00.H00"
name = "Chứng thực bản sao từ bản chính"
field = "Tư pháp – Hộ tịch"
days = 2
documents = ["Bản chính giấy tờ", "Bản sao cần chứng thực"]
fee = "2.000 đồng/trang"

[[register.procedure]]
code = "1.003005.000.00.00.H00"
name = "Đăng ký biến động quyền sử dụng đất"
field = "Nông nghiệp và Môi trường"
days = 10

[[printer]]
name = "quay-1"
profile = "epson-tm-t20"
transport = "serial"
device = "dev/quay-1"
status_timeout_ms = 300
retry_ms = 300

[devices]
rating_window_s = 20

[[bus]]
name = "bus-1"
device = "dev/bus-1"
baud = 19200
parity = "N"
stop_bits = 2
min_poll_period_ms = 20
heartbeat_period_ms = 300

[[device]]
bus = "bus-1"
slave = 1
role = "display"
counter = 1

[[device]]
bus = "bus-1"
slave = 11
role = "keypad"
counter = 1

[web]
listen = ["127.0.0.1:0"]
console_listen = ["127.0.0.1:0"]
"""


def eventually(check, what, limit=LIMIT, pause=0.05):
    """Polls check() until it returns something true; fails naming `what`."""
    until = time.monotonic() + limit
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > until:
            raise AssertionError("gave up waiting for " + what)
        time.sleep(pause)


class Office:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="motcua-clerk-")
        self.config = self.path("office.toml")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(CONFIG % {"calendar": os.path.abspath(os.path.join(SOURCE, "config", "calendar"))})
        self.sim = None
        self.daemon = None
        self.console = None

    def path(self, name):
        return os.path.join(self.dir, name)

    def start(self):
        with open(self.path("sim.log"), "ab") as sim_log:
            self.sim = subprocess.Popen(
                [os.path.join(BIN, "motcua-sim"), "--config", self.config, "--socket", self.path("sim.sock")],
                stdout=sim_log, stderr=subprocess.STDOUT)
        eventually(lambda: os.path.exists(self.path("sim.sock")), "motcua-sim's socket")
        with open(self.path("motcuad.log"), "ab") as log:
            self.daemon = subprocess.Popen(
                [os.path.join(BIN, "motcuad"), "--config", self.config, "--state-dir", self.dir,
                 "--socket", self.path("ctl.sock")],
                stdout=log, stderr=subprocess.STDOUT)
        listening = eventually(lambda: re.search(r"[Cc]onsole[^\n]*listening[^\n]*?(?:on=|on )(\S+:\d+)", self.log()),
                               "the console's address in motcuad's log")
        host, port = listening.group(1).rsplit(":", 1)
        self.console = "https://%s:%d" % (host.strip("[]"), int(port))
        eventually(lambda: os.path.exists(self.path("ctl.sock")), "motcuad's control socket")
        eventually(lambda: self.ctl_ok("status"), "motcuad answering")
        # The keypad is online before a test presses it.
        eventually(lambda: self.keypad_online(), "counter 1's keypad online")
        self.add_user(CLERK, "clerk", CLERK_PASSWORD, "1")
        return self

    def keypad_online(self):
        for bus in self.ctl("devices").get("buses", []):
            for d in bus.get("devices", []):
                if d.get("role") == "keypad" and d.get("state") == "online":
                    return True
        return False

    def add_user(self, name, role, password, counters=None):
        args = [os.path.join(BIN, "motcuactl"), "--socket", self.path("ctl.sock"), "user", "add", name,
                "--role", role, "--password-stdin"]
        if counters:
            args += ["--counters", counters]
        out = subprocess.run(args, input=password + "\n", capture_output=True, text=True, timeout=LIMIT)
        if out.returncode != 0:
            raise AssertionError("user add failed: %s %s" % (out.stdout, out.stderr))

    def close(self):
        for p in (self.daemon, self.sim):
            if p and p.poll() is None:
                p.terminate()
                try:
                    p.wait(LIMIT)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        if os.environ.get("MOTCUA_KEEP_TEST_DIR"):
            print("kept", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def log(self):
        try:
            with open(self.path("motcuad.log"), encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def ctl(self, *args):
        out = subprocess.run([os.path.join(BIN, "motcuactl"), "--socket", self.path("ctl.sock"), "--json"] + list(args),
                             capture_output=True, text=True, timeout=LIMIT)
        if out.returncode != 0:
            raise AssertionError("motcuactl %s failed: %s %s" % (" ".join(args), out.stdout, out.stderr))
        return json.loads(out.stdout)

    def ctl_ok(self, *args):
        try:
            self.ctl(*args)
            return True
        except (AssertionError, subprocess.TimeoutExpired, json.JSONDecodeError):
            return False

    def simctl(self, *args):
        out = subprocess.run([os.path.join(BIN, "motcua-sim"), "--socket", self.path("sim.sock"), "--json"] + list(args),
                             capture_output=True, text=True, timeout=LIMIT)
        if out.returncode != 0:
            raise AssertionError("motcua-sim %s failed: %s %s" % (" ".join(args), out.stdout, out.stderr))
        return json.loads(out.stdout)

    def press_async(self, counter, key):
        """Presses a key of a counter's keypad on the simulated bus; returns the running
        motcua-sim client (wait() on it)."""
        return subprocess.Popen([os.path.join(BIN, "motcua-sim"), "--socket", self.path("sim.sock"), "--json",
                                 "press", str(counter), key], stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def printed(self, count):
        """The jobs the simulated printer decoded, once there are at least `count`."""
        return eventually(lambda: (lambda t: t if len(t) >= count else None)(
            self.simctl("tickets", "--printer", "quay-1").get("tickets", [])), "%d printed jobs" % count)

    def sql(self, query, *params):
        db = sqlite3.connect("file:%s?mode=ro" % self.path("motcua.db"), uri=True, timeout=LIMIT)
        try:
            return db.execute(query, params).fetchall()
        finally:
            db.close()
