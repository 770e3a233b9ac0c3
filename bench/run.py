#!/usr/bin/env python3
"""`make bench`: wrk scenarios against a Release `janji serve`, beside a Beast ceiling.

usage: run.py [--backend sqlite|postgres] [--seconds S] [--runs N] [--connections C]
              [--only NAME ...] [--out FILE]

Starts build/bench/hello (the ceiling: Beast alone) and build/janji with seeded data
(SQLite in a temp dir; or a PostgreSQL cluster and a Redis server started for the run),
runs every scenario N times with `wrk -t1 -cC` (the 10,000-booking list with -t2), and
prints one Markdown table: the median req/s, its ratio to the ceiling's median, median p50
and p99, errors (connection errors and responses of 400 or more) and the server's peak
memory during the scenario.
The ceiling and /health runs alternate, so drift of the shared machine hits both alike.
"""
import argparse
import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from common import JANJI, REPO, Server, free_port, raise_fd_limit

sys.path.insert(0, os.path.join(REPO, "tests", "api"))
from backends import PgCluster, RedisServer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
HELLO = os.environ.get("JANJI_HELLO_BIN", os.path.join(REPO, "build", "bench", "hello"))
LIST_BOOKINGS = 10_000
CUSTOMERS = 20
LOGIN_CONNECTIONS = 16
LOGIN_TIMEOUT = 30  # logins queue for the hashing thread: seconds each, under a flood
WARMUP_SECONDS = 2


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# -- the processes under test -------------------------------------------------------------

