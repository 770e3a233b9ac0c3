"""Janji as a cluster (issue #5): several stateless `janji serve` instances on one
PostgreSQL and one Redis, and what happens when either goes away mid-run.

Only with JANJI_TEST_BACKEND=postgres (the second pass of `make test`): these tests are
about the PostgreSQL + Redis mode itself, which the SQLite pass does not have.
"""

import threading
import time
import uuid
from datetime import timedelta

import pytest
import requests

from conftest import (POSTGRES, JanjiServer, RedisServer, SseStream, parallel, stop_servers,
                      wait_until)
from test_courses import err, make_course, ok, reg_body, register
from test_streams import book, event_for, iso, make_type, utcnow

pytestmark = pytest.mark.skipif(
    not POSTGRES, reason="cluster mode needs JANJI_TEST_BACKEND=postgres (PostgreSQL + Redis); "
                         "`make test` runs it in its second pass")

ENV = {"CAPTCHA_PROVIDER": "none", "SSE_HEARTBEAT": "1s"}
FAIL_FAST = 5.0  # seconds: with the database gone a request must be answered within this


# -- helpers ----------------------------------------------------------------------------------
def poll(what, fn, timeout, interval=0.2):
    """Calls fn() until it returns (True, detail); fails with the last detail after timeout."""
    last = None

    def check():
        nonlocal last
        done, last = fn()
        return (last,) if done else None  # a tuple: truthy even when the detail is not

    return wait_until(check, timeout, interval, lambda: f"{what}; last: {last}")[0]


def timed(call):
    t0 = time.monotonic()
    try:
        r = call()
    except requests.RequestException as e:
        return e, time.monotonic() - t0
    return r, time.monotonic() - t0


def health(srv):
    r, elapsed = timed(lambda: srv.get("/health", timeout=10))
    if isinstance(r, Exception):
        return None, repr(r), elapsed
    try:
        body = r.json()
    except ValueError:
        body = r.text
    return r.status_code, body, elapsed


def health_is(status_code, status):
    def check(srv):
        code, body, elapsed = health(srv)
        good = code == status_code and isinstance(body, dict) and body.get("status") == status
        return good, (code, body, round(elapsed, 3))
    return check


def wait_health(servers, status_code, status, timeout):
    check = health_is(status_code, status)
    for s in servers:
        poll(f"GET /health on :{s.port} answering {status_code} {status!r}",
             lambda: check(s), timeout)


def booking_body(type_id, days=30):
    return {"service_type_id": type_id, "tanggal_acara": iso(utcnow() + timedelta(days=days)),
            "jumlah_client": 1}


def open_stream(srv, path, token, **kw):
    """An SSE stream that is subscribed: the server sends `retry:` only after subscribing,
    so events of writes made after that cannot be missed."""
    s = SseStream(srv, path, token=token, **kw)
    assert s.status == 200, (s.status_line, getattr(s, "body", b""))
    first = s.next(5)
    assert first is not None and first["kind"] == "retry", first
    return s


def setup_shop(a):
    """Admin token, a service type, a course and a customer, made through instance `a`."""
    a.admin = a.admin_login()
    a.type_id = make_type(a, a.admin)
    a.course = make_course(a, a.admin)
    a.cust = a.new_customer()


