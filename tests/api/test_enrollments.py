"""Black-box tests of user course bookings, enrollments admin API and the course booking
SSE stream (DESIGN.md "Course bookings and enrollments").

One module-scoped server with CAPTCHA_PROVIDER=none; a dedicated server covers expiry events.
"""

import math
import uuid

import pytest

from conftest import JanjiServer, SseStream, strict_json
from test_courses import (ISO_Z, UUID_RE, _DROP, err, make_course, ok, put, reg_body,
                          register)


# -- fixtures / helpers -------------------------------------------------------------------
@pytest.fixture(scope="module")
def esrv():
    s = JanjiServer({"CAPTCHA_PROVIDER": "none"})
    s.start()
    yield s
    try:
        s.assert_stopped_cleanly()
    finally:
        s.cleanup()


@pytest.fixture(scope="module")
def eadmin(esrv):
    return esrv.admin_login()


@pytest.fixture(scope="module")
def ecourse(esrv, eadmin):
    return make_course(esrv, eadmin)


def new_user(srv, name="Rina Wijaya"):
    return srv.new_customer(name=name, phone_number="+6281234567890",
                            address="Jl. Asia Afrika 5, Bandung")


def create_body(course_id, **over):
    body = reg_body(course_id, **over)
    body.pop("captcha_token", None)
    for k in ("full_name", "email", "address", "wa_number"):
        if k not in over:
            body.pop(k, None)
    return body


def create_booking(srv, user, course_id, **over):
    r = srv.post("/api/bookings/create", user.token, json=create_body(course_id, **over))
    return ok(r, 201)["booking"]


def guest_booking(srv, course_id, **over):
    return ok(register(srv, reg_body(course_id, **over)), 201)["booking"]


def confirm(srv, admin, bid):
    return ok(srv.post(f"/api/bookings/{bid}/confirm", admin))


def list_enr(srv, admin, **params):
    r = srv.get("/api/booking/enrollments", admin, params=params)
    assert r.status_code == 200, (r.status_code, r.text)
    j = strict_json(r)
    assert j["success"] is True, j
    assert isinstance(j["data"], list), j
    assert set(j["pagination"]) >= {"page", "limit", "total", "total_pages"}, j
    return j


# -- GET /api/bookings/user/{userId} -------------------------------------------------------
def test_user_bookings_access(esrv, eadmin, ecourse):
    u = new_user(esrv)
    other = new_user(esrv, "Other Person")
    assert ok(esrv.get(f"/api/bookings/user/{u.id}", u.token)) == []
    b1 = create_booking(esrv, u, ecourse["id"])
    c2 = make_course(esrv, eadmin)
    b2 = create_booking(esrv, u, c2["id"])
    mine = ok(esrv.get(f"/api/bookings/user/{u.id}", u.token))
    assert [b["id"] for b in mine] == [b2["id"], b1["id"]], mine  # newest first
    assert all(b["user_id"] == u.id for b in mine)
    err(esrv.get(f"/api/bookings/user/{u.id}", other.token), 403, "FORBIDDEN")
    adm = ok(esrv.get(f"/api/bookings/user/{u.id}", eadmin))
    assert [b["id"] for b in adm] == [b2["id"], b1["id"]]
    err(esrv.get(f"/api/bookings/user/{u.id}"), 401, "UNAUTHORIZED")
    err(esrv.get("/api/bookings/user/abc", u.token), 400, "VALIDATION_ERROR")
    # guest bookings never appear under a user
    guest_booking(esrv, make_course(esrv, eadmin)["id"], email=u.email)
    assert len(ok(esrv.get(f"/api/bookings/user/{u.id}", u.token))) == 2


# -- POST /api/bookings/create ----------------------------------------------------------
def test_create_defaults_from_profile(esrv, eadmin, ecourse):
    u = new_user(esrv, "Dewi Lestari")
    b = create_booking(esrv, u, ecourse["id"])
    assert UUID_RE.match(b["id"]) and b["status"] == "pending"
    assert b["user_id"] == u.id and b["course_id"] == ecourse["id"]
    assert b["applicant_full_name"] == "Dewi Lestari"
    assert b["applicant_email"].lower() == u.email.lower()
    assert b["applicant_address"] == "Jl. Asia Afrika 5, Bandung", b
    assert b["applicant_wa_number"] == "+6281234567890", b
    assert ISO_Z.match(b["created_at"]), b


