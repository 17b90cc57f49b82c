#!/usr/bin/python3
"""The hall board in a real browser (headless Chromium from Debian, driven by
python3-selenium through chromium-driver): motcuad and motcua-sim run as processes, a
keypad's NEXT on the simulated bus and the control socket are the hands, the board's
stable data-role attributes are the eyes. Every wait is a poll with a generous bound;
no timing is asserted (figures are printed, and measured in tests/bench/web).

Usage: board_browser_test.py BIN_DIR   (ctest passes build/bin)
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
except ImportError:  # the message names the Debian packages (make deps installs them)
    sys.exit("python3-selenium is missing: apt-get install chromium chromium-driver python3-selenium")

BIN = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else os.environ.get("MOTCUA_BIN_DIR", "build/bin"))
WAIT = float(os.environ.get("MOTCUA_BROWSER_WAIT", "30"))  # seconds, for a loaded 2-core machine

CONFIG = """
[office]
name = "Thử nghiệm bảng gọi số"
unit_code = "000.00.00.H99"

[queue]
policy = "strict"

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
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

[[priority_class]]
id = "cao-tuoi"
number = 1
name = "Người cao tuổi"

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

[web.board]
recent_calls = 8
min_row_seconds = 2
flash_seconds = 2
notice = "Thông báo thử nghiệm"
"""


def poll(what, check, limit=WAIT):
    """Calls check() until it returns a true value (returned) or `limit` seconds pass."""
    until = time.monotonic() + limit
    last = None
    while time.monotonic() < until:
        try:
            last = check()
        except Exception as e:  # a page being re-rendered: try again
            last = e
        else:
            if last:
                return last
        time.sleep(0.05)
    raise AssertionError("%s: not within %ss (last: %r)" % (what, limit, last))


class Office:
    """motcua-sim + motcuad in a temporary folder."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="motcua-web-")
        self.config = os.path.join(self.dir, "office.toml")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(CONFIG)
        os.makedirs(os.path.join(self.dir, "dev"))
        self.sim_log = open(os.path.join(self.dir, "sim.log"), "ab")  # noqa: SIM115 (closed in close())
        self.sim = subprocess.Popen([BIN + "/motcua-sim", "--config", self.config],
                                    stdout=self.sim_log, stderr=subprocess.STDOUT)
        self.wait_socket(os.path.join(self.dir, "motcua-sim.sock"))
        self.daemon = None
        self.port = 0
        self.start_daemon()

    def log(self):
        with open(os.path.join(self.dir, "motcuad.log"), encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_socket(self, path):
        poll("socket " + path, lambda: os.path.exists(path), 20)

    def start_daemon(self):
        log_path = os.path.join(self.dir, "motcuad.log")
        before = os.path.getsize(log_path) if os.path.exists(log_path) else 0
        sock = os.path.join(self.dir, "ctl.sock")
        if os.path.exists(sock):
            os.unlink(sock)
        if getattr(self, "daemon_log", None):
            self.daemon_log.close()
        self.daemon_log = open(log_path, "ab")
        # The port of the first run is asked for again: the board's page knows it.
        config = CONFIG.replace("127.0.0.1:0", "127.0.0.1:%d" % self.port) if self.port else CONFIG
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(config)
        self.daemon = subprocess.Popen(
            [BIN + "/motcuad", "--config", self.config, "--state-dir", self.dir, "--socket", sock],
            stdout=self.daemon_log, stderr=subprocess.STDOUT)
        self.wait_socket(sock)

        def port():
            m = re.search(r"Web server listening on=127\.0\.0\.1:(\d+)", self.log()[before:])
            return int(m.group(1)) if m else 0
        self.port = poll("the web server's port", port, 20)

    def stop_daemon(self):
        self.daemon.send_signal(signal.SIGTERM)
        self.daemon.wait(30)

    def ctl(self, *args):
        out = subprocess.run([BIN + "/motcuactl", "--socket", os.path.join(self.dir, "ctl.sock"), "--json", *args],
                             capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise AssertionError("motcuactl %s: %s %s" % (" ".join(args), out.stdout, out.stderr))
        return json.loads(out.stdout) if out.stdout.strip() else {}

    def sim_press(self, counter, key):
        subprocess.run([BIN + "/motcua-sim", "--socket", os.path.join(self.dir, "motcua-sim.sock"),
                        "press", str(counter), key], check=True, capture_output=True, timeout=30)

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def close(self):
        for p in (self.daemon, self.sim):
            if p and p.poll() is None:
                p.kill()
                p.wait(30)
        self.sim_log.close()
        self.daemon_log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def new_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1920,1080", "--no-first-run", "--disable-extensions",
              "--disable-background-timer-throttling", "--disable-renderer-backgrounding"):
        options.add_argument(a)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


class Board(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.browser = new_browser()

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()

    def setUp(self):
        self.office = Office()

    def tearDown(self):
        if not getattr(self._outcome, "success", True):
            sys.stderr.write("--- motcuad.log\n" + self.office.log()[-4000:] + "\n")
        self.office.close()

    # --- the board's stable attributes ----------------------------------------------------
    def attr(self, role, name):
        return self.browser.find_element(By.CSS_SELECTOR, '[data-role="%s"]' % role).get_attribute(name)

    def connection(self):
        return self.attr("connection", "data-state")

    def current_label(self):
        return self.attr("current-call", "data-label")

    def recent_labels(self):
        return [e.get_attribute("data-label")
                for e in self.browser.find_elements(By.CSS_SELECTOR, '[data-role="recent-call"]')]

    def waiting(self, service):
        return self.browser.find_element(
            By.CSS_SELECTOR, '[data-role="waiting"][data-service="%s"]' % service).get_attribute("data-count")

    def open_board(self, query=""):
        self.browser.get(self.office.url("/board" + query))
        poll("the board connected", lambda: self.connection() == "ok")

    # --- tests ------------------------------------------------------------------------------
    def test_1_board_renders_the_snapshot(self):
        o = self.office
        o.ctl("open", "1", "--officer", "a")
        o.ctl("open", "2", "--officer", "b")
        for s in ("TP", "TP", "DD"):
            o.ctl("issue", s)
        o.ctl("issue", "TP", "--priority", "cao-tuoi")
        o.ctl("call", "2")  # the priority ticket first (strict policy)
        self.open_board()
        snap = json.loads(self.browser.execute_script("return fetch('/api/board').then(r => r.text())"))
        self.assertEqual(self.current_label(), snap["current"]["label"])
        self.assertEqual(self.waiting("TP"), str(snap["services"][0]["waiting"]))
        self.assertEqual(self.waiting("DD"), str(snap["services"][1]["waiting"]))
        text = self.browser.find_element(By.CSS_SELECTOR, '[data-role="current-call"]').text
        self.assertIn(snap["current"]["label"], text)
        self.assertIn("Quầy 2", text)
        self.assertIn("Thử nghiệm bảng gọi số", self.browser.find_element(By.CSS_SELECTOR, '[data-role="office"]').text)
        self.assertEqual(self.recent_labels(), [snap["current"]["label"]])
        # The priority ticket called is marked.
        self.assertEqual(self.attr("current-call", "data-priority"), "cao-tuoi")
        self.assertIn("Ưu tiên", text)
        # The next call replaces it, and the waiting count follows.
        o.ctl("done", "2")
        label = o.ctl("call", "2")["ticket"]["label"]
        poll("the next call shown", lambda: self.current_label() == label)
        self.assertEqual(self.attr("current-call", "data-priority"), "")
        poll("TP waiting 1", lambda: self.waiting("TP") == "1")
        # Paused and closed counters are shown as such.
        o.ctl("done", "2")
        o.ctl("pause", "2", "--reason", "1")
        poll("counter 2 paused", lambda: self.browser.find_element(
            By.CSS_SELECTOR, '[data-role="counter"][data-counter="2"]').get_attribute("data-state") == "paused")
        o.ctl("close", "1")
        poll("counter 1 closed", lambda: self.browser.find_element(
            By.CSS_SELECTOR, '[data-role="counter"][data-counter="1"]').get_attribute("data-state") == "closed")
        logs = [l for l in self.browser.get_log("browser") if l["level"] == "SEVERE" and "favicon" not in l["message"]]
        self.assertEqual(logs, [], "no script errors and nothing refused by the CSP")

    def test_2_keypad_next_appears_as_the_current_call(self):
        o = self.office
        o.ctl("open", "1", "--officer", "a")
        o.ctl("issue", "TP")
        o.ctl("issue", "TP")
        self.open_board()
        self.assertEqual(self.waiting("TP"), "2")
        started = time.monotonic()
        o.sim_press(1, "next")
        poll("TP-001 called on the board", lambda: self.current_label() == "TP-001")
        print("keypad NEXT → board: %.0f ms (not asserted; tests/bench/web measures the lag)"
              % ((time.monotonic() - started) * 1000), file=sys.stderr)
        poll("the waiting count follows", lambda: self.waiting("TP") == "1")
        self.assertIn("Quầy 1", self.browser.find_element(By.CSS_SELECTOR, '[data-role="current-call"]').text)

    def test_3_a_burst_of_five_calls_all_appear_in_order(self):
        o = self.office
        o.ctl("open", "1", "--officer", "a")
        o.ctl("open", "2", "--officer", "b")
        for _ in range(6):
            o.ctl("issue", "TP")
        self.open_board()
        called = []
        started = time.monotonic()
        # Five calls in well under a second: two counters, each finishing and calling again.
        for counter, finish in ((1, False), (2, False), (1, True), (2, True), (1, True)):
            if finish:
                o.ctl("done", str(counter))
            called.append(o.ctl("call", str(counter))["ticket"]["label"])
        print("5 calls in %.0f ms" % ((time.monotonic() - started) * 1000), file=sys.stderr)
        newest_first = list(reversed(called))
        poll("the five calls listed newest first", lambda: self.recent_labels()[:5] == newest_first)
        self.assertEqual(self.current_label(), called[-1])

    def test_4_lost_daemon_is_shown_and_the_board_recovers_by_itself(self):
        o = self.office
        o.ctl("open", "1", "--officer", "a")
        o.ctl("issue", "TP")
        o.ctl("issue", "TP")
        self.open_board()
        o.stop_daemon()
        stopped = time.monotonic()
        poll("Mất kết nối shown", lambda: self.connection() == "lost")
        print("daemon stopped → 'Mất kết nối': %.0f ms (limit 5000)" % ((time.monotonic() - stopped) * 1000),
              file=sys.stderr)
        self.assertIn("Mất kết nối", self.browser.find_element(By.CSS_SELECTOR, '[data-role="connection"]').text)
        o.start_daemon()
        poll("connected again without a reload by the test", lambda: self.connection() == "ok")
        o.ctl("call", "1")
        poll("live again: the call shown", lambda: self.current_label() == "TP-001")
        self.assertEqual(self.waiting("TP"), "1")


if __name__ == "__main__":
    unittest.main(verbosity=2)
