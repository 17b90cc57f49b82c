"""A small office for the desk console's process tests (and the screens' browser tests):
the phone tests' office (tests/integration/phone/office.py: motcua-sim's kiosk printer,
motcuad with [web] on 127.0.0.1) with counters 1 and 2 and [web] console_listen on a free
127.0.0.1 port, accounts made with motcuactl, and an HTTPS client that keeps the session
cookie and the CSRF token as a browser's console.js does. The client trusts exactly the
certificate motcuad made in the state directory (its SAN holds 127.0.0.1)."""

import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "phone"))

from office import BIN, CONFIG, LIMIT, EventStream, Office, eventually  # noqa: E402,F401

CONSOLE_CONFIG = (CONFIG
                  .replace('number = 3\nname = "Quầy 3 – Hộ tịch"', 'number = 2\nname = "Quầy 2 – Hộ tịch"')
                  .replace('[web]\nlisten = ["127.0.0.1:0"]\n',
                           '[web]\nlisten = ["127.0.0.1:0"]\nconsole_listen = ["127.0.0.1:0"]\n'))
assert "console_listen" in CONSOLE_CONFIG and "number = 2" in CONSOLE_CONFIG

# Demo-strength passwords for tests (the rule: 10 characters at least, not the name).
PASSWORD = "mat-khau-thu-nghiem-1"


class ConsoleOffice(Office):
    def __init__(self, config=CONSOLE_CONFIG):
        super().__init__(config)

    def start_daemon(self):
        mark = len(self.log())
        super().start_daemon()
        found = eventually(lambda: re.search(r"Console listening on=(\S+)", self.log()[mark:]),
                           "the console in motcuad's log")
        host, port = found.group(1).rsplit(":", 1)
        self.console_host, self.console_port = host, int(port)
        self.console_base = "https://%s:%d" % (host, self.console_port)

    @property
    def cert_path(self):
        return self.path("console-cert.pem")

    def add_user(self, name, role, counters=None, password=PASSWORD):
        args = [os.path.join(BIN, "motcuactl"), "--socket", self.path("ctl.sock"), "--json",
                "user", "add", name, "--role", role, "--password-stdin"]
        if counters:
            args += ["--counters", counters]
        out = subprocess.run(args, input=password + "\n", capture_output=True, text=True, timeout=LIMIT)
        if out.returncode != 0:
            raise AssertionError("user add %s failed: %s %s" % (name, out.stdout, out.stderr))
        return json.loads(out.stdout)

    def tls_context(self):
        context = ssl.create_default_context(cafile=self.cert_path)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    def client(self):
        return ConsoleClient(self)

    def signed_in(self, name, password=PASSWORD):
        c = self.client()
        status, answer = c.login(name, password)
        if status != 200:
            raise AssertionError("sign-in of %s: %d %s" % (name, status, answer))
        return c


class ConsoleClient:
    """One browser: its cookie jar (the session cookie) and the CSRF token it was given;
    one keep-alive HTTPS connection, opened again when the server closed it."""

    def __init__(self, office):
        self.office = office
        self.cookie = None
        self.csrf = None
        self.conn = None
        self.last_headers = {}

    def connect(self):
        if self.conn is None:
            self.conn = http.client.HTTPSConnection(self.office.console_host, self.office.console_port,
                                                    timeout=LIMIT, context=self.office.tls_context())
        return self.conn

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def __del__(self):
        self.close()

    def request(self, method, path, body=None, headers=None, csrf=True):
        """(status, parsed JSON or text). Sends the cookie, and X-CSRF-Token on POSTs."""
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = "motcua_session=" + self.cookie
        if method == "POST" and csrf and self.csrf:
            h["X-CSRF-Token"] = self.csrf
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        for attempt in (1, 2):
            conn = self.connect()
            try:
                conn.request(method, path, body=body, headers=h)
                res = conn.getresponse()
                text = res.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()  # the server ended the keep-alive connection: a new one
                if attempt == 2:
                    raise
        self.last_headers = {k.lower(): v for k, v in res.getheaders()}
        self.set_cookies = res.headers.get_all("Set-Cookie") or []
        for c in self.set_cookies:
            value = c.split(";", 1)[0]
            if value.startswith("motcua_session="):
                self.cookie = value.split("=", 1)[1] or None
        if res.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            return res.status, json.loads(text)
        except ValueError:
            return res.status, text

    def login(self, user, password):
        status, answer = self.request("POST", "/api/login", {"user": user, "password": password})
        if status == 200:
            self.csrf = answer["result"]["csrf"]
        return status, answer

    def logout(self):
        return self.request("POST", "/api/logout", {})

    def me(self):
        return self.request("GET", "/api/me")

    def api(self, command, args=None, csrf=True):
        """(status, answer) of POST /api/v1/<command>."""
        return self.request("POST", "/api/v1/" + command, args if args is not None else {}, csrf=csrf)

    def events(self, topics="queue"):
        return ConsoleEventStream(self, topics)


class ConsoleEventStream(EventStream):
    """The SSE reader of office.py over the console's HTTPS, with the session cookie."""

    def __init__(self, client, topics):
        o = client.office
        self.conn = http.client.HTTPSConnection(o.console_host, o.console_port, timeout=LIMIT,
                                                context=o.tls_context())
        self.conn.request("GET", "/api/v1/events?topics=" + topics,
                          headers={"Accept": "text/event-stream", "Cookie": "motcua_session=" + (client.cookie or "")})
        self.response = self.conn.getresponse()
        self.status = self.response.status


def chromium(downloads=None):
    """Headless Debian chromium through chromium-driver; the self-signed certificate is
    accepted (tests only). `downloads`: where the browser saves files."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="motcua-chromium-")
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--ignore-certificate-errors", "--window-size=1400,1000", "--lang=vi", "--user-data-dir=" + profile):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if downloads:
        options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                                  "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    if downloads:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    driver.profile_dir = profile
    return driver


def close_chromium(driver):
    try:
        driver.quit()
    finally:
        shutil.rmtree(driver.profile_dir, ignore_errors=True)


def ax_nodes(driver):
    """(role, name) of every node of the page's accessibility tree that has a role and is
    not ignored (CDP); a node without a name has ""."""
    tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})
    nodes = []
    for n in tree["nodes"]:
        role = n.get("role", {}).get("value")
        if role and not n.get("ignored"):
            nodes.append((role, n.get("name", {}).get("value") or ""))
    return nodes
