"""Harness for Janji's black-box API tests.

Every test talks HTTP to a real `janji serve` process started from $JANJI_BIN
(default: <repo>/build-asan/janji). Each server gets a fresh temporary data
directory; its stdout/stderr go to a log file that is checked for sanitizer
reports, and on shutdown (SIGTERM) it must exit 0.

JANJI_TEST_BACKEND picks the store and bus every server gets:
- `sqlite` (default): a SQLite file in the server's data directory, and the
  in-process cache and event bus.
- `postgres`: one PostgreSQL cluster for the whole session (initdb into a temp
  dir, run as the `postgres` user, on a free port; stopped at the end even on
  failure or interrupt), a fresh database per server data directory (two servers
  on the same `tmpdir` share it, as they would share the SQLite file), and a
  `redis-server` of its own per server (pub/sub channels are global, and tests
  assume isolated servers), started and stopped with the server.
A test's own DATABASE_URL / REDIS_URL (env overrides) always win. For cluster
tests: `JanjiServer(share_with=a)` is a second instance on a's database, Redis,
SECRET_KEY and admin; `PgCluster` and `RedisServer` (fixtures `pg_cluster`,
`redis_server`) can be stopped and started mid-test on the same port and data.
"""

import atexit
import contextlib
import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from backends import PgCluster, RedisServer, free_port  # noqa: F401 (tests import them from here)
from receivers import HttpReceiver, SmtpReceiver

REPO = Path(__file__).resolve().parents[2]
JANJI_BIN = os.environ.get("JANJI_BIN", str(REPO / "build-asan" / "janji"))
ADMIN_EMAIL = "admin@janji.test"
SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "runtime error:")
START_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0


def base_env(tmp, secret_key, admin_password, overrides=None):
    env = dict(os.environ)
    env.update(
        {
            "JANJI_DATA_DIR": str(tmp),
            "DATABASE_URL": f"sqlite:///{tmp}/janji.db",
            "SECRET_KEY": secret_key,
            "ADMIN_EMAIL": ADMIN_EMAIL,
            "ADMIN_PASSWORD": admin_password,
            "LOG_LEVEL": "warn",
            "LOGIN_MAX_FAILURES_PER_ADDRESS": "1000",
        }
    )
    # Settings the tests rely on must not leak in from the caller's shell.
    for k in ("PORT", "HOST", "REDIS_URL", "CORS_ORIGINS", "MAX_BODY_BYTES",
              "HEADER_TIMEOUT", "ACCESS_TOKEN_EXPIRE_MINUTES",
              "LOGIN_MAX_FAILURES_PER_EMAIL"):
        env.pop(k, None)
    for k, v in (overrides or {}).items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = str(v)
    return env


def raw_exchange(port, payload, timeout=5.0):
    """Sends raw bytes and returns everything the server wrote until it closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(payload)
        chunks = []
        try:
            while True:
                data = s.recv(65536)
                if not data:
                    break
                chunks.append(data)
        except (ConnectionResetError, socket.timeout):
            pass
    return b"".join(chunks)


def wait_until(predicate, timeout=10.0, interval=0.05, message="condition"):
    """Calls predicate() every `interval` seconds until it returns something truthy, and
    returns that; fails the test after `timeout` seconds. `message` says what was awaited;
    a callable message is called at the end, to describe the last state seen."""
    deadline = time.monotonic() + timeout
    while True:
        got = predicate()
        if got:
            return got
        if time.monotonic() >= deadline:
            what = message() if callable(message) else message
            pytest.fail(f"not within {timeout}s: {what}", pytrace=False)
        time.sleep(interval)


def split_response(raw):
    """(status, headers dict with lower-case names, body bytes) of one HTTP/1.1 response."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.strip().lower().decode()] = v.strip().decode()
    if "content-length" in headers:
        body = body[:int(headers["content-length"])]
    return status, headers, body


def sanitizer_report(text):
    return any(m in text for m in SANITIZER_MARKERS)


