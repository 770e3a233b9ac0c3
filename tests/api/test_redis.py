"""Janji with REDIS_URL: several instances on one Redis and one database behave as one
service — events, Last-Event-ID replay, idempotency keys and the login throttle are shared,
booking.created reaches Redis' `booking.created` channel, and a Redis outage degrades
/health without failing writes.

Each fixture starts its own `redis-server` on a free port (no persistence) and Janji
servers that share one database (a SQLite file, or a PostgreSQL database with
JANJI_TEST_BACKEND=postgres), one SECRET_KEY and one admin.
"""

import contextlib
import datetime as dt
import json
import re
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from conftest import (POSTGRES, JanjiServer, SseStream, database_name, free_port, parallel,
                      session_cluster, stop_servers, strict_json, wait_until)


ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


# -- a minimal RESP2 client and a redis-server of our own -------------------------------------
class Resp:
    """Speaks RESP2 over one socket: enough for PING, GET and SUBSCRIBE."""

    def __init__(self, port, timeout=5.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.file = self.sock.makefile("rb")

    def send(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))

    def read(self, timeout=None):
        if timeout is not None:
            self.sock.settimeout(timeout)
        line = self.file.readline()
        if not line:
            raise EOFError("redis closed the connection")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.file.read(n + 2)
            return data[:-2].decode()
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError(f"unexpected RESP line {line!r}")

    def call(self, *args):
        self.send(*args)
        return self.read()

    def close(self):
        try:
            self.file.close()
            self.sock.close()
        except OSError:
            pass


class RedisServer:
    """`redis-server` on a free loopback port, without persistence; can be killed and
    started again on the same port."""

    def __init__(self, tmp):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = Path(tmp) / f"redis-{self.port}.log"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--protected-mode", "no"],
            stdout=open(self.log_path, "ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log_path.read_text()
            try:
                r = Resp(self.port, timeout=1)
                try:
                    if r.call("PING") == "PONG":
                        return self
                finally:
                    r.close()
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer within 10s")

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def client(self):
        return Resp(self.port)


def shared_database_url(tmp):
    """One SQLite file, or with JANJI_TEST_BACKEND=postgres one database on the session's
    PostgreSQL cluster."""
    if not POSTGRES:
        return f"sqlite:///{tmp}/shared.db"
    cluster = session_cluster()
    cluster.create_database(database_name(tmp))
    return cluster.url(database_name(tmp))


class Cluster:
    """Janji instances on one Redis, one database, one SECRET_KEY and one admin."""

    def __init__(self, redis_url, n=2, extra=None):
        self.tmp = tempfile.TemporaryDirectory(prefix="janji-redis-")
        self.secret = secrets.token_hex(32)
        self.admin_password = "adm-" + secrets.token_hex(12)
        self.env = {"DATABASE_URL": shared_database_url(self.tmp.name),
                    "SECRET_KEY": self.secret, "ADMIN_PASSWORD": self.admin_password,
                    "REDIS_URL": redis_url, "CAPTCHA_PROVIDER": "none", **(extra or {})}
        self.servers = []
        try:
            # One after the other: the first migrates the shared database.
            for _ in range(n):
                s = JanjiServer(self.env)
                s.secret_key, s.admin_password = self.secret, self.admin_password
                self.servers.append(s)
                s.start()
        except BaseException:
            self.close()
            raise

    def close(self):
        try:
            stop_servers(self.servers)
        finally:
            self.tmp.cleanup()


@pytest.fixture(scope="module")
def redis_srv():
    tmp = tempfile.TemporaryDirectory(prefix="janji-redis-server-")
    r = RedisServer(tmp.name).start()
    yield r
    r.stop()
    tmp.cleanup()


@pytest.fixture(scope="module")
def pair(redis_srv):
    c = Cluster(redis_srv.url)
    a, b = c.servers
    a.admin = b.admin = a.admin_login()
    for s in (a, b):
        wait_health(s, "ok")
    yield a, b
    c.close()


# -- helpers ------------------------------------------------------------------------------------
def wait_health(srv, status, timeout=15.0):
    """Polls /health until its status is `status`; returns the body."""
    last = None

    def check():
        nonlocal last
        r = srv.get("/health", timeout=5)
        last = (r.status_code, r.text)
        return r.json() if r.status_code == 200 and r.json().get("status") == status else None

    return wait_until(check, timeout, 0.1,
                      lambda: f"/health on port {srv.port} not {status!r}: {last}")


def make_type(srv, admin):
    r = srv.post("/services/packages", admin,
                 json={"name": f"Pkg {uuid.uuid4().hex[:10]}", "description": "redis test"})
    assert r.status_code == 201, r.text
    r = srv.post("/services/types", admin,
                 json={"package_id": r.json()["id"], "name": f"Type {uuid.uuid4().hex[:8]}",
                       "description": "redis test type", "price": "1500000.00"})
    assert r.status_code == 201, r.text
    return r.json()["service_types"][-1]["id"]


def book(srv, token, type_id):
    when = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)).strftime(
        "%Y-%m-%dT%H:%M:%S")
    r = srv.post("/bookings/", token,
                 json={"service_type_id": type_id, "tanggal_acara": when, "jumlah_client": 1})
    assert r.status_code == 201, r.text
    return r.json()


