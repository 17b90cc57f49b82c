#!/usr/bin/env python3
"""The desk console over HTTPS against a real motcuad (and motcua-sim's kiosk printer):
the self-signed certificate (made once, reused, the fingerprint `motcuactl web cert`
prints), plain HTTP on the console port, sign-in and its cookie, the command API with its
CSRF token and the access policy (a clerk's forged request for another counter), the
journal naming the user, live events, sign-out, the lockout after five wrong passwords,
the per-address limit on sign-ins, and session expiry on the daemon's test clock. Run by
ctest; nothing is timed."""

import hashlib
import http.client
import json
import os
import socket
import ssl
import stat
import subprocess
import unittest

from console_office import BIN, LIMIT, PASSWORD, ConsoleOffice


def fingerprint_of_der(der):
    return ":".join("%02X" % b for b in hashlib.sha256(der).digest())


class ConsoleProtocol(unittest.TestCase):
    def setUp(self):
        self.office = ConsoleOffice()
        self.addCleanup(self.office.close)
        self.office.start()

    def ok(self, answer):
        status, body = answer
        self.assertEqual(status, 200, body)
        self.assertTrue(body["ok"], body)
        return body["result"]

    def refused(self, answer, status, code):
        got, body = answer
        self.assertEqual((got, body["error"]["code"] if isinstance(body, dict) else body), (status, code), body)
        self.assertFalse(body["ok"])
        self.assertTrue(body["error"]["message"])
        return body

    def journal(self, kind):
        return [json.loads(p) for (p,) in self.office.sql("SELECT payload FROM journal WHERE kind = ? ORDER BY seq", kind)]

    # --- the certificate and the transport ----------------------------------------------

    def test_certificate_made_once_and_its_fingerprint(self):
        o = self.office
        key = o.path("console-key.pem")
        self.assertEqual(stat.S_IMODE(os.stat(key).st_mode), 0o600)
        with open(o.cert_path) as f:
            der = ssl.PEM_cert_to_DER_cert(f.read())
        on_disk = fingerprint_of_der(der)
        # What the server presents is that file.
        with socket.create_connection((o.console_host, o.console_port), timeout=LIMIT) as raw:
            with o.tls_context().wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                presented = fingerprint_of_der(tls.getpeercert(binary_form=True))
                names = [v for k, v in tls.getpeercert()["subjectAltName"]]
        self.assertEqual(presented, on_disk)
        self.assertIn("127.0.0.1", names)
        self.assertIn("localhost", names)
        shown = o.ctl("web", "cert")
        self.assertEqual(shown["sha256"], on_disk)
        self.assertEqual(shown["path"], o.cert_path)
        self.assertTrue(shown["self_signed"])
        self.assertIn("CN=motcua console", shown["subject"])
        self.assertLess(shown["not_before"], shown["not_after"])
        self.assertTrue(shown["url"].startswith("https://127.0.0.1:%d/console/" % o.console_port), shown["url"])
        human = subprocess.run([os.path.join(BIN, "motcuactl"), "--socket", o.path("ctl.sock"), "web", "cert"],
                               capture_output=True, text=True, timeout=LIMIT)
        self.assertEqual(human.returncode, 0, human.stderr)
        self.assertIn("SHA-256 fingerprint: " + on_disk, human.stdout)

        # A restart reuses the pair: the same fingerprint, the files untouched.
        before = (os.stat(o.cert_path).st_mtime_ns, os.stat(key).st_mtime_ns)
        o.stop_daemon()
        o.start_daemon()
        self.assertEqual(o.ctl("web", "cert")["sha256"], on_disk)
        self.assertEqual((os.stat(o.cert_path).st_mtime_ns, os.stat(key).st_mtime_ns), before)
        self.assertEqual(o.client().me()[0], 401)

    def test_tls_only_and_the_headers(self):
        o = self.office
        # TLS 1.2 and 1.3 both work.
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            context = o.tls_context()
            context.minimum_version = context.maximum_version = version
            conn = http.client.HTTPSConnection(o.console_host, o.console_port, timeout=LIMIT, context=context)
            conn.request("GET", "/console/")
            res = conn.getresponse()
            body = res.read().decode()
            self.assertEqual(res.status, 200)
            self.assertEqual(conn.sock.version(), {ssl.TLSVersion.TLSv1_2: "TLSv1.2", ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[version])
            conn.close()
        self.assertIn("Đăng nhập", body)
        self.assertIn('<script type="module" src="index.js">', body)
        # No HSTS: it would hold for every port of the host, the hall board's plain HTTP too.
        self.assertIsNone(res.getheader("Strict-Transport-Security"))
        self.assertIn("default-src 'self'", res.getheader("Content-Security-Policy"))
        for name in ("console.js", "console.css", "index.js"):
            status, _ = o.client().request("GET", "/console/" + name)
            self.assertEqual(status, 200, name)
        self.assertEqual(o.client().request("GET", "/console/nothing.html")[0], 404)

        # Plain HTTP on the console's port: sent to the https:// address.
        conn = http.client.HTTPConnection(o.console_host, o.console_port, timeout=LIMIT)
        conn.request("GET", "/console/?x=1")
        res = conn.getresponse()
        res.read()
        self.assertEqual(res.status, 301)
        self.assertEqual(res.getheader("Location"), "https://127.0.0.1:%d/console/?x=1" % o.console_port)
        conn.close()
        # A broken handshake: the connection ends, the console serves the next one.
        with socket.create_connection((o.console_host, o.console_port), timeout=LIMIT) as raw:
            raw.sendall(b"\x16\x03\x01\x00\x05hello")
            raw.shutdown(socket.SHUT_WR)
            while raw.recv(4096):
                pass
        self.assertEqual(o.client().me()[0], 401)

        # The hall serves no console route, the console no hall page.
        for path in ("/api/login", "/api/me", "/console/", "/api/v1/status"):
            status, _, _ = o.request("GET", path)
            self.assertEqual(status, 404, path)
        status, _, _ = o.request("POST", "/api/login", body="{}", headers={"Content-Type": "application/json"})
        self.assertEqual(status, 404)
        self.assertEqual(o.client().request("GET", "/board")[0], 404)
        self.assertEqual(o.client().request("GET", "/api/board")[0], 404)

    # --- sign-in, the command API, sign-out ---------------------------------------------------

    def test_clerk_signs_in_runs_commands_for_her_counter_and_signs_out(self):
        o = self.office
        o.add_user("lan", "clerk", "1")
        c = o.client()
        self.refused(c.me(), 401, "unauthenticated")
        self.refused(c.api("status"), 401, "unauthenticated")
        self.refused(c.login("lan", "sai-mat-khau-roi"), 401, "bad_login")
        self.refused(c.login("nobody", PASSWORD), 401, "bad_login")
        self.assertIsNone(c.cookie)

        me = self.ok(c.login("lan", PASSWORD))
        self.assertEqual((me["user"], me["role"], me["counters"]), ("lan", "clerk", [1]))
        self.assertRegex(me["csrf"], "^[0-9a-f]{64}$")
        self.assertIn("T", me["expires_at"])
        cookie = [x for x in c.set_cookies if x.startswith("motcua_session=")][0]
        attributes = [a.strip() for a in cookie.split(";")[1:]]
        self.assertEqual(sorted(attributes), sorted(["Path=/", "HttpOnly", "Secure", "SameSite=Strict"]))
        self.assertRegex(c.cookie, "^[0-9a-f]{64}$")
        again = self.ok(c.me())
        self.assertEqual((again["user"], again["csrf"]), ("lan", me["csrf"]))

        # A state change needs the CSRF token: none or a wrong one is refused.
        self.refused(c.api("open", {"counter": 1, "officer": "lan"}, csrf=False), 403, "csrf")
        good = c.csrf
        c.csrf = "0" * 64
        self.refused(c.api("open", {"counter": 1, "officer": "lan"}), 403, "csrf")
        c.csrf = good
        opened = self.ok(c.api("open", {"counter": 1, "officer": "lan"}))
        self.assertEqual(opened["counter"], 1)

        first = o.ctl("issue", "TP")
        o.ctl("issue", "TP")
        # The clerk calls at her counter; a forged request for counter 2 is refused.
        called = self.ok(c.api("next", {"counter": 1}))
        self.assertIn(first["label"], json.dumps(called, ensure_ascii=False))
        self.refused(c.api("next", {"counter": 2}), 403, "forbidden")
        self.refused(c.api("open", {"counter": 2, "officer": "lan"}), 403, "forbidden")
        # The rows name her.
        rows = self.office.sql("SELECT kind, payload FROM journal WHERE counter = 1 ORDER BY seq")
        actors = {kind: json.loads(p).get("actor") for kind, p in rows}
        self.assertEqual(actors.get("counter_opened"), "user:lan", rows)
        self.assertEqual(actors.get("called"), "user:lan", rows)
        # Error codes and their statuses.
        self.refused(c.api("no-such-command"), 404, "unknown_command")
        self.refused(c.api("next", {"counter": "một"}), 400, "bad_request")
        self.refused(c.api("open", {"counter": 1, "officer": "lan"}), 409, "already_open")
        self.refused(c.api("user.list"), 403, "forbidden")
        self.refused(c.request("POST", "/api/v1/status", "[1,2]", {"Content-Type": "application/json"}), 400,
                     "bad_request")
        self.assertEqual([x["number"] for x in self.ok(c.api("status"))["counters"]], [1, 2])

        # Sign-out needs the token too; then the cookie is cleared and dead.
        self.refused(c.request("POST", "/api/logout", {}, csrf=False), 403, "csrf")
        old = c.cookie
        self.ok(c.logout())
        self.assertTrue(any("Max-Age=0" in x for x in c.set_cookies), c.set_cookies)
        self.assertIsNone(c.cookie)
        c.cookie = old  # a copy kept by a thief is worth nothing
        self.refused(c.me(), 401, "unauthenticated")
        self.refused(c.api("next", {"counter": 1}), 401, "unauthenticated")

    def test_live_events_for_a_signed_in_user(self):
        o = self.office
        o.add_user("lan", "clerk", "1")
        c = o.signed_in("lan")
        outsider = o.client()
        refused = outsider.events("queue")
        self.assertEqual(refused.status, 401)
        refused.close()
        stream = c.events("queue,devices")
        self.assertEqual(stream.status, 200)
        self.assertEqual(stream.response.getheader("Content-Type").split(";")[0], "text/event-stream")
        stream.next("hello")
        self.ok(c.api("open", {"counter": 1, "officer": "lan"}))
        issued = o.ctl("issue", "TP")
        self.ok(c.api("next", {"counter": 1}))
        stream.until("queue", lambda d: issued["label"] in json.dumps(d, ensure_ascii=False) and "called" in json.dumps(d),
                     "the call of " + issued["label"])
        # A device's state change comes on the same stream (the "devices" topic): the kiosk's
        # printer runs out of paper, found when a citizen presses for a ticket.
        o.simctl("printer-state", "p1", "paper_out")
        subprocess.run([os.path.join(BIN, "motcuactl"), "--socket", o.path("ctl.sock"), "issue", "TP", "--kiosk", "K1"],
                       capture_output=True, timeout=LIMIT)
        stream.until("devices", lambda d: d.get("event") == "printer_state" and d.get("printer") == "p1" and
                     d.get("state") != "ok", "the printer's new state")
        stream.close()
        bad = c.events("queue,gossip")
        self.assertEqual(bad.status, 400)
        bad.close()

    def test_lockout_after_five_wrong_passwords(self):
        o = self.office
        o.add_user("hung", "technician")
        c = o.client()
        for i in range(4):
            self.refused(c.login("hung", "khong-dung-%d-nhe" % i), 401, "bad_login")
        self.refused(c.login("hung", "khong-dung-5-nhe"), 401, "locked")
        # Locked: even the right password is refused, for a while.
        self.refused(c.login("hung", PASSWORD), 401, "locked")
        locked = self.journal("account.locked")
        self.assertEqual(len(locked), 1, locked)
        self.assertEqual((locked[0]["name"], locked[0]["from"]), ("hung", "127.0.0.1"))
        self.assertIn("from=127.0.0.1", o.log())
        # After the lock (the daemon's test clock 16 minutes on) she signs in again.
        o.set_clock(16 * 60)
        self.assertEqual(self.ok(c.login("hung", PASSWORD))["role"], "technician")

    def test_session_ends_after_its_idle_time(self):
        o = self.office
        o.add_user("mai", "supervisor")
        c = o.signed_in("mai")
        o.set_clock(29 * 60)
        self.assertEqual(self.ok(c.me())["user"], "mai")  # activity: the idle time starts again
        o.set_clock(29 * 60 + 29 * 60)
        self.assertEqual(self.ok(c.me())["user"], "mai")
        o.set_clock(29 * 60 + 29 * 60 + 31 * 60)
        self.refused(c.me(), 401, "unauthenticated")
        self.refused(c.api("status"), 401, "unauthenticated")

    def test_sign_in_attempts_are_limited_per_address(self):
        o = self.office
        c = o.client()
        statuses = []
        for _ in range(60):
            status, body = c.request("POST", "/api/login", "x", {"Content-Type": "text/plain"})
            statuses.append(status)
            if status == 429:
                break
        self.assertEqual(statuses[-1], 429, statuses)
        self.assertEqual(body["error"]["code"], "too_many_requests")
        self.assertGreaterEqual(int(c.last_headers["retry-after"]), 1)
        self.assertGreaterEqual(len(statuses), 20)  # an office PC's burst passes


if __name__ == "__main__":
    unittest.main()