# -- backends: SQLite, or PostgreSQL + Redis ---------------------------------------------
BACKEND = (os.environ.get("JANJI_TEST_BACKEND") or "sqlite").strip().lower()
if BACKEND not in ("sqlite", "postgres"):
    raise RuntimeError(f"JANJI_TEST_BACKEND must be 'sqlite' or 'postgres', not {BACKEND!r}")
POSTGRES = BACKEND == "postgres"
# GET /health of a healthy server: with REDIS_URL set it also names the database and Redis.
HEALTH_OK = ({"status": "ok", "database": "ok", "redis": "ok"} if POSTGRES
             else {"status": "ok"})


def database_name(tmp):
    """One database per server data directory, as there is one SQLite file per directory."""
    return "janji_" + hashlib.sha1(str(Path(tmp).resolve()).encode()).hexdigest()[:20]


_session_pg = None


def session_cluster():
    """The PostgreSQL cluster shared by the session's servers (started on first use)."""
    global _session_pg
    if _session_pg is None:
        cluster = PgCluster()
        try:
            _session_pg = cluster.start()
        except BaseException:
            cluster.destroy()
            raise
    return _session_pg


def _shutdown_backends():
    """Stops every janji, redis-server and PostgreSQL cluster this process started and
    left running (an interrupted run, a crashed script)."""
    for srv in list(JanjiServer.running):
        try:
            srv.stop()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
    for r in list(RedisServer.live):
        try:
            r.destroy()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
    for c in list(PgCluster.live):
        try:
            c.destroy()
        except Exception:  # noqa: BLE001
            pass


atexit.register(_shutdown_backends)


def _interrupted(signum, frame):
    # A SIGTERM/SIGHUP (CI cancelling the job) runs pytest's teardown and the atexit hook
    # above, like Ctrl-C, so no postgres or redis-server outlives the run.
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config):
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) in (signal.SIG_DFL, None):
            signal.signal(sig, _interrupted)


def pytest_sessionstart(session):
    if POSTGRES:
        session_cluster()  # fail the run at once, and clearly, if PostgreSQL cannot start


def pytest_sessionfinish(session, exitstatus):
    _shutdown_backends()


def pytest_report_header(config):
    if not POSTGRES:
        return "janji backend: sqlite (in-process cache and bus)"
    c = _session_pg
    where = f"port {c.port}, {c.bindir}" if c is not None else "not started"
    return f"janji backend: postgres ({where}) + a redis-server per server"


