"""Capacity, waitlist, calendar (DESIGN.md "Capacity, waitlist, calendar"): course seats
held by active enrollments, the waitlist and the seats it is offered as they free, and the
make-up artist's daily client capacity on the service surface.

One module-scoped server (no captcha, a daily capacity of 4 clients, webhooks to loopback
allowed) takes most tests; dedicated servers cover a short offer TTL and another business
time zone, the session server the unlimited default, and on PostgreSQL a second instance
on the same database shows that the seat limit holds across instances.
"""

import datetime as dt
import itertools
import re
import time
import uuid

import pytest

from conftest import (POSTGRES, JanjiServer, SseStream, assert_detail, assert_validation,
                      parallel, serving, stop_servers, strict_json, wait_until)
from receivers import verify_standard_webhook
from test_courses import err, make_course, ok, parse_z, put, reg_body, register, wait_past
from test_enrollments import create_body, guest_booking, list_enr, new_user
from test_streams import make_type

ENV = {"CAPTCHA_PROVIDER": "none", "DAILY_CLIENT_CAPACITY": "4",
       "WEBHOOK_ALLOW_PRIVATE": "1", "NOTIFY_POLL_INTERVAL": "200ms"}
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
OFFER_TTL = dt.timedelta(days=3)  # COURSE_BOOKING_TTL's default
WITA = dt.timezone(dt.timedelta(hours=8))  # Asia/Makassar, BUSINESS_TIMEZONE's default


# -- servers ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def srv():
    with serving(ENV) as s:
        yield s


@pytest.fixture(scope="module")
def admin(srv):
    return srv.admin_login()


@pytest.fixture(scope="module")
def stype(srv, admin):
    return make_type(srv, admin)


@pytest.fixture(scope="module")
def clients(srv):
    """A few customers, so that bookings on one date come from different people."""
    return [srv.new_customer(name=f"Klien {i}") for i in range(4)]


# -- making course bookings and reading them back ---------------------------------------------
def now_utc():
    return dt.datetime.now(dt.timezone.utc)


def confirm(srv, admin, bid):
    return ok(srv.post(f"/api/bookings/{bid}/confirm", admin))


def user_booking(srv, user, course_id, **over):
    """A booking made through /api/bookings/create: (booking, manage token)."""
    d = ok(srv.post("/api/bookings/create", user.token, json=create_body(course_id, **over)), 201)
    return d["booking"], d.get("manage_token")


def seated_course(srv, admin, seats=1):
    """A course whose `seats` seats are all taken: (course, the active enrollments)."""
    c = make_course(srv, admin, max_students=seats)
    enrolled = [confirm(srv, admin, guest_booking(srv, c["id"])["id"])["enrollment"]
                for _ in range(seats)]
    return c, enrolled


def waitlist_of(srv, course, n):
    """n users who register for the full `course` one after another, so that their
    created_at stamps are distinct and the order of the waitlist is theirs: a list of
    dicts with the booking, its manage token and the user."""
    out = []
    for i in range(n):
        user = new_user(srv, f"Waiting {i}")
        b, token = user_booking(srv, user, course["id"])
        assert b["status"] == "waitlisted" and b["expires_at"] is None, b
        out.append({"booking": b, "token": token, "user": user})
        wait_past(b["created_at"])
    return out


def status_of(srv, admin, booking):
    """The booking as it stands now (bookings made by users are listed under the user)."""
    rows = ok(srv.get(f"/api/bookings/user/{booking['user_id']}", admin))
    return next(b for b in rows if b["id"] == booking["id"])


def wait_status(srv, admin, booking, status, timeout=10.0):
    last = {}

    def check():
        last["b"] = status_of(srv, admin, booking)
        return last["b"] if last["b"]["status"] == status else None

    return wait_until(check, timeout, 0.05,
                      lambda: f"booking {booking['id']} to be {status}; it is {last.get('b')}")


def pending_ids(srv, admin, course_id):
    return [b["id"] for b in ok(srv.get("/api/booking/pending", admin))
            if b["course_id"] == course_id]


def wait_pending(srv, admin, course_id, bid, timeout=10.0):
    wait_until(lambda: bid in pending_ids(srv, admin, course_id), timeout, 0.05,
               f"booking {bid} to be offered a seat (listed pending)")


def assert_fresh_offer(b, freed_at):
    """An offer holds the seat for COURSE_BOOKING_TTL from the moment it was made."""
    assert b["status"] == "pending", b
    exp = parse_z(b["expires_at"])
    expected = freed_at + OFFER_TTL
    assert abs((exp - expected).total_seconds()) < 30, (b["expires_at"], expected)


def active_total(srv, admin, course_id):
    return list_enr(srv, admin, course_id=course_id, status="active")["pagination"]["total"]


def open_course_stream(srv, admin):
    """The course stream, subscribed: `retry:` comes only once the subscription is in place,
    so no event of a later write can be missed."""
    s = SseStream(srv, "/api/booking/stream", token=admin)
    assert s.status == 200, (s.status_line, getattr(s, "body", b""))
    first = s.next(5)
    assert first is not None and first["kind"] == "retry", first
    return s


def offered_events(stream, booking_ids, timeout=10.0):
    """booking.seat_offered events until there was one for each of `booking_ids`."""
    want = set(booking_ids)
    got = {}
    deadline = time.monotonic() + timeout
    while not want <= set(got):
        ev = stream.next_event(deadline - time.monotonic(), types={"booking.seat_offered"})
        assert ev is not None, f"seat_offered events only for {sorted(got)} of {sorted(want)}"
        bid = (ev["data"] or {}).get("bookingId")
        if bid in want:
            assert bid not in got, f"two seat_offered events for {bid}"
            got[bid] = ev
    return got


