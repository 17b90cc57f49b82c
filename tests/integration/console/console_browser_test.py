#!/usr/bin/env python3
"""The console's sign-in page in a real browser (headless Debian chromium through
chromium-driver and python3-selenium, trusting the self-signed certificate only through
--ignore-certificate-errors): a wrong password is said in the live region and the focus
goes back to the password; a clerk who signs in with the keyboard alone lands on her
screen, and a signed-in user who opens the sign-in page again goes straight there. The
form's controls have the names and roles a screen reader reads (the accessibility tree)."""

import unittest

from console_office import LIMIT, PASSWORD, ConsoleOffice, ax_nodes, chromium, close_chromium

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


class SignInPage(unittest.TestCase):
    def setUp(self):
        self.office = ConsoleOffice()
        self.addCleanup(self.office.close)
        self.office.start()
        self.office.add_user("lan", "clerk", "1")
        self.driver = chromium()
        self.addCleanup(close_chromium, self.driver)

    def wait_for(self, check, what):
        try:
            return WebDriverWait(self.driver, LIMIT, poll_frequency=0.05).until(lambda d: check())
        except Exception as e:
            raise AssertionError("gave up waiting for %s; at %s; page: %s; console: %s" % (
                what, self.driver.current_url, self.driver.find_element(By.TAG_NAME, "body").text,
                self.driver.get_log("browser"))) from e

    def test_sign_in_with_the_keyboard_and_land_on_the_clerk_screen(self):
        d = self.driver
        base = self.office.console_base
        d.get(base + "/")  # the bare address leads to the sign-in page
        self.wait_for(lambda: d.current_url == base + "/console/", "the sign-in page")
        self.wait_for(lambda: d.switch_to.active_element.get_attribute("id") == "user", "the focus on the user name")

        names = ax_nodes(d)
        self.assertIn(("textbox", "Tên đăng nhập"), names)
        self.assertIn(("textbox", "Mật khẩu"), names)
        self.assertIn(("button", "Đăng nhập"), names)
        self.assertIn(("heading", "Bàn làm việc một cửa"), names)

        # A wrong password: said in the live region, the focus back on the password.
        active = d.switch_to.active_element
        active.send_keys("lan", Keys.TAB)
        d.switch_to.active_element.send_keys("khong-phai-mat-khau", Keys.ENTER)
        region = d.find_element(By.ID, "announce")
        self.assertEqual(region.get_attribute("aria-live"), "polite")
        self.wait_for(lambda: "Sai tên đăng nhập hoặc mật khẩu" in region.text, "the error in the live region")
        self.assertEqual(region.get_attribute("data-kind"), "error")
        self.assertEqual(d.switch_to.active_element.get_attribute("id"), "password")
        self.assertEqual(d.find_element(By.ID, "password").get_attribute("value"), "")

        # The right one, with Enter: the clerk's screen (its page is the clerk helper's; the
        # address is what this test asserts).
        d.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)
        self.wait_for(lambda: d.current_url == base + "/console/clerk.html", "the clerk's screen")
        cookies = {c["name"]: c for c in d.get_cookies()}
        session = cookies["motcua_session"]
        self.assertTrue(session["httpOnly"])
        self.assertTrue(session["secure"])
        self.assertEqual(session["sameSite"], "Strict")
        self.assertEqual(d.execute_script("return document.cookie"), "")  # HttpOnly: no script reads it

        # Signed in, the sign-in page sends her on; console.js from a page of the box works.
        d.get(base + "/console/")
        self.wait_for(lambda: d.current_url == base + "/console/clerk.html", "the redirect of a signed-in clerk")
        d.get(base + "/console/nothing.html")  # a page of the box that goes nowhere by itself
        me = d.execute_async_script("""
            const done = arguments[arguments.length - 1];
            import('/console/console.js').then(async (c) => {
              const user = await c.me();
              const status = await c.api('status', {});
              let refused = null;
              try { await c.api('next', {counter: 2}); } catch (e) { refused = e.code; }
              await c.logout();
              done({user: user.user, counters: user.counters, services: status.services.length, refused,
                    after: await c.me()});
            }).catch((e) => done({error: String(e)}));
        """)
        self.assertEqual(me, {"user": "lan", "counters": [1], "services": 1, "refused": "forbidden", "after": None})


if __name__ == "__main__":
    unittest.main()