class JanjiServer:
    """One `janji serve` process on a free loopback port with its own data dir.

    With the postgres backend it also gets a database (per data dir) on the session's
    cluster, or on `cluster`, and its own redis-server unless `redis` is given.
    `share_with=other` makes a second instance of `other`: the same database, Redis,
    SECRET_KEY and admin account, but its own port and data dir.
    """

    def __init__(self, env_overrides=None, tmpdir=None, share_with=None, redis=None,
                 cluster=None):
        self._own_tmp = None
        if tmpdir is None:
            self._own_tmp = tempfile.TemporaryDirectory(prefix="janji-api-")
            tmpdir = self._own_tmp.name
        self.tmp = Path(tmpdir)
        self.admin_email = ADMIN_EMAIL
        if share_with is not None:
            self.secret_key = share_with.secret_key
            self.admin_password = share_with.admin_password
        else:
            self.secret_key = secrets.token_hex(32)
            self.admin_password = "adm-" + secrets.token_hex(12)
        overrides = dict(env_overrides or {})
        backend = {}
        self.cluster = None   # the PgCluster behind DATABASE_URL, when the harness made it
        self.database = None
        self.redis = None     # the RedisServer behind REDIS_URL, when the harness runs one
        self._own_redis = False
        if share_with is not None:
            backend["DATABASE_URL"] = share_with.db_url
            self.cluster, self.database = share_with.cluster, share_with.database
            if share_with.env.get("REDIS_URL"):
                backend["REDIS_URL"] = share_with.env["REDIS_URL"]
                self.redis = share_with.redis
        elif (POSTGRES or cluster is not None) and "DATABASE_URL" not in overrides:
            self.cluster = cluster or session_cluster()
            self.database = database_name(self.tmp)
            self.cluster.create_database(self.database)
            backend["DATABASE_URL"] = self.cluster.url(self.database)
        if redis is not None:
            self.redis = redis
            backend["REDIS_URL"] = redis.url
        elif POSTGRES and share_with is None and "REDIS_URL" not in overrides:
            self.redis = RedisServer()
            self._own_redis = True
            backend["REDIS_URL"] = self.redis.url
        self.env = base_env(self.tmp, self.secret_key, self.admin_password,
                            {**backend, **overrides})
        self.db_url = self.env["DATABASE_URL"]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.tmp / f"server-{self.port}.log"
        self.proc = None
        self.returncode = None
        self.http = requests.Session()

    # Every server that is running, so each test can be checked against all their logs.
    running = set()

    # -- lifecycle -------------------------------------------------------
    def start(self):
        if self._own_redis and not self.redis.running:
            self.redis.start()
            self.env["REDIS_URL"] = self.redis.url  # its port may have changed at start
        try:
            return self._start()
        except BaseException:
            self._stop_own_redis()
            raise

    def _start(self):
        self._log = open(self.log_path, "ab")  # a restart keeps the earlier log
        self.proc = subprocess.Popen(
            [JANJI_BIN, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"janji exited with {self.proc.returncode} during start-up:\n{self.log()}")
            try:
                r = requests.get(self.url + "/health", timeout=1)
                if r.status_code == 200:
                    JanjiServer.running.add(self)
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.proc.kill()
        raise RuntimeError(f"janji did not answer /health within {START_TIMEOUT}s:\n{self.log()}")

    def _stop_own_redis(self):
        if self._own_redis:
            self.redis.stop()

    def stop(self):
        """SIGTERM, wait, and return the exit code (idempotent)."""
        if self.proc is None:
            return None
        JanjiServer.running.discard(self)
        if self.returncode is None:
            self.http.close()
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
            try:
                self.returncode = self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.returncode = "did not exit within %ss of SIGTERM" % STOP_TIMEOUT
            self._log.close()
            self._stop_own_redis()
        return self.returncode

    def kill(self):
        """SIGKILL, as a crash would: no drain, no clean shutdown. The data dir, database and
        Redis stay, for restart()."""
        JanjiServer.running.discard(self)
        self.proc.kill()
        self.proc.wait()
        self._log.close()

    def restart(self):
        """Starts the server again on the same port, data dir, database and Redis."""
        self.returncode = None
        self.http = requests.Session()
        return self._start()

    def cleanup(self):
        keep = os.environ.get("JANJI_KEEP_LOGS")  # a directory: keep every server's log there
        if keep and self.log_path.exists():
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(self.log_path, Path(keep) / f"{int(time.time())}-{self.log_path.name}")
        if self._own_redis:
            self.redis.destroy()
        if self._own_tmp is not None:
            self._own_tmp.cleanup()
            self._own_tmp = None

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def assert_clean_log(self):
        text = self.log()
        if sanitizer_report(text):
            pytest.fail("sanitizer report in the server log:\n" + text, pytrace=False)

    def assert_stopped_cleanly(self):
        code = self.stop()
        self.assert_clean_log()
        assert code == 0, f"janji exited with {code!r} after SIGTERM; log:\n{self.log()}"

    # -- HTTP helpers ----------------------------------------------------
    def sql(self, query):
        """The rows of a read-only query on this server's database, as tuples of strings
        (for what the API does not show, e.g. the event log)."""
        if self.db_url.startswith("sqlite:///"):
            import sqlite3
            con = sqlite3.connect(f"file:{self.db_url[len('sqlite:///'):]}?mode=ro", uri=True)
            try:
                return [tuple("" if v is None else str(v) for v in row)
                        for row in con.execute(query)]
            finally:
                con.close()
        out = self.cluster.psql(f"SELECT json_agg(row_to_json(t)) FROM ({query}) t",
                                dbname=self.database).stdout.strip()
        return [tuple("" if v is None else str(v) for v in row.values())
                for row in (json.loads(out) if out else None) or []]

    def write_sql(self, statement):
        """Runs one writing statement on this server's database (to set up what only an
        older version of Janji could have written)."""
        if self.db_url.startswith("sqlite:///"):
            import sqlite3
            con = sqlite3.connect(self.db_url[len("sqlite:///"):], timeout=30)
            try:
                with con:
                    con.execute(statement)
            finally:
                con.close()
        else:
            self.cluster.psql(statement, dbname=self.database)

    def request(self, method, path, token=None, headers=None, session=None, **kw):
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = f"Bearer {token}"
        kw.setdefault("timeout", 30)
        kw.setdefault("allow_redirects", False)
        return (session or self.http).request(method, self.url + path, headers=h, **kw)

    def get(self, path, token=None, **kw):
        return self.request("GET", path, token=token, **kw)

    def post(self, path, token=None, **kw):
        return self.request("POST", path, token=token, **kw)

    def patch(self, path, token=None, **kw):
        return self.request("PATCH", path, token=token, **kw)

    def delete(self, path, token=None, **kw):
        return self.request("DELETE", path, token=token, **kw)

    def login(self, email, password):
        r = self.post("/auth/login", data={"username": email, "password": password})
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()["access_token"]

    def admin_login(self):
        return self.login(self.admin_email, self.admin_password)

    def register(self, name="Test Customer", email=None, password=None, **extra):
        email = email or f"cust-{uuid.uuid4().hex[:12]}@example.test"
        password = password or "pw-" + secrets.token_hex(6)
        body = {"name": name, "email": email, "password": password, **extra}
        r = self.post("/auth/register", json=body)
        assert r.status_code == 201, (r.status_code, r.text)
        return Customer(r.json(), password, None)

    def new_customer(self, **kw):
        c = self.register(**kw)
        c.token = self.login(c.email, c.password)
        return c

    def run_cli(self, *args, env_overrides=None, timeout=60):
        env = dict(self.env)
        if self._own_redis and not self.redis.running:
            env.pop("REDIS_URL", None)  # a server never started has no Redis of its own
        env.update(env_overrides or {})
        return subprocess.run([JANJI_BIN, *args], env=env, capture_output=True, text=True,
                              timeout=timeout)

    def make_token(self, sub, exp_offset=600, iat_offset=0, secret=None, header=None):
        now = int(time.time())
        payload = {"sub": str(sub), "exp": now + exp_offset, "iat": now + iat_offset}
        return make_jwt(payload, secret if secret is not None else self.secret_key, header)


class Customer:
    def __init__(self, user, password, token):
        self.user = user
        self.id = user["id"]
        self.email = user["email"]
        self.password = password
        self.token = token


# -- JWT helpers (tests build their own tokens) ------------------------------
def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def make_jwt(payload, secret, header=None):
    header = header or {"alg": "HS256", "typ": "JWT"}
    signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                     b64url(json.dumps(payload, separators=(",", ":")).encode()))
    sig = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(sig)