# -- seats ---------------------------------------------------------------------------------------
def test_confirming_a_booking_of_a_full_course_is_course_full(srv, admin):
    c = make_course(srv, admin, max_students=1)
    first = guest_booking(srv, c["id"])
    second = guest_booking(srv, c["id"])  # both pending: a pending booking holds no seat
    confirm(srv, admin, first["id"])
    err(srv.post(f"/api/bookings/{second['id']}/confirm", admin), 409, "COURSE_FULL")
    # Nothing of the refused confirmation stays: still pending, no second enrollment.
    assert second["id"] in pending_ids(srv, admin, c["id"])
    j = list_enr(srv, admin, course_id=c["id"])
    assert j["pagination"]["total"] == 1, j
    assert [e["booking_id"] for e in j["data"]] == [first["id"]]


def test_an_active_enrollment_beyond_max_students_is_course_full(srv, admin):
    c = make_course(srv, admin, max_students=1)
    u1, u2 = new_user(srv), new_user(srv)
    e1 = ok(srv.post("/api/booking/enrollments", admin,
                     json={"course_id": c["id"], "student_id": u1.id}), 201)
    err(srv.post("/api/booking/enrollments", admin,
                 json={"course_id": c["id"], "student_id": u2.id}), 409, "COURSE_FULL")
    # An enrollment that is not active takes no seat...
    e2 = ok(srv.post("/api/booking/enrollments", admin,
                     json={"course_id": c["id"], "student_id": u2.id, "status": "cancelled"}), 201)
    # ...until it is made active, which needs one.
    err(put(srv, f"/api/booking/enrollments/{e2['id']}", admin, json={"status": "active"}), 409,
        "COURSE_FULL")
    assert ok(srv.get(f"/api/booking/enrollments/{e2['id']}", admin))["status"] == "cancelled"
    ok(put(srv, f"/api/booking/enrollments/{e1['id']}", admin, json={"status": "cancelled"}))
    assert ok(put(srv, f"/api/booking/enrollments/{e2['id']}", admin,
                  json={"status": "active"}))["status"] == "active"
    assert active_total(srv, admin, c["id"]) == 1


def test_20_concurrent_confirms_for_3_free_seats_enrol_exactly_3(srv, admin):
    c = make_course(srv, admin, max_students=5)
    ids = [guest_booking(srv, c["id"])["id"] for _ in range(22)]
    for bid in ids[:2]:
        confirm(srv, admin, bid)
    racing = ids[2:]
    rs = parallel(20, lambda i, s: srv.post(f"/api/bookings/{racing[i]}/confirm", admin,
                                             session=s))
    codes = [r.status_code for r in rs]
    assert codes.count(200) == 3 and codes.count(409) == 17, codes
    for r in rs:
        if r.status_code == 409:
            err(r, 409, "COURSE_FULL")
    winners = {racing[i] for i, r in enumerate(rs) if r.status_code == 200}
    j = list_enr(srv, admin, course_id=c["id"], status="active", limit=100)
    assert j["pagination"]["total"] == 5, j
    assert {e["booking_id"] for e in j["data"]} == set(ids[:2]) | winners
    # The refused ones are still pending, waiting for a decision.
    assert set(pending_ids(srv, admin, c["id"])) == set(racing) - winners


# -- the waitlist ---------------------------------------------------------------------------------
def test_registration_for_a_full_course_is_waitlisted_without_expiry(srv, admin):
    c, _ = seated_course(srv, admin, seats=1)
    d = ok(register(srv, reg_body(c["id"])), 201)
    assert d["booking"]["status"] == "waitlisted" and d["booking"]["expires_at"] is None, d
    assert TOKEN_RE.match(d["manage_token"]), d
    b, token = user_booking(srv, new_user(srv), c["id"])
    assert b["status"] == "waitlisted" and b["expires_at"] is None, b
    assert TOKEN_RE.match(token) and token != d["manage_token"]
    # Waiting is not pending, and takes no seat.
    assert pending_ids(srv, admin, c["id"]) == []
    assert active_total(srv, admin, c["id"]) == 1


def test_a_course_with_pending_bookings_but_free_seats_still_takes_registrations(srv, admin):
    c = make_course(srv, admin, max_students=2)
    for _ in range(3):
        assert guest_booking(srv, c["id"])["status"] == "pending"
    d = ok(register(srv, reg_body(c["id"])), 201)
    assert d["booking"]["status"] == "pending" and d["booking"]["expires_at"], d


def test_waitlisted_bookings_do_not_count_toward_the_pending_limit(srv, admin):
    email = f"waiter-{uuid.uuid4().hex[:8]}@b.test"
    for _ in range(3):
        b = ok(register(srv, reg_body(make_course(srv, admin)["id"], email=email)), 201)["booking"]
        assert b["status"] == "pending", b
    for _ in range(4):
        full, _ = seated_course(srv, admin, seats=1)
        b = ok(register(srv, reg_body(full["id"], email=email)), 201)["booking"]
        assert b["status"] == "waitlisted", b
    err(register(srv, reg_body(make_course(srv, admin)["id"], email=email)), 429,
        "PENDING_LIMIT_REACHED")


