"""Throwaway PostgreSQL clusters and Redis servers on free loopback ports.

Used by the API test harness (conftest.py) and by the benchmarks (bench/run.py). Both are
started from Debian's binaries in temporary directories; PostgreSQL runs as the `postgres`
user when we are root, because it refuses to run as root.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bindir():
    """The newest PostgreSQL server's bin dir (Debian: /usr/lib/postgresql/<major>/bin)."""
    if os.environ.get("JANJI_PG_BINDIR"):
        return Path(os.environ["JANJI_PG_BINDIR"])
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        version = Path(initdb).parent.parent.name
        try:
            found.append((tuple(int(x) for x in version.split(".")), Path(initdb).parent))
        except ValueError:
            continue
    if found:
        return max(found)[1]
    on_path = shutil.which("initdb") or shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError("no PostgreSQL server binaries (initdb) found; run scripts/install-deps")


def _as_postgres(cmd):
    """PostgreSQL refuses to run as root: run its tools as the `postgres` user then."""
    cmd = [str(c) for c in cmd]
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PgCluster:
    """A throwaway PostgreSQL cluster in a temp dir, served on a free loopback port.

    stop()/start() keep the port and the data, so a test can take the database away
    mid-run and bring it back; destroy() stops it and removes everything.
    """

    live = set()

    def __init__(self, durable=False):
        self.bindir = pg_bindir()
        self.durable = durable
        self.base = Path(tempfile.mkdtemp(prefix="janji-pg-"))
        self.data = self.base / "data"
        self.log_path = self.base / "postgres.log"
        self.port = None
        self._databases = set()
        PgCluster.live.add(self)
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self._run([self.bindir / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                   "-E", "UTF8", "--locale=C.UTF-8", *([] if durable else ["--no-sync"])],
                  timeout=120)

    def _run(self, cmd, timeout=90, check=True):
        r = subprocess.run(_as_postgres(cmd), cwd=self.base, capture_output=True, text=True,
                           timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({r.returncode}):\n"
                               f"{r.stdout}{r.stderr}\n{self.log()}")
        return r

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except (FileNotFoundError, PermissionError):
            return ""

    @property
    def running(self):
        return (self.data / "postmaster.pid").exists()

    def start(self, timeout=60):
        """Starts the server: on a free port the first time, on the same port after."""
        if self.running:
            return self
        last = None
        for _ in range(1 if self.port is not None else 5):
            port = self.port or free_port()
            options = " ".join([
                f"-p {port}", f"-k {self.base}", "-c listen_addresses=127.0.0.1",
                # The data is thrown away after the run: not syncing to disk only makes
                # the tests faster, and loses nothing unless the machine itself crashes
                # (benchmarks ask for a `durable` cluster, configured as in production).
                # Not synchronous_commit=off: a stopped or killed postgres would then lose
                # commits it had acknowledged, which the outage tests check never happens.
                *([] if self.durable else ["-c fsync=off", "-c full_page_writes=off"]),
                # Every janji serve keeps a pool; several servers run at once.
                "-c max_connections=400",
            ])
            r = self._run([self.bindir / "pg_ctl", "-D", self.data, "-l", self.log_path, "-w",
                           "-t", str(timeout), "-o", options, "start"],
                          timeout=timeout + 15, check=False)
            if r.returncode == 0:
                self.port = port
                return self
            last = f"pg_ctl start on port {port} failed ({r.returncode}):\n{r.stdout}{r.stderr}"
        raise RuntimeError(f"{last}\n{self.log()}")

    def stop(self, mode="fast"):
        """Stops the server (`fast`: disconnects clients; `immediate`: like a crash)."""
        if not self.running:
            return
        r = self._run([self.bindir / "pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60",
                       "stop"], check=False)
        if r.returncode != 0 and self.running and mode != "immediate":
            self._run([self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w",
                       "stop"], check=False)

    def destroy(self):
        PgCluster.live.discard(self)
        try:
            self.stop()
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, dbname):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def psql(self, sql, dbname="postgres", check=True):
        """Runs SQL through psql (as the superuser, over TCP) and returns its output."""
        psql = self.bindir / "psql"
        if not psql.exists():
            psql = shutil.which("psql") or "psql"
        r = subprocess.run([str(psql), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                            "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                            "-d", dbname, "-c", sql],
                           capture_output=True, text=True, timeout=60,
                           env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
        if check and r.returncode != 0:
            raise RuntimeError(f"psql {sql!r} failed ({r.returncode}): {r.stderr}")
        return r

    def create_database(self, name):
        """CREATE DATABASE unless it exists already (servers on one tmpdir share it)."""
        if name in self._databases:
            return
        r = self.psql(f'CREATE DATABASE "{name}"', check=False)
        if r.returncode != 0 and "already exists" not in r.stderr:
            raise RuntimeError(f"CREATE DATABASE {name} failed: {r.stderr}\n{self.log()}")
        self._databases.add(name)


class RedisServer:
    """A `redis-server --save ''` on a loopback port; stop()/start() keep the port."""

    live = set()

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="janji-redis-"))
        self.log_path = self.dir / "redis.log"
        self.port = free_port()
        self.proc = None
        self._started = False
        self._log = None
        RedisServer.live.add(self)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout=10.0):
        if self.running:
            return self
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        # A port picked by free_port() can be taken before redis binds it: then pick
        # another, but only before the first start (a restart must keep the URL).
        for attempt in range(1 if self._started else 5):
            if attempt:
                self.port = free_port()
            self._log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.dir), "--daemonize", "no"],
                stdout=self._log, stderr=subprocess.STDOUT, cwd=self.dir)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    if self.command("PING", timeout=1.0) == "PONG":
                        self._started = True
                        return self
                except (OSError, RuntimeError):
                    pass
                time.sleep(0.02)
            self._kill()
        raise RuntimeError(f"redis-server did not start on port {self.port}:\n{self.log()}")

    def _kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self._kill()

    def destroy(self):
        RedisServer.live.discard(self)
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def command(self, *args, timeout=5.0):
        """One command over RESP; returns str, int, None or a list (errors raise)."""
        payload = f"*{len(args)}\r\n".encode()
        for a in args:
            b = a if isinstance(a, bytes) else str(a).encode()
            payload += b"$%d\r\n%s\r\n" % (len(b), b)
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(payload)
            with s.makefile("rb") as f:
                return _resp_read(f)


def _resp_read(f):
    line = f.readline()
    if not line.endswith(b"\r\n"):
        raise OSError("connection closed by redis")
    kind, rest = line[:1], line[1:-2].decode()
    if kind == b"+":
        return rest
    if kind == b"-":
        raise RuntimeError(f"redis error: {rest}")
    if kind == b":":
        return int(rest)
    if kind == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)
        return data[:-2].decode(errors="replace")
    if kind == b"*":
        n = int(rest)
        return None if n < 0 else [_resp_read(f) for _ in range(n)]
    raise OSError(f"unexpected redis reply {line!r}")

