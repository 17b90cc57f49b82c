"""tests/bench/central: the province's central service under a province's load.

Ingest: one real box's busy day (motcuad, its own journal: tickets called and served,
dossiers received and decided, votes), uploaded by SITES simulated sites at once — each
site its own certificate and HTTPS connection, each sending that same day as its own
chain — to a real motcua-central on a real PostgreSQL 15. Beside it, the limit: the same
rows loaded by PostgreSQL's own COPY into the same table on the same server.

Report: a province year written straight into the projections (SITES sites x DOSSIERS
dossiers and TICKETS tickets each, records shaped like the box's), then the whole
province's report and one site's, as `motcua-central report` runs them.

Figures are printed, never asserted. Usage:
  bench_central.py --bin build/bin [--sites 200] [--dossiers 5000] [--tickets 10000]"""

import argparse
import concurrent.futures
import http.client
import json
import os
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "integration", "central"))
import central_office  # noqa: E402
from central_office import Box, Central, Postgres  # noqa: E402


def busy_day_rows(args, central):
    """A real box's busy day, as wire rows (the box's own redaction)."""
    box = Box(central, "BENCH.SOURCE", "Nguồn", "H99Z", batch_rows=500).start()
    try:
        box.busy_day(tickets=args.day_tickets, dossiers=args.day_dossiers)
        box.uploaded()
        rows = central.sql("SELECT seq, kind, wall_ms, mono_ns, counter, officer, ticket, payload, prev_hash, hash, "
                           "scheme, redacted FROM journal_rows WHERE site = 'BENCH.SOURCE' ORDER BY seq")
        context = central.sql("SELECT context FROM sites WHERE code = 'BENCH.SOURCE'")[0][0]
    finally:
        box.close()
    keys = ["seq", "kind", "wall_ms", "mono_ns", "counter", "officer", "ticket", "payload", "prev_hash", "hash",
            "scheme", "redacted"]
    out = []
    for r in rows:
        row = dict(zip(keys, r))
        for k in ("seq", "wall_ms", "mono_ns", "counter", "ticket", "scheme"):
            row[k] = int(row[k])
        row["redacted"] = row["redacted"] == "t"
        out.append(row)
    return out, json.loads(context)


def enroll(central, code, workdir):
    keys = os.path.join(workdir, code)
    central_office.run([os.path.join(central_office.BIN, "motcuactl"), "central", "enroll", "--url", central.url,
                        "--site", code, "--dir", keys])
    central.cli("site", "add", code, "--csr", os.path.join(keys, "site.csr"), "--out", os.path.join(keys, "site.crt"))
    return keys


def site_bodies(code, rows, context, batch):
    """The site's requests, encoded before the clock starts: the clients are not measured."""
    bodies = []
    for i in range(0, len(rows), batch):
        body = {"site": code, "rows": rows[i:i + batch]}
        if i == 0:
            body["context"] = context
        bodies.append(json.dumps(body).encode())
    return bodies


def upload_site(central, code, keys, bodies):
    ctx = ssl.create_default_context(cafile=os.path.join(central.dir, "ca", "ca.crt"))
    ctx.load_cert_chain(os.path.join(keys, "site.crt"), os.path.join(keys, "site.key"))
    conn = http.client.HTTPSConnection("127.0.0.1", central.port, context=ctx, timeout=300)
    for body in bodies:
        conn.request("POST", "/api/v1/rows", body, {"Content-Type": "application/json"})
        res = conn.getresponse()
        answer = json.loads(res.read())
        if res.status != 200:
            raise AssertionError("%s: %d %s" % (code, res.status, answer))
    conn.close()


def bench_ingest(args, pg, workdir):
    central = Central(pg, workers=args.workers).start()
    try:
        rows, context = busy_day_rows(args, central)
        codes = ["S%03d" % i for i in range(args.sites)]
        keys = {code: enroll(central, code, workdir) for code in codes}
        bodies = {code: site_bodies(code, rows, context, args.batch) for code in codes}
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
            for f in [pool.submit(upload_site, central, code, keys[code], bodies[code]) for code in codes]:
                f.result()
        seconds = time.monotonic() - started
        total = len(rows) * args.sites
        stored = int(central.sql("SELECT count(*) FROM chain WHERE site LIKE 'S%'")[0][0])
        assert stored == total, (stored, total)

        # The limit: COPY of the same rows into the same partitioned table, same server.
        path = os.path.join(pg.dir, "rows.tsv")
        with open(path, "w", encoding="utf-8") as f:
            for code in codes:
                for r in rows:
                    fields = [code, r["seq"], r["kind"], r["wall_ms"], r["mono_ns"], r["counter"], r["officer"],
                              r["ticket"], r["payload"], r["prev_hash"], r["hash"], r["scheme"],
                              "t" if r["redacted"] else "f"]
                    f.write("\t".join(str(x).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                                      for x in fields) + "\n")
        os.chmod(path, 0o644)
        central.sql("CREATE TABLE copy_target (LIKE journal_rows INCLUDING DEFAULTS)")
        copy_started = time.monotonic()
        central.sql("COPY copy_target (site, seq, kind, wall_ms, mono_ns, counter, officer, ticket, payload, "
                    "prev_hash, hash, scheme, redacted) FROM '%s'" % path)
        copy_seconds = time.monotonic() - copy_started
        rate, copy_rate = total / seconds, total / copy_seconds
        print("ingest: %d sites x %d rows = %d rows in %.2f s: %.0f rows/s stored (chain, rows, projections)"
              % (args.sites, len(rows), total, seconds, rate))
        print("limit:  COPY of the same rows into one table: %.2f s, %.0f rows/s" % (copy_seconds, copy_rate))
        print("ratio:  %.2f of COPY (goal >= 0.50)" % (rate / copy_rate))
        sizes = central.sql("SELECT (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i JOIN pg_class c "
                            "ON c.oid = i.inhrelid WHERE i.inhparent = 'journal_rows'::regclass), "
                            "pg_total_relation_size('chain'), pg_total_relation_size('tickets') + "
                            "pg_total_relation_size('dossiers') + pg_total_relation_size('ratings')")[0]
        raw, chain, projections = (int(x) for x in sizes)
        print("size:   %.0f bytes per raw row with its index, %.0f in chain, projections %.0f per row"
              % (raw / stored, chain / stored, projections / stored))
    finally:
        central.close()