def test_the_same_email_waiting_for_a_course_cannot_register_for_it_again(srv, admin):
    full, _ = seated_course(srv, admin, seats=1)
    email = f"twice-{uuid.uuid4().hex[:8]}@b.test"
    ok(register(srv, reg_body(full["id"], email=email)), 201)
    err(register(srv, reg_body(full["id"], email=email.upper())), 409, "PENDING_BOOKING_EXISTS")
    open_ = make_course(srv, admin)
    ok(register(srv, reg_body(open_["id"], email=email)), 201)
    err(register(srv, reg_body(open_["id"], email=email)), 409, "PENDING_BOOKING_EXISTS")


def test_admin_moves_a_pending_booking_to_the_waitlist(srv, admin):
    c = make_course(srv, admin, max_students=1)
    waiting = guest_booking(srv, c["id"])
    taken = guest_booking(srv, c["id"])
    confirm(srv, admin, taken["id"])  # full now: the moved booking is not offered right back
    b = ok(srv.post(f"/api/bookings/{waiting['id']}/waitlist", admin))["booking"]
    assert b["id"] == waiting["id"] and b["status"] == "waitlisted", b
    assert b["expires_at"] is None, b
    assert pending_ids(srv, admin, c["id"]) == []
    err(srv.post(f"/api/bookings/{waiting['id']}/waitlist", admin), 409, "INVALID_STATUS")
    err(srv.post(f"/api/bookings/{taken['id']}/waitlist", admin), 409, "INVALID_STATUS")
    # A waiting booking is not confirmed past the others.
    r = srv.post(f"/api/bookings/{waiting['id']}/confirm", admin)
    assert r.status_code == 409, r.text
    assert active_total(srv, admin, c["id"]) == 1


def test_waitlist_route_errors_and_guard(srv, admin):
    err(srv.post(f"/api/bookings/{uuid.uuid4()}/waitlist", admin), 404, "BOOKING_NOT_FOUND")
    err(srv.post("/api/bookings/not-a-uuid/waitlist", admin), 400, "VALIDATION_ERROR")
    c = make_course(srv, admin)
    b = guest_booking(srv, c["id"])
    err(srv.post(f"/api/bookings/{b['id']}/waitlist"), 401, "UNAUTHORIZED")
    err(srv.post(f"/api/bookings/{b['id']}/waitlist", new_user(srv).token), 403, "FORBIDDEN")
    assert pending_ids(srv, admin, c["id"]) == [b["id"]]


def test_the_waiting_list_is_listed_oldest_first_with_its_course(srv, admin):
    c, _ = seated_course(srv, admin, seats=1)
    w = waitlist_of(srv, c, 3)
    listed = [b for b in ok(srv.get("/api/booking/waitlist", admin)) if b["course_id"] == c["id"]]
    assert [b["id"] for b in listed] == [x["booking"]["id"] for x in w]
    assert all(b["status"] == "waitlisted" and b["course"]["id"] == c["id"] for b in listed)
    err(srv.get("/api/booking/waitlist"), 401, "UNAUTHORIZED")
    err(srv.get("/api/booking/waitlist", new_user(srv).token), 403, "FORBIDDEN")


def test_the_course_list_counts_seats_taken_and_waiting(srv, admin):
    c, _ = seated_course(srv, admin, seats=2)
    waitlist_of(srv, c, 1)
    guest_booking(srv, make_course(srv, admin)["id"])  # elsewhere: not counted here

    def listed(path, token=None):
        return next(x for x in ok(srv.get(path, token)) if x["id"] == c["id"])

    for row in (listed("/api/courses"), listed("/api/courses?include_inactive=true", admin)):
        assert row["seats_taken"] == 2 and row["waitlisted"] == 1 and row["max_students"] == 2, row
    # One course alone is the course, without the list's counts.
    one = ok(srv.get(f"/api/courses/{c['id']}"))
    assert "seats_taken" not in one and one["max_students"] == 2, one


# -- freed seats are offered to the waitlist -------------------------------------------------------
@pytest.mark.parametrize("status", ["cancelled", "completed"])
def test_an_enrollment_ending_offers_its_seat_to_the_oldest_waitlisted(srv, admin, status):
    c, (enrolled,) = seated_course(srv, admin, seats=1)
    w = waitlist_of(srv, c, 3)
    freed_at = now_utc()
    ok(put(srv, f"/api/booking/enrollments/{enrolled['id']}", admin, json={"status": status}))
    first = wait_status(srv, admin, w[0]["booking"], "pending")
    assert_fresh_offer(first, freed_at)
    # One seat, one offer: the others keep waiting.
    assert status_of(srv, admin, w[1]["booking"])["status"] == "waitlisted"
    assert status_of(srv, admin, w[2]["booking"])["status"] == "waitlisted"
    assert pending_ids(srv, admin, c["id"]) == [w[0]["booking"]["id"]]
    # The offer is a pending booking like any other: confirming it takes the seat.
    en = confirm(srv, admin, w[0]["booking"]["id"])["enrollment"]
    assert en["student_id"] == w[0]["user"].id and en["status"] == "active"


def test_raising_max_students_offers_as_many_seats_as_are_free(srv, admin):
    c, _ = seated_course(srv, admin, seats=1)
    w = waitlist_of(srv, c, 4)
    ids = [x["booking"]["id"] for x in w]
    with open_course_stream(srv, admin) as stream:
        freed_at = now_utc()
        assert ok(put(srv, f"/api/courses/{c['id']}", admin, json={"max_students": 3}))[
            "max_students"] == 3
        for x in w[:2]:
            assert_fresh_offer(wait_status(srv, admin, x["booking"], "pending"), freed_at)
        events = offered_events(stream, ids[:2])
        for bid, ev in events.items():
            assert ev["data"]["eventType"] == "BOOKING_SEAT_OFFERED", ev
            assert ev["data"]["courseId"] == c["id"], ev
        assert [status_of(srv, admin, x["booking"])["status"] for x in w[2:]] == \
            ["waitlisted", "waitlisted"]
        # 4 seats: 1 enrolled and 2 offers still open leave one to offer.
        ok(put(srv, f"/api/courses/{c['id']}", admin, json={"max_students": 4}))
        wait_status(srv, admin, w[2]["booking"], "pending")
        offered_events(stream, ids[2:3])
        assert status_of(srv, admin, w[3]["booking"])["status"] == "waitlisted"
    assert set(pending_ids(srv, admin, c["id"])) == set(ids[:3])