def test_create_explicit_fields_override(esrv, ecourse):
    u = new_user(esrv)
    email = f"kid-{uuid.uuid4().hex[:8]}@b.test"
    b = create_booking(esrv, u, ecourse["id"], full_name="Anak Saya", email=email,
                       address="Jl. Lain 9", wa_number="+6281111111111")
    assert b["user_id"] == u.id
    assert b["applicant_full_name"] == "Anak Saya"
    assert b["applicant_email"].lower() == email
    assert b["applicant_address"] == "Jl. Lain 9"
    assert b["applicant_wa_number"] == "+6281111111111"


def test_create_requires_login_and_idempotency_key(esrv, ecourse):
    err(esrv.post("/api/bookings/create", json=create_body(ecourse["id"])), 401,
        "UNAUTHORIZED")
    u = new_user(esrv)
    r = esrv.post("/api/bookings/create", u.token,
                  json=create_body(ecourse["id"], idempotency_key=_DROP))
    err(r, 400, "VALIDATION_ERROR")
    err(esrv.post("/api/bookings/create", u.token, json=create_body(str(uuid.uuid4()))), 404,
        "COURSE_NOT_FOUND")


def test_confirm_user_booking_sets_student_id(esrv, eadmin, ecourse):
    u = new_user(esrv)
    b = create_booking(esrv, u, ecourse["id"])
    en = confirm(esrv, eadmin, b["id"])["enrollment"]
    assert en["student_id"] == u.id and en["booking_id"] == b["id"]
    g = guest_booking(esrv, ecourse["id"])
    en2 = confirm(esrv, eadmin, g["id"])["enrollment"]
    assert en2["student_id"] is None and en2["booking_id"] == g["id"]


# -- GET /api/booking/enrollments -------------------------------------------------------------
def test_confirming_a_second_booking_of_an_enrolled_student_is_a_conflict(esrv, eadmin):
    u = new_user(esrv)
    c = make_course(esrv, eadmin)
    first = create_booking(esrv, u, c["id"])
    confirm(esrv, eadmin, first["id"])
    again = create_booking(esrv, u, c["id"])
    err(esrv.post(f"/api/bookings/{again['id']}/confirm", eadmin), 409, "ENROLLMENT_EXISTS")
    # Nothing of the refused confirmation stays: the booking is still pending, one enrollment.
    pending = [b for b in ok(esrv.get("/api/booking/pending", eadmin)) if b["id"] == again["id"]]
    assert len(pending) == 1 and pending[0]["status"] == "pending", pending
    assert list_enr(esrv, eadmin, course_id=c["id"])["pagination"]["total"] == 1


def test_enrollments_list_shape_and_filters(esrv, eadmin):
    c = make_course(esrv, eadmin)
    u = new_user(esrv, "Student Joined")
    ub = create_booking(esrv, u, c["id"])
    uen = confirm(esrv, eadmin, ub["id"])["enrollment"]
    g = guest_booking(esrv, c["id"], full_name="Guest Applicant")
    gen = confirm(esrv, eadmin, g["id"])["enrollment"]
    j = list_enr(esrv, eadmin, course_id=c["id"])
    assert j["pagination"] == {"page": 1, "limit": 20, "total": 2, "total_pages": 1}, j
    items = {it["id"]: it for it in j["data"]}
    assert set(items) == {uen["id"], gen["id"]}
    for it in j["data"]:
        assert set(it) >= {"id", "student_id", "booking_id", "course_id", "status",
                           "enrolled_at", "student", "course"}, it
        assert it["course"] == {"id": c["id"], "title": c["title"]} or (
            it["course"]["id"] == c["id"] and it["course"]["title"] == c["title"]), it
        assert it["status"] == "active" and ISO_Z.match(it["enrolled_at"])
    us = items[uen["id"]]
    assert us["student_id"] == u.id and us["booking_id"] == ub["id"]
    assert us["student"]["name"] == "Student Joined"
    assert us["student"]["email"].lower() == u.email.lower()
    gs = items[gen["id"]]
    assert gs["student_id"] is None
    assert gs["student"]["name"] == "Guest Applicant"
    assert gs["student"]["email"].lower() == g["applicant_email"].lower()
    # student_id filter
    j = list_enr(esrv, eadmin, student_id=u.id)
    assert [it["id"] for it in j["data"]] == [uen["id"]] and j["pagination"]["total"] == 1
    # status filter
    ok(put(esrv, f"/api/booking/enrollments/{gen['id']}", eadmin, json={"status": "completed"}))
    j = list_enr(esrv, eadmin, course_id=c["id"], status="completed")
    assert [it["id"] for it in j["data"]] == [gen["id"]]
    j = list_enr(esrv, eadmin, course_id=c["id"], status="active")
    assert [it["id"] for it in j["data"]] == [uen["id"]]
    j = list_enr(esrv, eadmin, course_id=str(uuid.uuid4()))
    assert j["data"] == [] and j["pagination"]["total"] == 0


