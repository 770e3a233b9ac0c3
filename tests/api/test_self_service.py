"""Self-service (DESIGN.md "Self-service"): an applicant's manage token, which shows and
cancels one course booking and is sent in its messages, and a customer cancelling her own
service booking before CANCEL_CUTOFF.

One module-scoped server (no captcha, PUBLIC_URL set, no WhatsApp credentials, so messages
to phone numbers are listed as wa.me links); a dedicated one covers another CANCEL_CUTOFF.
"""

import base64
import hashlib
import re
import secrets
import time
import urllib.parse
from datetime import datetime, timedelta, timezone

import pytest

from conftest import (JanjiServer, SseStream, assert_detail, serving, strict_json,
                      wait_until)
from test_courses import err, make_course, ok, put, reg_body, register
from test_enrollments import create_body, guest_booking, new_user
from test_streams import event_for, make_type

PUBLIC_URL = "https://kursus.example.test"
ENV = {"CAPTCHA_PROVIDER": "none", "PUBLIC_URL": PUBLIC_URL}
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
LINK_RE = re.compile(re.escape(PUBLIC_URL + "/register/status?token=") + r"([A-Za-z0-9_-]+)")


@pytest.fixture(scope="module")
def srv():
    with serving(ENV) as s:
        yield s


@pytest.fixture(scope="module")
def admin(srv):
    return srv.admin_login()


@pytest.fixture(scope="module")
def course(srv, admin):
    return make_course(srv, admin, max_students=100)


# -- registrations, tokens and messages -------------------------------------------------------
def registered(srv, course_id, **over):
    """A guest registration's 201 data: the booking and its manage token."""
    d = ok(register(srv, reg_body(course_id, **over)), 201)
    assert TOKEN_RE.match(d.get("manage_token") or ""), d
    return d


def manage(srv, token):
    return srv.get(f"/api/booking/manage/{token}")


def cancel_by(srv, token):
    return srv.post(f"/api/booking/manage/{token}/cancel")


def phone():
    """A WhatsApp number of its own, to find the messages sent to it."""
    return "+62813" + "".join(secrets.choice("0123456789") for _ in range(7))


def same_booking(shown, made):
    """The manage page's booking is the booking as the API gave it (the course is shown
    beside it, so a joined course summary may be left out)."""
    for k, v in made.items():
        if k != "course":
            assert shown.get(k) == v, (k, shown.get(k), v)


def wa_links(srv, admin, recipient, event_type):
    """The wa.me links queued for `recipient` by events of `event_type`."""
    out, page = [], 1
    while True:
        r = srv.get("/api/admin/notifications", admin,
                    params={"channel": "wa_link", "limit": 100, "page": page})
        j = strict_json(r)
        assert j["success"] is True, j
        out += [d for d in j["data"]
                if d["recipient"] == recipient and d["event_type"] == event_type]
        if page >= j["pagination"]["total_pages"]:
            return out
        page += 1


def link_token(delivery):
    """The manage token in a wa.me link's prefilled message."""
    url = urllib.parse.urlsplit(delivery["wa_link"])
    assert (url.scheme, url.netloc) == ("https", "wa.me"), delivery
    text = urllib.parse.parse_qs(url.query)["text"][0]
    m = LINK_RE.search(text)
    assert m, f"no {PUBLIC_URL}/register/status?token= link in: {text!r}"
    return m.group(1)


def wait_wa_link(srv, admin, recipient, event_type):
    return wait_until(lambda: wa_links(srv, admin, recipient, event_type), 10, 0.1,
                      f"a wa.me link for {recipient} from {event_type}")[0]


# -- the manage token ---------------------------------------------------------------------------
def test_a_registration_returns_a_token_that_shows_the_booking_and_its_course(srv, course):
    d = registered(srv, course["id"], full_name="Sekar Ayu")
    m = ok(manage(srv, d["manage_token"]))
    assert set(m) >= {"booking", "course"}, m
    same_booking(m["booking"], d["booking"])
    assert m["booking"]["status"] == "pending"
    c = m["course"]
    assert c["id"] == course["id"] and c["title"] == course["title"], c
    assert c["max_students"] == course["max_students"] and c["level"] == course["level"], c


def test_a_booking_for_a_logged_in_user_returns_a_working_token_too(srv, course):
    u = new_user(srv)
    d = ok(srv.post("/api/bookings/create", u.token, json=create_body(course["id"])), 201)
    assert TOKEN_RE.match(d.get("manage_token") or ""), d
    m = ok(manage(srv, d["manage_token"]))
    same_booking(m["booking"], d["booking"])
    assert m["booking"]["user_id"] == u.id and m["course"]["id"] == course["id"]


