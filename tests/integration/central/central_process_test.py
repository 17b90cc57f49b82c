"""Issue 16 against real processes: PostgreSQL 15, motcua-central and three motcuad boxes
uploading their journals. Every case ends with every row stored once, chains verified,
what did not chain refused and alerted, and the central's report equal to the box's own."""

import http.client
import json
import os
import signal
import ssl
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import central_office  # noqa: E402
from central_office import Box, Central, Postgres, eventually  # noqa: E402

GROUPINGS = ["none", "field", "procedure", "officer", "counter", "service", "hour"]


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def today(box):
    return box.ctl("status")["business_day"]


def assert_stored_once(central, box):
    """Every row of the box at the central once, no gap, the same hashes."""
    last = box.last_seq()
    check(central.stored(box.site) == (last, 1, last),
          "%s: central holds %s, the box %d rows" % (box.site, central.stored(box.site), last))
    theirs = dict((int(s), h) for s, h in central.sql("SELECT seq, hash FROM chain WHERE site = '%s'" % box.site))
    ours = dict(box.sql("SELECT seq, hash FROM journal"))
    check(theirs == ours, "%s: the central's chain differs from the box's journal" % box.site)


def assert_reports_equal(central, box):
    day = today(box)
    for by in GROUPINGS:
        mine = box.ctl("report", "--from", day, "--to", day, "--by", by)
        theirs = central.json("report", "--from", day, "--to", day, "--by", by, "--site", box.site)
        check(mine == theirs, "%s report by %s differs:\nbox     %s\ncentral %s" %
              (box.site, by, json.dumps(mine, ensure_ascii=False), json.dumps(theirs, ensure_ascii=False)))


def post_as(box, path, body):
    """A request with the box's own certificate, as its uploader makes them."""
    ctx = ssl.create_default_context(cafile=box.path("central/ca.crt"))
    ctx.load_cert_chain(box.path("central/site.crt"), box.path("central/site.key"))
    conn = http.client.HTTPSConnection("127.0.0.1", box.central.port, context=ctx, timeout=30)
    conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    res = conn.getresponse()
    return res.status, json.loads(res.read())


def wire_rows(box, first, last):
    rows = box.sql("SELECT seq, kind, wall_ms, mono_ns, counter, officer, ticket, payload, prev_hash, hash, scheme "
                   "FROM journal WHERE seq BETWEEN ? AND ? ORDER BY seq", first, last)
    keys = ["seq", "kind", "wall_ms", "mono_ns", "counter", "officer", "ticket", "payload", "prev_hash", "hash",
            "scheme"]
    return [dict(zip(keys, r), redacted=False) for r in rows]


# --- cases --------------------------------------------------------------------------------

def uploads_and_reports(central, boxes):
    for box in boxes:
        box.busy_day()
    for box in boxes:
        status = box.uploaded()
        check(status["last_error"] == "" and status["state"] == "up_to_date", "status %s" % status)
        assert_stored_once(central, box)
        assert_reports_equal(central, box)
    check(central.json("alerts") == [], "alerts after a clean day: %s" % central.json("alerts"))
    # The province: the sites' counts add up, each site's row is its box's total.
    day = today(boxes[0])
    province = central.json("report", "--from", day, "--to", day, "--by", "site")
    check(province["sites"] == len(boxes), "sites %s" % province["sites"])
    for box in boxes:
        mine = box.ctl("report", "--from", day, "--to", day)
        row = [r for r in province["rows"] if r["key"] == box.site][0]
        check(row["dossiers"] == mine["dossiers"]["total"], "%s's row in the province" % box.site)
        check(row["queue"]["issued"] == mine["queue"]["total"]["issued"], "%s's tickets" % box.site)
    check(province["dossiers"]["total"]["received"] ==
          sum(b.ctl("report", "--from", day, "--to", day)["dossiers"]["total"]["received"] for b in boxes),
          "the province's total")


