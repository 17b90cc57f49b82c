"""A throw-away PostgreSQL 15 for process tests: initdb and pg_ctl from Debian's
postgresql-15 in a temporary directory, listening on a Unix socket in that directory only
(no TCP port, nothing on the LAN). PostgreSQL refuses to run as root, so under root the
server runs as `nobody` (the directory is handed to it); otherwise as the caller."""

import os
import pwd
import shutil
import subprocess
import tempfile

PG_BIN = os.environ.get("MOTCUA_PG_BIN", "/usr/lib/postgresql/15/bin")
SUPERUSER = "motcua"


class Postgres:
    def __init__(self, prefix="motcua-pg-"):
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.data = os.path.join(self.dir, "data")
        self.port = 5432  # only names the socket file: listen_addresses is empty
        self.as_nobody = os.geteuid() == 0
        if self.as_nobody:
            os.chmod(self.dir, 0o755)
            nobody = pwd.getpwnam("nobody")
            os.chown(self.dir, nobody.pw_uid, nobody.pw_gid)
        self.run("initdb", "-D", self.data, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8",
                 "--no-sync")
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write("listen_addresses = ''\nunix_socket_directories = '%s'\nfsync = on\n"
                    "max_connections = 300\nshared_buffers = 64MB\n" % self.dir)
        self.start()

    def command(self, name, *args):
        cmd = [os.path.join(PG_BIN, name)] + list(args)
        if self.as_nobody:
            cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] + cmd
        return cmd

    def run(self, name, *args):
        out = subprocess.run(self.command(name, *args), capture_output=True, text=True, cwd=self.dir)
        if out.returncode != 0:
            raise AssertionError("%s failed: %s %s" % (name, out.stdout, out.stderr))
        return out.stdout

    def start(self):
        self.run("pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"), "-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        subprocess.run(self.command("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"), capture_output=True,
                       cwd=self.dir)

    def conninfo(self, dbname="postgres"):
        return "host=%s port=%d user=%s dbname=%s" % (self.dir, self.port, SUPERUSER, dbname)

    def psql(self, sql, dbname="postgres"):
        """Runs SQL; returns the rows as lists of text (unaligned, tab-separated)."""
        out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                              "-d", self.conninfo(dbname), "-c", sql], capture_output=True, text=True)
        if out.returncode != 0:
            raise AssertionError("psql failed: %s\n%s" % (sql, out.stderr))
        return [line.split("\t") for line in out.stdout.splitlines() if line]

    def create_database(self, name):
        self.psql("CREATE DATABASE %s" % name)
        return self.conninfo(name)

    def close(self):
        self.stop("immediate")
        if os.environ.get("MOTCUA_KEEP_TEST_DIR"):
            print("kept", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