def test_enrollments_pagination(esrv, eadmin):
    c = make_course(esrv, eadmin)
    ids = set()
    for _ in range(5):
        ids.add(confirm(esrv, eadmin, guest_booking(esrv, c["id"])["id"])["enrollment"]["id"])
    seen = []
    for page, n in ((1, 2), (2, 2), (3, 1)):
        j = list_enr(esrv, eadmin, course_id=c["id"], limit=2, page=page)
        assert j["pagination"] == {"page": page, "limit": 2, "total": 5, "total_pages": 3}, j
        assert len(j["data"]) == n, j
        seen += [it["id"] for it in j["data"]]
    assert len(seen) == 5 and set(seen) == ids
    j = list_enr(esrv, eadmin, course_id=c["id"], limit=2, page=4)
    assert j["data"] == [] and j["pagination"]["total"] == 5
    j = list_enr(esrv, eadmin, course_id=c["id"], limit=100)
    assert len(j["data"]) == 5 and j["pagination"]["total_pages"] == 1
    j = list_enr(esrv, eadmin)
    total = j["pagination"]["total"]
    assert j["pagination"]["limit"] == 20
    assert j["pagination"]["total_pages"] == math.ceil(total / 20)
    assert len(j["data"]) == min(20, total)


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 101}, {"page": 0}, {"limit": "x"}, {"page": -1},
    {"course_id": "not-a-uuid"},
])
def test_enrollments_list_bad_params(esrv, eadmin, params):
    err(esrv.get("/api/booking/enrollments", eadmin, params=params), 400, "VALIDATION_ERROR")


# -- POST /api/booking/enrollments ---------------------------------------------------------------
def test_enrollment_create_and_uniqueness(esrv, eadmin):
    c = make_course(esrv, eadmin)
    u = new_user(esrv, "Direct Student")
    r = esrv.post("/api/booking/enrollments", eadmin, json={"course_id": c["id"],
                                                              "student_id": u.id})
    e1 = ok(r, 201)
    assert UUID_RE.match(e1["id"]) and e1["status"] == "active"
    assert e1["student_id"] == u.id and e1["course_id"] == c["id"]
    assert e1.get("booking_id") is None
    err(esrv.post("/api/booking/enrollments", eadmin,
                  json={"course_id": c["id"], "student_id": u.id}), 409, "ENROLLMENT_EXISTS")
    # cancel it, then a new active one is allowed
    ok(put(esrv, f"/api/booking/enrollments/{e1['id']}", eadmin, json={"status": "cancelled"}))
    e2 = ok(esrv.post("/api/booking/enrollments", eadmin,
                      json={"course_id": c["id"], "student_id": u.id}), 201)
    assert e2["id"] != e1["id"] and e2["status"] == "active"
    # a cancelled one created directly doesn't block either
    u2 = new_user(esrv)
    e3 = ok(esrv.post("/api/booking/enrollments", eadmin,
                      json={"course_id": c["id"], "student_id": u2.id,
                            "status": "cancelled"}), 201)
    assert e3["status"] == "cancelled"
    ok(esrv.post("/api/booking/enrollments", eadmin,
                 json={"course_id": c["id"], "student_id": u2.id}), 201)


def test_enrollment_create_with_booking_id(esrv, eadmin):
    c = make_course(esrv, eadmin)
    g = guest_booking(esrv, c["id"])
    e = ok(esrv.post("/api/booking/enrollments", eadmin,
                     json={"course_id": c["id"], "booking_id": g["id"],
                           "status": "pending"}), 201)
    assert e["booking_id"] == g["id"] and e["status"] == "pending"
    assert e["student_id"] is None


