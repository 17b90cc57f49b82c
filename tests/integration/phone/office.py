"""A small office for the phone page's process tests: motcua-sim plays one kiosk printer,
motcuad runs with [web] on 127.0.0.1 (a free port), and helpers talk to both as a citizen's
phone and a clerk would: plain HTTP, motcuactl, motcua-sim. Deadlines are generous and
nothing is timed: every wait polls until its condition holds."""

import http.client
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time

BIN = os.environ.get("MOTCUA_BIN_DIR", "build/bin")
LIMIT = float(os.environ.get("MOTCUA_TEST_LIMIT", "30"))  # seconds; reached only on failure

CONFIG = """
[office]
name = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm"
unit_code = "000.00.00.H99"

[queue]
policy = "strict"
readmit_tolerance_minutes = 20

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
first = 1
last = 299
prefix = "TP-"

[[priority_class]]
id = "cao-tuoi"
number = 1
name = "Người cao tuổi"

[[counter]]
number = 1
name = "Quầy 1"
services = ["TP"]

[[counter]]
number = 3
name = "Quầy 3 – Hộ tịch"
services = ["TP"]

[register]
database = "motcua.db"

[[printer]]
name = "p1"
profile = "epson-tm-t20"
transport = "serial"
device = "dev/p1"
status_timeout_ms = 300
retry_ms = 300

[[kiosk]]
id = "K1"
printer = "p1"
services = ["TP"]

[ticket]
qr_url = "https://dvc.example.vn/t/{ticket_id}"

[web]
listen = ["127.0.0.1:0"]
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
    def __init__(self, config=CONFIG):
        self.dir = tempfile.mkdtemp(prefix="motcua-phone-")
        self.config = os.path.join(self.dir, "office.toml")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(config)
        self.clock = os.path.join(self.dir, "clock")
        self.set_clock(0)
        self.sim = None
        self.daemon = None
        self.base = None

    # --- processes -----------------------------------------------------------------------

    def start(self):
        with open(os.path.join(self.dir, "sim.log"), "ab") as sim_log:
            self.sim = subprocess.Popen(
                [os.path.join(BIN, "motcua-sim"), "--config", self.config, "--socket", self.path("sim.sock")],
                stdout=sim_log, stderr=subprocess.STDOUT)
        eventually(lambda: os.path.exists(self.path("sim.sock")), "motcua-sim's socket")
        self.start_daemon()
        return self

    def start_daemon(self):
        mark = len(self.log())
        with open(self.path("motcuad.log"), "ab") as log:
            self.daemon = subprocess.Popen(
                [os.path.join(BIN, "motcuad"), "--config", self.config, "--state-dir", self.dir,
                 "--socket", self.path("ctl.sock"), "--test-clock", self.clock],
                stdout=log, stderr=subprocess.STDOUT)
        listening = eventually(lambda: re.search(r"Web server listening on=(\S+)", self.log()[mark:]),
                               "the web server in motcuad's log")
        host, port = listening.group(1).rsplit(":", 1)
        self.host, self.port = host, int(port)
        self.base = "http://%s:%d" % (host, self.port)
        eventually(lambda: os.path.exists(self.path("ctl.sock")), "motcuad's control socket")
        eventually(lambda: self.ctl_ok("status"), "motcuad answering")

    def stop_daemon(self):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.terminate()
            try:
                self.daemon.wait(LIMIT)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()
        self.daemon = None
        if os.path.exists(self.path("ctl.sock")):
            os.unlink(self.path("ctl.sock"))

    def close(self):
        self.stop_daemon()
        if self.sim and self.sim.poll() is None:
            self.sim.kill()
            self.sim.wait()
        if os.environ.get("MOTCUA_KEEP_TEST_DIR"):
            print("kept", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def log(self):
        try:
            with open(self.path("motcuad.log"), encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def set_clock(self, seconds):
        with open(self.clock, "w") as f:
            f.write(str(int(seconds)))

    # --- the clerk's side ----------------------------------------------------------------

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

    def ctl_error(self, *args):
        """Runs a command that must fail; returns its answer (stdout and stderr)."""
        out = subprocess.run([os.path.join(BIN, "motcuactl"), "--socket", self.path("ctl.sock"), "--json"] + list(args),
                             capture_output=True, text=True, timeout=LIMIT)
        if out.returncode == 0:
            raise AssertionError("motcuactl %s succeeded: %s" % (" ".join(args), out.stdout))
        return out.stdout + out.stderr

    def simctl(self, *args):
        out = subprocess.run([os.path.join(BIN, "motcua-sim"), "--socket", self.path("sim.sock"), "--json"] + list(args),
                             capture_output=True, text=True, timeout=LIMIT)
        if out.returncode != 0:
            raise AssertionError("motcua-sim %s failed: %s %s" % (" ".join(args), out.stdout, out.stderr))
        return json.loads(out.stdout)

    def printed(self, count, printer="p1"):
        """The jobs the simulated printer decoded, once there are at least `count`."""
        return eventually(lambda: (lambda t: t if len(t) >= count else None)(
            self.simctl("tickets", "--printer", printer).get("tickets", [])), "%d printed jobs" % count)

    def sql(self, query, *params):
        db = sqlite3.connect("file:%s?mode=ro" % self.path("motcua.db"), uri=True, timeout=LIMIT)
        try:
            return db.execute(query, params).fetchall()
        finally:
            db.close()

    # --- the phone's side ----------------------------------------------------------------

    def request(self, method, path, body=None, headers=None):
        """(status, headers as a dict with lower-case names, body text)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=LIMIT)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            return res.status, {k.lower(): v for k, v in res.getheaders()}, res.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def get_json(self, path):
        status, headers, body = self.request("GET", path)
        return status, json.loads(body) if body else None

    def rate(self, token, score, content_type="application/json"):
        status, _, body = self.request("POST", "/api/t/%s/rating" % token, body=json.dumps({"score": score}),
                                       headers={"Content-Type": content_type})
        return status, json.loads(body) if body else None


class EventStream:
    """A plain SSE reader: the "event:" blocks of one stream, one at a time."""

    def __init__(self, office, path):
        self.conn = http.client.HTTPConnection(office.host, office.port, timeout=LIMIT)
        self.conn.request("GET", path, headers={"Accept": "text/event-stream"})
        self.response = self.conn.getresponse()

    def next(self, name, until=None):
        """The data (parsed JSON) of the next event called `name` (pings keep coming every
        2 s, so the deadline is checked between lines)."""
        until = until or time.monotonic() + LIMIT
        event, data = None, []
        while True:
            if time.monotonic() > until:
                raise AssertionError("no %s event in time" % name)
            line = self.response.fp.readline()
            if not line:
                raise AssertionError("the stream ended")
            line = line.decode("utf-8").rstrip("\r\n")
            if line == "":
                if event == name:
                    return json.loads("\n".join(data))
                event, data = None, []
            elif line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())

    def until(self, name, check, what):
        """Reads `name` events until check(data) holds."""
        deadline = time.monotonic() + LIMIT
        while True:
            try:
                data = self.next(name, deadline)
            except AssertionError as e:
                raise AssertionError("gave up waiting for %s: %s" % (what, e)) from e
            if check(data):
                return data

    def close(self):
        self.conn.close()


def token_of(url):
    return url.rsplit("/", 1)[1]
