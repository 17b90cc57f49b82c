#!/usr/bin/env python3
"""The phone page over plain HTTP against a real motcuad (with motcua-sim's kiosk printer):
the link a ticket gets (issue's status_url and the printed QR, the same after a restart),
its data and its stream through the ticket's day, a rating taken once whichever device
gives it, forged and expired tokens, the rate limit. Run by ctest; nothing is timed."""

import json
import os
import re
import subprocess
import unittest

from office import BIN, LIMIT, EventStream, Office, eventually, token_of

TOKEN = re.compile(r"^[A-Za-z0-9_-]{24}$")


class PhoneProtocol(unittest.TestCase):
    def setUp(self):
        self.office = Office()
        self.addCleanup(self.office.close)
        self.office.start()

    def log(self):
        return self.office.log()

    def test_a_ticket_through_its_day(self):
        o = self.office
        # A ticket from the kiosk: its printed QR is its phone link, as issue answers it.
        issued = o.ctl("issue", "TP", "--kiosk", "K1")
        url = issued["status_url"]
        self.assertTrue(url.startswith(o.base + "/t/"), url)
        token = token_of(url)
        self.assertRegex(token, TOKEN)
        printed = o.printed(1)
        self.assertEqual(printed[0]["qr"], [url], "the QR holds the phone link, not the qr_url template")
        # A desk's ticket ahead of it, and a priority one that will be called before both.
        desk = o.ctl("issue", "TP")
        elderly = o.ctl("issue", "TP", "--priority", "cao-tuoi")
        self.assertNotEqual(token_of(desk["status_url"]), token)
        # The status and the board never carry links.
        self.assertNotIn("/t/", json.dumps(o.ctl("status")))
        status, board = o.get_json("/api/board")
        self.assertEqual(status, 200)
        self.assertNotIn(token, json.dumps(board))

        # The page and its data.
        status, headers, body = o.request("GET", "/t/" + token)
        self.assertEqual(status, 200)
        self.assertIn('data-role="ticket"', body)
        self.assertIn(issued["label"], body)
        self.assertIn("content-security-policy", headers)
        status, v = o.get_json("/api/t/" + token)
        self.assertEqual(status, 200)
        self.assertEqual(v["state"], "waiting")
        self.assertEqual(v["label"], issued["label"])
        self.assertEqual(v["service"], "Tư pháp – Hộ tịch")
        self.assertEqual(v["ahead"], 1)  # the priority ticket; the desk's came later
        self.assertEqual(v["estimate"]["kind"], "no_open_counter")
        for private in ("priority", "officer", "ticket", "issued_at"):
            self.assertNotIn(private, v)
        self.assertEqual(o.get_json("/api/t/" + token_of(elderly["status_url"]))[1]["ahead"], 0)

        # The stream: the data at once, then each change of this ticket.
        stream = EventStream(o, "/api/t/%s/events" % token)
        self.addCleanup(stream.close)
        self.assertEqual(stream.next("ticket")["ahead"], 1)
        o.ctl("open", "1", "--officer", "an")
        o.ctl("open", "3", "--officer", "binh")
        self.assertEqual(stream.until("ticket", lambda d: d["estimate"]["kind"] != "no_open_counter", "an open counter")
                         ["estimate"]["text"], "chưa đủ số liệu")
        o.ctl("call", "1")  # the priority ticket
        self.assertEqual(stream.until("ticket", lambda d: d.get("ahead") == 0, "nobody ahead")["estimate"]["kind"], "next")
        status, rated = o.rate(token, 3)
        self.assertEqual((status, rated["error"]["code"]), (409, "not_done"))
        o.ctl("call", "3")
        called = stream.until("ticket", lambda d: d["state"] == "called", "the call")
        self.assertEqual(called["counter"], {"number": 3, "name": "Quầy 3 – Hộ tịch"})
        o.ctl("recall", "3")
        self.assertEqual(stream.until("ticket", lambda d: d.get("recalls") == 1, "the recall")["state"], "called")
        o.ctl("done", "3")
        done = stream.until("ticket", lambda d: d["state"] == "done", "done")
        self.assertEqual(done["rating"], "open")

        # One rating, from the phone; a second from any device is refused.
        self.assertEqual(o.rate(token, 4)[0], 400)
        self.assertEqual(o.rate(token, 3, content_type="text/plain")[0], 415)
        self.assertEqual(o.rate(token, 2), (200, {"rating": "given", "score": 2}))
        status, again = o.rate(token, 3)
        self.assertEqual((status, again["error"]["code"]), (409, "already_rated"))
        self.assertIn("already_rated", o.ctl_error("rate", str(issued["ticket"]), "1"))
        self.assertEqual(o.get_json("/api/t/" + token)[1]["rating"], "given")
        rows = o.sql("SELECT json_extract(payload, '$.source'), json_extract(payload, '$.score'), "
                     "json_extract(payload, '$.actor'), ticket FROM journal WHERE kind = 'rating.given'")
        self.assertEqual(rows, [("phone", 2, "phone", issued["ticket"])])
        # The desk's ticket is rated first at the desk; the phone then is refused.
        o.ctl("done", "1")  # the priority ticket
        self.assertEqual(o.ctl("call", "1")["ticket"]["ticket"], desk["ticket"])
        o.ctl("done", "1")
        o.ctl("rate", str(desk["ticket"]), "1")
        status, refused = o.rate(token_of(desk["status_url"]), 3)
        self.assertEqual((status, refused["error"]["code"]), (409, "already_rated"))
        # The report counts both, and says which came from phones.
        day = o.ctl("status")["business_day"]
        satisfaction = o.ctl("report", "--from", day, "--to", day)["satisfaction"]["total"]
        self.assertEqual((satisfaction["votes"], satisfaction["from_phone"]), (2, 1))

        # A token is never written to the log.
        for t in (token, token_of(desk["status_url"]), token_of(elderly["status_url"])):
            self.assertNotIn(t, self.log())

        # After a restart the secret is the same: the link still opens the ticket, and a
        # reprint prints the same token (the test's port is new: it listens on port 0).
        o.stop_daemon()
        o.start_daemon()
        self.assertEqual(o.get_json("/api/t/" + token)[0], 200)
        o.ctl("reprint", issued["label"])
        reprinted = o.printed(2)[1]["qr"]
        self.assertEqual([token_of(q) for q in reprinted], [token])
        self.assertTrue(reprinted[0].startswith(o.base + "/t/"), reprinted)

    def test_forged_and_expired_tokens_get_the_404_page(self):
        o = self.office
        issued = o.ctl("issue", "TP")
        token = token_of(issued["status_url"])
        forged = token[:-1] + ("A" if token[-1] != "A" else "B")
        other_id = ("AAAAAAAC" if token[:8] != "AAAAAAAC" else "AAAAAAAD") + token[8:]  # another id, this hash
        for bad in (forged, other_id, "x", token + "A", "%2e%2e"):
            status, _, body = o.request("GET", "/t/" + bad)
            self.assertEqual(status, 404, bad)
            self.assertIn("Không tìm thấy số thứ tự này", body)
            self.assertEqual(o.get_json("/api/t/" + bad)[0], 404)
            self.assertEqual(o.request("GET", "/api/t/%s/events" % bad)[0], 404)
            self.assertEqual(o.rate(bad, 3)[0], 404)
        self.assertEqual(o.request("GET", "/t/%s/extra" % token)[0], 404)
        self.assertEqual(o.get_json("/api/t/" + token)[0], 200)
        # The next business day (the clock moved a day on): the same link opens nothing.
        o.set_clock(24 * 3600)
        status, _, body = o.request("GET", "/t/" + token)
        self.assertEqual(status, 404)
        self.assertIn("Liên kết trên phiếu chỉ dùng được trong ngày lấy số", body)
        self.assertEqual(o.get_json("/api/t/" + token)[0], 404)
        self.assertNotIn(token, self.log())
        self.assertNotIn(forged, self.log())

    def test_requests_are_limited_per_address(self):
        o = self.office
        # The bucket holds 30; requests come faster than one a second refills it. A slow
        # machine only takes more requests to get there.
        for _ in range(1000):
            status, headers, _ = o.request("GET", "/api/t/AAAAAAAAAAAAAAAAAAAAAAAA")
            if status == 429:
                break
            self.assertEqual(status, 404)
        self.assertEqual(status, 429)
        self.assertGreaterEqual(int(headers["retry-after"]), 1)
        status, _, body = o.request("GET", "/t/AAAAAAAAAAAAAAAAAAAAAAAA")
        self.assertEqual(status, 429)
        # The board is not limited by the phone routes' bucket.
        self.assertEqual(o.request("GET", "/api/board")[0], 200)
        # After Retry-After, the phone routes answer again.
        eventually(lambda: o.request("GET", "/api/t/AAAAAAAAAAAAAAAAAAAAAAAA")[0] == 404, "the bucket refilled",
                   pause=0.5)



class PhoneSecret(unittest.TestCase):
    def test_an_unreadable_secret_stops_motcuad_and_names_it(self):
        o = Office()
        self.addCleanup(o.close)
        os.mkdir(o.path("phone-token.key"))  # unreadable as a key, even for root
        with open(o.path("motcuad.log"), "ab") as log:
            daemon = subprocess.run(
                [os.path.join(BIN, "motcuad"), "--config", o.config, "--state-dir", o.dir, "--socket", o.path("ctl.sock")],
                stdout=log, stderr=subprocess.STDOUT, timeout=LIMIT)
        self.assertNotEqual(daemon.returncode, 0)
        self.assertIn("phone-token.key", o.log())
        self.assertIn("phone_secret", o.log())


if __name__ == "__main__":
    unittest.main(verbosity=2)
