#!/usr/bin/env python3
"""The clerk's screen in a real browser (headless Debian chromium through chromium-driver
and python3-selenium) against a real motcuad and motcua-sim, over the console's HTTPS with
its self-signed certificate. Everything the clerk does here is done with the keyboard:
keys are sent to whatever has the focus, nothing is clicked. Every wait polls with a
generous deadline; nothing is timed except the printed NEXT figures."""

import re
import unittest

from clerk_office import CLERK, CLERK_PASSWORD, LIMIT, Office, chromium, close_chromium, eventually

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def role(name):
    return '[data-role="%s"]' % name


# Signs in through the console API from a page of the console's origin (the sign-in
# page's own form is the console helper's and tested there).
LOGIN = """
var done = arguments[arguments.length - 1];
fetch('/api/login', {method: 'POST', headers: {'Content-Type': 'application/json'},
                     body: JSON.stringify({user: arguments[0], password: arguments[1]})})
  .then(function (r) { return r.json().then(function (j) { done([r.status, j]); }); },
        function (e) { done([0, String(e)]); });
"""

# A command through the page's own console module, as a forged request would be sent.
API = """
var done = arguments[arguments.length - 1];
var cmd = arguments[0], args = arguments[1];
import('/console/console.js').then(function (m) { return m.api(cmd, args); })
  .then(function (r) { done({ok: true, result: r}); },
        function (e) { done({ok: false, code: e.code, message: e.message}); });
"""

# The soft keypad's NEXT, pressed `count` times from the keyboard (N): for each press the
# time until the page shows the answer (the keypad's data-answers moves on).
MEASURE_NEXT = """
var count = arguments[0], done = arguments[arguments.length - 1];
var keypad = document.querySelector('[data-role="keypad"]');
var times = [], errors = 0;
function once() {
  if (times.length === count) { done({times: times, errors: errors}); return; }
  var before = keypad.dataset.answers || '0';
  var t0 = performance.now();
  var seen = new MutationObserver(function () {
    if ((keypad.dataset.answers || '0') === before) return;
    seen.disconnect();
    times.push(performance.now() - t0);
    if (keypad.dataset.error) { errors++; delete keypad.dataset.error; }
    setTimeout(once, 0);
  });
  seen.observe(keypad, {attributes: true, attributeFilter: ['data-answers']});
  document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'n', code: 'KeyN', bubbles: true}));
}
once();
"""


