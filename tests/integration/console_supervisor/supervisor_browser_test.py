#!/usr/bin/env python3
"""The supervisor's and the technician's screens in headless Debian chromium (python3-selenium,
chromium-driver) against a real motcuad and motcua-sim over HTTPS:
  - the report page for a period shows the figures of `motcuactl report --json` for it, and
    the .xlsx it downloads (when the daemon has report.export) holds them;
  - the office now: counters, waiting per service, devices, live over the event stream;
  - the technician's page lists the simulated devices by bus with their states, runs a
    display test and a printer test page (decoded by the simulator), shows the config and
    checks the file on disk;
  - a clerk is refused report and bus.scan by the server itself;
  - both screens work from the keyboard alone and name their controls in the
    accessibility tree.
Load times (navigation → data shown) are printed, never asserted."""

import os
import re
import shutil
import tempfile
import time
import unittest
import zipfile
from xml.etree import ElementTree

from supervisor_office import (LIMIT, ConsoleOffice, ax_nodes, browser_sign_in, chromium, close_chromium,
                            eventually)

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

PERIOD = ("2025-11-01", "2025-11-30")


def role(name):
    return '[data-role="%s"]' % name


def number(text):
    return float(text) if text not in ("", None) else None


class Screens(unittest.TestCase):
    """One office for every test: starting motcuad, the simulator and chromium is the slow part."""

    @classmethod
    def setUpClass(cls):
        cls.office = ConsoleOffice()
        try:
            cls.office.start()
            cls.seed(cls.office)
        except Exception:
            cls.office.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.office.close()

    @staticmethod
    def seed(o):
        o.add_user("giam.sat", "supervisor")
        o.add_user("ky.thuat", "technician")
        o.add_user("lan.nguyen", "clerk", "1")
        o.import_dossiers()
        # The queue of 20 November 2025: served, rated, a no-show, some still waiting.
        o.ctl("open", "1", "--officer", "cb-hoa")
        o.ctl("open", "2", "--officer", "cb-nam")
        for service in ("TP", "TP", "DD", "TP", "DD", "TP", "DD"):
            o.ctl("issue", service)
        for counter, score in ((1, 3), (2, 2), (1, 1), (2, 3)):
            called = o.ctl("call", str(counter))
            o.ctl("done", str(counter))
            o.ctl("rate", str(called["ticket"]["ticket"]), str(score))
        o.ctl("call", "1")
        o.ctl("no-show", "1")
        o.ctl("call", "2")  # counter 2 holds a ticket; two wait

    def setUp(self):
        self.downloads = tempfile.mkdtemp(prefix="motcua-downloads-")
        self.addCleanup(shutil.rmtree, self.downloads, ignore_errors=True)
        self.driver = chromium(self.downloads)
        self.addCleanup(close_chromium, self.driver)

    # --- helpers -------------------------------------------------------------------------

    def wait_for(self, check, what):
        try:
            return WebDriverWait(self.driver, LIMIT, poll_frequency=0.05).until(lambda d: check())
        except Exception as e:
            raise AssertionError("gave up waiting for %s; page: %s; browser log: %s; motcuad: %s" % (
                what, self.driver.find_element(By.TAG_NAME, "body").text[:3000], self.driver.get_log("browser"),
                self.office.log()[-2000:])) from e

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def mark_ms(self, prefix):
        """ms from navigation start to the page's performance mark starting with `prefix`."""
        return self.driver.execute_script(
            "var prefix = arguments[0];"
            "var m = performance.getEntriesByType('mark').filter(function (e) { return e.name.indexOf(prefix) === 0; });"
            "return m.length ? m[m.length - 1].startTime : null;", prefix)

    def type_date(self, field, iso):
        """Types a date into a date input the way a person does: digits in the order of the
        browser's locale (dd/mm/yyyy in Vietnamese), starting from its first part."""
        order = self.driver.execute_script(
            "return new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2025, 10, 1))"
            ".filter(function (p) { return p.type !== 'literal'; }).map(function (p) { return p.type; });")
        year, month, day = iso.split("-")
        parts = {"year": year, "month": month, "day": day}
        self.driver.execute_script("arguments[0].value = ''; arguments[0].focus();", field)
        field.send_keys("".join(parts[p] for p in order))
        self.assertEqual(field.get_attribute("value"), iso)

    def rows(self, table_css):
        """The rows of a table read in one go (the live page redraws them as events come):
        {row key: {"_state": data-state, field: {"value": data-value, "text": text}}}."""
        return self.driver.execute_script("""
            var out = {};
            document.querySelectorAll(arguments[0] + ' tbody tr[data-key]').forEach(function (tr) {
              var row = {_state: tr.getAttribute('data-state')};
              tr.querySelectorAll('[data-field]').forEach(function (c) {
                row[c.getAttribute('data-field')] = {value: c.getAttribute('data-value'), text: c.textContent};
              });
              out[tr.getAttribute('data-key')] = row;
            });
            return out;""", table_css)

    def table_values(self, table_css):
        """{row key: {field: data-value}} of a figures table."""
        return {key: {f: v["value"] for f, v in row.items() if f != "_state"}
                for key, row in self.rows(table_css).items()}

    def cell_text(self, table_css, key, field):
        row = self.rows(table_css).get(key)
        return row[field]["text"] if row and field in row else None

    def row_state(self, table_css, key):
        row = self.rows(table_css).get(key)
        return row["_state"] if row else None

    def assert_figures(self, shown, report_part, fields):
        """Every row (and the total, key "") of a `report` part as shown on the page."""
        expected = {r["key"]: r for r in report_part["rows"]}
        expected[""] = report_part["total"]
        self.assertEqual(sorted(shown), sorted(expected))
        for key, want in expected.items():
            for field, path in fields.items():
                value = want
                for part in path.split("."):
                    value = value[part]
                self.assertAlmostEqual(number(shown[key][field]), float(value), places=6,
                                       msg="%s of row %r" % (field, key))

    def open_supervisor(self, fragment=""):
        browser_sign_in(self.driver, self.office, "giam.sat")
        self.driver.get(self.office.console_base + "/console/supervisor.html" + fragment)

    def open_technician(self):
        browser_sign_in(self.driver, self.office, "ky.thuat")
        self.driver.get(self.office.console_base + "/console/technician.html")
        self.wait_for(lambda: self.find("body").get_attribute("data-ready") == "all", "the technician's page")

    def report_shown(self, period):
        box = self.find(role("report"))
        return box.get_attribute("data-from") == period[0] and box.get_attribute("data-to") == period[1] and \
            box.get_attribute("aria-busy") == "false"

    # --- the supervisor's reports ------------------------------------------------------------

    def test_report_page_shows_the_figures_of_motcuactl_report(self):
        o = self.office
        self.open_supervisor("#reports/%s/%s" % PERIOD)
        self.wait_for(lambda: self.report_shown(PERIOD), "the report of November 2025")
        print("\nreport page, one month: %.0f ms from navigation to the tables shown"
              % self.mark_ms("motcua:report-shown"))

        by_field = o.ctl("report", "--from", PERIOD[0], "--to", PERIOD[1], "--by", "field")
        by_officer = o.ctl("report", "--from", PERIOD[0], "--to", PERIOD[1], "--by", "officer")
        by_counter = o.ctl("report", "--from", PERIOD[0], "--to", PERIOD[1], "--by", "counter")
        by_service = o.ctl("report", "--from", PERIOD[0], "--to", PERIOD[1], "--by", "service")
        # The data is there to compare: dossiers of both fields, ratings, served tickets.
        self.assertEqual(by_field["dossiers"]["total"]["received"], 7)
        self.assertGreater(by_field["dossiers"]["total"]["late"], 0)
        self.assertEqual(by_field["satisfaction"]["total"]["votes"], 4)
        self.assertEqual(by_field["queue"]["total"]["served"], 4)

        dossier_fields = {f: f for f in ("received_total", "carried_over", "received_online", "received_direct_postal",
                                         "resolved", "early", "on_time", "late", "in_progress", "within_due",
                                         "over_due", "on_time_rate", "qd766_rate", "online_share")}
        self.assert_figures(self.table_values(role("ii06a")), by_field["dossiers"], dossier_fields)
        satisfaction_fields = {f: f for f in ("votes", "very_satisfied", "satisfied", "dissatisfied",
                                              "satisfied_share")}
        self.assert_figures(self.table_values(role("satisfaction-field")), by_field["satisfaction"],
                            satisfaction_fields)
        self.assert_figures(self.table_values(role("satisfaction-officer")), by_officer["satisfaction"],
                            satisfaction_fields)
        self.assert_figures(self.table_values(role("satisfaction-counter")), by_counter["satisfaction"],
                            satisfaction_fields)
        queue_fields = {"issued": "issued", "served": "served", "no_show": "no_show", "wait_mean_s": "wait.mean_s",
                        "wait_p90_s": "wait.p90_s", "service_mean_s": "service.mean_s",
                        "service_p90_s": "service.p90_s"}
        self.assert_figures(self.table_values(role("queue-service")), by_service["queue"], queue_fields)
        rates = {dd.get_attribute("data-field"): number(dd.get_attribute("data-value"))
                 for dd in self.finds(role("rates") + " dd")}
        self.assertAlmostEqual(rates["on_time_rate"], by_field["dossiers"]["total"]["on_time_rate"])
        self.assertAlmostEqual(rates["qd766_rate"], by_field["dossiers"]["total"]["qd766_rate"])
        self.assertAlmostEqual(rates["online_share"], by_field["dossiers"]["total"]["online_share"])
        self.assertAlmostEqual(rates["satisfied_share"], by_field["satisfaction"]["total"]["satisfied_share"])
        # People read the figures too: the total row's received count as text.
        total = self.find(role("ii06a") + " tr[data-total] td[data-field=received_total]")
        self.assertEqual(total.text, str(by_field["dossiers"]["total"]["received_total"]))

        has_hours = self.finds(role("queue-hour"))
        if has_hours:  # report by=hour (the reports' work) is in this daemon; motcuactl has no --by hour
            status, answer = o.api(o.sign_in("giam.sat"), "report", {"from": PERIOD[0], "to": PERIOD[1], "by": "hour"})
            self.assertEqual(status, 200, answer)
            by_hour = answer["result"]
            self.assert_figures(self.table_values(role("queue-hour")), by_hour["queue"], queue_fields)

        if self.export_available():
            self.check_xlsx_download(by_field)
        else:
            print("report.export is not in this daemon: the .xlsx download is not checked")

    def export_available(self):
        session = self.office.sign_in("giam.sat")
        status, answer = self.office.api(session, "report.export",
                                         {"from": PERIOD[0], "to": PERIOD[1], "format": "csv"})
        return status != 404

    def check_xlsx_download(self, by_field):
        self.find(role("download-xlsx")).send_keys(Keys.ENTER)
        path = eventually(lambda: next((os.path.join(self.downloads, f) for f in os.listdir(self.downloads)
                                        if f.endswith(".xlsx")), None), "the downloaded .xlsx")
        eventually(lambda: zipfile.is_zipfile(path), "a whole .xlsx file")
        with zipfile.ZipFile(path) as book:
            names = book.namelist()
            self.assertIn("xl/workbook.xml", names)
            shared = []
            if "xl/sharedStrings.xml" in names:
                root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
                shared = ["".join(t.text or "" for t in si.iter() if t.tag.endswith("}t"))
                          for si in root if si.tag.endswith("}si")]
            cells = []
            for name in names:
                if name.startswith("xl/worksheets/sheet"):
                    root = ElementTree.fromstring(book.read(name))
                    for c in root.iter():
                        if not c.tag.endswith("}c"):
                            continue
                        v = next((x for x in c if x.tag.endswith("}v")), None)
                        inline = next((x for x in c if x.tag.endswith("}is")), None)
                        if c.get("t") == "s" and v is not None:
                            cells.append(shared[int(v.text)])
                        elif inline is not None:
                            cells.append("".join(t.text or "" for t in inline.iter() if t.tag.endswith("}t")))
                        elif v is not None:
                            cells.append(v.text)
        text = set(cells)
        # Vietnamese headers, every field, and the II.06a totals among the numbers.
        self.assertTrue(any("Lĩnh vực" in c for c in text), sorted(text)[:40])
        for row in by_field["dossiers"]["rows"]:
            self.assertIn(row["key"], text)
        numbers = {float(c) for c in cells if re.fullmatch(r"-?\d+(\.\d+)?", c or "")}
        total = by_field["dossiers"]["total"]
        for key in ("received_total", "resolved", "early", "on_time", "late", "in_progress"):
            self.assertIn(float(total[key]), numbers, key)

    def test_period_shortcuts_and_keyboard_alone(self):
        d = self.driver
        self.open_supervisor()
        self.wait_for(lambda: self.find("body").get_attribute("data-ready") == "all", "the office now")
        body = self.find("body")
        body.send_keys(Keys.ALT, "2")
        self.wait_for(lambda: self.find(role("reports")).is_displayed(), "the reports tab")
        self.assertEqual(d.switch_to.active_element.get_attribute("id"), "reports-heading")
        # Tab to "Năm trước" and press it: the whole year before the browser's date, shown.
        for _ in range(12):
            d.switch_to.active_element.send_keys(Keys.TAB)
            if d.switch_to.active_element.text == "Năm trước":
                break
        self.assertEqual(d.switch_to.active_element.text, "Năm trước")
        d.switch_to.active_element.send_keys(Keys.ENTER)
        year = d.execute_script("return new Date().getFullYear()") - 1
        period = ("%d-01-01" % year, "%d-12-31" % year)
        self.wait_for(lambda: self.report_shown(period), "the year's report")
        # Typed dates and Alt+R: the period of the seeded data.
        self.type_date(self.find(role("from")), PERIOD[0])
        end = self.find(role("to"))
        self.type_date(end, PERIOD[1])
        end.send_keys(Keys.ALT, "r")
        self.wait_for(lambda: self.report_shown(PERIOD), "the typed period's report")
        self.assertIn(PERIOD[0], d.current_url)
        # Back to the office now with Alt+1.
        d.switch_to.active_element.send_keys(Keys.ALT, "1")
        self.wait_for(lambda: self.find(role("now")).is_displayed(), "the office now again")
        # The accessible names and roles of the controls.
        nodes = set(ax_nodes(d))
        for expected in (("link", "Văn phòng lúc này Alt+1"), ("link", "Báo cáo Alt+2"),
                         ("button", "Đăng xuất Alt+Q")):
            self.assertIn(expected, nodes)
        body.send_keys(Keys.ALT, "2")
        self.wait_for(lambda: self.find(role("reports")).is_displayed(), "the reports tab")
        nodes = set(ax_nodes(d))
        for expected in (("button", "Tháng này"), ("button", "Quý trước"), ("button", "Năm nay"),
                         ("button", "Xem báo cáo Alt+R"), ("button", "Tải bảng tính .xlsx"), ("button", "Tải CSV")):
            self.assertIn(expected, nodes)
        names = {name for r, name in nodes if r in ("textbox", "date", "DateTimeField", "InputTime")}
        roles_by_name = {name: r for r, name in nodes}
        self.assertIn("Từ ngày", roles_by_name, names)
        self.assertIn("Đến ngày", roles_by_name)
        self.assertIn(("table", ""), {(r, "") for r, _ in nodes})
        self.assertIn(("status", ""), {(r, "") for r, _ in nodes})  # the announcements' live region

    # --- the office now --------------------------------------------------------------------

    def test_office_now_is_live(self):
        o = self.office
        self.open_supervisor()
        self.wait_for(lambda: self.find("body").get_attribute("data-ready") == "all", "the office now")
        print("\nsupervisor's office now: %.0f ms from navigation to the counters shown"
              % self.mark_ms("motcua:now-shown"))
        status = o.ctl("status")
        counters = self.rows(role("counters"))
        for c in status["counters"]:
            row = counters[str(c["number"])]
            self.assertEqual(row["_state"], c["state"])
            self.assertEqual(row["officer"]["text"], c["officer"] or "—")
            self.assertEqual(row["ticket"]["text"], c["ticket"]["label"] if c["ticket"] else "—")
        waiting = {key: row["count"]["text"] for key, row in self.rows(role("waiting")).items()}
        self.assertEqual(waiting, {s["id"]: str(len(s["waiting"])) for s in status["services"]})
        # Devices and the printer, with their states.
        devices = {key: row["_state"] for key, row in self.rows(role("devices")).items()}
        self.assertIn("bus-1/display-1", devices)
        self.assertIn("bus-2/keypad-2", devices)
        self.assertIn("printer/p1", devices)
        self.wait_for(lambda: self.row_state(role("devices"), "bus-1/display-1") == "online", "display-1 online")
        # Today's figures (the daemon's business day).
        today = self.driver.execute_script(
            "var out = {}; document.querySelectorAll('[data-role=today] dd').forEach(function (dd) {"
            " out[dd.getAttribute('data-field')] = dd.getAttribute('data-value'); }); return out;")
        day = status["business_day"]
        report = o.ctl("report", "--from", day, "--to", day)
        self.assertEqual(int(today["issued"]), report["queue"]["total"]["issued"])
        self.assertEqual(int(today["served"]), report["queue"]["total"]["served"])
        # The upload to the province, as `central.status` says: this office has no [central].
        self.assertFalse(o.ctl("central", "status")["enabled"])
        self.wait_for(lambda: self.find(role("central")).get_attribute("data-state") == "off", "the upload's line")
        self.assertIn("[central]", self.find(role("central")).text)

        # Live: a ticket taken now shows in the waiting count without a reload.
        before = int(self.cell_text(role("waiting"), "TP", "count"))
        o.ctl("issue", "TP")
        self.wait_for(lambda: self.cell_text(role("waiting"), "TP", "count") == str(before + 1),
                      "the new ticket counted live")
        self.wait_for(lambda: self.driver.execute_script(
            "var dd = document.querySelector('[data-role=today] dd[data-field=issued]');"
            "return dd && dd.getAttribute('data-value');") == str(report["queue"]["total"]["issued"] + 1),
            "today's figures live")
        # A device going silent shows as offline, live.
        o.simctl("fault", "keypad-2", "--silent")
        self.wait_for(lambda: self.row_state(role("devices"), "bus-2/keypad-2") == "offline", "keypad-2 offline, live")
        o.simctl("fault", "keypad-2")
        self.wait_for(lambda: self.row_state(role("devices"), "bus-2/keypad-2") not in (None, "offline"),
                      "keypad-2 back")

    # --- the technician ----------------------------------------------------------------------

    def test_technician_devices_display_test_and_printer_test_page(self):
        o = self.office
        d = self.driver
        self.open_technician()
        print("\ntechnician's page: %.0f ms from navigation to the devices shown" % self.mark_ms("motcua:devices-shown"))
        buses = d.execute_script(
            "return Array.from(document.querySelectorAll('[data-role=bus]')).map(function (t) { return t.dataset.bus; });")
        self.assertEqual(buses, ["bus-1", "bus-2"])

        def same_as_the_daemon():
            report = o.ctl("devices")
            for bus in report["buses"]:
                shown = {key: row["_state"] for key, row in self.rows('[data-bus="%s"]' % bus["name"]).items()}
                if shown != {dev["name"]: dev["state"] for dev in bus["devices"]}:
                    return False
            return {key: row["_state"] for key, row in self.rows(role("printers")).items()} == \
                {p["name"]: p["state"] for p in report["printers"]}
        # Every device by bus with the state the daemon reports (the simulated devices may
        # flap between online and degraded on a loaded machine: compared until they agree).
        self.wait_for(same_as_the_daemon, "the devices and states of `motcuactl devices`")
        self.wait_for(lambda: self.row_state(role("printers"), "p1") == "online", "the printer online")

        # The display test, from the keyboard: the counter's select, then Enter on the button.
        select = self.find(role("display-counter"))
        self.assertEqual([opt.get_attribute("value") for opt in select.find_elements(By.TAG_NAME, "option")], ["1", "2"])
        select.send_keys(Keys.ARROW_DOWN)  # counter 2
        self.assertEqual(select.get_attribute("value"), "2")
        select.send_keys(Keys.TAB)
        d.switch_to.active_element.send_keys(Keys.ENTER)
        self.wait_for(lambda: "display-2" in self.find(role("display-result")).text, "the display test's result")
        self.assertIn("quầy 2", self.find(role("display-result")).text)

        # The printer test page: decoded by the simulator with the profile's name in it.
        before = len(o.simctl("tickets", "--printer", "p1").get("tickets", []))
        self.find(role("print-test") + " button[type=submit]").send_keys(Keys.ENTER)
        self.wait_for(lambda: "p1" in self.find(role("print-result")).text and "byte" in
                      self.find(role("print-result")).text, "the test page's result")
        pages = o.printed(before + 1)
        self.assertIn("epson-tm-t20", pages[-1]["text"])
        self.assertIn("Đ", pages[-1]["text"])

        # A bus scan over the first addresses of bus-1 finds its display and keypad.
        first = self.find(role("scan-first"))
        last = self.find(role("scan-last"))
        last.clear()
        last.send_keys("12")
        self.assertEqual(first.get_attribute("value"), "1")
        last.send_keys(Keys.ENTER)
        self.wait_for(lambda: self.finds(role("scan-table")), "the scan's result")
        found = [tr.get_attribute("data-key") for tr in self.finds(role("scan-table") + " tbody tr")]
        self.assertEqual(found, ["1", "11"])

    def test_technician_keypad_watch(self):
        o = self.office
        self.open_technician()
        self.find("body").send_keys(Keys.ALT, "k")
        self.wait_for(lambda: self.find(role("keys-toggle")).get_attribute("aria-pressed") == "true", "the watch on")
        time.sleep(0.5)  # the stream is opened by then on a quiet machine; the press below is retried
        o.ctl("issue", "DD")

        def pressed():
            if not self.finds(role("keys") + " tbody tr"):
                o.simctl("press", "2", "recall")
                return False
            return True
        self.wait_for(pressed, "a key event in the watch")
        row = self.find(role("keys") + " tbody tr")
        self.assertIn("keypad-2", row.text)
        self.assertIn("Quầy 2", row.text)

    def test_technician_config_and_its_check(self):
        o = self.office
        d = self.driver
        self.open_technician()
        self.assertEqual(self.find(role("config-file")).text, o.config)
        view = self.find(role("config-view")).text
        self.assertIn("Tư pháp – Hộ tịch", view)
        self.assertIn("bus-2", view)
        self.find("body").send_keys(Keys.ALT, "c")
        self.wait_for(lambda: self.finds(role("check-ok")), "the check of the valid file")
        self.assertIn("2 dịch vụ, 2 quầy", self.find(role("check-ok")).text)
        # A broken file: the check lists every error with file:line:col; the daemon runs on.
        with open(o.config, encoding="utf-8") as f:
            good = f.read()
        try:
            with open(o.config, "w", encoding="utf-8") as f:
                f.write(good.replace('policy = "strict"', 'policy = "fastest"').replace("slave = 12", "slave = 300"))
            self.find(role("config-check")).send_keys(Keys.ENTER)
            self.wait_for(lambda: self.finds(role("diagnostics") + " li"), "the diagnostics")
            lines = [li.text for li in self.finds(role("diagnostics") + " li")]
            self.assertEqual(len(lines), 2, lines)
            for line in lines:
                self.assertRegex(line, re.escape(o.config) + r":\d+:\d+: ")
            self.assertIn("policy", lines[0])
            self.assertIn("slave", lines[1])
        finally:
            with open(o.config, "w", encoding="utf-8") as f:
                f.write(good)
        # The accessible names and roles of the tools.
        nodes = set(ax_nodes(d))
        for expected in (("combobox", "Quầy"), ("combobox", "Máy in"), ("combobox", "Đường truyền"),
                         ("spinbutton", "Từ địa chỉ"), ("spinbutton", "Đến địa chỉ"), ("button", "Thử màn hình"),
                         ("button", "In trang thử"), ("button", "Dò"), ("button", "Bắt đầu theo dõi Alt+K"),
                         ("button", "Kiểm tra tệp cấu hình Alt+C"), ("button", "Làm mới Alt+L")):
            self.assertIn(expected, nodes)

    # --- the server's refusals ---------------------------------------------------------------

    def test_a_clerk_is_refused_reports_and_device_tools_by_the_server(self):
        o = self.office
        clerk = o.sign_in("lan.nguyen")
        for command, args in (("report", {"from": PERIOD[0], "to": PERIOD[1]}), ("bus.scan", {"bus": "bus-1"}),
                              ("config.show", {}), ("config.check", {}), ("display.test", {"counter": 1}),
                              ("print-test", {"printer": "p1"})):
            status, answer = o.api(clerk, command, args)
            self.assertEqual(status, 403, (command, answer))
            self.assertEqual(answer["error"]["code"], "forbidden", command)
        supervisor = o.sign_in("giam.sat")
        status, answer = o.api(supervisor, "bus.scan", {"bus": "bus-1"})
        self.assertEqual((status, answer["error"]["code"]), (403, "forbidden"))
        status, answer = o.api(supervisor, "report", {"from": PERIOD[0], "to": PERIOD[1]})
        self.assertEqual(status, 200, answer)
        technician = o.sign_in("ky.thuat")
        status, answer = o.api(technician, "report", {"from": PERIOD[0], "to": PERIOD[1]})
        self.assertEqual((status, answer["error"]["code"]), (403, "forbidden"))
        status, answer = o.api(technician, "config.check", {})
        self.assertEqual(status, 200, answer)
        self.assertTrue(answer["result"]["ok"], answer)
        # A clerk who opens the supervisor's page is sent away or shown nothing of it.
        browser_sign_in(self.driver, o, "lan.nguyen")
        self.driver.get(o.console_base + "/console/supervisor.html")
        # requireRole() sends her to her own screen (clerk.html, the clerk's work) before
        # anything of this one is asked for.
        self.wait_for(lambda: "/console/supervisor.html" not in self.driver.current_url,
                      "the clerk sent away from the supervisor's screen")
        self.assertIn("/console/clerk.html", self.driver.current_url)


if __name__ == "__main__":
    unittest.main(verbosity=2)