def test_open_pending_bookings_hold_back_offers(srv, admin):
    """Seats offered = max_students - active - unexpired pending, never below zero."""
    c = make_course(srv, admin, max_students=2)
    held = [guest_booking(srv, c["id"]) for _ in range(3)]  # more pending than seats
    moved = []
    for _ in range(2):
        b = guest_booking(srv, c["id"])
        ok(srv.post(f"/api/bookings/{b['id']}/waitlist", admin))
        moved.append(b)
        wait_past(b["created_at"])
    ok(put(srv, f"/api/courses/{c['id']}", admin, json={"max_students": 3}))  # 3 - 0 - 3 = 0
    ok(put(srv, f"/api/courses/{c['id']}", admin, json={"max_students": 4}))  # 4 - 0 - 3 = 1
    wait_pending(srv, admin, c["id"], moved[0]["id"])
    # Had the first raise offered anything, the second booking would be pending by now.
    assert set(pending_ids(srv, admin, c["id"])) == {b["id"] for b in held} | {moved[0]["id"]}


def test_deleting_a_confirmed_booking_offers_its_seat(srv, admin):
    c = make_course(srv, admin, max_students=1)
    taken = guest_booking(srv, c["id"])
    confirm(srv, admin, taken["id"])
    w = waitlist_of(srv, c, 2)
    freed_at = now_utc()
    assert ok(srv.delete(f"/api/booking/{taken['id']}", admin))["deleted"] is True
    assert_fresh_offer(wait_status(srv, admin, w[0]["booking"], "pending"), freed_at)
    assert status_of(srv, admin, w[1]["booking"])["status"] == "waitlisted"


def test_rejecting_an_offered_booking_offers_the_seat_to_the_next(srv, admin):
    c, (enrolled,) = seated_course(srv, admin, seats=1)
    w = waitlist_of(srv, c, 3)
    ok(put(srv, f"/api/booking/enrollments/{enrolled['id']}", admin, json={"status": "cancelled"}))
    wait_status(srv, admin, w[0]["booking"], "pending")
    freed_at = now_utc()
    ok(srv.post(f"/api/bookings/{w[0]['booking']['id']}/reject", admin, json={"reason": "Jadwal"}))
    assert_fresh_offer(wait_status(srv, admin, w[1]["booking"], "pending"), freed_at)
    assert status_of(srv, admin, w[0]["booking"])["status"] == "rejected"
    assert status_of(srv, admin, w[2]["booking"])["status"] == "waitlisted"


def test_an_applicant_cancelling_an_offer_passes_the_seat_to_the_next(srv, admin):
    c, (enrolled,) = seated_course(srv, admin, seats=1)
    w = waitlist_of(srv, c, 3)
    ok(put(srv, f"/api/booking/enrollments/{enrolled['id']}", admin, json={"status": "cancelled"}))
    wait_status(srv, admin, w[0]["booking"], "pending")
    freed_at = now_utc()
    b = ok(srv.post(f"/api/booking/manage/{w[0]['token']}/cancel"))["booking"]
    assert b["id"] == w[0]["booking"]["id"] and b["status"] == "cancelled", b
    assert_fresh_offer(wait_status(srv, admin, w[1]["booking"], "pending"), freed_at)
    assert status_of(srv, admin, w[2]["booking"])["status"] == "waitlisted"


def test_seat_offers_reach_subscribed_webhooks_once_per_offered_booking(srv, admin,
                                                                        make_http_receiver):
    rx = make_http_receiver()
    path = f"/offers-{uuid.uuid4().hex[:8]}"
    hook = ok(srv.post("/api/admin/webhooks", admin,
                       json={"url": rx.url + path, "events": ["booking.seat_offered"]}), 201)
    try:
        c, _ = seated_course(srv, admin, seats=1)
        w = waitlist_of(srv, c, 4)
        ids = [x["booking"]["id"] for x in w]

        def ours(req):
            return req.path == path and req.json()["data"]["course_id"] == c["id"]

        ok(put(srv, f"/api/courses/{c['id']}", admin, json={"max_students": 3}))
        for x in w[:2]:
            wait_status(srv, admin, x["booking"], "pending")
        ok(put(srv, f"/api/courses/{c['id']}", admin, json={"max_students": 4}))
        rx.wait_for_count(3, ours, timeout=20)
        # Every delivery queued for this endpoint has gone out (each at its first attempt):
        # what the receiver holds now is all there is.
        sent = sent_deliveries(srv, admin, rx.url + path, at_least=3)
        assert len(rx.requests_to(path)) == len(sent), (rx.requests, sent)
        got = [r for r in rx.requests_to(path) if ours(r)]
        assert len(got) == 3, [r.json() for r in got]
        bodies = [r.json() for r in got]
        assert sorted(b["data"]["id"] for b in bodies) == sorted(ids[:3])
        for req, body in zip(got, bodies):
            assert verify_standard_webhook(hook["secret"], req.headers, req.body)
            assert body["type"] == "booking.seat_offered"
            assert body["data"]["status"] == "pending" and body["data"]["expires_at"], body
        assert len({r.headers["webhook-id"] for r in got}) == 3
        assert status_of(srv, admin, w[3]["booking"])["status"] == "waitlisted"
    finally:
        ok(srv.delete(f"/api/admin/webhooks/{hook['id']}", admin))