def test_enrollment_create_errors(esrv, eadmin, ecourse):
    u = new_user(esrv)
    err(esrv.post("/api/booking/enrollments", eadmin, json={"course_id": ecourse["id"]}),
        400, "VALIDATION_ERROR")
    err(esrv.post("/api/booking/enrollments", eadmin,
                  json={"course_id": str(uuid.uuid4()), "student_id": u.id}),
        404, "COURSE_NOT_FOUND")
    err(esrv.post("/api/booking/enrollments", eadmin,
                  json={"course_id": ecourse["id"], "student_id": 99999999}), 404)
    err(esrv.post("/api/booking/enrollments", eadmin,
                  json={"course_id": ecourse["id"], "student_id": u.id, "status": "bogus"}),
        400, "VALIDATION_ERROR")
    err(esrv.post("/api/booking/enrollments", eadmin,
                  json={"course_id": "nope", "student_id": u.id}), 400, "VALIDATION_ERROR")


# -- GET / PUT /api/booking/enrollments/{id} --------------------------------------------------
def test_enrollment_get_and_update(esrv, eadmin, ecourse):
    g = guest_booking(esrv, ecourse["id"])
    en = confirm(esrv, eadmin, g["id"])["enrollment"]
    got = ok(esrv.get(f"/api/booking/enrollments/{en['id']}", eadmin))
    assert got["id"] == en["id"] and got["booking_id"] == g["id"]
    assert got["status"] == "active"
    upd = ok(put(esrv, f"/api/booking/enrollments/{en['id']}", eadmin,
                 json={"status": "completed"}))
    assert upd["id"] == en["id"] and upd["status"] == "completed"
    assert ok(esrv.get(f"/api/booking/enrollments/{en['id']}", eadmin))["status"] == "completed"
    err(put(esrv, f"/api/booking/enrollments/{en['id']}", eadmin, json={"status": "done"}),
        400, "VALIDATION_ERROR")
    err(put(esrv, f"/api/booking/enrollments/{en['id']}", eadmin, json={}), 400)
    err(esrv.get(f"/api/booking/enrollments/{uuid.uuid4()}", eadmin), 404,
        "ENROLLMENT_NOT_FOUND")
    err(put(esrv, f"/api/booking/enrollments/{uuid.uuid4()}", eadmin,
            json={"status": "active"}), 404, "ENROLLMENT_NOT_FOUND")
    err(esrv.get("/api/booking/enrollments/xyz", eadmin), 400, "VALIDATION_ERROR")
    err(put(esrv, "/api/booking/enrollments/xyz", eadmin, json={"status": "active"}), 400)


# -- guards ------------------------------------------------------------------------------------
@pytest.mark.parametrize("method,path,body", [
    ("GET", "/api/booking/enrollments", None),
    ("POST", "/api/booking/enrollments", {"course_id": str(uuid.uuid4()), "student_id": 1}),
    ("GET", f"/api/booking/enrollments/{uuid.uuid4()}", None),
    ("PUT", f"/api/booking/enrollments/{uuid.uuid4()}", {"status": "active"}),
])
def test_enrollment_routes_guarded(esrv, method, path, body):
    u = new_user(esrv)
    err(esrv.request(method, path, u.token, json=body), 403, "FORBIDDEN")
    err(esrv.request(method, path, json=body), 401, "UNAUTHORIZED")


# -- GET /api/booking/stream -----------------------------------------------------------------------
def _check_payload(ev, event_type, bid, course_id, user_id):
    d = ev["data"]
    assert d is not None, ev
    assert d["eventType"] == event_type, d
    assert d["bookingId"] == bid and d["courseId"] == course_id, d
    assert d["userId"] == user_id, d
    assert "experienceLevel" in d and "preferredDays" in d and "timestamp" in d, d


def _event_for(stream, etype, bid, timeout=5.0):
    import time
    deadline = time.monotonic() + timeout
    while True:
        ev = stream.next_event(deadline - time.monotonic(), types={etype})
        if ev is None or (ev["data"] or {}).get("bookingId") == bid:
            return ev