def machine_busy_seconds():
    """CPU time all cores spent on anything but idling, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class Process:
    """Peak-memory readings of a running process (VmHWM, reset between scenarios)."""

    def __init__(self, pid):
        self.pid = pid

    def reset_peak(self):
        # Writing 5 to clear_refs resets the peak RSS to the current RSS (Linux >= 4.0).
        with open(f"/proc/{self.pid}/clear_refs", "w") as f:
            f.write("5")

    def cpu_seconds(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, limit=15.0):
        """Until the process uses under a tenth of a core (what the last scenario left
        queued has been served), and then the whole machine under a fifth of a core (the
        database's own work after a write-heavy scenario: autovacuum, a checkpoint), so one
        scenario's backlog does not count against the next."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            before = self.cpu_seconds()
            time.sleep(0.25)
            if self.cpu_seconds() - before < 0.025:
                break
        else:
            log(f"process {self.pid} still busy after {limit:.0f} s; measuring anyway")
            return
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            before = machine_busy_seconds()
            time.sleep(0.25)
            if machine_busy_seconds() - before < 0.05:
                return
        log(f"the machine is still busy after {limit:.0f} s; measuring anyway")

    def peak_kib(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0


class Hello:
    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen([HELLO, str(self.port)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.STDOUT, preexec_fn=raise_fd_limit)
        for _ in range(200):
            try:
                http.client.HTTPConnection("127.0.0.1", self.port, timeout=1).request("GET", "/")
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("the ceiling server did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Client:
    """A keep-alive HTTP/1.1 client for seeding (one per thread)."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method, path, body=None, token=None, form=False):
        headers = {}
        if token:
            headers["Authorization"] = "Bearer " + token
        if body is not None:
            if form:
                data = "&".join(f"{k}={v}" for k, v in body.items()).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        else:
            data = None
        self.conn.request(method, path, body=data, headers=headers)
        r = self.conn.getresponse()
        payload = r.read()
        if r.status >= 400:
            raise RuntimeError(f"{method} {path}: {r.status} {payload[:300]!r}")
        return json.loads(payload) if payload else None


# -- seeding -------------------------------------------------------------------------------

def seed(srv):
    """Demo catalogue and courses, customers, and bookings up to LIST_BOOKINGS in all."""
    srv.run("seed-demo")
    c = Client(srv.port)
    admin = srv.login()
    types = [t["id"] for p in c.call("GET", "/services/packages") for t in p["service_types"]]
    course = c.call("GET", "/api/courses")["data"][0]["id"]

    password = secrets.token_hex(8)
    customers = []

    def register(i):
        cl = Client(srv.port)
        email = f"bench-customer-{i}@janji.test"
        cl.call("POST", "/auth/register", {"name": f"Customer {i}", "email": email,
                                          "password": password,
                                          "phone_number": "+6281234567890"})
        tok = cl.call("POST", "/auth/login", {"username": email, "password": password},
                      form=True)["access_token"]
        return email, tok

    with ThreadPoolExecutor(4) as pool:
        customers = list(pool.map(register, range(CUSTOMERS)))

    existing = len(c.call("GET", "/bookings/", token=admin))
    todo = max(0, LIST_BOOKINGS - existing)
    log(f"seeding {todo} bookings (the list scenario reads {LIST_BOOKINGS})")

    def book(chunk):
        cl = Client(srv.port)
        for n in chunk:
            day = dt.date.today() + dt.timedelta(days=n % 400)
            b = cl.call("POST", "/bookings/", {"service_type_id": types[n % len(types)],
                                               "tanggal_acara": f"{day.isoformat()}T10:00:00",
                                               "jumlah_client": n % 5 + 1},
                        token=customers[n % len(customers)][1])
            # Some are paid or paid down, as in a real book, so priorities spread out.
            if n % 3 == 0:
                cl.call("PATCH", f"/bookings/{b['id']}",
                        {"status": ("confirmed", "dp", "paid")[n // 3 % 3]}, token=admin)

    chunks = [range(i, todo, 8) for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(book, chunks))
    total = len(c.call("GET", "/bookings/", token=admin))
    return {"admin": admin, "types": types, "course": course, "customers": customers,
            "password": password, "bookings": total}


def mint_registrations(path, count, secret, per_second=5_000):
    """Captcha tokens as GET /api/booking/captcha issues them and a browser solves them,
    one after the other at `per_second`: each expires when one issued at its turn would."""
    start = int(time.time()) + 3600
    with open(path, "w") as f:
        for i in range(count):
            expires = start + i // per_second
            number = secrets.randbelow(1000)
            salt = secrets.token_hex(12) + f"?expires={expires}"
            challenge = hashlib.sha256((salt + str(number)).encode()).hexdigest()
            signature = hmac.new(secret.encode(), challenge.encode(), hashlib.sha256).hexdigest()
            token = base64.b64encode(json.dumps(
                {"algorithm": "SHA-256", "challenge": challenge, "number": number, "salt": salt,
                 "signature": signature}, separators=(",", ":")).encode()).decode()
            f.write(f"{token} {uuid.uuid4()} applicant-{uuid.uuid4().hex[:16]}@bench.test\n")


# -- wrk -----------------------------------------------------------------------------------

def script(name, tmp):
    """A scenario script with report.lua appended (wrk takes one script)."""
    out = os.path.join(tmp, name)
    with open(out, "w") as f:
        for part in (name, "report.lua"):
            with open(os.path.join(HERE, "wrk", part)) as src:
                f.write(src.read() + "\n")
    return out


def start_wrk(url, lua, seconds, connections, env, timeout=5, threads=1):
    # wrk leaves answers slower than the timeout out of the latencies and counts them as
    # timeout errors.
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout",
           f"{timeout}s", "-s", lua, url]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **env}, preexec_fn=raise_fd_limit)


def finish_wrk(proc):
    out, _ = proc.communicate()
    for line in out.splitlines():
        if line.startswith("JANJI_BENCH "):
            r = json.loads(line[len("JANJI_BENCH "):])
            r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
            r["errors"] = r["connect"] + r["read"] + r["write"] + r["timeout"] + r["status"]
            return r
    raise RuntimeError(f"wrk printed no result:\n{out}")


def run_wrk(url, lua, seconds, connections, env, timeout=5, threads=1):
    return finish_wrk(start_wrk(url, lua, seconds, connections, env, timeout, threads))


# -- events and notifications ----------------------------------------------------------------

def commit_to_sse(srv, data, n=300):
    """Books `n` times, one after the other, with an SSE client on /bookings/stream; for
    each, the time from the 201 arriving to the client reading the booking's event."""
    import threading
    stream = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    stream.request("GET", "/bookings/stream?access_token=" + data["admin"],
                   headers={"Accept": "text/event-stream"})
    resp = stream.getresponse()
    assert resp.status == 200, resp.status
    seen = {}
    lock = threading.Condition()

    def read():
        try:
            while True:
                line = resp.readline()
                if not line:
                    return
                if line.startswith(b"data: "):
                    t = time.monotonic()
                    env = json.loads(line[6:])
                    if env.get("type") == "booking_created":
                        with lock:
                            seen[json.loads(env["data"])["id"]] = t
                            lock.notify_all()
        except (OSError, ValueError):
            return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(0.5)  # subscribed (no event can be missed: the stream starts empty anyway)
    cl = Client(srv.port)
    token = data["customers"][2][1]
    delays, before = [], 0
    for i in range(n):
        day = dt.date.today() + dt.timedelta(days=30 + i % 300)
        b = cl.call("POST", "/bookings/", {"service_type_id": data["types"][i % len(data["types"])],
                                           "tanggal_acara": f"{day.isoformat()}T10:00:00",
                                           "jumlah_client": 1}, token=token)
        answered = time.monotonic()
        with lock:
            lock.wait_for(lambda: b["id"] in seen, timeout=10)
            read_at = seen.get(b["id"])
        if read_at is None:
            raise RuntimeError(f"booking {b['id']}'s event never came")
        if read_at < answered:
            before += 1
        delays.append(max(0.0, read_at - answered) * 1000)
    stream.close()
    delays.sort()
    return {"n": n, "p50": statistics.median(delays),
            "p99": delays[min(len(delays) - 1, int(len(delays) * 0.99))], "before": before}


def sender_throughput(srv, data, hello, tmp, connections):
    """Registers a webhook for every event at the ceiling server, makes bookings for a few
    seconds, then measures how fast the sender drains the outbox on its own."""
    cl = Client(srv.port)
    cl.call("POST", "/api/admin/webhooks", {"url": hello.url("/hook"), "events": ["*"]},
            token=data["admin"])

    def counts():
        q = cl.call("GET", "/api/admin/notifications?status=queued&channel=webhook&limit=1",
                    token=data["admin"])["pagination"]["total"]
        sent = cl.call("GET", "/api/admin/notifications?status=sent&channel=webhook&limit=1",
                       token=data["admin"])["pagination"]["total"]
        return q, sent

    run_wrk(srv.url("/bookings/"), script("booking.lua", tmp), 3, connections,
            {"BENCH_TOKEN": data["customers"][3][1],
             "BENCH_SERVICE_TYPES": ",".join(map(str, data["types"]))})
    queued, sent0 = counts()
    t0 = time.monotonic()
    deadline = t0 + 120
    while queued > 0 and time.monotonic() < deadline:
        time.sleep(0.25)
        queued, sent = counts()
    elapsed = time.monotonic() - t0
    _, sent = counts()
    log(f"sender: {sent - sent0:,} webhooks in {elapsed:.1f} s, {queued} still queued")
    return {"sent": sent - sent0, "rate": (sent - sent0) / elapsed if elapsed > 0 else 0.0}


# -- the table -----------------------------------------------------------------------------

class Row:
    # How a PostgreSQL row must compare with the SQLite row of the same run (a share of its
    # rate): reads keep 90%, writes half.
    AGAINST_SQLITE = {"read": 0.9, "write": 0.5}

    def __init__(self, name, target=None, check=None, kind=None):
        self.name, self.target, self.check, self.kind = name, target, check, kind
        self.runs, self.peak_kib = [], 0

    def add(self, result, peak_kib):
        self.runs.append(result)
        self.peak_kib = max(self.peak_kib, peak_kib)

    def median(self, key):
        return statistics.median(r[key] for r in self.runs)


def ms(us):
    return f"{us / 1000:.2f} ms"


def versus_sqlite(row, sqlite_rows):
    """This row's rate as a share of the SQLite row of the same name, and the verdict."""
    other = next((r for r in sqlite_rows or [] if r.name == row.name and r.runs), None)
    if other is None or not row.runs or other.median("rps") == 0:
        return ""
    ratio = row.median("rps") / other.median("rps")
    need = Row.AGAINST_SQLITE.get(row.kind)
    if need is None:
        return f"{ratio:.0%}"
    return f"{ratio:.0%} " + ("✅" if ratio >= need else f"❌ (≥ {need:.0%})")


def table(rows, ceiling, sqlite_rows=None):
    """The markdown table; with `sqlite_rows` (a PostgreSQL run's), a "vs SQLite" column."""
    base = ceiling.median("rps")
    vs = sqlite_rows is not None
    lines = ["| scenario | req/s | vs ceiling |" + (" vs SQLite |" if vs else "")
             + " p50 | p99 | errors | server peak RSS | target |",
             "|---|---:|---:|" + ("---:|" if vs else "") + "---:|---:|---:|---:|---|"]
    for row in rows:
        verdict = ""
        if row.target:
            if row.check is None:  # a target set for another backend
                verdict = row.target + ", not this backend's"
            else:
                verdict = row.target + (" ✅" if row.check(row, base) else " ❌ missed")
        lines.append("| {} | {:,.0f} | {:.0%} |{} {} | {} | {} | {:.1f} MiB | {} |".format(
            row.name, row.median("rps"), row.median("rps") / base,
            f" {versus_sqlite(row, sqlite_rows)} |" if vs else "", ms(row.median("p50_us")),
            ms(row.median("p99_us")), sum(r["errors"] for r in row.runs), row.peak_kib / 1024,
            verdict))
    return "\n".join(lines)


def machine():
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.platform()}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backend", choices=["sqlite", "postgres", "compare"],
                    default=os.environ.get("BENCH_BACKEND", "sqlite"),
                    help="compare: SQLite, then PostgreSQL + Redis, each row of the second "
                         "also as a ratio to the first")
    ap.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "10")))
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")))
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--only", nargs="*", help="scenario keys: health packages list booking "
                                                "two (PostgreSQL only) register login sse "
                                                "sender")
    ap.add_argument("--out", help="also write the table (with its heading) to this file")
    args = ap.parse_args()
    for tool, path in (("wrk", shutil.which("wrk")), ("janji", JANJI), ("hello", HELLO)):
        if not path or not os.path.exists(path):
            sys.exit(f"bench: {tool} not found ({path}); run `make bench`")
    raise_fd_limit()
    only = set(args.only or ["health", "packages", "list", "booking", "two", "register",
                             "login", "sse", "sender"])

    backends = ["sqlite", "postgres"] if args.backend == "compare" else [args.backend]
    results = interleave({b: measure_backend(b, args, only) for b in backends})
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    texts = []
    for backend, res in results.items():
        heading = (f"{dt.date.today().isoformat()}, {machine()}; backend {backend}"
                   f"{' + Redis' if backend == 'postgres' else ''}; commit {commit}; "
                   f"`wrk -t1 -c{args.connections} -d{args.seconds}s`, median of {args.runs} "
                   f"runs, LOG_LEVEL={res['log_level']}")
        versus = results.get("sqlite") if backend == "postgres" else None
        text = heading + "\n\n" + table([res["ceiling"]] + res["rows"], res["ceiling"],
                                         versus and versus["rows"])
        if res["extra"]:
            text += ("\n\n| events and notifications | p50 / rate | p99 | note |\n"
                     "|---|---:|---:|---|\n" + "\n".join(res["extra"]))
        texts.append(text)
    text = "\n\n".join(texts)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