def bench_report(args, pg):
    central = Central(pg, workers=2)
    try:
        # One real dossier record as the template of every generated one.
        template = {
            "code": "X", "book": 0, "row": 1, "procedure_code": "2.000001.H38", "procedure_name": "Đăng ký khai sinh",
            "field": "Tư pháp – Hộ tịch", "sets": 1, "applicant": {"redacted": "0" * 64},
            "receiving_unit": "UBND", "deciding_agency": "UBND", "officer": "cb.an", "counter": 1, "service": "TP",
            "channel": 1, "delivery": "desk", "waybill": "", "status": 10, "status_name": "returned",
            "submitted_at": None, "received_at": "RECEIVED", "due_at": "DUE", "processing_days": 3,
            "processing_hours": None, "same_day": False, "transferred_at": None, "result_at": "RESULT",
            "returned_at": "RESULT", "closed_at": None, "close_reason": "", "documents": ["Tờ khai"], "fee": "",
            "online": "none", "online_payment": False, "digitised": False, "result_electronic": False,
            "obligations": [], "handoffs": [], "supplements": [], "apologies": [], "ticket": None,
            "notes": {"redacted": "0" * 64}}
        text = json.dumps(template, ensure_ascii=False).replace("'", "''")
        started = time.monotonic()
        central.sql("INSERT INTO sites (code, name, context, context_hash) SELECT 'S' || lpad(s::text, 3, '0'), "
                    "'Xã ' || s, NULL, '' FROM generate_series(0, %d) s" % (args.sites - 1))
        # Dossiers received every few minutes of the year's working hours, each returned 2 days later.
        central.sql(
            "INSERT INTO dossiers (site, code, received_min, finished_min, record) "
            "SELECT 'S' || lpad(s::text, 3, '0'), 'D' || d, m, m + 2880, "
            "replace(replace(replace('%s', 'RECEIVED', to_char(t, 'YYYY-MM-DD HH24:MI')), 'DUE', "
            "to_char(t + interval '3 days', 'YYYY-MM-DD HH24:MI')), 'RESULT', to_char(t + interval '2 days', "
            "'YYYY-MM-DD HH24:MI')) "
            "FROM generate_series(0, %d) s, generate_series(1, %d) d, "
            "LATERAL (SELECT timestamp '2026-01-02 07:30' + (d * interval '1 minute' * 100) AS t) tt, "
            "LATERAL (SELECT (extract(epoch FROM t) / 60)::bigint AS m) mm"
            % (text, args.sites - 1, args.dossiers))
        central.sql(
            "INSERT INTO tickets (site, id, issued_at, called_at, done_at, no_show, service, counter, officer) "
            "SELECT 'S' || lpad(s::text, 3, '0'), k, w, w + 600000, w + 1200000, k %% 17 = 0, "
            "CASE WHEN k %% 3 = 0 THEN 'DD' ELSE 'TP' END, 1 + k %% 3, 'cb.' || (k %% 5) "
            "FROM generate_series(0, %d) s, generate_series(1, %d) k, "
            "LATERAL (SELECT 1767314400000 + k::bigint * 3000000 AS w) ww" % (args.sites - 1, args.tickets))
        central.sql("ANALYZE")
        print("report: generated %d dossiers and %d tickets in %.1f s"
              % (args.sites * args.dossiers, args.sites * args.tickets, time.monotonic() - started))
        for label, extra in (("whole province, by site", ["--by", "site"]),
                             ("whole province, by field", ["--by", "field"]),
                             ("one site", ["--site", "S%03d" % min(7, args.sites - 1), "--by", "field"])):
            times = []
            for _ in range(3):
                t = time.monotonic()
                central.cli("--json", "report", "--from", "2026-01-01", "--to", "2026-12-31", *extra)
                times.append(time.monotonic() - t)
            print("report: %-26s best %.3f s, median %.3f s (goal %s)"
                  % (label, min(times), sorted(times)[1], "0.2 s" if "one" in label else "2 s"))
    finally:
        central.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default="build/bin")
    p.add_argument("--sites", type=int, default=200)
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--day-tickets", type=int, default=120)
    p.add_argument("--day-dossiers", type=int, default=60)
    p.add_argument("--dossiers", type=int, default=5000)
    p.add_argument("--tickets", type=int, default=10000)
    p.add_argument("--skip-ingest", action="store_true")
    p.add_argument("--skip-report", action="store_true")
    args = p.parse_args()
    central_office.BIN = args.bin
    pg = Postgres(prefix="motcua-bench-pg-")
    workdir = tempfile.mkdtemp(prefix="motcua-bench-central-")
    try:
        if not args.skip_ingest:
            bench_ingest(args, pg, workdir)
        if not args.skip_report:
            bench_report(args, pg)
    finally:
        pg.close()
        subprocess.run(["rm", "-rf", workdir])


if __name__ == "__main__":
    main()