def sent_deliveries(srv, admin, url, at_least):
    """The deliveries to `url`, once there are at least `at_least` and all are sent."""
    last = []

    def check():
        rows, page = [], 1
        while True:
            j = strict_json(srv.get("/api/admin/notifications", admin,
                                    params={"channel": "webhook", "limit": 100, "page": page}))
            rows += [d for d in j["data"] if d["recipient"] == url]
            if page >= j["pagination"]["total_pages"]:
                break
            page += 1
        last[:] = rows
        return (len(rows) >= at_least and all(d["status"] == "sent" for d in rows)
                and all(d["event_type"] == "booking.seat_offered" for d in rows))

    wait_until(check, 20, 0.1, lambda: f"{at_least}+ sent deliveries to {url}: {last}")
    return last


def test_an_unconfirmed_offer_expires_and_the_seat_goes_to_the_next(start_server):
    s = start_server({"CAPTCHA_PROVIDER": "none", "COURSE_BOOKING_TTL": "2s",
                      "EXPIRY_SWEEP_INTERVAL": "200ms"})
    adm = s.admin_login()
    c, (enrolled,) = seated_course(s, adm, seats=1)
    w = waitlist_of(s, c, 3)
    ok(put(s, f"/api/booking/enrollments/{enrolled['id']}", adm, json={"status": "cancelled"}))
    first = wait_status(s, adm, w[0]["booking"], "pending")
    ahead = (parse_z(first["expires_at"]) - now_utc()).total_seconds()
    assert ahead <= 2, f"the offer's expires_at is {ahead:.3f}s ahead with a 2 s TTL: {first}"
    # Nobody confirms it: it expires, and the next in line is offered the seat.
    wait_status(s, adm, w[0]["booking"], "expired", timeout=10)
    second = wait_status(s, adm, w[1]["booking"], "pending", timeout=10)
    assert parse_z(second["expires_at"]) > parse_z(first["expires_at"]), (first, second)
    # One seat, one offer at a time: the third waits while the second's offer runs.
    third = status_of(s, adm, w[2]["booking"])
    if now_utc() < parse_z(second["expires_at"]):
        assert third["status"] == "waitlisted", third
    err(s.post(f"/api/bookings/{w[0]['booking']['id']}/confirm", adm), 409, "INVALID_STATUS")


# -- PostgreSQL: two instances, one database ------------------------------------------------
@pytest.fixture(scope="module")
def pair():
    a = JanjiServer(ENV)
    b = JanjiServer(ENV, share_with=a)
    try:
        a.start()
        b.start()
        assert a.db_url == b.db_url
        yield a, b
        stop_servers([b, a])  # b first: a owns the Redis that b uses too
    finally:
        for s in (b, a):
            s.stop()
            s.cleanup()


@pytest.mark.skipif(not POSTGRES, reason="two instances on one database need "
                                         "JANJI_TEST_BACKEND=postgres")
def test_20_concurrent_confirms_over_two_instances_enrol_exactly_3(pair):
    a, b = pair
    adm = a.admin_login()
    c = make_course(a, adm, max_students=5)
    ids = [guest_booking((a, b)[i % 2], c["id"])["id"] for i in range(22)]
    for bid in ids[:2]:
        confirm(b, adm, bid)
    racing = ids[2:]
    rs = parallel(20, lambda i, s: (a, b)[i % 2].post(f"/api/bookings/{racing[i]}/confirm",
                                                      adm, session=s))
    codes = [r.status_code for r in rs]
    assert codes.count(200) == 3 and codes.count(409) == 17, codes
    for r in rs:
        if r.status_code == 409:
            err(r, 409, "COURSE_FULL")
    for srv_ in (a, b):
        assert active_total(srv_, adm, c["id"]) == 5


@pytest.mark.skipif(not POSTGRES, reason="two instances on one database need "
                                         "JANJI_TEST_BACKEND=postgres")
def test_a_date_capacity_holds_over_two_instances(pair):
    a, b = pair
    adm = a.admin_login()
    type_id = make_type(a, adm)
    people = [a.new_customer() for _ in range(4)]
    day = fresh_day()
    ok_day = strict_json(a.request("PUT", f"/calendar/{day}", adm, json={"capacity": 10}))
    assert ok_day["capacity"] == 10, ok_day
    rs = parallel(40, lambda i, s: sbook((a, b)[i % 2], people[i % 4].token, type_id, noon(day),
                                         session=s))
    codes = [r.status_code for r in rs]
    assert codes.count(201) == 10 and codes.count(409) == 30, codes
    for srv_ in (a, b):
        d = day_row(srv_, day)
        assert (d["booked_clients"], d["remaining"]) == (10, 0), d


@pytest.mark.skipif(not POSTGRES, reason="two instances on one database need "
                                         "JANJI_TEST_BACKEND=postgres")
