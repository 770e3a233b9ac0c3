"""Crash safety: `janji serve` killed with SIGKILL in the middle of hundreds of concurrent
bookings and course registrations loses nothing it acknowledged. After a restart on the same
database every booking answered 201 is there, exactly as it was answered."""

import json
import threading
import uuid
from datetime import datetime, timedelta, timezone

import time

import requests

from conftest import SseStream, wait_until
from test_courses import make_course, ok, reg_body, register

WORKERS = 48
ACKED_BEFORE_KILL = 300  # acknowledged writes to wait for before pulling the plug


def future(days):
    return (datetime.now(timezone.utc) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S")


class Load:
    """WORKERS threads writing bookings and registrations until the server dies; records every
    request and what (if anything) came back."""

    def __init__(self, srv, customers, type_id, course_id):
        self.srv, self.customers = srv, customers
        self.type_id, self.course_id = type_id, course_id
        self.lock = threading.Lock()
        self.acked = threading.Condition(self.lock)
        self.bookings = []       # (request body, response json, customer) answered 201
        self.registrations = []  # (request body, response booking) answered 201
        self.other = []          # (kind, status, text) answered otherwise
        self.failed = 0          # requests that got no answer: the server died under them
        self.sent = 0
        self.halt = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(WORKERS)]

    def start(self):
        for t in self.threads:
            t.start()

    def count(self):
        return len(self.bookings) + len(self.registrations)

    def wait_for(self, n, timeout):
        with self.acked:
            return self.acked.wait_for(lambda: self.count() >= n or self.failed, timeout)

    def join(self):
        self.halt.set()
        for t in self.threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in self.threads), "a load thread is stuck"

    def run(self, i):
        session = requests.Session()
        k = 0
        while not self.halt.is_set():
            k += 1
            try:
                if (i + k) % 2 == 0:
                    c = self.customers[(i * 7 + k) % len(self.customers)]
                    body = {"service_type_id": self.type_id, "tanggal_acara": future(3 + k % 200),
                            "jumlah_client": 1 + k % 5}
                    with self.lock:
                        self.sent += 1
                    r = self.srv.post("/bookings/", c.token, json=body, session=session, timeout=30)
                    with self.lock:
                        if r.status_code == 201:
                            self.bookings.append((body, r.json(), c))
                        else:
                            self.other.append(("booking", r.status_code, r.text))
                        self.acked.notify_all()
                else:
                    body = reg_body(self.course_id, full_name=f"Crash Applicant {i}-{k}")
                    with self.lock:
                        self.sent += 1
                    r = register(self.srv, body, session=session)
                    with self.lock:
                        if r.status_code == 201:
                            self.registrations.append((body, r.json()["data"]["booking"]))
                        else:
                            self.other.append(("registration", r.status_code, r.text))
                        self.acked.notify_all()
            except requests.RequestException:
                with self.lock:
                    self.failed += 1
                    self.acked.notify_all()
                return
        session.close()


def created_key(stream, event):
    """The booking an SSE event announces the creation of, or None."""
    if stream == "bookings" and event["type"] == "booking_created":
        return event["data"]["id"]
    if stream == "course_bookings" and event["type"] == "booking.created":
        return event["data"]["bookingId"]
    return None


def check_reconnecting_streams_get_every_missed_event_once(srv, admin, load, seen):
    """Each stream reconnects with the last id it saw: the replay (from the event log, the
    process that held the recent events in memory is gone) holds every event it missed,
    none it had, each once, in id order."""
    acked = {"bookings": {a["id"] for _, a, _ in load.bookings},
             "course_bookings": {a["id"] for _, a in load.registrations}}
    paths = {"bookings": "/bookings/stream", "course_bookings": "/api/booking/stream"}
    for name, before in seen.items():
        last = before[-1]["id"] if before else 0
        had = {created_key(name, e) for e in before} - {None}
        replayed = []
        with SseStream(srv, paths[name], token=admin, last_event_id=last) as s:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                got = {created_key(name, e) for e in replayed}
                if acked[name] <= had | got:
                    break
                item = s.next(deadline - time.monotonic())
                if item is None or item["kind"] == "eof":
                    break
                if item["kind"] == "event":
                    replayed.append(item)
        ids = [e["id"] for e in replayed]
        assert ids == sorted(set(ids)), f"{name}: replay out of order or repeated"
        assert all(i > last for i in ids), f"{name}: replayed events at or before {last}"
        created = [k for k in (created_key(name, e) for e in before + replayed) if k is not None]
        assert len(created) == len(set(created)), f"{name}: a creation was sent twice"
        missing = acked[name] - set(created)
        assert not missing, f"{name}: {len(missing)} acknowledged writes never streamed"


def check_every_webhook_message_arrives_with_one_id(srv, admin, load, rx):
    """Every acknowledged write's event reaches the webhook endpoint (the deliveries were
    queued with it; those the killed server had claimed are claimed again), at least once,
    and all copies of one message carry one webhook-id."""
    want = {("booking_created", a["id"]) for _, a, _ in load.bookings}
    want |= {("booking.created", a["id"]) for _, a in load.registrations}

    def key(req):
        body = req.json()
        data = body["data"]
        return body["type"], data["id"]

    def arrived():
        got = {key(r) for r in rx.requests_to("/hook") if r.status == 200}
        return want <= got

    wait_until(arrived, 120, 0.5,
               lambda: f"{len(want - {key(r) for r in rx.requests_to('/hook')})} messages missing")
    ids = {}
    for r in rx.requests_to("/hook"):
        ids.setdefault(key(r), set()).add(r.headers["webhook-id"])
    assert all(len(v) == 1 for v in ids.values()), {k: v for k, v in ids.items() if len(v) > 1}


