"""An office for the supervisor's and the technician's screens: motcua-sim plays two RS-485
buses (displays, keypads, a rating panel) and a kiosk printer, motcuad serves the console
over HTTPS on 127.0.0.1 (a free port), and helpers sign in, call the web API and drive a
headless Debian chromium. The daemon's clock is set to a working day of 2025 (the working
calendars in config/calendar end there), so dossiers can be received and imported.
Nothing here asserts timing: every wait polls until its condition holds."""

import base64
import http.client
import json
import os
import ssl
import sys
import time
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "console"))
from console_office import LIMIT, ax_nodes, chromium, close_chromium, eventually  # noqa: E402,F401
from console_office import ConsoleOffice as BaseConsoleOffice  # noqa: E402

SOURCE = os.environ.get("MOTCUA_SOURCE_DIR", os.path.abspath(os.path.join(HERE, "..", "..", "..")))

# 09:00 on Thursday 20 November 2025, office time (+07:00): the daemon's "now".
DAEMON_NOW = datetime(2025, 11, 20, 9, 0, tzinfo=timezone(timedelta(hours=7)))

PASSWORD = "mật khẩu thử nghiệm dài"

CONFIG = """
[office]
name = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm"
unit_code = "000.17.22.H56"

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
field = "Đất đai"
first = 900
last = 999
prefix = "DD-"

[[counter]]
number = 1
name = "Quầy 1"
services = ["TP", "DD"]

[[counter]]
number = 2
name = "Quầy 2"
services = ["DD", "TP"]

[register]
database = "motcua.db"
calendar_dir = "@SOURCE@/config/calendar"

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
services = ["TP", "DD"]

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

[[bus]]
name = "bus-2"
device = "dev/bus-2"
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

[[device]]
bus = "bus-1"
slave = 21
role = "rating"
counter = 1

[[device]]
bus = "bus-2"
slave = 2
role = "display"
counter = 2

[[device]]
bus = "bus-2"
slave = 12
role = "keypad"
counter = 2

[web]
listen = ["127.0.0.1:0"]
console_listen = ["127.0.0.1:0"]
""".replace("@SOURCE@", SOURCE)

# Dossiers of November 2025 handled elsewhere: early, on time, late, open within and over
# due, online and at the desk, in both fields.
DOSSIERS_CSV = """received_at,procedure_code,applicant_name,channel,applicant_phone,applicant_address,transferred_at,result_at,returned_at,notes
2025-11-03 08:00,2.000001.H38,Nguyễn Văn An,1,0912000001,Thôn 1,2025-11-03 09:00,2025-11-04 09:00,2025-11-05 10:00,
2025-11-03 09:00,2.000001.H38,Trần Thị Bình,2,0912000002,Thôn 2,2025-11-03 10:00,2025-11-06 16:00,,
2025-11-04 08:30,2.000001.H38,Lê Văn Cường,1,0912000003,Thôn 3,2025-11-04 09:00,2025-11-14 09:00,2025-11-14 10:00,
2025-11-05 10:00,1.000948.H38,Phạm Thị Dung,1,0912000004,Thôn 4,2025-11-05 10:30,2025-11-05 14:00,2025-11-05 15:00,
2025-11-06 08:00,1.004227.000.00.00.H26,Hoàng Văn Em,2,0912000005,Thôn 5,2025-11-06 09:00,2025-11-12 09:00,,
2025-11-10 08:00,1.004227.000.00.00.H26,Vũ Thị Phương,3,0912000006,Thôn 6,2025-11-10 09:00,,,
2025-11-18 08:00,2.000001.H38,Đặng Văn Giang,2,0912000007,Thôn 7,,,,
2025-10-20 08:00,1.004227.000.00.00.H26,Bùi Thị Hạnh,1,0912000008,Thôn 8,2025-10-20 09:00,,,
"""


class ConsoleOffice(BaseConsoleOffice):
    """The console tests' office with this config (two buses, the rating panel), the
    daemon's clock on DAEMON_NOW, and this module's password for every account."""

    def __init__(self, config=CONFIG):
        super().__init__(config)
        self.set_clock(DAEMON_NOW.timestamp() - time.time())

    def add_user(self, name, role, counters=None):
        super().add_user(name, role, counters, password=PASSWORD)

    def import_dossiers(self, text=DOSSIERS_CSV):
        path = self.path("dossiers.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return self.ctl("dossier", "import", path)

    # --- the console's HTTPS API, as a program would use it --------------------------------

    def https(self, method, path, body=None, headers=None):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the box's self-signed certificate
        conn = http.client.HTTPSConnection(self.console_host, self.console_port, timeout=LIMIT, context=context)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            return res.status, {k.lower(): v for k, v in res.getheaders()}, res.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def sign_in(self, name):
        """A session: {"cookie": "motcua_session=…", "csrf": "…", "role": …}."""
        status, headers, body = self.https("POST", "/api/login", json.dumps({"user": name, "password": PASSWORD}),
                                           {"Content-Type": "application/json"})
        if status != 200:
            raise AssertionError("login of %s: %d %s" % (name, status, body))
        cookie = headers["set-cookie"].split(";", 1)[0]
        result = json.loads(body)["result"]
        return {"cookie": cookie, "csrf": result["csrf"], "role": result["role"]}

    def api(self, session, command, args=None):
        """(HTTP status, answer object) of POST /api/v1/<command>."""
        status, _, body = self.https("POST", "/api/v1/" + command, json.dumps(args or {}),
                                     {"Content-Type": "application/json", "Cookie": session["cookie"],
                                      "X-CSRF-Token": session["csrf"]})
        return status, json.loads(body) if body else None


def browser_sign_in(driver, office, name):
    """Signs in through the API from a page of the console's origin (the sign-in page itself
    is the console's, tested there), so the browser holds the session cookie."""
    driver.get(office.console_base + "/console/")
    status = driver.execute_async_script("""
        var done = arguments[arguments.length - 1];
        fetch('/api/login', {method: 'POST', headers: {'Content-Type': 'application/json'},
                             body: JSON.stringify({user: arguments[0], password: arguments[1]})})
          .then(function (r) { done(r.status); }, function (e) { done(String(e)); });""", name, PASSWORD)
    if status != 200:
        raise AssertionError("browser sign-in of %s: %s" % (name, status))


def decode_base64(text):
    return base64.b64decode(text)