def test_a_replayed_idempotency_key_gives_no_token(srv, course):
    body = reg_body(course["id"])
    first = registered(srv, course["id"], idempotency_key=body["idempotency_key"])
    r = register(srv, body)
    e = err(r, 409, "DUPLICATE_REQUEST")
    assert e["details"] == [{"bookingId": first["booking"]["id"]}], e
    assert "manage_token" not in r.text and first["manage_token"] not in r.text


def test_every_token_is_different(srv, course):
    tokens = [registered(srv, course["id"])["manage_token"] for _ in range(5)]
    assert len(set(tokens)) == 5, tokens


def test_a_token_made_before_keys_carried_the_time_still_works(srv, course):
    # Until migration 0009 a token was 32 random bytes, kept under its SHA-256 alone.
    d = registered(srv, course["id"])
    old = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    key = hashlib.sha256(old.encode()).hexdigest()
    srv.write_sql("INSERT INTO course_booking_tokens (token_hash, booking_id, created_at) "
                  f"SELECT '{key}', booking_id, created_at FROM course_booking_tokens "
                  f"WHERE booking_id = '{d['booking']['id']}'")
    same_booking(ok(manage(srv, old))["booking"], d["booking"])
    assert ok(cancel_by(srv, old))["booking"]["status"] == "cancelled"
    assert ok(manage(srv, d["manage_token"]))["booking"]["status"] == "cancelled"


def test_an_applicant_cancels_a_pending_booking_once(srv, admin, course):
    d = registered(srv, course["id"])
    bid = d["booking"]["id"]
    with SseStream(srv, "/api/booking/stream", token=admin) as stream:
        assert stream.status == 200, stream.status_line
        first = stream.next(5)
        assert first is not None and first["kind"] == "retry", first
        b = ok(cancel_by(srv, d["manage_token"]))["booking"]
        assert b["id"] == bid and b["status"] == "cancelled", b
        deadline = time.monotonic() + 5
        while True:
            ev = stream.next_event(deadline - time.monotonic(), types={"booking.cancelled"})
            assert ev is not None, "no booking.cancelled event for a cancellation by token"
            if (ev["data"] or {}).get("bookingId") == bid:
                break
    assert ok(manage(srv, d["manage_token"]))["booking"]["status"] == "cancelled"
    assert bid not in [x["id"] for x in ok(srv.get("/api/booking/pending", admin))]
    err(cancel_by(srv, d["manage_token"]), 409, "INVALID_STATUS")
    err(srv.post(f"/api/bookings/{bid}/confirm", admin), 409)
    # The applicant may register for the course again.
    registered(srv, course["id"], email=d["booking"]["applicant_email"])


def test_an_applicant_cancels_a_waitlisted_booking(srv, admin):
    c = make_course(srv, admin, max_students=1)
    ok(srv.post(f"/api/bookings/{guest_booking(srv, c['id'])['id']}/confirm", admin))
    d = registered(srv, c["id"])
    assert d["booking"]["status"] == "waitlisted", d
    b = ok(cancel_by(srv, d["manage_token"]))["booking"]
    assert b["status"] == "cancelled", b
    assert ok(manage(srv, d["manage_token"]))["booking"]["status"] == "cancelled"


def test_a_confirmed_booking_cannot_be_cancelled_by_token(srv, admin, course):
    d = registered(srv, course["id"])
    en = ok(srv.post(f"/api/bookings/{d['booking']['id']}/confirm", admin))["enrollment"]
    err(cancel_by(srv, d["manage_token"]), 409, "INVALID_STATUS")
    m = ok(manage(srv, d["manage_token"]))
    assert m["booking"]["status"] == "confirmed" and m["booking"]["confirmed_at"], m
    assert ok(srv.get(f"/api/booking/enrollments/{en['id']}", admin))["status"] == "active"


def test_a_rejected_booking_cannot_be_cancelled_by_token(srv, admin, course):
    d = registered(srv, course["id"])
    ok(srv.post(f"/api/bookings/{d['booking']['id']}/reject", admin, json={"reason": "Penuh"}))
    err(cancel_by(srv, d["manage_token"]), 409, "INVALID_STATUS")
    assert ok(manage(srv, d["manage_token"]))["booking"]["status"] == "rejected"