def test_two_instances_booking_the_same_dates_and_customers_at_once_never_deadlock(pair):
    # Each instance's writer commits its queued bookings together. Two batches holding the
    # locks of the same dates and customers in opposite orders would wait on each other
    # until PostgreSQL gave one up (a second later, as 503s).
    a, b = pair
    adm = a.admin_login()
    type_id = make_type(a, adm)
    people = [a.new_customer() for _ in range(4)]
    days = [fresh_day() for _ in range(3)]
    for day in days:
        strict_json(a.request("PUT", f"/calendar/{day}", adm, json={"capacity": 1000}))

    def book(i, s):
        return [sbook((a, b)[(i + k) % 2], people[(i + k) % 4].token, type_id,
                      noon(days[(i + k) % 3]), session=s) for k in range(6)]

    rs = [r for batch in parallel(32, book) for r in batch]
    assert [r.status_code for r in rs] == [201] * len(rs), [
        (r.status_code, r.text[:120]) for r in rs if r.status_code != 201]
    for day in days:
        assert day_row(b, day)["booked_clients"] == 64, day


# -- the make-up artist's calendar ---------------------------------------------------------------
_offsets = itertools.count(40, 3)  # apart enough that a test may use the dates either side


def local_today():
    return dt.datetime.now(WITA).date()


def fresh_day():
    """A date no other test of this module books on (in BUSINESS_TIMEZONE)."""
    return local_today() + dt.timedelta(days=next(_offsets))


def noon(day):
    """Noon on `day` in Makassar, as UTC."""
    return f"{day.isoformat()}T04:00:00Z"


def sbook(srv, token, type_id, when, clients=1, headers=None, session=None):
    return srv.post("/bookings/", token, headers=headers, session=session,
                    json={"service_type_id": type_id, "tanggal_acara": when,
                          "jumlah_client": clients})


def cal(srv, **params):
    r = srv.get("/calendar", params=params)
    assert r.status_code == 200, (r.status_code, r.text)
    days = strict_json(r)
    assert isinstance(days, list), days
    for d in days:
        assert set(d) == {"date", "capacity", "booked_clients", "remaining"}, d
    return days


def day_row(srv, day):
    (d,) = cal(srv, **{"from": str(day), "to": str(day)})
    assert d["date"] == str(day), d
    return d


def set_day(srv, admin, day, capacity):
    r = srv.request("PUT", f"/calendar/{day}", admin, json={"capacity": capacity})
    assert r.status_code == 200, (r.status_code, r.text)
    return strict_json(r)


def full(day):
    return f"{day} is fully booked"


def test_calendar_lists_each_date_in_order_with_the_daily_capacity(srv):
    first = fresh_day()
    days = cal(srv, **{"from": str(first), "to": str(first + dt.timedelta(days=2))})
    assert [d["date"] for d in days] == [str(first + dt.timedelta(days=i)) for i in range(3)]
    for d in days:
        assert (d["capacity"], d["booked_clients"], d["remaining"]) == (4, 0, 4), d


def test_calendar_range_defaults_to_30_days_from_today_in_the_business_zone(srv):
    before = local_today()
    days = cal(srv)
    after = local_today()
    assert len(days) == 30, days
    assert days[0]["date"] in (str(before), str(after)), days[0]
    start = dt.date.fromisoformat(days[0]["date"])
    assert [d["date"] for d in days] == [str(start + dt.timedelta(days=i)) for i in range(30)]
    frm = fresh_day()
    only_from = cal(srv, **{"from": str(frm)})
    assert len(only_from) == 30 and only_from[0]["date"] == str(frm)
    assert only_from[-1]["date"] == str(frm + dt.timedelta(days=29))


def test_calendar_range_limits(srv):
    frm = local_today() + dt.timedelta(days=3)
    assert len(cal(srv, **{"from": str(frm), "to": str(frm)})) == 1
    longest = cal(srv, **{"from": str(frm), "to": str(frm + dt.timedelta(days=365))})
    assert len(longest) == 366
    assert_validation(srv.get("/calendar", params={"from": str(frm),
                                                   "to": str(frm + dt.timedelta(days=366))}))
    assert_validation(srv.get("/calendar", params={"from": str(frm),
                                                   "to": str(frm - dt.timedelta(days=1))}))
    assert_validation(srv.get("/calendar", params={"from": "2027-02-30"}), ["query", "from"])
    assert_validation(srv.get("/calendar", params={"from": str(frm), "to": "soon"}),
                      ["query", "to"])


def test_a_booking_beyond_the_daily_capacity_is_fully_booked(srv, stype, clients):
    day = fresh_day()
    assert sbook(srv, clients[0].token, stype, noon(day), clients=3).status_code == 201
    assert_detail(sbook(srv, clients[1].token, stype, noon(day), clients=2), 409, full(day))
    assert sbook(srv, clients[1].token, stype, noon(day), clients=1).status_code == 201
    d = day_row(srv, day)
    assert (d["capacity"], d["booked_clients"], d["remaining"]) == (4, 4, 0), d
    assert_detail(sbook(srv, clients[2].token, stype, noon(day), clients=1), 409, full(day))
    # The next date is another day.
    assert sbook(srv, clients[2].token, stype, noon(day + dt.timedelta(days=1)),
                 clients=4).status_code == 201


def test_dates_are_counted_in_the_business_time_zone(srv, stype, clients):
    day = fresh_day()
    prev, nxt = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    # 17:00 UTC the evening before is 01:00 on `day` in Makassar (UTC+8).
    r = sbook(srv, clients[0].token, stype, f"{prev}T17:00:00Z", clients=4)
    assert r.status_code == 201, r.text
    assert_detail(sbook(srv, clients[1].token, stype, f"{day}T15:59:59Z"), 409, full(day))
    assert_detail(sbook(srv, clients[1].token, stype, f"{day}T04:00:00+08:00"), 409, full(day))
    assert sbook(srv, clients[1].token, stype, f"{day}T16:00:00Z").status_code == 201
    assert sbook(srv, clients[1].token, stype, f"{prev}T15:59:00Z").status_code == 201
    days = cal(srv, **{"from": str(prev), "to": str(nxt)})
    assert [d["booked_clients"] for d in days] == [1, 4, 1], days
    assert [d["remaining"] for d in days] == [3, 0, 3], days