def make_course(srv, admin):
    r = srv.post("/api/courses", admin,
                 json={"title": f"Biola {uuid.uuid4().hex[:8]}", "description": "Weekly",
                       "instrument": "violin", "level": "beginner", "price_per_session": 150000,
                       "duration_minutes": 60, "max_students": 5})
    assert r.status_code == 201, r.text
    return r.json()["data"]["id"]


def reg_body(course_id, **over):
    today = dt.datetime.now(dt.timezone.utc).date()
    body = {
        "full_name": "Budi Santoso", "email": f"applicant-{uuid.uuid4().hex[:12]}@b.test",
        "wa_number": "+6281234567890", "course_id": course_id,
        "address": "Jl. Merdeka 1, Bandung", "birth_place": "Bandung",
        "birth_date": "2010-05-17", "school": "SMP 1 Bandung", "class": 8,
        "guardian_name": "Siti Aminah", "guardian_wa_number": "+6281298765432",
        "experience_level": "intermediate", "preferred_days": ["tuesday", "saturday"],
        "preferred_time_range": {"start": "15:00", "end": "17:00"},
        "start_date_target": (today + dt.timedelta(days=30)).isoformat(),
        "consent": True, "captcha_token": "none-token", "idempotency_key": str(uuid.uuid4()),
    }
    body.update(over)
    return body


def register(srv, body, session=None):
    return srv.post("/api/booking/register-course", json=body, session=session)


