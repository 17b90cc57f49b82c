"""The province for process tests: a real PostgreSQL 15 (tests/support/postgres.py), a
real motcua-central with its own CA on 127.0.0.1, and commune boxes — real motcuad
instances with a [central] section, enrolled as the docs say (motcuactl central enroll,
motcua-central site add). Nothing is timed: every wait polls until its condition holds."""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "support"))
from postgres import Postgres  # noqa: E402,F401  (the test and the bench take it from here)

BIN = os.environ.get("MOTCUA_BIN_DIR", "build/bin")
SOURCE = os.environ.get("MOTCUA_SOURCE_DIR", os.path.join(HERE, "..", "..", ".."))
LIMIT = float(os.environ.get("MOTCUA_TEST_LIMIT", "60"))


def eventually(check, what, limit=LIMIT, pause=0.05):
    until = time.monotonic() + limit
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > until:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(pause)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, check=True):
    out = subprocess.run(args, capture_output=True, text=True, timeout=LIMIT)
    if check and out.returncode != 0:
        raise AssertionError("%s failed (%d): %s %s" % (" ".join(args), out.returncode, out.stdout, out.stderr))
    return out


BOX_CONFIG = """
[office]
name = "Trung tâm Phục vụ hành chính công xã {name}"
unit_code = "000.17.22.{unit}"

[queue]
policy = "strict"

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
field = "Tư pháp – Hộ tịch"
first = 1
last = 8999
prefix = "TP-"

[[service]]
id = "DD"
number = 2
name = "Đất đai"
field = "Đất đai"
first = 9001
last = 9999
prefix = "DD-"

[[counter]]
number = 1
services = ["TP"]

[[counter]]
number = 2
services = ["DD", "TP"]

[register]
database = "motcua.db"
calendar_dir = "{calendar}"

[[register.procedure]]
code = "2.000001.H38"
name = "Đăng ký khai sinh"
field = "Tư pháp – Hộ tịch"
days = 3

[[register.procedure]]
code = "1.000948.H38"
name = "Chứng thực bản sao từ bản chính"
field = "Tư pháp – Hộ tịch"
same_day = true

[[register.procedure]]
code = "1.004227.000.00.00.H26"
name = "Cấp giấy chứng nhận quyền sử dụng đất"
field = "Đất đai"
days = 10

[central]
url = "{url}"
site = "{site}"
cert = "central/site.crt"
key = "central/site.key"
ca = "central/ca.crt"
batch_rows = {batch_rows}
retry_max_seconds = 1
"""