class Writer(threading.Thread):
    """Keeps writing (service bookings and course registrations, alternating between the
    instances) until stopped, and records every answer: what was acknowledged (201) must
    still be there at the end."""

    def __init__(self, servers, token, type_id, course_id):
        super().__init__(daemon=True)
        self.servers, self.token, self.type_id, self.course_id = servers, token, type_id, course_id
        self.halt = threading.Event()
        self.results = []  # dicts: t, server, kind, status (int or error text), elapsed, id
        self.lock = threading.Lock()

    def run(self):
        sessions = [requests.Session() for _ in self.servers]
        i = 0
        try:
            while not self.halt.is_set():
                k = i % len(self.servers)
                srv, sess = self.servers[k], sessions[k]
                kind = "booking" if (i // len(self.servers)) % 2 == 0 else "course"
                t0 = time.monotonic()
                if kind == "booking":
                    r, elapsed = timed(lambda: srv.post("/bookings/", self.token, session=sess,
                                                        json=booking_body(self.type_id)))
                else:
                    r, elapsed = timed(lambda: register(srv, reg_body(self.course_id),
                                                        session=sess))
                rec = {"t": t0, "server": srv.port, "kind": kind, "elapsed": elapsed, "id": None}
                if isinstance(r, Exception):
                    rec["status"] = repr(r)
                    sess.close()
                    sessions[k] = requests.Session()
                else:
                    rec["status"] = r.status_code
                    rec["body"] = r.text[:300]
                    if r.status_code == 201:
                        j = r.json()
                        rec["id"] = j["id"] if kind == "booking" else j["data"]["booking"]["id"]
                with self.lock:
                    self.results.append(rec)
                i += 1
                self.halt.wait(0.05)
        finally:
            for s in sessions:
                s.close()

    def snapshot(self):
        with self.lock:
            return list(self.results)

    def finish(self):
        self.halt.set()
        self.join(timeout=60)
        assert not self.is_alive(), "the writer thread is stuck in a request"
        return self.snapshot()

    def wait_for_acks(self, n, since, timeout, what):
        def check():
            got = [r for r in self.snapshot() if r["t"] >= since and r["status"] == 201]
            return len(got) >= n, f"{len(got)} acknowledged; latest: {self.snapshot()[-3:]}"
        poll(what, check, timeout)


def assert_acknowledged_writes_readable(srv, admin, results):
    """Every write answered 201 is readable afterwards."""
    booking_ids = [r["id"] for r in results if r["status"] == 201 and r["kind"] == "booking"]
    course_ids = [r["id"] for r in results if r["status"] == 201 and r["kind"] == "course"]
    assert booking_ids and course_ids, results[-5:]
    r = srv.get("/bookings/", admin)
    assert r.status_code == 200, r.text
    listed = {b["id"] for b in r.json()}
    lost = [i for i in booking_ids if i not in listed]
    assert not lost, f"acknowledged bookings missing from GET /bookings/: {lost}"
    for bid in booking_ids[:: max(1, len(booking_ids) // 10)]:
        one = srv.get(f"/bookings/{bid}", admin)
        assert one.status_code == 200 and one.json()["id"] == bid, one.text
    pending = {b["id"] for b in ok(srv.get("/api/booking/pending", admin))}
    lost = [i for i in course_ids if i not in pending]
    assert not lost, f"acknowledged course registrations missing from the pending list: {lost}"


# -- (a) two instances on one PostgreSQL + one Redis ----------------------------------------
@pytest.fixture(scope="module")
def pair():
    redis = RedisServer().start()
    a = JanjiServer(ENV, redis=redis)
    b = JanjiServer(ENV, share_with=a)
    try:
        a.start()
        b.start()
        assert a.db_url == b.db_url and a.env["REDIS_URL"] == b.env["REDIS_URL"] == redis.url
        setup_shop(a)
        b.admin, b.type_id, b.course, b.cust = a.admin, a.type_id, a.course, a.cust
        yield a, b
        stop_servers([a, b])
    finally:
        for s in (a, b):
            s.stop()
            s.cleanup()
        redis.destroy()


def test_one_secret_key_one_database(pair):
    a, b = pair
    # A token issued by A works on B, and B reads what A wrote.
    me = b.get("/auth/me", a.cust.token)
    assert me.status_code == 200 and me.json()["id"] == a.cust.id, me.text
    made = book(a, a.cust.token, a.type_id).json()
    r = b.get(f"/bookings/{made['id']}", b.admin)
    assert r.status_code == 200 and r.json() == made, r.text


def test_a_list_kept_on_b_shows_at_once_what_a_wrote(pair):
    a, b = pair
    for path, token in (("/bookings/?order_by=priority_score_desc", b.admin),
                        ("/bookings/me", a.cust.token)):
        first = b.get(path, token)
        again = b.get(path, token)  # kept on B now
        assert first.status_code == again.status_code == 200, again.text
        assert again.content == first.content
        made = book(a, a.cust.token, a.type_id).json()
        after = b.get(path, token)
        assert after.status_code == 200, after.text
        assert made["id"] in {x["id"] for x in after.json()}, path
        r = a.patch(f"/bookings/{made['id']}", a.admin, json={"status": "paid"})
        assert r.status_code == 200, r.text
        rows = {x["id"]: x for x in b.get(path, token).json()}
        assert rows[made["id"]]["status"] == "paid", path


def test_sse_subscriber_on_a_sees_bookings_made_through_b(pair):
    a, b = pair
    with open_stream(a, "/bookings/stream", a.admin) as sa, \
            open_stream(b, "/bookings/stream", b.admin) as sb:
        made = book(b, b.cust.token, b.type_id).json()
        ev_a = event_for(sa, made["id"], "booking_created", timeout=10)
        assert ev_a["data"] == made
        ev_b = event_for(sb, made["id"], "booking_created", timeout=10)
        assert ev_b["id"] == ev_a["id"], "one event must carry one id on every instance"
        # ...and the other way round, for an update.
        r = a.patch(f"/bookings/{made['id']}", a.admin, json={"status": "confirmed"})
        assert r.status_code == 200, r.text
        ev = event_for(sb, made["id"], "booking_updated", timeout=10)
        assert ev["data"]["status"] == "confirmed"
        # Each subscriber got the creation exactly once (not once locally and once more
        # from Redis).
        later = [it for it in sa.collect(1.0) if it["kind"] == "event"
                 and it["type"] == "booking_created" and it["data"]["id"] == made["id"]]
        assert later == [], "booking_created delivered twice on instance A"


def test_course_stream_on_a_sees_registration_through_b(pair):
    a, b = pair
    with open_stream(a, "/api/booking/stream", a.admin) as sa:
        bk = ok(register(b, reg_body(a.course["id"], experience_level="advanced")), 201)["booking"]
        deadline = time.monotonic() + 10
        while True:
            ev = sa.next_event(deadline - time.monotonic(), types={"booking.created"})
            assert ev is not None, "no booking.created on A for a registration made through B"
            if (ev["data"] or {}).get("bookingId") == bk["id"]:
                break
        d = ev["data"]
        assert d["eventType"] == "BOOKING_CREATED" and d["courseId"] == a.course["id"], d
        assert d["experienceLevel"] == "advanced" and d["userId"] is None, d


def test_reconnect_to_the_other_instance_with_last_event_id(pair):
    """No sticky sessions needed: a client that reconnects to another instance with
    Last-Event-ID gets exactly what it missed."""
    a, b = pair
    with open_stream(a, "/bookings/stream", a.admin) as sa:
        first = book(b, b.cust.token, b.type_id).json()
        e0 = event_for(sa, first["id"], "booking_created", timeout=10)
    missed = [book((a, b)[i % 2], a.cust.token, a.type_id).json()["id"] for i in range(4)]
    with SseStream(b, "/bookings/stream", token=b.admin, last_event_id=e0["id"]) as sb:
        assert sb.status == 200, sb.status_line
        got = []
        deadline = time.monotonic() + 10
        while len(got) < len(missed):
            ev = sb.next_event(deadline - time.monotonic(), types={"booking_created"})
            assert ev is not None, f"replayed/received only {got} of {missed}"
            assert ev["id"] > e0["id"], ev
            got.append(ev["data"]["id"])
        assert sorted(got) == sorted(missed), (got, missed)
        extra = [it for it in sb.collect(1.0) if it["kind"] == "event"
                 and it["type"] == "booking_created" and it["data"]["id"] in missed]
        assert extra == [], "an event was delivered twice after Last-Event-ID"


def test_50_concurrent_registrations_one_key_over_both_instances(pair):
    a, b = pair
    c = make_course(a, a.admin)
    key = str(uuid.uuid4())
    bodies = [reg_body(c["id"], idempotency_key=key) for _ in range(50)]
    rs = parallel(50, lambda i, s: register((a, b)[i % 2], bodies[i], session=s))
    codes = sorted(r.status_code for r in rs)
    assert codes.count(201) == 1 and codes.count(409) == 49, codes
    winner = [r for r in rs if r.status_code == 201][0].json()["data"]["booking"]["id"]
    for r in rs:
        if r.status_code == 409:
            e = err(r, 409, "DUPLICATE_REQUEST")
            assert e["details"] == [{"bookingId": winner}], e
    for srv in (a, b):
        pend = [x["id"] for x in ok(srv.get("/api/booking/pending", srv.admin))
                if x["course_id"] == c["id"]]
        assert pend == [winner]


def test_pending_limit_holds_across_instances_under_20_concurrent(pair):
    a, b = pair
    courses = [make_course(a, a.admin) for _ in range(20)]
    email = f"race-{uuid.uuid4().hex[:8]}@b.test"
    bodies = [reg_body(courses[i]["id"], email=email) for i in range(20)]
    rs = parallel(20, lambda i, s: register((a, b)[i % 2], bodies[i], session=s))
    codes = [r.status_code for r in rs]
    assert codes.count(201) == 3 and codes.count(429) == 17, codes
    for r in rs:
        if r.status_code == 429:
            err(r, 429, "PENDING_LIMIT_REACHED")
    for srv in (a, b):
        pend = [x for x in ok(srv.get("/api/booking/pending", srv.admin))
                if x["applicant_email"].lower() == email]
        assert len(pend) == 3


def test_booking_idempotency_key_across_instances(pair):
    a, b = pair
    c = a.new_customer()
    key = str(uuid.uuid4())
    body = booking_body(a.type_id)
    rs = parallel(10, lambda i, s: (a, b)[i % 2].post("/bookings/", c.token, json=body, session=s,
                                                      headers={"Idempotency-Key": key}))
    assert [r.status_code for r in rs] == [201] * 10, [r.text for r in rs]
    assert len({r.json()["id"] for r in rs}) == 1
    for srv in (a, b):
        mine = srv.get("/bookings/me", c.token)
        assert mine.status_code == 200 and len(mine.json()) == 1, mine.text


def test_login_failures_are_counted_across_instances(pair):
    """LOGIN_MAX_FAILURES_PER_EMAIL (5) counts failures made on any instance."""
    a, b = pair
    victim = a.register(name="Victim")
    for i in range(5):
        r = (a, b)[i % 2].post("/auth/login", data={"username": victim.email,
                                                     "password": "wrong-password"})
        assert r.status_code == 401, r.text
    for srv in (a, b):
        r = srv.post("/auth/login", data={"username": victim.email, "password": victim.password})
        assert r.status_code == 429, (srv.port, r.status_code, r.text)


def test_instances_started_together_on_a_fresh_database(redis_server):
    """Several instances started at once migrate one empty database without tripping
    over each other."""
    first = JanjiServer(ENV, redis=redis_server)
    servers = [first] + [JanjiServer(ENV, share_with=first) for _ in range(3)]
    errors = []

    def start(s):
        try:
            s.start()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(f":{s.port}: {e}")

    try:
        threads = [threading.Thread(target=start, args=(s,)) for s in servers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, "\n".join(errors)
        c = servers[1].new_customer()
        admin = servers[2].admin_login()
        t = make_type(servers[0], admin)
        made = book(servers[2], c.token, t).json()
        assert servers[0].get(f"/bookings/{made['id']}", admin).json() == made
    finally:
        stop_servers(servers)


# -- (b) Redis and PostgreSQL going away mid-run -------------------------------------------
# start_server comes last: its servers are stopped before the PostgreSQL and Redis they use.
def test_redis_outage_degrades_and_recovers(redis_server, start_server):
    a = start_server(ENV, redis=redis_server)
    b = start_server(ENV, share_with=a)
    setup_shop(a)
    wait_health([a, b], 200, "ok", 10)
    writer = Writer([a, b], a.cust.token, a.type_id, a.course["id"])
    stream = open_stream(a, "/bookings/stream", a.admin)
    try:
        made = book(b, a.cust.token, a.type_id).json()
        event_for(stream, made["id"], "booking_created", timeout=10)
        writer.start()
        writer.wait_for_acks(4, 0, 20, "writes before the outage")

        redis_server.stop()
        down_at = time.monotonic()
        wait_health([a, b], 200, "degraded", 15)
        # Writes keep working, on both instances, and the database still guards
        # idempotency and the pending limit.
        for srv in (a, b):
            r = srv.post("/bookings/", a.cust.token, json=booking_body(a.type_id))
            assert r.status_code == 201, (srv.port, r.status_code, r.text)
            ok(register(srv, reg_body(a.course["id"])), 201)
        key = str(uuid.uuid4())
        body = booking_body(a.type_id)
        r1 = a.post("/bookings/", a.cust.token, json=body, headers={"Idempotency-Key": key})
        r2 = b.post("/bookings/", a.cust.token, json=body, headers={"Idempotency-Key": key})
        assert r1.status_code == 201 and r2.status_code in (200, 201), (r1.text, r2.text)
        assert r1.json()["id"] == r2.json()["id"], "an Idempotency-Key replay made a second booking"
        rkey = str(uuid.uuid4())
        ok(register(a, reg_body(a.course["id"], idempotency_key=rkey)), 201)
        err(register(b, reg_body(a.course["id"], idempotency_key=rkey)), 409, "DUPLICATE_REQUEST")
        email = f"limit-{uuid.uuid4().hex[:8]}@b.test"
        courses = [make_course(a, a.admin) for _ in range(4)]
        for i in range(3):
            ok(register((a, b)[i % 2], reg_body(courses[i]["id"], email=email)), 201)
        err(register(b, reg_body(courses[3]["id"], email=email)), 429, "PENDING_LIMIT_REACHED")
        writer.wait_for_acks(4, down_at, 20, "background writes while Redis is down")

        redis_server.start()  # same port
        up_at = time.monotonic()
        wait_health([a, b], 200, "ok", 30)

        # Events flow again from B to the subscriber on A (an EventSource reconnects by
        # itself if its stream was closed meanwhile; so does this one).
        def event_after_recovery():
            nonlocal stream
            if stream.wait_eof(0):
                stream.close()
                stream = open_stream(a, "/bookings/stream", a.admin)
            bk = book(b, a.cust.token, a.type_id).json()
            deadline = time.monotonic() + 1.5
            while True:
                ev = stream.next_event(deadline - time.monotonic(), types={"booking_created"})
                if ev is None:
                    return False, f"no booking_created for {bk['id']} on A yet"
                if ev["data"]["id"] == bk["id"]:
                    return True, ev
        poll("booking_created on A for a booking made through B after Redis came back",
             event_after_recovery, 30)
        writer.wait_for_acks(4, up_at, 20, "background writes after Redis came back")
    finally:
        results = writer.finish() if writer.is_alive() else writer.snapshot()
        stream.close()
    failed = [r for r in results if r["status"] != 201]
    assert not failed, f"writes failed although only Redis was down: {failed[:5]}"
    assert a.proc.poll() is None and b.proc.poll() is None
    assert_acknowledged_writes_readable(b, a.admin, results)


def test_reads_right_after_a_postgres_restart_are_answered(pg_cluster, redis_server,
                                                          start_server):
    """The pool's connections from before a restart were closed by the server; a read that
    takes one finds out as it begins, before anything ran, and takes the next one, until a
    new one, instead of answering 503."""
    a = start_server(ENV, cluster=pg_cluster, redis=redis_server)
    setup_shop(a)

    def reads():
        return parallel(8, lambda i, s: a.get("/bookings/", a.admin, session=s))

    assert [r.status_code for r in reads()] == [200] * 8  # the pool keeps several
    pg_cluster.stop("fast")
    pg_cluster.start()  # same port, same data
    rs = reads()
    assert [r.status_code for r in rs] == [200] * 8, [r.text for r in rs if r.status_code != 200]


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_postgres_outage_fails_fast_and_recovers(pg_cluster, redis_server, start_server, mode):
    a = start_server(ENV, cluster=pg_cluster, redis=redis_server)
    b = start_server(ENV, share_with=a)
    assert a.db_url.startswith(f"postgresql://postgres@127.0.0.1:{pg_cluster.port}/")
    setup_shop(a)
    pids = (a.proc.pid, b.proc.pid)
    writer = Writer([a, b], a.cust.token, a.type_id, a.course["id"])
    writer.start()
    try:
        writer.wait_for_acks(4, 0, 20, "writes before the outage")

        pg_cluster.stop(mode)
        down_at = time.monotonic()
        slow = []
        # Every request that needs the database is refused at once with 503.
        for srv in (a, b):
            calls = {
                "POST /bookings/": lambda: srv.post("/bookings/", a.cust.token,
                                                    json=booking_body(a.type_id), timeout=30),
                "POST register-course": lambda: register(srv, reg_body(a.course["id"])),
                "GET /bookings/": lambda: srv.get("/bookings/", a.admin, timeout=30),
                "GET /api/booking/pending": lambda: srv.get("/api/booking/pending", a.admin,
                                                            timeout=30),
                "POST /auth/login": lambda: srv.post(
                    "/auth/login", data={"username": a.cust.email, "password": a.cust.password},
                    timeout=30),
            }
            for name, call in calls.items():
                r, elapsed = timed(call)
                assert not isinstance(r, Exception), f"{name} on :{srv.port}: {r!r}"
                assert r.status_code == 503, (name, srv.port, r.status_code, r.text)
                if elapsed >= FAIL_FAST:
                    slow.append((name, srv.port, round(elapsed, 2)))
        assert not slow, f"requests took {FAIL_FAST}s or more with PostgreSQL down: {slow}"
        for srv in (a, b):
            def unavailable():
                code, body, elapsed = health(srv)
                assert elapsed < FAIL_FAST, f"/health took {elapsed:.2f}s with PostgreSQL down"
                return code == 503, (code, body)
            code, body = poll(f"GET /health on :{srv.port} answering 503", unavailable, 10)
            assert isinstance(body, dict) and body.get("status") == "unavailable", body
        poll("background writes answered while PostgreSQL is down",
             lambda: (len([r for r in writer.snapshot() if r["t"] >= down_at]) >= 4,
                      writer.snapshot()[-3:]), 20)

        pg_cluster.start()  # same port, same data
        up_at = time.monotonic()
        wait_health([a, b], 200, "ok", 30)
        for srv in (a, b):
            r = srv.post("/bookings/", a.cust.token, json=booking_body(a.type_id))
            assert r.status_code == 201, (srv.port, r.status_code, r.text)
            ok(register(srv, reg_body(a.course["id"])), 201)
        writer.wait_for_acks(4, up_at, 20, "background writes after PostgreSQL came back")
    finally:
        results = writer.finish() if writer.is_alive() else writer.snapshot()
    assert (a.proc.pid, b.proc.pid) == pids and a.proc.poll() is None and b.proc.poll() is None, \
        "janji must recover without a restart"
    during = [r for r in results if down_at <= r["t"] < up_at]
    odd = [r for r in results if r["status"] not in (201, 503)]
    assert not odd, f"writes answered other than 201 or 503: {odd[:5]}"
    slow = [r for r in during if r["elapsed"] >= FAIL_FAST]
    assert not slow, f"background writes hung {FAIL_FAST}s or more with PostgreSQL down: {slow[:5]}"
    assert any(r["status"] == 503 for r in during), during[:5]
    assert_acknowledged_writes_readable(a, a.admin, results)