def event_for(stream, type_, match, timeout=10.0):
    """The next `type_` event whose parsed data satisfies `match` (others are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        ev = stream.next_event(deadline - time.monotonic(), types={type_})
        assert ev is not None, f"no matching {type_} event within {timeout}s"
        if match(ev["data"]):
            return ev


def fail_login(srv, email):
    return srv.post("/auth/login", data={"username": email, "password": "wrong-password"})


# -- health ------------------------------------------------------------------------------------
def test_health_names_database_and_redis(pair):
    for s in pair:
        r = s.get("/health")
        assert r.status_code == 200
        assert strict_json(r) == {"status": "ok", "database": "ok", "redis": "ok"}


# -- events across instances -----------------------------------------------------------------
def test_booking_through_b_reaches_a_stream_with_the_same_id(pair):
    a, b = pair
    type_id = make_type(a, a.admin)
    customer = b.new_customer(name="Cross Instance")
    with SseStream(a, "/bookings/stream", token=a.admin) as on_a, \
            SseStream(b, "/bookings/stream", token=b.admin) as on_b:
        assert on_a.status == 200 and on_b.status == 200
        booking = book(b, customer.token, type_id)
        ev_a = event_for(on_a, "booking_created", lambda d: d["id"] == booking["id"])
        ev_b = event_for(on_b, "booking_created", lambda d: d["id"] == booking["id"])
    assert ev_a["id"] == ev_b["id"], (ev_a["raw"], ev_b["raw"])
    assert ev_a["raw"] == ev_b["raw"]
    assert ev_a["data"]["user_id"] == customer.id


def test_course_registration_through_b_reaches_a_course_stream(pair):
    a, b = pair
    course_id = make_course(a, a.admin)
    with SseStream(a, "/api/booking/stream", token=a.admin) as on_a:
        assert on_a.status == 200
        r = register(b, reg_body(course_id))
        assert r.status_code == 201, r.text
        bid = r.json()["data"]["booking"]["id"]
        ev = event_for(on_a, "booking.created", lambda d: d["bookingId"] == bid)
    assert ev["data"]["eventType"] == "BOOKING_CREATED"
    assert ev["data"]["courseId"] == course_id


def test_every_instance_sees_every_write_in_one_order(pair):
    a, b = pair
    type_id = make_type(a, a.admin)
    customer = a.new_customer(name="Ordering")
    with SseStream(a, "/bookings/stream", token=a.admin) as on_a, \
            SseStream(b, "/bookings/stream", token=b.admin) as on_b:
        made = [book(a if i % 2 == 0 else b, customer.token, type_id)["id"] for i in range(6)]
        seen = {}
        for name, stream in (("a", on_a), ("b", on_b)):
            got = []
            while len(got) < len(made):
                ev = event_for(stream, "booking_created", lambda d: d["id"] in made)
                got.append((ev["id"], ev["data"]["id"]))
            seen[name] = got
    assert seen["a"] == seen["b"], seen
    ids = [i for i, _ in seen["a"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids), ids
    order = [bid for _, bid in seen["a"]]
    assert sorted(order) == sorted(made), (order, made)
    # Each instance publishes after it answers, so writes made through different instances
    # may interleave; the writes made through one instance keep their order.
    for first in (0, 1):
        mine = made[first::2]
        assert [bid for bid in order if bid in mine] == mine, (order, made)


def test_last_event_id_replays_on_b_what_was_made_on_a(pair):
    a, b = pair
    type_id = make_type(a, a.admin)
    customer = a.new_customer(name="Replay")
    with SseStream(a, "/bookings/stream", token=a.admin) as on_a:
        made = [book(a, customer.token, type_id)["id"] for _ in range(3)]
        evs = [event_for(on_a, "booking_created", lambda d, x=x: d["id"] == x) for x in made]
    # B got them through Redis; whatever it has not yet received still arrives live.
    with SseStream(b, "/bookings/stream", token=b.admin, last_event_id=evs[0]["id"]) as on_b:
        got = [on_b.next_event(10, types={"booking_created"}) for _ in range(2)]
    assert all(g is not None for g in got), got
    assert [g["id"] for g in got] == [evs[1]["id"], evs[2]["id"]]
    assert [g["data"]["id"] for g in got] == made[1:]


# -- idempotency -------------------------------------------------------------------------------
def test_one_idempotency_key_over_two_instances_makes_one_booking(pair, redis_srv):
    a, b = pair
    course_id = make_course(a, a.admin)
    key = str(uuid.uuid4())
    bodies = [reg_body(course_id, idempotency_key=key) for _ in range(50)]
    rs = parallel(50, lambda i, s: register(a if i % 2 == 0 else b, bodies[i], session=s))
    codes = [r.status_code for r in rs]
    assert codes.count(201) == 1 and codes.count(409) == 49, sorted(codes)
    winner = next(r for r in rs if r.status_code == 201).json()["data"]["booking"]["id"]
    for r in rs:
        if r.status_code == 409:
            j = strict_json(r)
            assert j["error"]["code"] == "DUPLICATE_REQUEST", j
            assert j["error"]["details"] == [{"bookingId": winner}], j
    # The key is in Redis under the original service's name, for 24 hours.
    rc = redis_srv.client()
    try:
        assert rc.call("GET", f"course_registration:{key}") == winner
        assert 86000 < rc.call("TTL", f"course_registration:{key}") <= 86400
    finally:
        rc.close()
    # A later retry on either instance is answered from the cache with the same booking.
    for s in (a, b):
        r = register(s, reg_body(course_id, idempotency_key=key))
        assert r.status_code == 409 and r.json()["error"]["details"] == [{"bookingId": winner}]


def test_many_keys_at_once_each_name_their_own_booking(pair, redis_srv):
    """Registrations with different keys at once: their Redis commands share writes, and
    each caller still gets its own reply (a reply handed to the wrong caller would name
    another booking below)."""
    a, b = pair
    course_id = make_course(a, a.admin)
    bodies = [reg_body(course_id) for _ in range(40)]
    rs = parallel(40, lambda i, s: register(a if i % 2 == 0 else b, bodies[i], session=s))
    assert [r.status_code for r in rs] == [201] * 40, [r.text for r in rs if r.status_code != 201]
    made = {body["idempotency_key"]: r.json()["data"]["booking"]["id"]
            for body, r in zip(bodies, rs)}
    assert len(set(made.values())) == 40
    rc = redis_srv.client()
    try:
        for key, booking_id in made.items():
            assert rc.call("GET", f"course_registration:{key}") == booking_id
    finally:
        rc.close()
    # Retried at once, each on the other instance: answered with its own booking.
    again = parallel(40, lambda i, s: register(b if i % 2 == 0 else a, bodies[i], session=s))
    for body, r in zip(bodies, again):
        e = strict_json(r)
        assert r.status_code == 409 and e["error"]["code"] == "DUPLICATE_REQUEST", e
        assert e["error"]["details"] == [{"bookingId": made[body["idempotency_key"]]}], e


# -- booking.created on Redis --------------------------------------------------------------------
@contextlib.contextmanager
def booking_created_channel(redis_srv):
    """A Redis connection subscribed to the booking.created channel."""
    sub = redis_srv.client()
    try:
        assert sub.call("SUBSCRIBE", "booking.created") == ["subscribe", "booking.created", 1]
        yield sub
    finally:
        sub.close()


def next_booking_id(sub):
    kind, channel, payload = sub.read(timeout=10)
    assert (kind, channel) == ("message", "booking.created")
    return json.loads(payload)["bookingId"]


def test_booking_created_channel_carries_the_seed_payload(pair, redis_srv):
    a, b = pair
    course_id = make_course(a, a.admin)
    with booking_created_channel(redis_srv) as sub:
        body = reg_body(course_id)
        r = register(b, body)
        assert r.status_code == 201, r.text
        booking = r.json()["data"]["booking"]
        kind, channel, payload = sub.read(timeout=10)
        assert (kind, channel) == ("message", "booking.created")
        msg = json.loads(payload)
        assert list(msg) == ["eventType", "bookingId", "userId", "courseId", "experienceLevel",
                             "preferredDays", "timestamp"], msg
        assert msg["eventType"] == "BOOKING_CREATED"
        assert msg["bookingId"] == booking["id"]
        assert msg["userId"] is None
        assert msg["courseId"] == course_id
        assert msg["experienceLevel"] == "intermediate"
        assert msg["preferredDays"] == ["tuesday", "saturday"]
        assert ISO_Z.match(msg["timestamp"]), msg
        # Confirming is not a creation: the next message is the next registration's.
        r = a.post(f"/api/bookings/{booking['id']}/confirm", a.admin)
        assert r.status_code == 200, r.text
        r = register(a, reg_body(course_id))
        assert r.status_code == 201, r.text
        assert next_booking_id(sub) == r.json()["data"]["booking"]["id"]


def test_registrations_at_once_on_two_instances_are_each_published_once(pair, redis_srv):
    a, b = pair
    course_id = make_course(a, a.admin)
    with booking_created_channel(redis_srv) as sub:
        rs = parallel(30, lambda i, s: register(a if i % 2 == 0 else b, reg_body(course_id),
                                                session=s))
        assert [r.status_code for r in rs] == [201] * 30, [r.text for r in rs]
        made = sorted(r.json()["data"]["booking"]["id"] for r in rs)
        # Each once, though both instances offered each.
        assert sorted(next_booking_id(sub) for _ in made) == made
        # Nothing more comes: a registration made now is the next message.
        r = register(b, reg_body(course_id))
        assert r.status_code == 201, r.text
        assert next_booking_id(sub) == r.json()["data"]["booking"]["id"]


# -- login throttle ------------------------------------------------------------------------------
def test_login_failures_count_across_instances(pair):
    a, b = pair
    victim = a.register(name="Throttled")
    # The limit is 5 per e-mail: three failures on A and two on B reach it together.
    for srv in (a, a, a, b, b):
        r = fail_login(srv, victim.email)
        assert r.status_code == 401, r.text
    for srv in (a, b):
        r = srv.post("/auth/login", data={"username": victim.email, "password": victim.password})
        assert r.status_code == 429, r.text
        retry = r.headers.get("Retry-After")
        assert retry is not None and retry.isdigit() and 1 <= int(retry) <= 900, r.headers
    # Someone else is not affected.
    other = b.register(name="Not Throttled")
    assert a.post("/auth/login", data={"username": other.email,
                                       "password": other.password}).status_code == 200


def test_successful_login_forgives_on_every_instance(pair):
    a, b = pair
    user = a.register(name="Forgiven")
    for srv in (a, b, a, b):
        assert fail_login(srv, user.email).status_code == 401
    assert b.login(user.email, user.password)
    # Four more failures would reach the limit only if the earlier four still counted.
    for srv in (a, b, a, b):
        assert fail_login(srv, user.email).status_code == 401
    assert a.login(user.email, user.password)


# -- segments follow writes made elsewhere -------------------------------------------------------
def test_segments_on_a_follow_bookings_made_on_b(pair):
    a, b = pair
    type_id = make_type(a, a.admin)

    def wait_listed_on_a(user_id):
        last = None

        def listed():
            nonlocal last
            last = a.get("/segments/", a.admin)
            return (last.status_code == 200 and
                    user_id in {it["user_id"] for it in strict_json(last)})

        wait_until(listed, 15, 0.2, lambda: f"user {user_id} not in A's segments: {last.text}")

    for i in range(4):
        c = b.new_customer(name=f"Segment {i}")
        book(b, c.token, type_id)
    wait_listed_on_a(c.id)  # A has now computed (and cached) its segments
    late = b.new_customer(name="Segment late")
    book(b, late.token, type_id)
    # A never saw this write itself: only the event from Redis tells it the data changed.
    wait_listed_on_a(late.id)


# -- Redis outage --------------------------------------------------------------------------------
@pytest.fixture
def outage():
    tmp = tempfile.TemporaryDirectory(prefix="janji-redis-outage-")
    r = RedisServer(tmp.name).start()
    c = None
    try:
        c = Cluster(r.url)
        a, b = c.servers
        a.admin = b.admin = a.admin_login()
        for s in (a, b):
            wait_health(s, "ok")
        yield r, a, b
    finally:
        try:
            if c is not None:
                c.close()
        finally:
            r.stop()
            tmp.cleanup()


def test_redis_outage_degrades_then_recovers(outage):
    redis_srv, a, b = outage
    type_id = make_type(a, a.admin)
    course_id = make_course(a, a.admin)
    customer = b.new_customer(name="Outage")
    with SseStream(a, "/bookings/stream", token=a.admin) as on_a, \
            SseStream(b, "/bookings/stream", token=a.admin) as on_b:
        first_booking = book(b, customer.token, type_id)
        before = event_for(on_a, "booking_created", lambda d: d["id"] == first_booking["id"])
        event_for(on_b, "booking_created", lambda d: d["id"] == first_booking["id"])

        redis_srv.kill()
        for s in (a, b):
            body = wait_health(s, "degraded")
            assert body == {"status": "degraded", "database": "ok", "redis": "unavailable"}

        # Writes go on: bookings, course registrations (the database guards the key),
        # logins (counted in process).
        during = book(b, customer.token, type_id)
        body = reg_body(course_id)
        r = register(a, body)
        assert r.status_code == 201, r.text
        first = r.json()["data"]["booking"]["id"]
        r = register(b, dict(body))
        assert r.status_code == 409, r.text
        assert r.json()["error"]["code"] == "DUPLICATE_REQUEST"
        assert r.json()["error"]["details"] == [{"bookingId": first}]
        assert fail_login(a, customer.email).status_code == 401
        assert a.login(customer.email, customer.password)

        redis_srv.start()  # same port, empty: the id counter is gone
        for s in (a, b):
            assert wait_health(s, "ok") == {"status": "ok", "database": "ok", "redis": "ok"}
        # What was written during the outage reaches both instances' streams (each reads the
        # event log itself; Redis only wakes them up) ...
        ev = event_for(on_a, "booking_created", lambda d: d["id"] == during["id"], timeout=10)
        ev_b = event_for(on_b, "booking_created", lambda d: d["id"] == during["id"], timeout=10)
        assert ev_b["id"] == ev["id"]
        # ... and so do new writes, with ids still above the ones from before.
        after = book(b, customer.token, type_id)
        ev2 = event_for(on_a, "booking_created", lambda d: d["id"] == after["id"], timeout=10)
        assert before["id"] < ev["id"] < ev2["id"], (before["id"], ev["id"], ev2["id"])
    for s in (a, b):
        assert "Redis" in s.log() and "unavailable" in s.log()


# -- two instances, one outbox -------------------------------------------------------------------
def test_two_instances_deliver_each_webhook_once_and_stream_one_order(redis_srv,
                                                                     make_http_receiver):
    rx = make_http_receiver()
    c = Cluster(redis_srv.url, extra={"WEBHOOK_ALLOW_PRIVATE": "1", "NOTIFY_POLL_INTERVAL": "200ms",
                                      "NOTIFY_RETRY_MIN": "1s", "NOTIFY_RETRY_MAX": "2s"})
    try:
        a, b = c.servers
        admin = a.admin_login()
        for s in (a, b):
            wait_health(s, "ok")
        r = a.post("/api/admin/webhooks", admin,
                   json={"url": rx.url + "/both", "events": ["booking_created"]})
        assert r.status_code == 201, r.text
        type_id = make_type(a, admin)
        customers = [(a if i % 2 else b).new_customer(name=f"Two {i}") for i in range(8)]
        total = 500
        with SseStream(a, "/bookings/stream", token=admin) as on_a, \
                SseStream(b, "/bookings/stream", token=admin) as on_b:
            for st in (on_a, on_b):
                assert st.next(5)["kind"] == "retry"

            def make(i, session):
                srv = a if i % 2 else b
                out = []
                for k in range(i, total, 16):
                    cust = customers[k % len(customers)]
                    out.append(book(srv, cust.token, type_id)["id"])
                return out

            made = {bid for part in parallel(16, make) for bid in part}
            assert len(made) == total

            def stream_ids(st):
                got = []
                while len(got) < total:
                    ev = st.next_event(30, types={"booking_created"})
                    assert ev is not None, f"stream stopped after {len(got)} events"
                    got.append((ev["id"], ev["data"]["id"]))
                return got

            seen_a, seen_b = stream_ids(on_a), stream_ids(on_b)
            assert seen_a == seen_b  # the same events, the same ids, the same order
            assert [i for i, _ in seen_a] == sorted(i for i, _ in seen_a)
            assert {bid for _, bid in seen_a} == made

        def delivered():
            return {req.json()["data"]["id"] for req in rx.requests_to("/both")} >= made

        wait_until(delivered, 60, 0.2, lambda: f"{len(rx.requests_to('/both'))} of {total} came")
        per_id = {}
        for req in rx.requests_to("/both"):
            if req.status != 200:
                continue  # an attempt that did not get through (retried with the same id)
            per_id.setdefault(req.headers["webhook-id"], []).append(req.json()["data"]["id"])
        assert len(per_id) == total
        duplicates = {k: v for k, v in per_id.items() if len(v) > 1}
        assert not duplicates, f"{len(duplicates)} messages delivered more than once"
    finally:
        c.close()