def test_sigkill_mid_load_loses_no_acknowledged_booking(start_server, make_http_receiver):
    rx = make_http_receiver()
    srv = start_server({"CAPTCHA_PROVIDER": "none", "WEBHOOK_ALLOW_PRIVATE": "1",
                        "NOTIFY_TIMEOUT": "2s", "NOTIFY_RECLAIM_AFTER": "5s",
                        "NOTIFY_POLL_INTERVAL": "200ms"})
    admin = srv.admin_login()
    r = srv.post("/api/admin/webhooks", admin,
                 json={"url": rx.url + "/hook", "events": ["booking_created", "booking.created"]})
    assert r.status_code == 201, r.text
    r = srv.post("/services/packages", admin, json={"name": "Crash Pkg", "description": "x"})
    assert r.status_code == 201, r.text
    r = srv.post("/services/types", admin, json={"package_id": r.json()["id"], "name": "Crash Type",
                                                  "description": "x", "price": "350000.00"})
    assert r.status_code == 201, r.text
    type_id = r.json()["service_types"][-1]["id"]
    course_id = make_course(srv, admin, max_students=10_000)["id"]
    customers = [srv.new_customer(name=f"Crash Customer {n}") for n in range(24)]

    # Two live streams watch the load; they die with the server.
    watchers = {"bookings": SseStream(srv, "/bookings/stream", token=admin),
                "course_bookings": SseStream(srv, "/api/booking/stream", token=admin)}
    for w in watchers.values():
        assert w.status == 200 and w.next(5)["kind"] == "retry"

    load = Load(srv, customers, type_id, course_id)
    load.start()
    try:
        assert load.wait_for(ACKED_BEFORE_KILL, timeout=300), \
            f"only {load.count()} writes acknowledged: {load.other[:3]}"
        assert not load.failed, "requests failed before the server was killed"
        srv.kill()  # SIGKILL: no drain, no clean shutdown, requests still in flight
    finally:
        load.join()

    assert not load.other, load.other[:5]  # before the kill every write succeeded
    acked = load.count()
    assert acked >= ACKED_BEFORE_KILL
    assert load.failed > 0, "the kill did not interrupt any request"

    print(f"killed after {acked} acknowledged writes ({len(load.bookings)} bookings, "
          f"{len(load.registrations)} registrations) with {load.failed} requests in flight")
    # What each stream got before the kill.
    seen = {}
    for name, w in watchers.items():
        seen[name] = []
        while (item := w.next(10)) is not None and item["kind"] != "eof":
            if item["kind"] == "event":
                seen[name].append(item)
        w.close()

    srv.restart()
    admin = srv.admin_login()
    check_reconnecting_streams_get_every_missed_event_once(srv, admin, load, seen)
    check_every_webhook_message_arrives_with_one_id(srv, admin, load, rx)

    # Every booking answered 201 is there, unchanged.
    for body, answered, customer in load.bookings:
        r = srv.get(f"/bookings/{answered['id']}", admin)
        assert r.status_code == 200, (answered["id"], r.status_code, r.text)
        stored = r.json()
        for field in ("id", "user_id", "service_type_id", "price_locked", "status",
                      "tanggal_booking", "tanggal_acara", "jumlah_client", "priority_score",
                      "priority_segment"):
            assert stored[field] == answered[field], (field, stored, answered)
        assert stored["user_id"] == customer.id and stored["tanggal_acara"] == body["tanggal_acara"]

    # Every registration answered 201 is there, unchanged, still pending.
    pending = {b["id"]: b for b in ok(srv.get("/api/booking/pending", admin))}
    for body, answered in load.registrations:
        stored = pending.get(answered["id"])
        assert stored is not None, f"registration {answered['id']} was lost"
        for field in ("id", "course_id", "status", "applicant_email", "applicant_full_name",
                      "idempotency_key", "preferred_days", "created_at", "expires_at"):
            assert stored[field] == answered[field], (field, stored, answered)
        assert stored["applicant_email"] == body["email"] and stored["status"] == "pending"

    # Every acknowledged write's event is in the log, written with the write itself.
    logged = {(stream, typ, data) for stream, typ, data in
              srv.sql("SELECT stream, type, data FROM events")}
    created = {json.loads(d)["id"] for s, t, d in logged
               if s == "bookings" and t == "booking_created"}
    assert {a["id"] for _, a, _ in load.bookings} <= created
    registered = {json.loads(d)["bookingId"] for s, t, d in logged
                  if s == "course_bookings" and t == "booking.created"}
    assert {a["id"] for _, a in load.registrations} <= registered

    # Each customer's own list holds exactly their acknowledged bookings, and no write was
    # made twice: ids are unique.
    ids = [answered["id"] for _, answered, _ in load.bookings]
    assert len(set(ids)) == len(ids)
    for c in customers:
        mine = {a["id"] for _, a, cust in load.bookings if cust is c}
        listed = {b["id"] for b in srv.get("/bookings/me", c.token).json()}
        assert mine <= listed, (c.id, mine - listed)
        # Anything beyond the acknowledged ones was committed as the server died: at most
        # one in-flight request per worker.
        assert len(listed - mine) <= WORKERS

    # The restarted server takes new writes.
    r = srv.post("/bookings/", customers[0].token,
                 json={"service_type_id": type_id, "tanggal_acara": future(9), "jumlah_client": 2})
    assert r.status_code == 201, r.text
    r = register(srv, reg_body(course_id, idempotency_key=str(uuid.uuid4())))
    assert r.status_code == 201, r.text