# -- common assertions ---------------------------------------------------------
def _reject_constant(name):
    raise ValueError(f"response is not valid JSON: contains {name}")


def strict_json(r):
    """Parse a response body as RFC 8259 JSON (no NaN/Infinity, which Python accepts)."""
    return json.loads(r.content.decode("utf-8"), parse_constant=_reject_constant)


def assert_validation(r, loc=None, type_=None):
    """422 FastAPI-shaped; optionally one detail item with this loc/type."""
    assert r.status_code == 422, (r.status_code, r.text)
    detail = strict_json(r)["detail"]
    assert isinstance(detail, list) and detail, r.text
    for item in detail:
        assert {"loc", "msg", "type"} <= set(item), item
    if loc is not None or type_ is not None:
        hits = [d for d in detail
                if (loc is None or d["loc"] == list(loc)) and (type_ is None or d["type"] == type_)]
        assert hits, f"no detail item with loc={loc} type={type_}: {r.text}"
    return detail


def assert_detail(r, status, detail):
    assert r.status_code == status, (r.status_code, r.text)
    assert strict_json(r) == {"detail": detail}, r.text


def assert_refuses_to_start(env, message):
    """A server with `env` exits with an error naming `message` instead of serving."""
    s = JanjiServer(env)
    try:
        with pytest.raises(RuntimeError):
            s.start()
        assert s.proc.returncode not in (0, None)
        log = s.log()
        assert message in log, log
        assert not sanitizer_report(log), log
    finally:
        if s.proc and s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()
        s.cleanup()


