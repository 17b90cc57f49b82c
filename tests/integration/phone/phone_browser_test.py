#!/usr/bin/env python3
"""The phone page in a real browser (headless Debian chromium through chromium-driver and
python3-selenium, a phone-sized window): the page of a ticket shows its position, then the
call (and asks the phone to vibrate), then takes one rating by keyboard and refuses a
second. Against a real motcuad; every wait polls with a generous deadline."""

import json
import os
import shutil
import tempfile
import unittest

from office import LIMIT, Office, token_of

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

# Records the page's vibration requests: headless chromium has no motor to ask.
RECORD_VIBRATIONS = """
window.__vibrations = [];
Object.defineProperty(navigator, 'vibrate', {
  configurable: true,
  value: function (pattern) { window.__vibrations.push(pattern); return true; }
});
"""


def role(name):
    return '[data-role="%s"]' % name


class PhoneInBrowser(unittest.TestCase):
    def setUp(self):
        self.office = Office()
        self.addCleanup(self.office.close)
        self.office.start()
        profile = tempfile.mkdtemp(prefix="motcua-chromium-")
        self.addCleanup(shutil.rmtree, profile, ignore_errors=True)
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--user-data-dir=" + profile):
            options.add_argument(arg)
        options.add_experimental_option("mobileEmulation",
                                        {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2}})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.addCleanup(self.driver.quit)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIBRATIONS})

    def wait_for(self, check, what):
        try:
            return WebDriverWait(self.driver, LIMIT, poll_frequency=0.05).until(lambda d: check())
        except Exception as e:
            raise AssertionError("gave up waiting for %s; page: %s; log:\n%s" % (
                what, self.driver.find_element(By.TAG_NAME, "body").text, self.office.log()[-3000:])) from e

    def attr(self, name, attribute):
        return self.driver.find_element(By.CSS_SELECTOR, role(name)).get_attribute(attribute)

    def text(self, name):
        return self.driver.find_element(By.CSS_SELECTOR, role(name)).text

    def test_position_then_call_then_one_rating(self):
        o = self.office
        first = o.ctl("issue", "TP")
        mine = o.ctl("issue", "TP", "--kiosk", "K1")
        url = o.printed(1)[0]["qr"][0]  # what the citizen's camera reads
        self.assertEqual(url, mine["status_url"])
        d = self.driver
        d.get(url)

        # Waiting, one citizen ahead, no counter open yet.
        self.wait_for(lambda: self.attr("state", "data-state") == "waiting", "the waiting state")
        self.wait_for(lambda: self.text("ahead") == "1", "one ahead")
        self.assertEqual(self.text("label"), mine["label"])
        self.assertEqual(self.text("service"), "Tư pháp – Hộ tịch")
        self.assertIn("chưa có quầy", self.text("estimate"))

        # Counter 3 opens and calls the first citizen: nobody is ahead any more.
        o.ctl("open", "3", "--officer", "binh")
        o.ctl("call", "3")
        self.wait_for(lambda: self.text("ahead") == "0", "nobody ahead")
        self.assertEqual(self.attr("estimate", "data-kind"), "next")
        self.assertEqual(d.execute_script("return window.__vibrations.length"), 0)

        # The call: prominent, with the counter's name, and a vibration.
        o.ctl("done", "3")
        called = o.ctl("call", "3")
        self.assertEqual(called["ticket"]["ticket"], mine["ticket"])
        self.wait_for(lambda: self.attr("state", "data-state") == "called", "the call")
        self.assertEqual(self.text("called"), "Mời bạn đến Quầy 3 – Hộ tịch")
        self.assertEqual(self.attr("counter", "data-counter"), "3")
        self.wait_for(lambda: d.execute_script("return window.__vibrations.length") == 1, "one vibration")
        self.assertFalse(d.find_element(By.CSS_SELECTOR, role("rating")).is_displayed())

        # Done: the rating is offered; the citizen gives it with the keyboard.
        o.ctl("done", "3")
        self.wait_for(lambda: self.attr("rating", "data-state") == "open", "the rating offered")
        buttons = d.find_elements(By.CSS_SELECTOR, role("rate"))
        self.assertEqual([b.text for b in buttons], ["Rất hài lòng", "Hài lòng", "Không hài lòng"])
        buttons[0].send_keys(Keys.ENTER)
        self.wait_for(lambda: self.attr("rating", "data-state") == "given", "the rating taken")
        self.assertIn("Cảm ơn", self.text("rating-message"))
        self.assertFalse(any(b.is_displayed() for b in d.find_elements(By.CSS_SELECTOR, role("rate"))))

        # A second rating from the same page is refused, and the page, loaded again, offers none.
        status = d.execute_async_script("""
            var done = arguments[arguments.length - 1];
            fetch(location.pathname.replace('/t/', '/api/t/') + '/rating', {
              method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({score: 1})
            }).then(function (r) { done(r.status); }, function () { done(0); });""")
        self.assertEqual(status, 409)
        d.refresh()
        self.wait_for(lambda: self.attr("state", "data-state") == "done", "the page again")
        self.wait_for(lambda: self.attr("rating", "data-state") == "given", "the rating shown as given")
        self.assertFalse(any(b.is_displayed() for b in d.find_elements(By.CSS_SELECTOR, role("rate"))))
        rows = o.sql("SELECT json_extract(payload, '$.score'), json_extract(payload, '$.source') "
                     "FROM journal WHERE kind = 'rating.given'")
        self.assertEqual(rows, [(3, "phone")])

        # Nothing was blocked by the page's security policy, nothing came from elsewhere.
        # (The refused second rating is logged as a failed load; a browser asks for
        # /favicon.ico on its own.)
        problems = [e["message"] for e in d.get_log("browser")
                    if e["level"] == "SEVERE" and "/rating" not in e["message"] and "/favicon.ico" not in e["message"]]
        self.assertEqual(problems, [])
        self.assertNotIn(token_of(url), o.log())

    def test_an_unknown_link_shows_the_404_page(self):
        self.driver.get(self.office.base + "/t/AAAAAAAAAAAAAAAAAAAAAAAA")
        self.wait_for(lambda: self.driver.find_elements(By.CSS_SELECTOR, role("not-found")), "the 404 page")
        self.assertIn("Không tìm thấy số thứ tự này", self.driver.find_element(By.TAG_NAME, "h1").text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