def test_an_admin_sets_a_dates_capacity_and_deletes_it_again(srv, admin, stype, clients):
    day = fresh_day()
    assert set_day(srv, admin, day, 1) == {"date": str(day), "capacity": 1, "booked_clients": 0,
                                           "remaining": 1}
    assert sbook(srv, clients[0].token, stype, noon(day)).status_code == 201
    assert_detail(sbook(srv, clients[1].token, stype, noon(day)), 409, full(day))
    assert set_day(srv, admin, day, 6) == {"date": str(day), "capacity": 6, "booked_clients": 1,
                                           "remaining": 5}
    assert sbook(srv, clients[1].token, stype, noon(day), clients=5).status_code == 201
    assert day_row(srv, day) == {"date": str(day), "capacity": 6, "booked_clients": 6,
                                 "remaining": 0}
    # Lowered below what is booked: nothing more fits, and what remains is 0, not negative.
    assert set_day(srv, admin, day, 2)["remaining"] == 0
    r = srv.delete(f"/calendar/{day}", admin)
    assert r.status_code == 204 and r.content == b"", (r.status_code, r.text)
    assert day_row(srv, day) == {"date": str(day), "capacity": 4, "booked_clients": 6,
                                 "remaining": 0}
    # Deleting a date that has no capacity of its own changes nothing.
    other = fresh_day()
    assert srv.delete(f"/calendar/{other}", admin).status_code == 204
    assert day_row(srv, other)["capacity"] == 4


def test_capacity_0_is_a_day_off_until_deleted(srv, admin, stype, clients):
    day = fresh_day()
    assert set_day(srv, admin, day, 0)["remaining"] == 0
    assert_detail(sbook(srv, clients[0].token, stype, noon(day)), 409, full(day))
    assert day_row(srv, day) == {"date": str(day), "capacity": 0, "booked_clients": 0,
                                 "remaining": 0}
    assert srv.delete(f"/calendar/{day}", admin).status_code == 204
    assert sbook(srv, clients[0].token, stype, noon(day)).status_code == 201


def test_calendar_writes_are_for_admins(srv, clients):
    day = fresh_day()
    for method, kw in (("PUT", {"json": {"capacity": 3}}), ("DELETE", {})):
        assert_detail(srv.request(method, f"/calendar/{day}", **kw), 401, "Not authenticated")
        assert_detail(srv.request(method, f"/calendar/{day}", clients[0].token, **kw), 403,
                      "Not enough permissions")
    assert day_row(srv, day)["capacity"] == 4


@pytest.mark.parametrize("date", ["2027-02-30", "tomorrow", "2027-1-05", "2027-01-05x"])
def test_calendar_date_in_the_path_must_be_a_date(srv, admin, date):
    assert_validation(srv.request("PUT", f"/calendar/{date}", admin, json={"capacity": 1}),
                      ["path", "date"])
    assert_validation(srv.delete(f"/calendar/{date}", admin), ["path", "date"])


@pytest.mark.parametrize("body", [{"capacity": -1}, {}, {"capacity": "many"},
                                  {"capacity": 1.5}, {"capacity": None},
                                  {"capacity": 2, "note": "libur"}])
def test_calendar_capacity_body_is_validated(srv, admin, body):
    day = fresh_day()
    assert_validation(srv.request("PUT", f"/calendar/{day}", admin, json=body))
    assert day_row(srv, day)["capacity"] == 4