@contextlib.contextmanager
def serving(env=None):
    """A started server with `env`, for a module's fixture: stopped at the end, where it must
    exit cleanly, and its files removed."""
    s = JanjiServer(env).start()
    try:
        yield s
    finally:
        try:
            s.assert_stopped_cleanly()
        finally:
            s.cleanup()


# -- fixtures -----------------------------------------------------------------
@pytest.fixture(scope="session")
def server():
    with serving() as s:
        yield s


@pytest.fixture(autouse=True)
def _no_sanitizer_reports():
    """Fail the test during which any running server logged a sanitizer report."""
    before = {srv: len(srv.log()) for srv in JanjiServer.running}
    yield
    for srv, offset in before.items():
        new = srv.log()[offset:]
        if sanitizer_report(new):
            pytest.fail("sanitizer report in the server log:\n" + new, pytrace=False)


@pytest.fixture
def start_server():
    """Factory for a dedicated server with extra env; stopped (exit 0 asserted) at teardown."""
    started = []

    def start(env=None, tmpdir=None, **kw):
        s = JanjiServer(env, tmpdir, **kw)
        started.append(s)
        return s.start()

    yield start
    stop_servers(started)


def stop_servers(servers):
    """Stops and cleans up every server; fails the test if one exited badly or its log holds
    a sanitizer report."""
    failures = []
    for s in servers:
        if s.proc is None:  # never started
            s.cleanup()
            continue
        try:
            code = s.stop()
            text = s.log()
            if sanitizer_report(text):
                failures.append(f"sanitizer report on port {s.port}:\n{text}")
            elif code != 0:
                failures.append(f"server on port {s.port} exited with {code!r}:\n{text}")
        finally:
            s.cleanup()
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def parallel(n, fn):
    """Runs fn(i, session) for i in 0..n-1 on n threads released together by a barrier."""
    barrier = threading.Barrier(n)

    def run(i):
        s = requests.Session()
        try:
            barrier.wait(timeout=10)
            return fn(i, s)
        finally:
            s.close()

    with ThreadPoolExecutor(max_workers=n) as ex:
        return list(ex.map(run, range(n)))


@pytest.fixture
def make_smtp_receiver():
    """Factory for SmtpReceiver(mode, user, password, ...), started unless start=False
    (its URL is known before it listens); stopped at teardown."""
    made = []

    def make(mode="plain", start=True, **kw):
        r = SmtpReceiver(mode, **kw)
        made.append(r)
        return r.start() if start else r

    yield make
    for r in made:
        r.stop()


@pytest.fixture
def make_http_receiver():
    """Factory for HttpReceiver(default_status), started unless start=False; stopped at
    teardown."""
    made = []

    def make(default_status=200, start=True):
        r = HttpReceiver(default_status)
        made.append(r)
        return r.start() if start else r

    yield make
    for r in made:
        r.stop()


@pytest.fixture
def pg_cluster():
    """A dedicated PostgreSQL cluster (for tests that stop it); removed at teardown."""
    c = PgCluster()
    try:
        yield c.start()
    finally:
        c.destroy()


@pytest.fixture
def redis_server():
    """A dedicated redis-server (for tests that share or stop it); removed at teardown."""
    r = RedisServer()
    try:
        yield r.start()
    finally:
        r.destroy()