def chunked_import_counts_once_complete(central, box):
    """A 2,100-row import (committed in chunks under an import marker on the box) reaches the
    central and counts there as on the box: as carried-over dossiers of today."""
    import datetime
    day = datetime.date.fromisoformat(today(box)) - datetime.timedelta(days=1)
    path = box.path("import.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("received_at,procedure_code,applicant_name,channel\n")
        for i in range(2100):
            f.write("%s %02d:%02d,2.000001.H38,Người Nhập %d,%d\n" % (day, 7 + i // 300, i % 60, i, 1 + i % 3))
    answer = box.ctl("dossier", "import", path)
    check(answer.get("imported", answer.get("rows")) == 2100, "import answered %s" % answer)
    box.uploaded()
    check(central.sql("SELECT count(*) FROM imports WHERE site = '%s' AND state = 'complete'" % box.site)[0][0] == "1",
          "the import's state at the central")
    assert_stored_once(central, box)
    assert_reports_equal(central, box)
    mine = box.ctl("report", "--from", today(box), "--to", today(box))
    check(mine["dossiers"]["total"]["carried_over"] >= 2100, "the import is counted: %s" % mine["dossiers"]["total"])


def personal_data_stays_on_the_box(central, box):
    payloads = central.sql("SELECT payload, redacted FROM journal_rows WHERE site = '%s' AND kind = "
                           "'dossier.received'" % box.site)
    check(payloads, "no dossier rows at the central")
    for payload, redacted in payloads:
        check(redacted == "t", "a dossier row not redacted")
        check("Nguyễn" not in payload and "0912345" not in payload, "personal data left the box: " + payload)
        check("redacted" in json.loads(payload)["applicant"], "no commitment in " + payload)
    # The box keeps them.
    full = box.sql("SELECT payload FROM journal WHERE kind = 'dossier.received' LIMIT 1")[0][0]
    check("Nguyễn Văn" in full, "the box lost the applicant")


def line_down_and_central_killed_during_uploads(central, box):
    central.kill()
    box.busy_day(tickets=40, dossiers=6)
    status = eventually(lambda: (lambda s: s if s["state"] == "retrying" and s["waiting"] > 0 else None)(box.status()),
                        "the box to notice the line is down")
    check("connect" in status["last_error"] or "answer" in status["last_error"] or "send" in status["last_error"],
          "last_error %s" % status["last_error"])
    check(status["since_success_s"] is not None, "since_success_s")
    central.start()
    # Kill it again as soon as it has stored some of them, then let it finish.
    eventually(lambda: central.stored(box.site)[0] > status["acknowledged"], "the central storing again", pause=0.005)
    central.kill()
    check(central.stored(box.site)[0] < box.last_seq() or True, "")
    central.start()
    box.uploaded()
    assert_stored_once(central, box)


def box_killed_during_uploads(central, box):
    central.kill()
    box.busy_day(tickets=40, dossiers=4)
    central.start()
    eventually(lambda: central.stored(box.site)[2] > 0 and central.stored(box.site)[0] < box.last_seq() or
               central.stored(box.site)[0] == box.last_seq(), "uploads under way", pause=0.005)
    box.stop(signal.SIGKILL)
    box.start()
    box.uploaded()
    assert_stored_once(central, box)
    assert_reports_equal(central, box)


def duplicate_batch(central, box):
    before = central.stored(box.site)
    status, answer = post_as(box, "/api/v1/rows", {"site": box.site, "rows": wire_rows(box, 1, 30)})
    check(status == 200 and answer["stored"] == 0 and answer["stored_through"] == before[2],
          "duplicate batch answered %d %s" % (status, answer))
    check(central.stored(box.site) == before, "a duplicate batch changed what is stored")
    # Another site's batch under this certificate is refused.
    status, answer = post_as(box, "/api/v1/rows", {"site": "H56.99", "rows": wire_rows(box, 1, 1)})
    check(status == 403 and answer["error"]["code"] == "site_mismatch", "%d %s" % (status, answer))


def tampered_row_is_refused_and_alerted(central, box):
    box.uploaded()
    central.kill()
    box.busy_day(tickets=6, dossiers=2)
    box.stop()
    stored = central.stored(box.site)[2]
    bad = stored + 3
    import sqlite3
    db = sqlite3.connect(box.path("motcua.db"))
    db.execute("DROP TRIGGER journal_no_update")
    db.execute("UPDATE journal SET officer = 'someone.else' WHERE seq = ?", (bad,))
    db.commit()
    db.close()
    box.start()
    central.start()
    eventually(lambda: [a for a in central.json("alerts") if a["site"] == box.site and a["seq"] == bad],
               "an alert for the tampered row")
    alert = [a for a in central.json("alerts") if a["site"] == box.site][0]
    check(alert["kind"] == "content_changed", "alert %s" % alert)
    check(central.stored(box.site)[2] == bad - 1, "stored up to %s, the bad row is %d" % (central.stored(box.site), bad))
    check(central.sql("SELECT count(*) FROM quarantine WHERE site = '%s' AND seq = %d" % (box.site, bad))[0][0] != "0",
          "the refused row is not kept aside")
    status = eventually(lambda: (lambda s: s if "409" in s["last_error"] else None)(box.status()),
                        "the box to report the refusal")
    check(status["waiting"] > 0, "status %s" % status)
    site = [s for s in central.json("site", "list") if s["code"] == box.site][0]
    check(site["open_alerts"] >= 1, "site list %s" % site)


def restored_backup_is_alerted(central, box):
    import shutil
    box.uploaded()
    box.stop()
    backup = box.path("backup.db")
    shutil.copy(box.path("motcua.db"), backup)
    box.start()
    box.busy_day(tickets=6, dossiers=2)
    box.uploaded()
    stored = central.stored(box.site)[2]
    box.stop()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(box.path("motcua.db" + suffix)):
            os.unlink(box.path("motcua.db" + suffix))
    shutil.copy(backup, box.path("motcua.db"))
    box.start()
    box.busy_day(tickets=8, dossiers=1)  # a different history on the same row numbers
    eventually(lambda: [a for a in central.json("alerts") if a["site"] == box.site and a["kind"] == "history_changed"],
               "a history_changed alert")
    check(central.stored(box.site)[2] == stored, "the central kept its rows")
    status = box.status()
    check("backup" in status["last_error"] or "differs" in status["last_error"] or "409" in status["last_error"],
          "status %s" % status)


def a_replaced_certificate_is_refused(central, box):
    """The site enrolled again (a new key and certificate): the running box still holds the
    old one, which the central now refuses by its serial."""
    keys = box.path("central")
    central_office.run([os.path.join(central_office.BIN, "motcuactl"), "central", "enroll", "--url", central.url,
                        "--site", box.site, "--dir", keys, "--force"])
    central.cli("site", "add", box.site, "--csr", os.path.join(keys, "site.csr"), "--out",
                os.path.join(keys, "site.crt"))
    box.ctl("issue", "TP")
    status = eventually(lambda: (lambda s: s if "replaced by a newer one" in s["last_error"] else None)(box.status()),
                        "the old certificate refused")
    check(status["waiting"] > 0, "status %s" % status)
    # Restarted, the box reads its new key and certificate and catches up.
    box.stop()
    box.start()
    box.uploaded()
    assert_stored_once(central, box)


def a_bad_config_is_named_and_not_restarted(central):
    path = os.path.join(central.dir, "bad.toml")
    with open(path, "w", encoding="utf-8") as f:
        f.write('[central]\nlisten = ["0.0.0.0"]\nworkrs = 3\n')
    out = central_office.run([os.path.join(central_office.BIN, "motcua-central"), "--config", path, "serve"],
                             check=False)
    check(out.returncode == 78, "exit %d (the unit's RestartPreventExitStatus is 78)" % out.returncode)
    check(path + ":2:10:" in out.stderr and path + ":3:1:" in out.stderr and "did you mean 'workers'" in out.stderr,
          "the errors at file:line:col: %s" % out.stderr)


def revoked_site_is_refused(central, box):
    central.cli("site", "revoke", box.site)
    status = eventually(lambda: (lambda s: s if "revoked" in s["last_error"] else None)(box.status()),
                        "the box to be refused")
    check(status["state"] == "retrying", "status %s" % status)


def report_page_and_files(central, box):
    day = today(box)
    conn = http.client.HTTPConnection("127.0.0.1", central.web_port, timeout=30)
    conn.request("GET", "/")
    page = conn.getresponse()
    body = page.read().decode()
    check(page.status == 200 and "Báo cáo toàn tỉnh" in body, "the page")
    conn.request("GET", "/report.csv?from=%s&to=%s&by=site" % (day, day))
    csv = conn.getresponse()
    text = csv.read().decode("utf-8-sig")
    check(csv.status == 200 and box.site in text and "Tổng cộng" in text, "csv %d %s" % (csv.status, text[:200]))
    conn.request("GET", "/report.xlsx?from=%s&to=%s&by=field" % (day, day))
    xlsx = conn.getresponse()
    check(xlsx.status == 200 and xlsx.read()[:2] == b"PK", "xlsx")
    conn.request("GET", "/api/report?from=%s&to=%s&by=nonsense" % (day, day))
    bad = conn.getresponse()
    check(bad.status == 400 and "by must be" in json.loads(bad.read())["error"]["message"], "bad by")


def report_page_in_the_browser(central, box):
    """The province's page in headless chromium, driven with the keyboard."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "console"))
    from console_office import ax_nodes, chromium, close_chromium
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    day = today(box)
    mine = box.ctl("report", "--from", day, "--to", day)
    driver = chromium()
    try:
        driver.get("http://127.0.0.1:%d/" % central.web_port)
        eventually(lambda: driver.execute_script("return document.body.dataset.loaded === '1'"), "the first load")
        # The period: one day (set as a date picker would); the rest with the keyboard.
        driver.execute_script("document.getElementById('from').value = arguments[0];"
                              "document.getElementById('to').value = arguments[0];"
                              "document.body.dataset.loaded = '';", day)
        # The first Tab of the page lands in the form (the date fields' segments come next).
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        check(driver.switch_to.active_element.get_attribute("id") == "from", "the first Tab stop is 'from'")
        driver.execute_script("document.getElementById('by').focus()")
        check(driver.switch_to.active_element.get_attribute("value") == "site", "ranking by site first")
        driver.switch_to.active_element.send_keys(Keys.TAB)
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        eventually(lambda: driver.execute_script("return document.body.dataset.loaded === '1'"), "the day's table")
        row = driver.find_element(By.CSS_SELECTOR, 'tr[data-key="%s"]' % box.site)
        cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        check(cells[2] == str(mine["dossiers"]["total"]["received_total"]),
              "the page's dossiers for %s: %s, the box's %s" % (box.site, cells, mine["dossiers"]["total"]))
        check(cells[7] == str(mine["queue"]["total"]["issued"]), "the page's tickets %s" % cells)
        check(driver.find_elements(By.CSS_SELECTOR, "tr.total"), "no total row")
        # By field, still with the keyboard: the grouping, Down, Tab, Enter.
        driver.execute_script("document.body.dataset.loaded = ''; document.getElementById('by').focus()")
        driver.switch_to.active_element.send_keys(Keys.DOWN)
        driver.switch_to.active_element.send_keys(Keys.TAB)
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        eventually(lambda: driver.execute_script("return document.body.dataset.loaded === '1'"), "the field table")
        keys = [tr.get_attribute("data-key") for tr in driver.find_elements(By.CSS_SELECTOR, "tr[data-key]")]
        check("Đất đai" in keys and "Tư pháp – Hộ tịch" in keys, "rows by field: %s" % keys)
        nodes = ax_nodes(driver)
        check(("button", "Xem báo cáo") in nodes, "the button in the accessibility tree")
        check(any(role == "combobox" and name.startswith("Theo") for role, name in nodes), "the grouping's name")
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        check(not errors, "console errors: %s" % errors)
    finally:
        close_chromium(driver)


def main():
    pg = Postgres()
    central = boxes = None
    failures = 0
    try:
        central = Central(pg).start()
        a = Box(central, "H56.01", "An Bình", "H56A").start()
        b = Box(central, "H56.02", "Bình Minh", "H56B").start()
        c = Box(central, "H56.03", "Cát Hải", "H56C").start()
        boxes = [a, b, c]
        cases = [
            ("uploads_and_reports", lambda: uploads_and_reports(central, boxes)),
            ("personal_data_stays_on_the_box", lambda: personal_data_stays_on_the_box(central, a)),
            ("chunked_import_counts_once_complete", lambda: chunked_import_counts_once_complete(central, a)),
            ("line_down_and_central_killed_during_uploads",
             lambda: line_down_and_central_killed_during_uploads(central, a)),
            ("box_killed_during_uploads", lambda: box_killed_during_uploads(central, a)),
            ("duplicate_batch", lambda: duplicate_batch(central, a)),
            ("tampered_row_is_refused_and_alerted", lambda: tampered_row_is_refused_and_alerted(central, b)),
            ("restored_backup_is_alerted", lambda: restored_backup_is_alerted(central, c)),
            ("a_replaced_certificate_is_refused", lambda: a_replaced_certificate_is_refused(central, a)),
            ("a_bad_config_is_named_and_not_restarted", lambda: a_bad_config_is_named_and_not_restarted(central)),
            ("revoked_site_is_refused", lambda: revoked_site_is_refused(central, c)),
            ("report_page_and_files", lambda: report_page_and_files(central, a)),
            ("report_page_in_the_browser", lambda: report_page_in_the_browser(central, a)),
            ("the_untouched_site_still_equals_its_box", lambda: (assert_stored_once(central, a),
                                                                 assert_reports_equal(central, a))),
        ]
        for name, case in cases:
            started = time.monotonic()
            try:
                case()
                print("PASS %s (%.1f s)" % (name, time.monotonic() - started), flush=True)
            except Exception:
                failures += 1
                print("FAIL %s" % name, flush=True)
                traceback.print_exc()
    finally:
        for box in boxes or []:
            if failures:
                print("---- %s log tail\n%s" % (box.site, box.log()[-3000:]))
            box.close()
        if central:
            if failures:
                print("---- central log tail\n%s" % central.log()[-3000:])
            central.close()
        pg.close()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