def test_stream_created_confirmed_rejected(esrv, eadmin):
    c = make_course(esrv, eadmin)
    with SseStream(esrv, "/api/booking/stream", token=eadmin) as s:
        assert s.status == 200, (s.status_line, getattr(s, "body", b""))
        assert s.headers.get("content-type", "").startswith("text/event-stream")
        g = guest_booking(esrv, c["id"], experience_level="intermediate")
        ev = _event_for(s, "booking.created", g["id"])
        assert ev is not None, "no booking.created event for a guest registration"
        _check_payload(ev, "BOOKING_CREATED", g["id"], c["id"], None)
        assert ev["data"]["experienceLevel"] == "intermediate"
        assert ev["data"]["preferredDays"] == ["monday", "wednesday"]
        u = new_user(esrv)
        ub = create_booking(esrv, u, c["id"])
        ev = _event_for(s, "booking.created", ub["id"])
        assert ev is not None, "no booking.created event for /api/bookings/create"
        _check_payload(ev, "BOOKING_CREATED", ub["id"], c["id"], u.id)
        confirm(esrv, eadmin, g["id"])
        ev = _event_for(s, "booking.confirmed", g["id"])
        assert ev is not None, "no booking.confirmed event"
        _check_payload(ev, "BOOKING_CONFIRMED", g["id"], c["id"], None)
        ok(esrv.post(f"/api/bookings/{ub['id']}/reject", eadmin, json={"reason": "full"}))
        ev = _event_for(s, "booking.rejected", ub["id"])
        assert ev is not None, "no booking.rejected event"
        assert ev["data"]["eventType"] == "BOOKING_REJECTED", ev
        assert ev["data"]["bookingId"] == ub["id"] and ev["data"]["userId"] == u.id


def test_stream_query_token(esrv, eadmin, ecourse):
    with SseStream(esrv, "/api/booking/stream", query_token=eadmin) as s:
        assert s.status == 200, s.status_line
        g = guest_booking(esrv, ecourse["id"])
        assert _event_for(s, "booking.created", g["id"]) is not None


def test_stream_guarded(esrv):
    u = new_user(esrv)
    with SseStream(esrv, "/api/booking/stream", token=u.token) as s:
        assert s.status == 403, s.status_line
    with SseStream(esrv, "/api/booking/stream") as s:
        assert s.status == 401, s.status_line
    with SseStream(esrv, "/api/booking/stream", query_token=u.token) as s:
        assert s.status == 403, s.status_line


def test_stream_expired_event(start_server):
    s = start_server({"CAPTCHA_PROVIDER": "none", "COURSE_BOOKING_TTL": "2s",
                      "EXPIRY_SWEEP_INTERVAL": "500ms"})
    admin = s.admin_login()
    c = make_course(s, admin)
    with SseStream(s, "/api/booking/stream", token=admin) as st:
        assert st.status == 200, st.status_line
        g = guest_booking(s, c["id"])
        assert _event_for(st, "booking.created", g["id"]) is not None
        ev = _event_for(st, "booking.expired", g["id"], timeout=6.0)
        assert ev is not None, "no booking.expired event within 6 s of a 2 s TTL"
        assert ev["data"]["eventType"] == "BOOKING_EXPIRED", ev
        assert ev["data"]["courseId"] == c["id"] and ev["data"]["userId"] is None


# -- further cases ----------------------------------------------------------------------------
def test_enrollment_booking_uniqueness_and_unknown_booking(esrv, eadmin):
    c = make_course(esrv, eadmin)
    g = guest_booking(esrv, c["id"])
    confirm(esrv, eadmin, g["id"])
    err(esrv.post("/api/booking/enrollments", eadmin,
                  json={"course_id": c["id"], "booking_id": g["id"]}), 409, "ENROLLMENT_EXISTS")
    err(esrv.post("/api/booking/enrollments", eadmin,
                  json={"course_id": c["id"], "booking_id": str(uuid.uuid4())}), 404)


def test_delete_booking_removes_enrollment(esrv, eadmin):
    c = make_course(esrv, eadmin)
    g = guest_booking(esrv, c["id"])
    en = confirm(esrv, eadmin, g["id"])["enrollment"]
    ok(esrv.delete(f"/api/booking/{g['id']}", eadmin))
    err(esrv.get(f"/api/booking/enrollments/{en['id']}", eadmin), 404, "ENROLLMENT_NOT_FOUND")
    assert list_enr(esrv, eadmin, course_id=c["id"])["pagination"]["total"] == 0


def test_stream_event_data_is_json_string(esrv, eadmin, ecourse):
    with SseStream(esrv, "/api/booking/stream", token=eadmin) as s:
        assert s.status == 200
        g = guest_booking(esrv, ecourse["id"])
        ev = _event_for(s, "booking.created", g["id"])
        assert ev is not None
        assert isinstance(ev["data_text"], str), ev["envelope"]
        assert ISO_Z.match(ev["data"]["timestamp"]) or "T" in ev["data"]["timestamp"], ev
