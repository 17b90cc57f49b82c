#!/usr/bin/env python3
"""config.show and config.check over the control socket, against a real motcuad and
motcua-sim: the running config with its defaults; the file on disk checked by the
validator of `motcuad --check-config`, every error with file:line:col, the daemon running on
with its config; and what a check says after the file is repaired."""

import json
import os
import re
import socket
import subprocess
import unittest

from supervisor_office import CONFIG, LIMIT
from office import Office, eventually

BIN = os.environ.get("MOTCUA_BIN_DIR", "build/bin")

# Without the console's HTTPS address: these commands need only the control socket.
PLAIN = CONFIG.replace('console_listen = ["127.0.0.1:0"]\n', "")


def command(office, cmd, args=None):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(LIMIT)
        s.connect(office.path("ctl.sock"))
        s.sendall((json.dumps({"id": 1, "cmd": cmd, "args": args or {}}) + "\n").encode())
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return json.loads(data)


class TechnicianCommands(unittest.TestCase):
    def setUp(self):
        self.office = Office(PLAIN)
        self.addCleanup(self.office.close)
        self.office.start()

    def test_config_show_is_the_running_config_with_defaults(self):
        answer = command(self.office, "config.show")
        self.assertTrue(answer["ok"], answer)
        c = answer["result"]
        self.assertEqual(c["file"], self.office.config)
        self.assertEqual(c["office"]["name"], "Trung tâm Phục vụ hành chính công xã Thử Nghiệm")
        self.assertEqual(c["office"]["timezone"], "Asia/Ho_Chi_Minh")  # a default
        self.assertEqual(c["rules"]["policy"], "strict")
        self.assertEqual(c["rules"]["recall_limit"], 3)  # a default
        self.assertEqual([s["id"] for s in c["services"]], ["TP", "DD"])
        self.assertEqual([k["number"] for k in c["counters"]], [1, 2])
        self.assertEqual([b["name"] for b in c["devices"]["buses"]], ["bus-1", "bus-2"])
        self.assertEqual(c["devices"]["buses"][0]["parity"], "N")
        devices = {d["name"]: d for d in c["devices"]["devices"]}
        self.assertEqual(sorted(devices), ["display-1", "display-2", "keypad-1", "keypad-2", "rating-1"])
        self.assertEqual((devices["keypad-2"]["bus"], devices["keypad-2"]["slave"], devices["keypad-2"]["counter"]),
                         ("bus-2", 12, 2))
        self.assertEqual(devices["display-1"]["brightness"], 15)  # a default
        self.assertEqual(c["printing"]["printers"][0]["name"], "p1")
        self.assertEqual(c["printing"]["kiosks"][0]["services"], ["TP", "DD"])
        self.assertEqual(c["register"]["procedures"], 3)
        self.assertEqual(c["web"]["listen"], ["127.0.0.1:0"])

    def test_config_check_reads_the_file_on_disk(self):
        o = self.office
        answer = command(o, "config.check")
        self.assertTrue(answer["ok"], answer)
        self.assertEqual(answer["result"], {"file": o.config, "ok": True, "diagnostics": [], "services": 2,
                                            "counters": 2})
        with open(o.config, encoding="utf-8") as f:
            good = f.read()
        with open(o.config, "w", encoding="utf-8") as f:
            f.write(good.replace("slave = 12", "slave = 300").replace('policy = "strict"', 'policy = "fastest"'))
        result = command(o, "config.check")["result"]
        self.assertFalse(result["ok"])
        # The same diagnostics as motcuad --check-config, in the file's order.
        check = subprocess.run([os.path.join(BIN, "motcuad"), "--check-config", o.config], capture_output=True,
                               text=True, timeout=LIMIT)
        self.assertEqual(check.returncode, 78)
        self.assertEqual([d["text"] for d in result["diagnostics"]], check.stderr.strip().splitlines())
        self.assertEqual(len(result["diagnostics"]), 2, result)
        first, second = result["diagnostics"]
        self.assertEqual(first["file"], o.config)
        self.assertLess(first["line"], second["line"])
        self.assertIn("policy", first["message"])
        self.assertEqual(first["text"], "%s:%d:%d: %s" % (o.config, first["line"], first["column"], first["message"]))
        self.assertRegex(good.splitlines()[second["line"] - 1], r"^slave = 12$")
        # The daemon runs on with its config.
        self.assertEqual(command(o, "config.show")["result"]["rules"]["policy"], "strict")
        self.assertTrue(command(o, "status")["ok"])
        with open(o.config, "w", encoding="utf-8") as f:
            f.write(good)
        self.assertTrue(command(o, "config.check")["result"]["ok"])
        # A syntax error too, with its position.
        with open(o.config, "w", encoding="utf-8") as f:
            f.write(good + "\n[[service]\n")
        result = command(o, "config.check")["result"]
        self.assertFalse(result["ok"])
        self.assertRegex(result["diagnostics"][0]["text"], re.escape(o.config) + r":\d+:\d+: ")
        with open(o.config, "w", encoding="utf-8") as f:
            f.write(good)

    def test_keys_recent_lists_the_key_events_after_a_seq(self):
        o = self.office
        start = command(o, "keys.recent")["result"]
        self.assertEqual(start["keys"], [])
        o.ctl("open", "2", "--officer", "cb-nam")
        o.ctl("issue", "DD")
        # Counter 2's keypad: NEXT is taken; closed counter 1's NEXT is refused.
        # (Polled: the simulated keypad's event reaches motcuad on its bus's next poll.)
        o.simctl("press", "2", "next")
        after_next = eventually(lambda: command(o, "keys.recent", {"after": start["last_seq"]})["result"]["keys"],
                                "the NEXT key in the journal")
        o.simctl("press", "1", "next")
        keys = eventually(lambda: (lambda k: k if len(k) >= 2 else None)(
            command(o, "keys.recent", {"after": start["last_seq"]})["result"]["keys"]), "both keys")
        self.assertEqual(keys[0]["seq"], after_next[0]["seq"])
        self.assertEqual([(k["device"], k["counter"], k["key_name"], k["outcome"]) for k in keys],
                         [("keypad-2", 2, "next", "ok"), ("keypad-1", 1, "next", "counter_closed")])
        self.assertEqual(keys[0]["bus"], "bus-2")
        self.assertEqual(keys[0]["role"], "keypad")
        later = command(o, "keys.recent", {"after": keys[-1]["seq"]})["result"]
        self.assertEqual(later["keys"], [])
        self.assertGreaterEqual(later["last_seq"], keys[-1]["seq"])
        bad = command(o, "keys.recent", {"after": -1})
        self.assertEqual(bad["error"]["code"], "bad_request")
        self.assertIn("after", bad["error"]["message"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