def test_40_concurrent_bookings_fill_a_date_exactly(srv, admin, stype, clients):
    day = fresh_day()
    set_day(srv, admin, day, 10)
    rs = parallel(40, lambda i, s: sbook(srv, clients[i % 4].token, stype, noon(day),
                                         session=s))
    codes = [r.status_code for r in rs]
    assert codes.count(201) == 10 and codes.count(409) == 30, codes
    for r in rs:
        if r.status_code == 409:
            assert_detail(r, 409, full(day))
    assert day_row(srv, day) == {"date": str(day), "capacity": 10, "booked_clients": 10,
                                 "remaining": 0}
    made = [r.json() for r in rs if r.status_code == 201]
    # A cancelled booking frees its clients for someone else...
    victim = made[0]
    r = srv.patch(f"/bookings/{victim['id']}", admin, json={"status": "cancelled"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled", r.text
    assert day_row(srv, day)["remaining"] == 1
    assert sbook(srv, clients[3].token, stype, noon(day)).status_code == 201
    assert day_row(srv, day)["remaining"] == 0
    # ...and bringing it back needs room it no longer has.
    assert_detail(srv.patch(f"/bookings/{victim['id']}", admin, json={"status": "pending"}),
                  409, full(day))
    assert srv.get(f"/bookings/{victim['id']}", admin).json()["status"] == "cancelled"
    # Other status changes of a booking that holds its place need no room.
    r = srv.patch(f"/bookings/{made[1]['id']}", admin, json={"status": "paid"})
    assert r.status_code == 200, r.text


def test_bookings_over_many_dates_at_once_fill_each_date_exactly(srv, admin, stype, clients):
    # Bookings of different dates that arrive together are written together; those of one
    # date never decide on the same count.
    days = [fresh_day() for _ in range(6)]
    for day in days:
        set_day(srv, admin, day, 2)
    rs = parallel(36, lambda i, s: sbook(srv, clients[i % 4].token, stype, noon(days[i % 6]),
                                         session=s))
    for k, day in enumerate(days):
        mine = rs[k::6]
        codes = [r.status_code for r in mine]
        assert codes.count(201) == 2 and codes.count(409) == 4, (day, codes)
        for r in mine:
            if r.status_code == 201:
                assert r.json()["tanggal_acara"].startswith(f"{day.isoformat()}T04:00:00"), r.text
            else:
                assert_detail(r, 409, full(day))
        assert day_row(srv, day)["booked_clients"] == 2
    ids = [r.json()["id"] for r in rs if r.status_code == 201]
    assert len(set(ids)) == 12


def test_a_booking_the_database_refuses_fails_alone_among_those_written_with_it(
        srv, admin, stype, clients):
    # A date on which the database itself refuses every booking (a trigger added here), among
    # bookings of other dates sent at the same moment: they are written together, and the
    # failure undoes only its own booking.
    days = [fresh_day() for _ in range(12)]
    bad = days[5]
    start = dt.datetime.combine(bad, dt.time(), WITA).astimezone(dt.timezone.utc)
    end = start + dt.timedelta(days=1)
    if POSTGRES:
        srv.write_sql(
            "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'refused by the test'; END $$; "
            "CREATE TRIGGER test_refuse BEFORE INSERT ON service_bookings FOR EACH ROW "
            f"WHEN (NEW.tanggal_acara >= '{start.isoformat()}' "
            f"AND NEW.tanggal_acara < '{end.isoformat()}') EXECUTE FUNCTION test_refuse()")
    else:
        micros = [int(t.timestamp()) * 1_000_000 for t in (start, end)]
        srv.write_sql(
            "CREATE TRIGGER test_refuse BEFORE INSERT ON service_bookings "
            f"WHEN NEW.tanggal_acara >= {micros[0]} AND NEW.tanggal_acara < {micros[1]} "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    try:
        rs = parallel(24, lambda i, s: sbook(srv, clients[i % 4].token, stype,
                                             noon(days[i % 12]), session=s))
    finally:
        srv.write_sql("DROP TRIGGER test_refuse" + (" ON service_bookings; "
                                                    "DROP FUNCTION test_refuse()"
                                                    if POSTGRES else ""))
    for i, r in enumerate(rs):
        if days[i % 12] == bad:
            assert r.status_code == 500, (r.status_code, r.text)
        else:
            assert r.status_code == 201, (r.status_code, r.text)
            assert srv.get(f"/bookings/{r.json()['id']}", admin).status_code == 200
    for day in days:
        assert day_row(srv, day)["booked_clients"] == (0 if day == bad else 2), day
    # The date takes bookings again once the database does.
    assert sbook(srv, clients[0].token, stype, noon(bad)).status_code == 201


def test_concurrent_bookings_of_mixed_sizes_never_overfill_a_date(srv, admin, stype, clients):
    day = fresh_day()
    set_day(srv, admin, day, 10)
    sizes = [1 + i % 3 for i in range(40)]
    rs = parallel(40, lambda i, s: sbook(srv, clients[i % 4].token, stype, noon(day),
                                         clients=sizes[i], session=s))
    assert all(r.status_code in (201, 409) for r in rs), [(r.status_code, r.text) for r in rs]
    booked = sum(sizes[i] for i, r in enumerate(rs) if r.status_code == 201)
    assert booked <= 10, booked
    # A booking refused did not fit even in what is left at the end (less was booked then).
    for i, r in enumerate(rs):
        if r.status_code == 409:
            assert_detail(r, 409, full(day))
            assert sizes[i] > 10 - booked, (sizes[i], booked)
    d = day_row(srv, day)
    assert (d["booked_clients"], d["remaining"]) == (booked, 10 - booked), d


def test_an_idempotent_retry_on_a_full_date_returns_the_first_booking(srv, admin, stype, clients):
    day = fresh_day()
    set_day(srv, admin, day, 1)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = sbook(srv, clients[0].token, stype, noon(day), headers=key)
    assert first.status_code == 201, first.text
    again = sbook(srv, clients[0].token, stype, noon(day), headers=key)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"], again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert_detail(sbook(srv, clients[0].token, stype, noon(day)), 409, full(day))


def test_without_a_daily_capacity_a_date_takes_any_number_of_clients(server, service_type):
    day = local_today() + dt.timedelta(days=2000 + uuid.uuid4().int % 500)
    c = server.new_customer()
    for _ in range(6):
        r = sbook(server, c.token, service_type["type_id"], noon(day), clients=5)
        assert r.status_code == 201, r.text
    assert day_row(server, day) == {"date": str(day), "capacity": None, "booked_clients": 30,
                                    "remaining": None}


def test_another_business_time_zone_moves_the_day_boundary(start_server):
    s = start_server({"BUSINESS_TIMEZONE": "UTC", "DAILY_CLIENT_CAPACITY": "1"})
    adm = s.admin_login()
    type_id = make_type(s, adm)
    c = s.new_customer()
    day = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=20)
    prev = day - dt.timedelta(days=1)
    # In Makassar both would be on `day`; in UTC the first is the evening before.
    assert sbook(s, c.token, type_id, f"{prev}T17:00:00Z").status_code == 201
    assert sbook(s, c.token, type_id, f"{day}T01:00:00Z").status_code == 201
    assert_detail(sbook(s, c.token, type_id, f"{day}T23:59:59Z"), 409, full(day))
    days = cal(s, **{"from": str(prev), "to": str(day)})
    assert [(d["capacity"], d["booked_clients"]) for d in days] == [(1, 1), (1, 1)], days