@pytest.fixture(scope="session")
def admin_token(server):
    return server.admin_login()


@pytest.fixture(scope="session")
def customer(server):
    return server.new_customer(name="Customer One")


@pytest.fixture(scope="session")
def other_customer(server):
    return server.new_customer(name="Customer Two")


@pytest.fixture(scope="session")
def make_catalogue(server, admin_token):
    """Create a package with one service type at `price`; returns ids and the package."""

    def make(price="1500000.00", name=None):
        pname = name or f"Pkg {uuid.uuid4().hex[:10]}"
        r = server.post("/services/packages", admin_token,
                        json={"name": pname, "description": "test package"})
        assert r.status_code == 201, r.text
        package = r.json()
        r = server.post("/services/types", admin_token,
                        json={"package_id": package["id"], "name": f"Type {uuid.uuid4().hex[:8]}",
                              "description": "test type", "price": price})
        assert r.status_code == 201, r.text
        package = r.json()
        st = package["service_types"][-1]
        return {"package_id": package["id"], "type_id": st["id"], "package": package,
                "service_type": st}

    return make


@pytest.fixture(scope="session")
def service_type(make_catalogue):
    return make_catalogue("1500000.00")


# -- Server-Sent Events reader ----------------------------------------------------
class SseStream:
    """A raw-socket `text/event-stream` client for the SSE tests.

    Sends one GET, parses the status line and headers, then a background thread decodes
    the chunked body and splits it into blocks at blank lines. Each block becomes an item
    in `self.items` (a queue) with its arrival time (`time.monotonic()`):
    {"kind": "event", "id": int, "type", "data" (parsed inner JSON), "envelope", "raw"},
    {"kind": "comment", "text", "raw"}, {"kind": "retry", "value", "raw"}, or
    {"kind": "other", "raw"}; {"kind": "eof"} ends the stream.
    """

    def __init__(self, server, path, token=None, query_token=None, last_event_id=None,
                 headers=None, connect_timeout=5.0):
        import queue
        import threading

        self.server = server
        self.items = queue.Queue()
        self.raw_body = bytearray()  # the decoded (de-chunked) body so far
        self.closed = False
        target = path
        if query_token is not None:
            target += ("&" if "?" in target else "?") + "access_token=" + query_token
        lines = [f"GET {target} HTTP/1.1", f"Host: 127.0.0.1:{server.port}",
                 "Accept: text/event-stream", "Cache-Control: no-cache"]
        if token is not None:
            lines.append(f"Authorization: Bearer {token}")
        if last_event_id is not None:
            lines.append(f"Last-Event-ID: {last_event_id}")
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=connect_timeout)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self._buf = bytearray()
        self._read_head(connect_timeout)
        self._thread = None
        if self.status == 200 and self.chunked:
            self.sock.settimeout(None)
            self._thread = threading.Thread(target=self._pump, daemon=True)
            self._thread.start()
        else:
            self.body = self._read_plain_body(connect_timeout)

    # -- head ------------------------------------------------------------------
    def _recv(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self._buf += data

    def _read_head(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self._buf:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            self._recv()
        head, _, rest = bytes(self._buf).partition(b"\r\n\r\n")
        self._buf = bytearray(rest)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        self.status_line = status_line
        self.status = int(status_line.split(" ")[1])
        self.headers = {}
        self.header_list = []
        for line in header_lines:
            k, _, v = line.partition(":")
            self.header_list.append((k.strip(), v.strip()))
            self.headers[k.strip().lower()] = v.strip()
        self.chunked = "chunked" in self.headers.get("transfer-encoding", "").lower()

    def _read_plain_body(self, timeout):
        deadline = time.monotonic() + timeout
        length = self.headers.get("content-length")
        try:
            if self.chunked:
                body = bytearray()
                for piece in self._chunks(deadline):
                    body += piece
                return bytes(body)
            while length is None or len(self._buf) < int(length):
                self.sock.settimeout(max(0.01, deadline - time.monotonic()))
                self._recv()
        except (EOFError, OSError):
            pass
        return bytes(self._buf if length is None else self._buf[:int(length)])

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    # -- body --------------------------------------------------------------------
    def _chunks(self, deadline=None):
        """Yields chunk payloads until the last chunk; EOFError if the peer closes early."""
        while True:
            while b"\r\n" not in self._buf:
                if deadline is not None:
                    self.sock.settimeout(max(0.01, deadline - time.monotonic()))
                self._recv()
            size_line, _, rest = bytes(self._buf).partition(b"\r\n")
            size = int(size_line.split(b";")[0].strip(), 16)
            self._buf = bytearray(rest)
            while len(self._buf) < size + 2:
                if deadline is not None:
                    self.sock.settimeout(max(0.01, deadline - time.monotonic()))
                self._recv()
            piece = bytes(self._buf[:size])
            assert self._buf[size:size + 2] == b"\r\n", "bad chunk framing"
            self._buf = self._buf[size + 2:]
            if size == 0:
                return
            yield piece

    def _pump(self):
        text = b""
        try:
            for piece in self._chunks():
                self.raw_body += piece
                text += piece
                while b"\n\n" in text:
                    block, _, text = text.partition(b"\n\n")
                    self.items.put(self._parse_block(block.decode("utf-8"), time.monotonic()))
        except (EOFError, OSError, ValueError):
            pass
        if text:
            self.items.put({"kind": "other", "raw": text.decode("utf-8", "replace"),
                            "t": time.monotonic(), "partial": True})
        self.items.put({"kind": "eof", "t": time.monotonic()})

    @staticmethod
    def _parse_block(block, t):
        lines = block.split("\n")
        item = {"raw": block, "t": t, "lines": lines}
        if all(line.startswith(":") for line in lines):
            item.update(kind="comment", text="\n".join(line[1:].strip() for line in lines))
        elif len(lines) == 1 and lines[0].startswith("retry:"):
            item.update(kind="retry", value=int(lines[0][len("retry:"):].strip()))
        elif (len(lines) == 2 and lines[0].startswith("id: ") and lines[1].startswith("data: ")):
            envelope = json.loads(lines[1][len("data: "):])
            item.update(kind="event", id=int(lines[0][len("id: "):]), envelope=envelope,
                        type=envelope.get("type"), data_text=envelope.get("data"))
            try:
                item["data"] = json.loads(envelope["data"])
            except (TypeError, ValueError, KeyError):
                item["data"] = None
        else:
            item.update(kind="other")
        return item

    def next(self, timeout=5.0):
        """The next item (comments included), or None after `timeout` seconds."""
        import queue
        try:
            return self.items.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None

    def next_event(self, timeout=5.0, types=None):
        """The next event (skipping retry/comments), or None on timeout or end of stream."""
        deadline = time.monotonic() + timeout
        while True:
            item = self.next(deadline - time.monotonic())
            if item is None:
                return None
            if item["kind"] == "eof":
                self.items.put(item)  # keep reporting the end
                return None
            if item["kind"] == "event" and (types is None or item["type"] in types):
                return item

    def collect(self, duration):
        """Every item that arrives within `duration` seconds (stops at the end of stream)."""
        return self.collect_until(lambda items: False, duration)

    def collect_until(self, done, timeout):
        """Every item as it arrives until `done(items)` holds, `timeout` seconds pass or the
        stream ends; returns the items for the caller to assert on."""
        out = []
        deadline = time.monotonic() + timeout
        while not done(out):
            item = self.next(deadline - time.monotonic())
            if item is None:
                return out
            out.append(item)
            if item["kind"] == "eof":
                self.items.put(item)
                return out
        return out

    def wait_eof(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while True:
            item = self.next(deadline - time.monotonic())
            if item is None:
                return False
            if item["kind"] == "eof":
                self.items.put(item)
                return True

    def close(self):
        if self.closed:
            return
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