def test_a_token_shows_and_cancels_only_its_own_booking(srv, admin, course):
    mine = registered(srv, course["id"], full_name="Putri Lestari")
    theirs = registered(srv, course["id"], full_name="Bagus Wibowo")
    seen = ok(manage(srv, mine["manage_token"]))
    assert seen["booking"]["id"] == mine["booking"]["id"]
    assert "Bagus" not in str(seen) and theirs["booking"]["id"] not in str(seen)
    ok(cancel_by(srv, theirs["manage_token"]))
    assert ok(manage(srv, mine["manage_token"]))["booking"]["status"] == "pending"
    assert ok(manage(srv, theirs["manage_token"]))["booking"]["status"] == "cancelled"


def test_a_deleted_booking_leaves_its_token_without_a_booking(srv, admin, course):
    d = registered(srv, course["id"])
    ok(srv.delete(f"/api/booking/{d['booking']['id']}", admin))
    err(manage(srv, d["manage_token"]), 404, "BOOKING_NOT_FOUND")
    err(cancel_by(srv, d["manage_token"]), 404, "BOOKING_NOT_FOUND")


def _altered(token, at=10):
    ch = "A" if token[at] != "A" else "B"
    return token[:at] + ch + token[at + 1:]


def test_wrong_tokens_all_get_the_same_404(srv, course):
    d = registered(srv, course["id"])
    token = d["manage_token"]
    wrong = {
        "guessed": secrets.token_urlsafe(32),
        "altered": _altered(token),
        "truncated": token[:42],
        "too_long": token + "A",
        "short": "abc",
        "garbage": "!" * 43,
        "uuid": d["booking"]["id"],
    }
    assert len(wrong["guessed"]) == 43
    bodies = {}
    for name, t in wrong.items():
        r = manage(srv, t)
        err(r, 404, "BOOKING_NOT_FOUND")
        bodies[("GET", name)] = r.content
        r = cancel_by(srv, t)
        err(r, 404, "BOOKING_NOT_FOUND")
        bodies[("POST", name)] = r.content
    # Nothing in the answer tells a near miss from a wild guess or a malformed token.
    for method in ("GET", "POST"):
        assert len({v for k, v in bodies.items() if k[0] == method}) == 1, bodies
    # None of them touched the real booking.
    assert ok(manage(srv, token))["booking"]["status"] == "pending"


# -- the links in messages ------------------------------------------------------------------------
def test_the_registration_message_links_to_the_manage_page(srv, admin, course):
    guardian, own = phone(), phone()
    d = registered(srv, course["id"], guardian_wa_number=guardian, wa_number=own)
    for number in (guardian, own):
        msg = wait_wa_link(srv, admin, number, "booking.created")
        token = link_token(msg)
        assert TOKEN_RE.match(token), token
        m = ok(manage(srv, token))
        assert m["booking"]["id"] == d["booking"]["id"] and m["course"]["id"] == course["id"]


def test_a_seat_offer_message_carries_a_fresh_working_link(srv, admin):
    c = make_course(srv, admin, max_students=1)
    seat = guest_booking(srv, c["id"])
    en = ok(srv.post(f"/api/bookings/{seat['id']}/confirm", admin))["enrollment"]
    guardian = phone()
    d = registered(srv, c["id"], guardian_wa_number=guardian)
    assert d["booking"]["status"] == "waitlisted", d
    ok(put(srv, f"/api/booking/enrollments/{en['id']}", admin, json={"status": "cancelled"}))
    msg = wait_wa_link(srv, admin, guardian, "booking.seat_offered")
    token = link_token(msg)
    assert TOKEN_RE.match(token) and token != d["manage_token"], token
    m = ok(manage(srv, token))
    assert m["booking"]["id"] == d["booking"]["id"], m
    assert m["booking"]["status"] == "pending" and m["booking"]["expires_at"], m
    # The link lets the applicant give the seat back.
    assert ok(cancel_by(srv, token))["booking"]["status"] == "cancelled"


# -- a customer cancels her own service booking ---------------------------------------------------
@pytest.fixture(scope="module")
def stype(srv, admin):
    return make_type(srv, admin)


def ahead(hours):
    t = datetime.now(timezone.utc) + timedelta(hours=hours)
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def sbook(srv, customer, type_id, hours, clients=1):
    r = srv.post("/bookings/", customer.token, json={
        "service_type_id": type_id, "tanggal_acara": ahead(hours), "jumlah_client": clients})
    assert r.status_code == 201, r.text
    return r.json()


def self_cancel(srv, token, bid):
    return srv.post(f"/bookings/{bid}/cancel", token)