class ClerkScreen(unittest.TestCase):
    def setUp(self):
        self.office = Office()
        self.addCleanup(self.office.close)
        self.office.start()
        self.driver = chromium()
        self.addCleanup(close_chromium, self.driver)
        self.driver.set_script_timeout(LIMIT * 4)

    # --- helpers --------------------------------------------------------------------------

    def wait_for(self, check, what):
        try:
            return WebDriverWait(self.driver, LIMIT, poll_frequency=0.05).until(lambda d: check())
        except Exception as e:
            body = ""
            try:
                body = self.driver.find_element(By.TAG_NAME, "body").text
            except Exception:
                pass
            raise AssertionError("gave up waiting for %s; page: %s; log:\n%s" % (
                what, body[-2000:], self.office.log()[-3000:])) from e

    def el(self, name):
        return self.driver.find_element(By.CSS_SELECTOR, role(name))

    def text(self, name):
        return self.el(name).text

    def keys(self, *keys):
        """Types into whatever has the focus, as a person at the keyboard would."""
        ActionChains(self.driver).send_keys(*keys).perform()

    def alt(self, key):
        ActionChains(self.driver).key_down(Keys.ALT).send_keys(key).key_up(Keys.ALT).perform()

    def focused(self):
        return self.driver.switch_to.active_element

    def sign_in_to_clerk_screen(self):
        d = self.driver
        d.get(self.office.console_base + "/console/")
        status, answer = d.execute_async_script(LOGIN, CLERK, CLERK_PASSWORD)
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer["result"]["role"], "clerk")
        self.assertEqual(answer["result"]["counters"], [1])
        d.get(self.office.console_base + "/console/clerk.html")
        self.wait_for(lambda: self.el("keypad").get_attribute("data-ready") == "true", "the clerk's screen")

    def open_counter_by_keyboard(self, officer):
        # Her officer name goes in the header field; O opens the counter.
        field = self.el("officer")
        field.clear()
        self.driver.execute_script("arguments[0].focus()", field)
        self.keys(officer, Keys.TAB)
        self.alt("o")
        self.wait_for(lambda: self.el("keypad").get_attribute("data-state") == "idle", "counter 1 open")

    def browser_problems(self, allowed=()):
        return [e["message"] for e in self.driver.get_log("browser")
                if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]
                and not ("/api/me" in e["message"] and "401" in e["message"])  # the sign-in page, signed out
                and not any(a in e["message"] for a in allowed)]

    # --- the tests ------------------------------------------------------------------------

    def test_open_call_receive_print_and_forged_counter(self):
        o, d = self.office, self.driver
        first = o.ctl("issue", "TP")
        self.sign_in_to_clerk_screen()
        self.assertEqual(self.text("user"), CLERK)
        self.open_counter_by_keyboard("Nguyễn Thị Lan")
        self.wait_for(lambda: self.text("waiting") == "1", "one waiting")

        # N (focus on the page, not in a field): the first citizen is called.
        self.driver.execute_script("document.activeElement.blur()")
        self.keys("n")
        self.wait_for(lambda: self.text("held") == first["label"], "the first ticket held")
        self.assertIn(first["label"], self.text("live"))
        # Said to a screen reader too: the console's live region.
        self.wait_for(lambda: first["label"] in d.find_element(By.CSS_SELECTOR, '#announce[role="status"]').text,
                      "the call announced")
        self.assertEqual(o.ctl("status")["counters"][0]["officer"], "Nguyễn Thị Lan")

        # Intake: Alt+I, the procedure found without diacritics, chosen with the arrows.
        self.alt("i")
        self.assertEqual(self.focused().get_attribute("data-role"), "procedure-search")
        self.keys("chung thuc")
        self.wait_for(lambda: len(d.find_elements(By.CSS_SELECTOR, '[role="option"]')) >= 1, "the matches")
        options = [e.text for e in d.find_elements(By.CSS_SELECTOR, '[role="option"]')]
        self.assertEqual(options, ["2.000908.000.00.00.H00 – Chứng thực bản sao từ bản chính"])
        self.keys(Keys.ENTER)
        self.wait_for(lambda: "Chứng thực bản sao" in self.text("procedure-chosen"), "the procedure chosen")
        self.assertEqual(self.focused().get_attribute("data-role"), "applicant-name")
        self.assertEqual([e.get_attribute("data-document") for e in
                          d.find_elements(By.CSS_SELECTOR, "[data-document]")],
                         ["Bản chính giấy tờ", "Bản sao cần chứng thực"])
        self.assertEqual(self.el("fee").get_attribute("value"), "2.000 đồng/trang")
        # The due date is shown before she submits, from the register's calendar.
        self.wait_for(lambda: re.match(r"\d\d:\d\d \d\d/\d\d/\d{4}", self.text("due")), "the due date shown")
        shown_due = self.text("due")

        self.keys("Trần Văn Bình", Keys.TAB, "001085012345", Keys.TAB, "0912345678")
        self.keys(Keys.ENTER)  # submits the form
        self.wait_for(lambda: self.el("received").is_displayed(), "the dossier code")
        code = self.text("received-code")
        self.assertRegex(code, r"^000\.00\.00\.H99-\d{6}-0001$")
        dossier = o.ctl("dossier", "show", code)
        self.assertEqual(dossier["applicant"]["name"], "Trần Văn Bình")
        self.assertEqual(dossier["applicant"]["id_number"], "001085012345")
        self.assertEqual(dossier["procedure_code"], "2.000908.000.00.00.H00")
        self.assertEqual(dossier["ticket"], first["ticket"])
        self.assertEqual(dossier["counter"], 1)
        self.assertEqual(dossier["officer"], "Nguyễn Thị Lan")
        self.assertEqual(dossier["documents"], ["Bản chính giấy tờ", "Bản sao cần chứng thực"])
        self.assertEqual(dossier["due_form"], shown_due)
        actor = o.sql("SELECT json_extract(payload, '$.actor') FROM journal WHERE kind = 'dossier.received'")
        self.assertEqual(actor, [("user:" + CLERK,)])

        # The receipt on the counter's thermal printer: the focus is on its button.
        self.assertEqual(self.focused().get_attribute("data-role"), "print-receipt")
        self.keys(Keys.ENTER)
        jobs = o.printed(1)
        slip = jobs[0]
        self.assertEqual(slip.get("problems", []), [], slip)
        text = re.sub(r"\s+", " ", slip["text"])
        self.assertIn("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", text)
        self.assertIn("Mã hồ sơ: " + code, text)
        due = re.match(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)", dossier["due_at"]).groups()
        due_words = "%s giờ %s phút, ngày %s/%s/%s" % (due[3], due[4], due[2], due[1], due[0])
        self.assertIn("Thời gian hẹn trả kết quả: " + due_words, text)
        self.assertIn("1. Bản chính giấy tờ", text)
        self.assertIn("2. Bản sao cần chứng thực", text)
        self.assertIn("Trần Văn Bình", text)
        self.wait_for(lambda: "Đã in" in self.text("live"), "the print announced")

        # Its A4 page in a new tab, from the next button.
        main = d.current_window_handle
        self.keys(Keys.TAB)
        self.assertEqual(self.focused().get_attribute("data-role"), "open-receipt")
        self.keys(Keys.ENTER)
        self.wait_for(lambda: len(d.window_handles) == 2, "the form's tab")
        d.switch_to.window([h for h in d.window_handles if h != main][0])
        self.wait_for(lambda: code in d.find_element(By.CSS_SELECTOR, role("form-page")).text, "the A4 page")
        page = d.find_element(By.CSS_SELECTOR, role("form-page")).text
        self.assertIn("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", page)
        self.assertIn("Bản sao cần chứng thực", page)
        self.assertIn(due_words, page)
        self.assertEqual(self.browser_problems(), [])
        d.close()
        d.switch_to.window(main)

        # The same clerk's forged request for counter 2: refused by the server.
        forged = d.execute_async_script(API, "open", {"counter": 2, "officer": "Kẻ giả mạo"})
        self.assertFalse(forged["ok"], forged)
        self.assertEqual(forged["code"], "forbidden")
        forged = d.execute_async_script(API, "next", {"counter": 2})
        self.assertEqual(forged["code"], "forbidden")
        self.assertEqual(o.ctl("status")["counters"][1]["state"], "closed")

        # The register view lists her dossier; its timeline and control slip open.
        self.alt("l")
        self.assertEqual(self.focused().get_attribute("data-role"), "reg-scope")
        self.wait_for(lambda: d.find_elements(By.CSS_SELECTOR, '[data-open="%s"]' % code), "the dossier listed")
        d.find_element(By.CSS_SELECTOR, '[data-open="%s"]' % code).send_keys(Keys.ENTER)
        self.wait_for(lambda: self.el("detail").is_displayed(), "the dossier's detail")
        self.wait_for(lambda: "In phiếu" in self.text("timeline"), "the timeline")
        timeline = self.text("timeline").split("\n")
        self.assertEqual(len(timeline), 2, timeline)
        self.assertIn("Tiếp nhận, hẹn trả", timeline[0])
        self.assertIn("(Nguyễn Thị Lan, quầy 1, user:%s)" % CLERK, timeline[0])
        self.assertIn("In phiếu, giấy tiếp nhận trên máy in quay-1", timeline[1])
        self.assertIn("user:" + CLERK, timeline[1])
        # Nothing refused by the content policy; the only failed loads are the forged requests.
        self.assertEqual(self.browser_problems(allowed=("/api/v1/open - Failed to load resource: the server responded "
                                                        "with a status of 403", "/api/v1/next - Failed to load "
                                                        "resource: the server responded with a status of 403")), [])

    def test_keypad_and_soft_keypad_next_at_once(self):
        o, d = self.office, self.driver
        tickets = [o.ctl("issue", "TP") for _ in range(7)]
        self.sign_in_to_clerk_screen()
        self.open_counter_by_keyboard("Lan")
        d.execute_script("document.activeElement.blur()")
        for _ in range(3):
            before = o.sql("SELECT count(*) FROM journal WHERE kind = 'called'")[0][0]
            press = o.press_async(1, "next")  # the hardware keypad of counter 1, over the bus
            self.keys("n")                     # and the soft keypad, at the same moment
            out, err = press.communicate(timeout=LIMIT)
            self.assertEqual(press.returncode, 0, out + err)
            eventually(lambda: o.sql("SELECT count(*) FROM journal WHERE kind = 'called'")[0][0] == before + 2,
                       "two calls")
        calls = o.sql("SELECT seq, ticket, json_extract(payload, '$.actor') FROM journal "
                      "WHERE kind = 'called' ORDER BY seq")
        called = [t for _, t, _ in calls]
        self.assertEqual(len(called), 6)
        self.assertEqual(len(set(called)), 6, "a ticket was called twice: %s" % calls)
        self.assertEqual(called, [t["ticket"] for t in tickets[:6]], "calls out of order: %s" % calls)
        actors = {a for _, _, a in calls}
        self.assertIn("user:" + CLERK, actors)
        self.assertTrue(any(a.startswith("device:bus-1/") for a in actors), actors)
        # Every ticket called but the last was finished by the next NEXT, once.
        done = [t for (t,) in o.sql("SELECT ticket FROM journal WHERE kind = 'done' ORDER BY seq")]
        self.assertEqual(done, called[:5])
        self.wait_for(lambda: self.text("held") == tickets[5]["label"], "the page showing the last call")
        self.wait_for(lambda: self.text("waiting") == "1", "one left waiting")

    def test_accessibility_tree_names_every_control(self):
        d = self.driver
        self.sign_in_to_clerk_screen()
        tree = d.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]

        def value(node, key):
            return (node.get(key) or {}).get("value")

        controls = {"button", "textbox", "combobox", "listbox", "checkbox", "spinbutton", "searchbox",
                    "option", "link", "radio", "menuitem", "slider"}
        unnamed = [(value(n, "role"), n.get("backendDOMNodeId")) for n in tree
                   if not n.get("ignored") and value(n, "role") in controls and not (value(n, "name") or "").strip()]
        self.assertEqual(unnamed, [], "controls without an accessible name")
        named = {(value(n, "role"), value(n, "name")) for n in tree if not n.get("ignored")}
        for name in ("N Gọi số tiếp theo", "R Gọi lại", "V Vắng mặt", "D Xong", "T Chuyển…", "P Tạm dừng…",
                     "U Tiếp tục", "O Mở quầy", "C Đóng quầy", "Tiếp nhận hồ sơ"):
            self.assertIn(("button", name), named)
        for r, name in (("combobox", "Thủ tục (mã hoặc tên, gõ có dấu hoặc không dấu)"),
                        ("textbox", "Họ và tên (bắt buộc)"), ("textbox", "Số định danh / CCCD"),
                        ("combobox", "Hình thức nộp"), ("combobox", "Nhận kết quả"),
                        ("spinbutton", "Số bộ hồ sơ"), ("textbox", "Tên cán bộ trên bảng")):
            self.assertIn((r, name), named)

        # The controls are reached with Tab alone, in the order they are shown.
        d.execute_script("document.querySelector('[data-cmd=\"next\"]').focus()")
        reached = []
        for _ in range(40):
            reached.append(self.focused().get_attribute("data-cmd") or self.focused().get_attribute("data-role"))
            self.keys(Keys.TAB)
        for stop in ("next", "recall", "no-show", "done", "transfer", "pause", "resume", "open", "close",
                     "procedure-search", "applicant-name", "applicant-id", "channel", "delivery", "sets"):
            self.assertIn(stop, reached)
        self.assertLess(reached.index("close"), reached.index("procedure-search"))
        # A panel opened by its key is left with Escape, the focus back on its button.
        d.execute_script("document.activeElement.blur()")
        self.keys("p")
        self.wait_for(lambda: self.el("pause-panel").is_displayed(), "the pause panel")
        self.assertEqual(self.focused().get_attribute("data-role"), "pause-reason")
        self.keys(Keys.ESCAPE)
        self.wait_for(lambda: not self.el("pause-panel").is_displayed(), "the panel closed")
        self.assertEqual(self.focused().get_attribute("data-cmd"), "pause")

    def test_measure_soft_next(self):
        """Soft keypad NEXT → its answer shown, 100 presses (figures printed, not asserted)."""
        o, d = self.office, self.driver
        self.sign_in_to_clerk_screen()
        self.open_counter_by_keyboard("Lan")
        count = 100
        issued = d.execute_async_script("""
            var n = arguments[0], done = arguments[arguments.length - 1];
            import('/console/console.js').then(async function (m) {
              for (var i = 0; i < n; i++) await m.api('issue', {service: 'TP'});
              done(n);
            }, function (e) { done(String(e)); });""", count + 1)
        self.assertEqual(issued, count + 1)
        d.execute_script("document.activeElement.blur()")
        result = d.execute_async_script(MEASURE_NEXT, count)
        self.assertEqual(result["errors"], 0)
        times = sorted(result["times"])
        p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
        print("\nsoft keypad NEXT -> answer on the page, %d presses: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
              % (len(times), p(0.50), p(0.99), times[-1]))
        self.assertEqual(len(o.sql("SELECT 1 FROM journal WHERE kind = 'called'")), count)


if __name__ == "__main__":
    unittest.main(verbosity=2)