def interleave(benches):
    """Runs the generators of measure_backend by turns, one measurement of each in turn, and
    returns what each returned: a compare measures the two backends run by run, so a change
    in the machine's speed during the bench (other tenants) weighs on both alike."""
    results, live = {}, dict(benches)
    try:
        while live:
            for name in list(live):
                try:
                    next(live[name])
                except StopIteration as done:
                    results[name] = done.value
                    del live[name]
    finally:
        for bench in live.values():
            bench.close()  # its cleanups run
    return {name: results[name] for name in benches}


def measure_backend(backend, args, only):
    """Starts a server on `backend`, seeds it and measures the scenarios in `only`; a
    generator that yields before each measurement (see interleave) and returns the rows."""
    tmp = tempfile.mkdtemp(prefix="janji-bench-")
    cleanups = []
    try:
        env = {"LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "info"),
               "CAPTCHA_MAX_NUMBER": "1000",
               # The sender scenario's webhook goes to the ceiling server on loopback.
               "WEBHOOK_ALLOW_PRIVATE": "1"}
        # Every booking is checked against its date's capacity (BENCH_DAILY_CAPACITY= for
        # none); 1000 clients a date is more than the runs book on any one date.
        capacity = os.environ.get("BENCH_DAILY_CAPACITY", "1000")
        if capacity:
            env["DAILY_CLIENT_CAPACITY"] = capacity
        if backend == "postgres":
            log("starting PostgreSQL and Redis")
            pg = PgCluster(durable=True)
            cleanups.append(pg.destroy)
            pg.start()
            pg.create_database("janji_bench")
            redis = RedisServer()
            cleanups.append(redis.destroy)
            redis.start()
            env.update(DATABASE_URL=pg.url("janji_bench"), REDIS_URL=redis.url)
        srv = Server(tmp=tmp, env=env)
        hello = Hello()
        cleanups.append(hello.stop)
        log(f"seeding ({backend})")
        srv.run("migrate")
        srv.start()
        cleanups.append(srv.stop)
        data = seed(srv)
        if backend == "postgres":
            # As after any bulk load: the tables the seeding filled are analysed now, not by
            # autovacuum in the middle of a measurement. Not the empty ones: analysed empty,
            # the planner takes them for empty until autovacuum looks again, and the
            # registrations' statements then scan course_bookings and used_captchas whole
            # while thousands of rows go in (200-300 req/s instead of 4,000 and more).
            loaded = pg.psql("SELECT string_agg(quote_ident(relname), ', ') "
                             "FROM pg_stat_user_tables WHERE n_live_tup > 0",
                             dbname="janji_bench").stdout.strip()
            if loaded:
                pg.psql(f"VACUUM ANALYZE {loaded}", dbname="janji_bench")
        janji = Process(srv.proc.pid)
        ceiling_proc = Process(hello.proc.pid)
        wrk_base = {"BENCH_TOKEN": ""}
        c = args.connections
        s = args.seconds

        ceiling = Row(f"ceiling: Beast alone, `GET /` ({c} connections)")
        rows = []

        def measure(row, proc, url, lua, extra=None, connections=c, warmup=True, timeout=5,
                    threads=1):
            yield  # a compare measures the other backend's turn here (interleave)
            e = {**wrk_base, **(extra or {})}
            if warmup and not row.runs:
                proc.wait_idle()
                run_wrk(url, lua, WARMUP_SECONDS, connections, e, timeout, threads)
            proc.wait_idle()
            proc.reset_peak()
            r = run_wrk(url, lua, s, connections, e, timeout, threads)
            row.add(r, proc.peak_kib())
            log(f"[{backend}] {row.name}: {r['rps']:,.0f} req/s, p99 {ms(r['p99_us'])}, "
                f"{r['errors']} errors")

        get = script("get.lua", tmp)
        if "health" in only:
            health = Row("`GET /health`", "≥ 80% of the ceiling",
                         lambda r, base: r.median("rps") >= 0.8 * base, kind="read")
            rows.append(health)
            for _ in range(args.runs):
                yield from measure(ceiling, ceiling_proc, hello.url("/"), get)
                yield from measure(health, janji, srv.url("/health"), get)
        else:
            for _ in range(args.runs):
                yield from measure(ceiling, ceiling_proc, hello.url("/"), get)

        if "packages" in only:
            row = Row("`GET /services/packages` (demo catalogue)", "≥ 40,000 req/s",
                      lambda r, base: r.median("rps") >= 40_000, kind="read")
            rows.append(row)
            for _ in range(args.runs):
                yield from measure(row, janji, srv.url("/services/packages"), get)

        if "list" in only:
            # 4.8 MB an answer: one wrk thread reading 64 of them at once uses its whole core,
            # and its own backlog then made the tail (p99 0.2-1.6 s from one run to the next,
            # with the server's own p99 under 0.1 s), so this row's client has two threads.
            row = Row(f"`GET /bookings/?order_by=priority_score_desc` ({data['bookings']:,} "
                      "bookings, admin; wrk with 2 threads)", "p99 < 1 s",
                      lambda r, base: r.median("p99_us") < 1_000_000, kind="read")
            rows.append(row)
            for _ in range(args.runs):
                yield from measure(row, janji,
                                   srv.url("/bookings/?order_by=priority_score_desc"), get,
                                   {"BENCH_TOKEN": data["admin"]}, threads=2)
            # A business with a couple of thousand bookings: the first 2,000 of the list.
            row = Row("`GET /bookings/?order_by=priority_score_desc&limit=2000` (admin)",
                      "≥ 500 req/s" + (" (SQLite)" if backend == "postgres" else ""),
                      None if backend == "postgres" else
                      lambda r, base: r.median("rps") >= 500, kind="read")
            rows.append(row)
            for _ in range(args.runs):
                yield from measure(row, janji,
                                   srv.url("/bookings/?order_by=priority_score_desc&limit=2000"),
                                   get, {"BENCH_TOKEN": data["admin"]})

        if "booking" in only:
            row = Row("`POST /bookings/` (customer"
                      + (f", DAILY_CLIENT_CAPACITY={capacity})" if capacity else ")"),
                      "≥ 8,000 req/s, p99 < 20 ms"
                      + (" (SQLite)" if backend == "postgres" else ""),
                      None if backend == "postgres" else
                      lambda r, base: r.median("rps") >= 8_000 and r.median("p99_us") < 20_000,
                      kind="write")
            rows.append(row)
            for _ in range(args.runs):
                yield from measure(row, janji, srv.url("/bookings/"),
                                   script("booking.lua", tmp),
                                   {"BENCH_TOKEN": data["customers"][0][1],
                                    "BENCH_SERVICE_TYPES": ",".join(map(str, data["types"]))})

        if "two" in only and backend != "postgres":
            for _ in range(args.runs):
                yield  # the other backend's turns at its two-instance row: a compare stays in step
        if "two" in only and backend == "postgres":
            # A second instance on the same PostgreSQL and Redis (same SECRET_KEY, so the
            # customer's token works on both), wrk split over the two. They share the two
            # cores, so this shows the path works under load, not that it scales.
            row = Row(f"`POST /bookings/` on two instances (wrk with {c // 2} connections "
                      "on each)", kind="write")
            rows.append(row)
            tmp2 = tempfile.mkdtemp(prefix="janji-bench-")
            cleanups.append(lambda: shutil.rmtree(tmp2, ignore_errors=True))
            second = Server(tmp=tmp2, env={**env, "SECRET_KEY": srv.env["SECRET_KEY"],
                                           "ADMIN_PASSWORD": srv.password})
            second.start()
            cleanups.append(second.stop)
            e = {**wrk_base, "BENCH_TOKEN": data["customers"][0][1],
                 "BENCH_SERVICE_TYPES": ",".join(map(str, data["types"]))}
            lua = script("booking.lua", tmp)
            for _ in range(args.runs):
                yield
                janji.wait_idle()
                janji.reset_peak()
                both = [start_wrk(server.url("/bookings/"), lua, s, c // 2, e)
                        for server in (srv, second)]
                a, b = (finish_wrk(w) for w in both)
                r = {**a, "rps": a["rps"] + b["rps"], "p50_us": max(a["p50_us"], b["p50_us"]),
                     "p99_us": max(a["p99_us"], b["p99_us"]), "errors": a["errors"] + b["errors"]}
                row.add(r, janji.peak_kib())
                log(f"{row.name}: {a['rps']:,.0f} + {b['rps']:,.0f} req/s, p99 "
                    f"{ms(r['p99_us'])}, {r['errors']} errors")

        if "register" in only:
            row = Row("`POST /api/booking/register-course` (captcha solved ahead)",
                      "≥ 5,000 req/s" + (" (SQLite)" if backend == "postgres" else ""),
                      None if backend == "postgres" else
                      lambda r, base: r.median("rps") >= 5_000, kind="write")
            rows.append(row)
            for i in range(args.runs + 1):
                path = os.path.join(tmp, f"registrations-{i}.txt")
                # Far more than can be used up: each registration needs a fresh captcha
                # and e-mail, and a reused one would show up as errors.
                mint_registrations(path, 20_000 * (WARMUP_SECONDS if i == 0 else s),
                                   srv.env["SECRET_KEY"])
                e = {"BENCH_COURSE": data["course"], "BENCH_REGISTRATIONS": path}
                if i == 0:
                    run_wrk(srv.url("/api/booking/register-course"),
                            script("register_course.lua", tmp), WARMUP_SECONDS, c,
                            {**wrk_base, **e})
                else:
                    yield from measure(row, janji, srv.url("/api/booking/register-course"),
                                       script("register_course.lua", tmp), e, warmup=False)

        if "login" in only:
            alone = Row(f"`POST /auth/login` alone ({LOGIN_CONNECTIONS} connections, "
                        "right password)")
            flood = Row("`POST /auth/login` flood, while `/health` below is loaded")
            beside = Row(f"`GET /health` beside the login flood ({c} connections)",
                         "p99 < 5 ms", lambda r, base: r.median("p99_us") < 5_000)
            rows += [alone, flood, beside]
            email, _ = data["customers"][1]
            login_env = {**wrk_base, "BENCH_EMAIL": email, "BENCH_PASSWORD": data["password"]}
            for _ in range(args.runs):
                yield from measure(alone, janji, srv.url("/auth/login"),
                                   script("login.lua", tmp), login_env,
                                   connections=LOGIN_CONNECTIONS, timeout=LOGIN_TIMEOUT)
            for _ in range(args.runs):
                yield
                janji.wait_idle()
                janji.reset_peak()
                lp = start_wrk(srv.url("/auth/login"), script("login.lua", tmp), s + 2,
                               LOGIN_CONNECTIONS, login_env, LOGIN_TIMEOUT)
                time.sleep(1)  # the flood is under way before /health is measured
                hr = run_wrk(srv.url("/health"), get, s, c, wrk_base)
                lr = finish_wrk(lp)
                peak = janji.peak_kib()
                flood.add(lr, peak)
                beside.add(hr, peak)
                log(f"login flood: {lr['rps']:,.0f} logins/s; /health beside it: "
                    f"{hr['rps']:,.0f} req/s, p99 {ms(hr['p99_us'])}")

        extra = []
        if "sse" in only:
            yield
            janji.wait_idle()
            lat = commit_to_sse(srv, data)
            extra.append(f"| commit → SSE read (`POST /bookings/` answered → its "
                         f"`booking_created` read on `/bookings/stream`, {lat['n']} bookings one "
                         f"at a time) | p50 {lat['p50']:.2f} ms | p99 {lat['p99']:.2f} ms | "
                         f"{lat['before']} read before the 201 |")
        if "sender" in only:
            yield
            janji.wait_idle()
            snd = sender_throughput(srv, data, hello, tmp, c)
            extra.append(f"| notification sender: signed webhooks to a local receiver "
                         f"({snd['sent']:,} messages drained after the writes stopped) | "
                         f"{snd['rate']:,.0f} messages/s | | |")

        if srv.proc.poll() is not None:
            sys.exit("bench: janji exited during the run; see " + srv.log.name)
        return {"rows": rows, "ceiling": ceiling, "extra": extra, "log_level": env["LOG_LEVEL"]}
    finally:
        for fn in reversed(cleanups):
            try:
                fn()
            except Exception as e:  # noqa: BLE001 - report and go on cleaning up
                log(f"cleanup: {e}")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
