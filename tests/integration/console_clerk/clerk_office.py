"""An office for the clerk's screen tests: the console tests' office (motcuad with the
console on 127.0.0.1 over HTTPS, its self-signed certificate; motcua-sim) playing counter 1's
keypad on a bus and the counter's thermal printer, with a clerk account for counter 1.
Deadlines are generous and nothing is timed: every wait polls until its condition holds."""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "console"))

from console_office import BIN, LIMIT, ConsoleOffice, chromium, close_chromium, eventually  # noqa: E402,F401

SOURCE = os.environ.get("MOTCUA_SOURCE_DIR", os.path.join(HERE, "..", "..", ".."))

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


class Office(ConsoleOffice):
    """The console tests' office (tests/integration/console) with this config: a keypad on
    counter 1 and the clerk's account."""

    def __init__(self):
        super().__init__(CONFIG % {"calendar": os.path.abspath(os.path.join(SOURCE, "config", "calendar"))})

    def start(self):
        super().start()
        # The keypad is online before a test presses it.
        eventually(self.keypad_online, "counter 1's keypad online")
        self.add_user(CLERK, "clerk", "1", password=CLERK_PASSWORD)
        return self

    def keypad_online(self):
        for bus in self.ctl("devices").get("buses", []):
            for d in bus.get("devices", []):
                if d.get("role") == "keypad" and d.get("state") == "online":
                    return True
        return False

    def press_async(self, counter, key):
        """Presses a key of a counter's keypad on the simulated bus; returns the running
        motcua-sim client (wait() on it)."""
        return subprocess.Popen([os.path.join(BIN, "motcua-sim"), "--socket", self.path("sim.sock"), "--json",
                                 "press", str(counter), key], stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def printed(self, count, printer="quay-1"):
        return super().printed(count, printer)