class Central:
    """motcua-central on a fresh database, its CA made by `init`."""

    def __init__(self, pg, workers=4):
        self.pg = pg
        self.dir = tempfile.mkdtemp(prefix="motcua-central-")
        self.port = free_port()
        self.web_port = free_port()
        self.url = "https://127.0.0.1:%d" % self.port
        self.config = os.path.join(self.dir, "central.toml")
        conninfo = pg.create_database("central_%d" % self.port)
        with open(self.config, "w", encoding="utf-8") as f:
            f.write('[central]\nprovince = "Tỉnh Thử Nghiệm"\nlisten = ["127.0.0.1:%d"]\ndatabase = "%s"\n'
                    'state_dir = "%s"\nserver_names = ["127.0.0.1", "localhost"]\nworkers = %d\n'
                    '[web]\nlisten = ["127.0.0.1:%d"]\n' % (self.port, conninfo, self.dir, workers, self.web_port))
        self.cli("init")
        self.process = None

    def cli(self, *args, check=True):
        return run([os.path.join(BIN, "motcua-central"), "--config", self.config] + list(args), check)

    def json(self, *args):
        return json.loads(self.cli("--json", *args).stdout)

    def start(self):
        self.log_file = open(os.path.join(self.dir, "central.log"), "ab")
        self.process = subprocess.Popen([os.path.join(BIN, "motcua-central"), "--config", self.config, "serve"],
                                        stdout=self.log_file, stderr=subprocess.STDOUT)
        eventually(lambda: "Central: ready" in self.log(), "motcua-central ready")
        return self

    def kill(self, sig=signal.SIGKILL):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(LIMIT)
        self.process = None

    def log(self):
        try:
            with open(os.path.join(self.dir, "central.log"), encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def sql(self, query):
        return self.pg.psql(query, "central_%d" % self.port)

    def stored(self, site):
        """(rows, lowest seq, highest seq) the central holds for the site."""
        row = self.sql("SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0) FROM chain "
                       "WHERE site = '%s'" % site)[0]
        return tuple(int(x) for x in row)

    def close(self):
        self.kill(signal.SIGTERM)
        if not os.environ.get("MOTCUA_KEEP_TEST_DIR"):
            shutil.rmtree(self.dir, ignore_errors=True)


class Box:
    """One commune centre's motcuad, enrolled at the central as `site`."""

    def __init__(self, central, site, name, unit, batch_rows=50):
        self.central = central
        self.site = site
        self.dir = tempfile.mkdtemp(prefix="motcua-box-")
        self.config = os.path.join(self.dir, "office.toml")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(BOX_CONFIG.format(name=name, unit=unit, url=central.url, site=site, batch_rows=batch_rows,
                                      calendar=os.path.join(SOURCE, "config", "calendar")))
        keys = os.path.join(self.dir, "central")
        run([os.path.join(BIN, "motcuactl"), "central", "enroll", "--url", central.url, "--site", site,
             "--dir", keys])
        central.cli("site", "add", site, "--csr", os.path.join(keys, "site.csr"), "--out",
                    os.path.join(keys, "site.crt"), "--name", "Xã " + name)
        shutil.copy(os.path.join(central.dir, "ca", "ca.crt"), os.path.join(keys, "ca.crt"))
        self.daemon = None

    def path(self, name):
        return os.path.join(self.dir, name)

    def start(self):
        self.log_file = open(self.path("motcuad.log"), "ab")
        self.daemon = subprocess.Popen(
            [os.path.join(BIN, "motcuad"), "--config", self.config, "--state-dir", self.dir,
             "--socket", self.path("ctl.sock")], stdout=self.log_file, stderr=subprocess.STDOUT)
        eventually(lambda: os.path.exists(self.path("ctl.sock")) and self.ctl_ok("status"), "motcuad answering")
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(sig)
            self.daemon.wait(LIMIT)
        self.daemon = None
        if os.path.exists(self.path("ctl.sock")):
            os.unlink(self.path("ctl.sock"))

    def log(self):
        with open(self.path("motcuad.log"), encoding="utf-8", errors="replace") as f:
            return f.read()

    def ctl(self, *args):
        out = run([os.path.join(BIN, "motcuactl"), "--socket", self.path("ctl.sock"), "--json"] + list(args))
        return json.loads(out.stdout)

    def ctl_ok(self, *args):
        try:
            self.ctl(*args)
            return True
        except (AssertionError, subprocess.TimeoutExpired, ValueError):
            return False

    def sql(self, query, *params):
        db = sqlite3.connect("file:%s?mode=ro" % self.path("motcua.db"), uri=True, timeout=LIMIT)
        try:
            return db.execute(query, params).fetchall()
        finally:
            db.close()

    def last_seq(self):
        return self.sql("SELECT coalesce(max(seq), 0) FROM journal")[0][0]

    def status(self):
        return self.ctl("central", "status")

    def uploaded(self):
        """Waits until the central acknowledged every row of the box; returns the status."""
        def done():
            s = self.status()
            return s if s.get("acknowledged") == self.last_seq() and s["waiting"] == 0 else None
        return eventually(done, "%s uploaded (status %s)" % (self.site, self.status()))

    def busy_day(self, tickets=12, dossiers=4):
        """Tickets issued, called, served or missed, dossiers received and moved on, votes."""
        served = []
        for i in range(tickets):
            self.ctl("issue", "TP" if i % 3 else "DD")
        self.ctl("open", "1", "--officer", "cb.an")
        self.ctl("open", "2", "--officer", "cb.binh")
        for i in range(tickets):
            counter = "1" if i % 2 else "2"
            called = self.ctl("call", counter)
            ticket = called["ticket"]["ticket"]
            if i % 5 == 4:
                self.ctl("no-show", counter)
                continue
            if i < dossiers:
                procedure = ["2.000001.H38", "1.000948.H38", "1.004227.000.00.00.H26"][i % 3]
                d = self.ctl("dossier", "receive", "--ticket", str(ticket), "--procedure", procedure,
                             "--name", "Nguyễn Văn %d" % i, "--phone", "09123456%02d" % i,
                             "--channel", "2" if i % 2 else "1")
                if i % 2 == 0:
                    self.ctl("dossier", "result", d["code"])
                    self.ctl("dossier", "return", d["code"])
                elif i % 4 == 1:
                    # Personal and plain corrections, a supplement asked and brought.
                    self.ctl("dossier", "correct", d["code"], "--field", "applicant_phone", "--value",
                             "0987654321", "--reason", "ghi nhầm")
                    self.ctl("dossier", "correct", d["code"], "--field", "sets", "--value", "2", "--reason", "hai bộ")
                    self.ctl("dossier", "supplement-request", d["code"], "--missing", "Bản sao CCCD")
                    self.ctl("dossier", "supplement-done", d["code"])
                elif i % 4 == 3:
                    self.ctl("dossier", "refuse", d["code"], "--reason", "không đủ điều kiện")
            self.ctl("done", counter)
            served.append(ticket)
        for n, ticket in enumerate(served[:5]):
            self.ctl("rate", str(ticket), str(3 - n % 3))
        self.ctl("close", "1")
        self.ctl("close", "2")

    def close(self):
        self.stop()
        if not os.environ.get("MOTCUA_KEEP_TEST_DIR"):
            shutil.rmtree(self.dir, ignore_errors=True)