def test_a_customer_cancels_her_booking_and_the_owner_sees_it_live(srv, admin, stype):
    c = srv.new_customer(name="Ayu")
    b = sbook(srv, c, stype, hours=24 * 10)
    with SseStream(srv, "/bookings/stream", token=admin) as stream:
        assert stream.status == 200, stream.status_line
        first = stream.next(5)
        assert first is not None and first["kind"] == "retry", first
        r = self_cancel(srv, c.token, b["id"])
        assert r.status_code == 200, r.text
        got = r.json()
        assert got["id"] == b["id"] and got["status"] == "cancelled", got
        assert got["user_id"] == c.id and got["tanggal_acara"] == b["tanggal_acara"], got
        ev = event_for(stream, b["id"], "booking_updated", timeout=5)
        assert ev["data"]["status"] == "cancelled", ev
    assert srv.get(f"/bookings/{b['id']}", c.token).json()["status"] == "cancelled"
    r = self_cancel(srv, c.token, b["id"])
    assert r.status_code == 409 and isinstance(strict_json(r)["detail"], str), r.text


@pytest.mark.parametrize("status", ["confirmed", "dp"])
def test_a_confirmed_or_dp_booking_can_still_be_cancelled(srv, admin, stype, status):
    c = srv.new_customer()
    b = sbook(srv, c, stype, hours=24 * 10)
    assert srv.patch(f"/bookings/{b['id']}", admin, json={"status": status}).status_code == 200
    r = self_cancel(srv, c.token, b["id"])
    assert r.status_code == 200 and r.json()["status"] == "cancelled", r.text


@pytest.mark.parametrize("status", ["paid", "completed"])
def test_a_paid_or_completed_booking_is_not_cancelled_by_the_customer(srv, admin, stype, status):
    c = srv.new_customer()
    b = sbook(srv, c, stype, hours=24 * 10)
    assert srv.patch(f"/bookings/{b['id']}", admin, json={"status": status}).status_code == 200
    r = self_cancel(srv, c.token, b["id"])
    assert r.status_code == 409, r.text
    assert isinstance(strict_json(r)["detail"], str) and strict_json(r)["detail"], r.text
    assert srv.get(f"/bookings/{b['id']}", c.token).json()["status"] == status


def test_cancelling_is_refused_inside_the_48_hour_cutoff(srv, stype):
    c = srv.new_customer()
    late = sbook(srv, c, stype, hours=47)
    r = self_cancel(srv, c.token, late["id"])
    assert r.status_code == 409, r.text
    assert isinstance(strict_json(r)["detail"], str) and strict_json(r)["detail"], r.text
    assert srv.get(f"/bookings/{late['id']}", c.token).json()["status"] == "pending"
    in_time = sbook(srv, c, stype, hours=49)
    r = self_cancel(srv, c.token, in_time["id"])
    assert r.status_code == 200 and r.json()["status"] == "cancelled", r.text


def test_only_the_owner_cancels(srv, admin, stype):
    owner, other = srv.new_customer(), srv.new_customer()
    b = sbook(srv, owner, stype, hours=24 * 10)
    assert_detail(self_cancel(srv, other.token, b["id"]), 403, "Not enough permissions")
    assert_detail(self_cancel(srv, None, b["id"]), 401, "Not authenticated")
    assert_detail(self_cancel(srv, owner.token, 99999999), 404, "Booking not found")
    assert srv.get(f"/bookings/{b['id']}", owner.token).json()["status"] == "pending"


def test_a_cancelled_booking_frees_its_place_on_the_calendar(srv, admin, stype):
    c = srv.new_customer()
    b = sbook(srv, c, stype, hours=24 * 45, clients=2)
    when = datetime.fromisoformat(b["tanggal_acara"]).replace(tzinfo=timezone.utc)
    day = when.astimezone(timezone(timedelta(hours=8))).date()  # Asia/Makassar
    r = srv.request("PUT", f"/calendar/{day}", admin, json={"capacity": 2})
    assert r.status_code == 200 and strict_json(r)["remaining"] == 0, r.text
    body = {"service_type_id": stype, "tanggal_acara": b["tanggal_acara"], "jumlah_client": 2}
    assert_detail(srv.post("/bookings/", c.token, json=body), 409, f"{day} is fully booked")
    assert self_cancel(srv, c.token, b["id"]).status_code == 200
    assert srv.post("/bookings/", c.token, json=body).status_code == 201


def test_cancel_cutoff_is_configurable(start_server):
    s = start_server({"CANCEL_CUTOFF": "90m"})
    adm = s.admin_login()
    type_id = make_type(s, adm)
    c = s.new_customer()
    soon = sbook(s, c, type_id, hours=1)
    r = self_cancel(s, c.token, soon["id"])
    assert r.status_code == 409, r.text
    later = sbook(s, c, type_id, hours=3)  # inside the default 48 h, outside 90 minutes
    r = self_cancel(s, c.token, later["id"])
    assert r.status_code == 200 and r.json()["status"] == "cancelled", r.text
