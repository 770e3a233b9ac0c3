"""Black-box tests of the course-registration surface (DESIGN.md "Course registration API").

Two module-scoped servers: `csrv` runs the default ALTCHA captcha with a small maxnumber
(tests solve the proof of work), `nsrv` runs CAPTCHA_PROVIDER=none (validation, spam
rules, concurrency). Dedicated servers cover expiry and start-up refusal.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import time
import uuid

import pytest

from conftest import JanjiServer, parallel, strict_json, wait_until

ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# -- helpers ------------------------------------------------------------------------
def _start(env):
    s = JanjiServer(env)
    s.start()
    return s


def _finish(s):
    try:
        s.assert_stopped_cleanly()
    finally:
        s.cleanup()


@pytest.fixture(scope="module")
def csrv():
    s = _start({"CAPTCHA_MAX_NUMBER": "2000"})
    yield s
    _finish(s)


@pytest.fixture(scope="module")
def nsrv():
    s = _start({"CAPTCHA_PROVIDER": "none"})
    yield s
    _finish(s)


@pytest.fixture(scope="module")
def cadmin(csrv):
    return csrv.admin_login()


@pytest.fixture(scope="module")
def nadmin(nsrv):
    return nsrv.admin_login()


@pytest.fixture(scope="module")
def ncourse(nsrv, nadmin):
    return make_course(nsrv, nadmin)


@pytest.fixture(scope="module")
def ccourse(csrv, cadmin):
    return make_course(csrv, cadmin)


def put(srv, path, token=None, **kw):
    return srv.request("PUT", path, token=token, **kw)


def course_body(**over):
    body = {"title": f"Piano {uuid.uuid4().hex[:8]}", "description": "Weekly lessons",
            "instrument": "piano", "level": "beginner", "price_per_session": 150000,
            "duration_minutes": 60, "max_students": 5}
    body.update(over)
    return body


def make_course(srv, token, **over):
    r = srv.post("/api/courses", token, json=course_body(**over))
    assert r.status_code == 201, (r.status_code, r.text)
    return ok(r, 201)


def ok(r, status=200):
    assert r.status_code == status, (r.status_code, r.text)
    j = strict_json(r)
    assert j["success"] is True, j
    assert ISO_Z.match(j["meta"]["timestamp"]), j
    return j["data"]


def err(r, status, code=None):
    assert r.status_code == status, (r.status_code, r.text)
    j = strict_json(r)
    assert j["success"] is False, j
    assert isinstance(j["error"]["message"], str) and j["error"]["message"], j
    if code is not None:
        assert j["error"]["code"] == code, j
    return j["error"]


def paths(error):
    return [d["path"] for d in error.get("details") or []]


def has_path(error, field):
    return any(p == field or p.startswith(field + ".") or p.startswith(field + "[")
               for p in paths(error))


def solve(ch):
    for n in range(ch["maxnumber"] + 1):
        if hashlib.sha256((ch["salt"] + str(n)).encode()).hexdigest() == ch["challenge"]:
            return n
    raise AssertionError(f"captcha not solvable: {ch}")


def make_token(ch, number, **over):
    payload = {"algorithm": ch["algorithm"], "challenge": ch["challenge"], "number": number,
               "salt": ch["salt"], "signature": ch["signature"]}
    payload.update(over)
    return base64.b64encode(json.dumps(payload).encode()).decode()


def fresh_captcha(srv):
    ch = ok(srv.get("/api/booking/captcha"))
    return make_token(ch, solve(ch))


def forge_challenge(secret, expires, number=7):
    salt = secrets.token_hex(12) + f"?expires={expires}"
    challenge = hashlib.sha256((salt + str(number)).encode()).hexdigest()
    sig = hmac.new(secret.encode(), challenge.encode(), hashlib.sha256).hexdigest()
    return {"algorithm": "SHA-256", "challenge": challenge, "salt": salt, "signature": sig,
            "maxnumber": 2000}, number


def today():
    return dt.datetime.now(dt.timezone.utc).date()


def reg_body(_course_id, captcha="none-token", **over):
    body = {
        "full_name": "Budi Santoso",
        "email": f"applicant-{uuid.uuid4().hex[:12]}@b.test",
        "wa_number": "+6281234567890",
        "course_id": _course_id,
        "address": "Jl. Merdeka 1, Bandung",
        "birth_place": "Bandung",
        "birth_date": "2010-05-17",
        "school": "SMP 1 Bandung",
        "class": 8,
        "guardian_name": "Siti Aminah",
        "guardian_wa_number": "+6281298765432",
        "experience_level": "beginner",
        "preferred_days": ["monday", "wednesday"],
        "preferred_time_range": {"start": "15:00", "end": "17:00"},
        "start_date_target": (today() + dt.timedelta(days=30)).isoformat(),
        "instrument_owned": True,
        "notes": "Loves Chopin",
        "referral_source": "instagram",
        "consent": True,
        "captcha_token": captcha,
        "idempotency_key": str(uuid.uuid4()),
    }
    for k, v in over.items():
        if v is _DROP:
            body.pop(k, None)
        else:
            body[k] = v
    return body


_DROP = object()


def register(srv, body, session=None):
    return srv.post("/api/booking/register-course", json=body, session=session)


def parse_z(s):
    assert ISO_Z.match(s), s
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def wait_past(stamp, timeout=15.0):
    """Waits until the clock (the server's too: it runs on this machine) is past `stamp`, a
    timestamp from a response; those are cut to the millisecond, hence the extra one."""
    past = parse_z(stamp) + dt.timedelta(milliseconds=1)
    wait_until(lambda: dt.datetime.now(dt.timezone.utc) > past, timeout=timeout,
               interval=0.01, message=f"the clock to pass {stamp}")


# -- courses ------------------------------------------------------------------------
def test_course_create_shape_and_public_get(csrv, cadmin):
    c = make_course(csrv, cadmin, price_per_session=150000.5, level="all_levels")
    assert UUID_RE.match(c["id"]), c
    assert c["price_per_session"] == 150000.5 and isinstance(c["price_per_session"], (int, float))
    assert c["level"] == "all_levels" and c["is_active"] is True
    assert c["duration_minutes"] == 60 and c["max_students"] == 5
    assert c["instrument"] == "piano" and c["description"] == "Weekly lessons"
    for k in ("created_at", "updated_at"):
        if k in c:
            assert ISO_Z.match(c[k]), c
    got = ok(csrv.get(f"/api/courses/{c['id']}"))
    assert got["id"] == c["id"] and got["title"] == c["title"]
    listed = ok(csrv.get("/api/courses"))
    assert isinstance(listed, list) and c["id"] in [x["id"] for x in listed]


def test_course_get_invalid_and_unknown(csrv):
    e = err(csrv.get("/api/courses/not-a-uuid"), 400, "VALIDATION_ERROR")
    err(csrv.get(f"/api/courses/{uuid.uuid4()}"), 404, "COURSE_NOT_FOUND")


@pytest.mark.parametrize("field,value", [
    ("title", ""), ("title", None), ("instrument", 5), ("level", "expert"),
    ("price_per_session", -1), ("price_per_session", "abc"),
    ("duration_minutes", 0), ("duration_minutes", 1441), ("duration_minutes", 1.5),
    ("max_students", 0), ("max_students", 10001), ("is_active", "yes"),
])
def test_course_create_validation(csrv, cadmin, field, value):
    e = err(csrv.post("/api/courses", cadmin, json=course_body(**{field: value})), 400,
            "VALIDATION_ERROR")
    assert has_path(e, field), e


@pytest.mark.parametrize("field,value", [
    ("level", "intermediate"), ("level", "advanced"), ("price_per_session", 0),
    ("duration_minutes", 1), ("duration_minutes", 1440), ("max_students", 1),
    ("max_students", 10000), ("is_active", False),
])
def test_course_create_boundaries_accepted(csrv, cadmin, field, value):
    c = make_course(csrv, cadmin, **{field: value})
    assert c[field] == value


def test_course_create_unknown_field_and_missing(csrv, cadmin):
    e = err(csrv.post("/api/courses", cadmin, json=course_body(colour="red")), 400,
            "VALIDATION_ERROR")
    b = course_body()
    del b["title"]
    e = err(csrv.post("/api/courses", cadmin, json=b), 400, "VALIDATION_ERROR")
    assert has_path(e, "title"), e
    err(csrv.post("/api/courses", cadmin, data="{nope", headers={"Content-Type": "application/json"}),
        400, "INVALID_JSON")


def test_course_update_partial(csrv, cadmin):
    c = make_course(csrv, cadmin)
    u = ok(put(csrv, f"/api/courses/{c['id']}", cadmin, json={"price_per_session": 99000}))
    assert u["price_per_session"] == 99000 and u["title"] == c["title"]
    assert u["level"] == c["level"] and u["max_students"] == c["max_students"]
    e = err(put(csrv, f"/api/courses/{c['id']}", cadmin, json={"level": "nope"}), 400,
            "VALIDATION_ERROR")
    assert has_path(e, "level")
    err(put(csrv, f"/api/courses/{uuid.uuid4()}", cadmin, json={"title": "x y"}), 404,
        "COURSE_NOT_FOUND")
    # deactivate via PUT: hidden from the public list
    ok(put(csrv, f"/api/courses/{c['id']}", cadmin, json={"is_active": False}))
    assert c["id"] not in [x["id"] for x in ok(csrv.get("/api/courses"))]


def test_course_delete_without_bookings(csrv, cadmin):
    c = make_course(csrv, cadmin)
    d = ok(csrv.delete(f"/api/courses/{c['id']}", cadmin))
    assert d == {"id": c["id"], "deleted": True}
    err(csrv.get(f"/api/courses/{c['id']}"), 404, "COURSE_NOT_FOUND")
    err(csrv.delete(f"/api/courses/{c['id']}", cadmin), 404, "COURSE_NOT_FOUND")


def test_course_delete_with_bookings_deactivates(nsrv, nadmin):
    c = make_course(nsrv, nadmin)
    ok(register(nsrv, reg_body(c["id"])), 201)
    d = ok(nsrv.delete(f"/api/courses/{c['id']}", nadmin))
    assert d["id"] == c["id"] and d["deleted"] is False and d["deactivated"] is True, d
    assert c["id"] not in [x["id"] for x in ok(nsrv.get("/api/courses"))]
    all_ = ok(nsrv.get("/api/courses?include_inactive=true", nadmin))
    hit = [x for x in all_ if x["id"] == c["id"]]
    assert hit and hit[0]["is_active"] is False
    # a deactivated course cannot be registered for
    err(register(nsrv, reg_body(c["id"])), 404, "COURSE_NOT_FOUND")


def test_include_inactive_requires_admin(csrv):
    cust = csrv.new_customer()
    err(csrv.get("/api/courses?include_inactive=true"), 401, "UNAUTHORIZED")
    err(csrv.get("/api/courses?include_inactive=true", cust.token), 403, "FORBIDDEN")


# -- admin guard on every admin route -------------------------------------------------
ADMIN_ROUTES = [
    ("POST", "/api/courses", course_body()),
    ("PUT", "/api/courses/{u}", {"title": "New title"}),
    ("DELETE", "/api/courses/{u}", None),
    ("GET", "/api/booking/pending", None),
    ("POST", "/api/bookings/{u}/confirm", None),
    ("POST", "/api/bookings/{u}/reject", {"reason": "x"}),
    ("DELETE", "/api/booking/{u}", None),
]


@pytest.mark.parametrize("method,path,body", ADMIN_ROUTES)
def test_admin_routes_guarded(csrv, method, path, body):
    p = path.format(u=uuid.uuid4())
    kw = {"json": body} if body is not None else {}
    err(csrv.request(method, p, **kw), 401, "UNAUTHORIZED")
    cust = csrv.new_customer()
    err(csrv.request(method, p, token=cust.token, **kw), 403, "FORBIDDEN")


# -- captcha ---------------------------------------------------------------------------
def test_captcha_challenge_shape(csrv):
    ch = ok(csrv.get("/api/booking/captcha"))
    assert ch["algorithm"] == "SHA-256"
    assert set(ch) >= {"algorithm", "challenge", "salt", "signature", "maxnumber"}
    assert ch["maxnumber"] == 2000
    m = re.search(r"\?expires=(\d+)$", ch["salt"])
    assert m and int(m.group(1)) > time.time(), ch
    assert re.fullmatch(r"[0-9a-f]{64}", ch["challenge"]), ch
    expect = hmac.new(csrv.secret_key.encode(), ch["challenge"].encode(),
                      hashlib.sha256).hexdigest()
    assert ch["signature"] == expect
    ch2 = ok(csrv.get("/api/booking/captcha"))
    assert ch2["salt"] != ch["salt"]


def test_register_with_solved_captcha_and_replay(csrv, ccourse):
    token = fresh_captcha(csrv)
    body = reg_body(ccourse["id"], captcha=token)
    ok(register(csrv, body), 201)
    # the same token again (different key and email) is refused
    body2 = reg_body(ccourse["id"], captcha=token)
    err(register(csrv, body2), 400, "CAPTCHA_INVALID")


def _bad_tokens(csrv):
    ch = ok(csrv.get("/api/booking/captcha"))
    n = solve(ch)
    ex, en = forge_challenge(csrv.secret_key, int(time.time()) - 60)
    fo, fn = forge_challenge("not-the-secret", int(time.time()) + 600)
    return {
        "wrong_number": make_token(ch, (n + 1) % (ch["maxnumber"] + 1)),
        "expired": make_token(ex, en),
        "forged_signature": make_token(fo, fn),
        "garbage": "%%%not-base64%%%",
        "base64_not_json": base64.b64encode(b"hello").decode(),
        "wrong_algorithm": make_token(ch, n, algorithm="SHA-1"),
        "empty_json": base64.b64encode(b"{}").decode(),
    }


@pytest.mark.parametrize("kind", ["wrong_number", "expired", "forged_signature", "garbage",
                                  "base64_not_json", "wrong_algorithm", "empty_json"])
def test_captcha_refused(csrv, ccourse, kind):
    token = _bad_tokens(csrv)[kind]
    err(register(csrv, reg_body(ccourse["id"], captcha=token)), 400, "CAPTCHA_INVALID")


def test_valid_forged_future_challenge_accepted(csrv, ccourse):
    """Control for the forgery tests: a self-built challenge signed with SECRET_KEY passes."""
    ch, n = forge_challenge(csrv.secret_key, int(time.time()) + 600)
    ok(register(csrv, reg_body(ccourse["id"], captcha=make_token(ch, n))), 201)


def test_refused_captcha_is_not_consumed_and_token_counts_once(csrv, ccourse, cadmin):
    """A request refused by validation must not burn a valid token... or at least the
    token still works once. (Validation runs before the captcha.)"""
    token = fresh_captcha(csrv)
    err(register(csrv, reg_body(ccourse["id"], captcha=token, full_name="x")), 400,
        "VALIDATION_ERROR")
    ok(register(csrv, reg_body(ccourse["id"], captcha=token)), 201)


# -- registration validation -------------------------------------------------------------
def _date(days):
    return (today() + dt.timedelta(days=days)).isoformat()


# (field, value, accepted)
FIELD_CASES = [
    ("full_name", "Bo", True), ("full_name", "B", False), ("full_name", "x" * 256, False),
    ("full_name", "x" * 255, True), ("full_name", 42, False),
    ("email", "a@b.test", True), ("email", "not-an-email", False), ("email", "", False),
    ("email", "a@", False),
    ("wa_number", "+62812345678", True), ("wa_number", "+628123456789012", False), ("wa_number", "+62812345678901", True),
    ("wa_number", "081234567890", False), ("wa_number", "+6281234567", False),
    ("wa_number", _DROP, True),
    ("course_id", "not-a-uuid", False),
    ("address", "A", True), ("address", "", False), ("address", "x" * 256, False),
    ("birth_place", "B", True), ("birth_place", "", False),
    ("school", "S", True), ("school", "x" * 256, False),
    ("birth_date", "2009-12-31", True), ("birth_date", _date(10), False),
    ("birth_date", "2010-13-01", False), ("birth_date", "2010-02-30", False),
    ("birth_date", "17-05-2010", False),
    ("class", 1, True), ("class", 12, True), ("class", 0, False), ("class", 13, False),
    ("class", 5.5, False), ("class", "abc", False),
    ("guardian_name", "Al", True), ("guardian_name", "A", False),
    ("guardian_wa_number", "+62812345678901", True), ("guardian_wa_number", "+628123456789012", False), ("guardian_wa_number", "+6591234567", False),
    ("guardian_wa_number", _DROP, False),
    ("experience_level", "advanced", True), ("experience_level", "intermediate", True),
    ("experience_level", "expert", False),
    ("preferred_days", ["sunday"], True), ("preferred_days", [], False),
    ("preferred_days", ["monday", "monday"], False), ("preferred_days", ["funday"], False),
    ("preferred_days", "monday", False),
    ("preferred_time_range", {"start": "08:00", "end": "08:30"}, True),
    ("preferred_time_range", {"start": "17:00", "end": "15:00"}, False),
    ("preferred_time_range", {"start": "15:00", "end": "15:00"}, False),
    ("preferred_time_range", {"start": "25:00", "end": "26:00"}, False),
    ("preferred_time_range", {"start": "15:00"}, False),
    ("start_date_target", _date(0), True), ("start_date_target", _date(-1), False),
    ("start_date_target", _DROP, True), ("start_date_target", "soon", False),
    ("instrument_owned", False, True), ("instrument_owned", "yes", False),
    ("notes", "n" * 1000, True), ("notes", "n" * 1001, False),
    ("referral_source", "tiktok", True), ("referral_source", "radio", False),
    ("consent", True, True), ("consent", False, False), ("consent", "true", False),
    ("captcha_token", _DROP, False),
    ("idempotency_key", "abc", False), ("idempotency_key", _DROP, False),
]


def _case_id(c):
    f, v, a = c
    vs = "DROP" if v is _DROP else (repr(v)[:20])
    return f"{f}-{vs}-{'ok' if a else 'bad'}"


@pytest.mark.parametrize("field,value,accepted", FIELD_CASES, ids=[_case_id(c) for c in FIELD_CASES])
def test_register_field_rules(nsrv, ncourse, field, value, accepted):
    body = reg_body(ncourse["id"], **{field: value})
    r = register(nsrv, body)
    if accepted:
        b = ok(r, 201)["booking"]
        if value is not _DROP and field not in ("captcha_token", "idempotency_key", "email"):
            key = field if field in b else "applicant_" + field
            if key in b:
                assert b[key] == value, (key, b)
    else:
        e = err(r, 400, "VALIDATION_ERROR")
        assert has_path(e, field), e
        for d in e["details"]:
            assert isinstance(d["message"], str) and d["message"], d


REQUIRED = ["full_name", "email", "course_id", "address", "birth_place", "birth_date", "school",
            "class", "guardian_name", "guardian_wa_number", "preferred_days",
            "preferred_time_range", "consent", "captcha_token", "idempotency_key"]


@pytest.mark.parametrize("field", REQUIRED)
def test_register_required_missing(nsrv, ncourse, field):
    e = err(register(nsrv, reg_body(ncourse["id"], **{field: _DROP})), 400, "VALIDATION_ERROR")
    assert has_path(e, field), e


def test_register_several_errors_one_detail_each(nsrv, ncourse):
    body = reg_body(ncourse["id"], full_name="x", **{"class": 0}, consent=False)
    e = err(register(nsrv, body), 400, "VALIDATION_ERROR")
    p = paths(e)
    for f in ("full_name", "class", "consent"):
        assert sum(1 for x in p if x == f or x.startswith(f + ".")) == 1, e


def test_register_invalid_json(nsrv):
    err(nsrv.post("/api/booking/register-course", data=b"{\"full_name\": ",
                  headers={"Content-Type": "application/json"}), 400, "INVALID_JSON")


def test_register_experience_level_default(nsrv, ncourse):
    b = ok(register(nsrv, reg_body(ncourse["id"], experience_level=_DROP)), 201)["booking"]
    assert b["experience_level"] == "beginner"


def test_register_unknown_course(nsrv):
    err(register(nsrv, reg_body(str(uuid.uuid4()))), 404, "COURSE_NOT_FOUND")


def test_register_success_shape(nsrv, ncourse):
    body = reg_body(ncourse["id"])
    r = register(nsrv, body)
    b = ok(r, 201)["booking"]
    assert UUID_RE.match(b["id"]), b
    assert b["status"] == "pending" and b["user_id"] is None
    assert b["course_id"] == ncourse["id"]
    assert b["applicant_full_name"] == body["full_name"]
    assert b["applicant_email"].lower() == body["email"].lower()
    assert b["preferred_days"] == ["monday", "wednesday"]
    assert b["preferred_time_range"] == {"start": "15:00", "end": "17:00"}
    exp = parse_z(b["expires_at"])
    want = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)
    assert abs((exp - want).total_seconds()) < 120, b["expires_at"]
    assert ISO_Z.match(b["created_at"]), b


# -- idempotency and spam rules -----------------------------------------------------------
def test_idempotency_key_reuse(csrv, ccourse):
    body = reg_body(ccourse["id"], captcha=fresh_captcha(csrv))
    first = ok(register(csrv, body), 201)["booking"]
    again = dict(body, captcha_token=fresh_captcha(csrv),
                 email=f"other-{uuid.uuid4().hex[:8]}@b.test")
    e = err(register(csrv, again), 409, "DUPLICATE_REQUEST")
    assert e["details"] == [{"bookingId": first["id"]}], e


def test_pending_booking_exists_case_insensitive(nsrv, ncourse):
    email = f"Dup-{uuid.uuid4().hex[:8]}@B.test"
    ok(register(nsrv, reg_body(ncourse["id"], email=email)), 201)
    err(register(nsrv, reg_body(ncourse["id"], email=email.lower())), 409,
        "PENDING_BOOKING_EXISTS")
    err(register(nsrv, reg_body(ncourse["id"], email=email.upper())), 409,
        "PENDING_BOOKING_EXISTS")


def test_pending_limit(nsrv, nadmin):
    email = f"limit-{uuid.uuid4().hex[:8]}@b.test"
    courses = [make_course(nsrv, nadmin) for _ in range(5)]
    ids = [ok(register(nsrv, reg_body(c["id"], email=email)), 201)["booking"]["id"]
           for c in courses[:3]]
    err(register(nsrv, reg_body(courses[3]["id"], email=email.upper())), 429,
        "PENDING_LIMIT_REACHED")
    # rejecting one frees a slot
    ok(nsrv.post(f"/api/bookings/{ids[0]}/reject", nadmin))
    ok(register(nsrv, reg_body(courses[4]["id"], email=email)), 201)


# -- admin review -----------------------------------------------------------------------------
def test_pending_list_oldest_first_with_course(nsrv, nadmin):
    c = make_course(nsrv, nadmin)
    ids = []
    for _ in range(3):
        b = ok(register(nsrv, reg_body(c["id"])), 201)["booking"]
        ids.append(b["id"])
        wait_past(b["created_at"])  # the next one is created strictly later
    pend = ok(nsrv.get("/api/booking/pending", nadmin))
    mine = [b for b in pend if b["id"] in ids]
    assert [b["id"] for b in mine] == ids
    for b in mine:
        assert b["course"] == {"id": c["id"], "title": c["title"]} or (
            b["course"]["id"] == c["id"] and b["course"]["title"] == c["title"]), b
        assert b["status"] == "pending"
    created = [parse_z(b["created_at"]) for b in pend if "created_at" in b]
    assert created == sorted(created)


def test_confirm_creates_enrollment(nsrv, nadmin, ncourse):
    bid = ok(register(nsrv, reg_body(ncourse["id"])), 201)["booking"]["id"]
    d = ok(nsrv.post(f"/api/bookings/{bid}/confirm", nadmin))
    b, en = d["booking"], d["enrollment"]
    assert b["id"] == bid and b["status"] == "confirmed" and ISO_Z.match(b["confirmed_at"])
    assert UUID_RE.match(en["id"])
    assert en["student_id"] is None and en["booking_id"] == bid
    assert en["course_id"] == ncourse["id"] and en["status"] == "active"
    assert ISO_Z.match(en["enrolled_at"])
    assert bid not in [x["id"] for x in ok(nsrv.get("/api/booking/pending", nadmin))]
    err(nsrv.post(f"/api/bookings/{bid}/confirm", nadmin), 409, "INVALID_STATUS")
    err(nsrv.post(f"/api/bookings/{bid}/reject", nadmin), 409)


def test_reject_with_and_without_reason(nsrv, nadmin, ncourse):
    b1 = ok(register(nsrv, reg_body(ncourse["id"])), 201)["booking"]["id"]
    r = ok(nsrv.post(f"/api/bookings/{b1}/reject", nadmin, json={"reason": "Class full"}))
    assert r["booking"]["status"] == "rejected"
    assert r["booking"]["rejection_reason"] == "Class full"
    err(nsrv.post(f"/api/bookings/{b1}/reject", nadmin), 409)
    err(nsrv.post(f"/api/bookings/{b1}/confirm", nadmin), 409, "INVALID_STATUS")
    b2 = ok(register(nsrv, reg_body(ncourse["id"])), 201)["booking"]["id"]
    r = ok(nsrv.post(f"/api/bookings/{b2}/reject", nadmin))
    assert r["booking"]["status"] == "rejected"
    assert r["booking"].get("rejection_reason") is None
    b3 = ok(register(nsrv, reg_body(ncourse["id"])), 201)["booking"]["id"]
    e = err(nsrv.post(f"/api/bookings/{b3}/reject", nadmin, json={"why": "x"}), 400,
            "VALIDATION_ERROR")


def test_confirm_reject_unknown_and_bad_id(nsrv, nadmin):
    err(nsrv.post(f"/api/bookings/{uuid.uuid4()}/confirm", nadmin), 404)
    err(nsrv.post(f"/api/bookings/{uuid.uuid4()}/reject", nadmin), 404)
    err(nsrv.post("/api/bookings/xyz/confirm", nadmin), 400, "VALIDATION_ERROR")


def test_delete_booking(nsrv, nadmin, ncourse):
    bid = ok(register(nsrv, reg_body(ncourse["id"])), 201)["booking"]["id"]
    ok(nsrv.post(f"/api/bookings/{bid}/confirm", nadmin))
    d = ok(nsrv.delete(f"/api/booking/{bid}", nadmin))
    assert d["deleted"] is True
    err(nsrv.delete(f"/api/booking/{bid}", nadmin), 404)
    err(nsrv.post(f"/api/bookings/{bid}/confirm", nadmin), 404)


# -- concurrency ---------------------------------------------------------------------------------
def test_concurrent_same_idempotency_key(nsrv, nadmin):
    c = make_course(nsrv, nadmin)
    key = str(uuid.uuid4())
    bodies = [reg_body(c["id"], idempotency_key=key) for _ in range(50)]
    rs = parallel(50, lambda i, s: register(nsrv, bodies[i], session=s))
    codes = sorted(r.status_code for r in rs)
    assert codes.count(201) == 1 and codes.count(409) == 49, codes
    winner = [r for r in rs if r.status_code == 201][0].json()["data"]["booking"]["id"]
    for r in rs:
        if r.status_code == 409:
            e = err(r, 409, "DUPLICATE_REQUEST")
            assert e["details"] == [{"bookingId": winner}], e
    pend = [b for b in ok(nsrv.get("/api/booking/pending", nadmin)) if b["course_id"] == c["id"]]
    assert [b["id"] for b in pend] == [winner]


def test_concurrent_pending_limit(nsrv, nadmin):
    courses = [make_course(nsrv, nadmin) for _ in range(20)]
    email = f"race-{uuid.uuid4().hex[:8]}@b.test"
    bodies = [reg_body(courses[i]["id"], email=email) for i in range(20)]
    rs = parallel(20, lambda i, s: register(nsrv, bodies[i], session=s))
    codes = [r.status_code for r in rs]
    assert codes.count(201) == 3 and codes.count(429) == 17, codes
    for r in rs:
        if r.status_code == 429:
            err(r, 429, "PENDING_LIMIT_REACHED")
    pend = [b for b in ok(nsrv.get("/api/booking/pending", nadmin))
            if b["applicant_email"].lower() == email]
    assert len(pend) == 3


def test_concurrent_registrations_of_many_applicants_each_meet_their_own_limit(nsrv, nadmin):
    # Registrations of different applicants arriving together are written together; those of
    # one e-mail never decide on the same count.
    courses = [make_course(nsrv, nadmin) for _ in range(4)]
    emails = [f"many-{uuid.uuid4().hex[:8]}@b.test" for _ in range(10)]
    bodies = [reg_body(courses[i // 10]["id"], email=emails[i % 10]) for i in range(40)]
    rs = parallel(40, lambda i, s: register(nsrv, bodies[i], session=s))
    for k, email in enumerate(emails):
        mine = rs[k::10]
        codes = [r.status_code for r in mine]
        assert codes.count(201) == 3 and codes.count(429) == 1, (email, codes)
        for r in mine:
            if r.status_code == 201:
                b = r.json()["data"]["booking"]
                assert b["applicant_email"] == email and b["status"] == "pending", b
            else:
                err(r, 429, "PENDING_LIMIT_REACHED")
    pend = [b for b in ok(nsrv.get("/api/booking/pending", nadmin))
            if b["applicant_email"] in emails]
    assert sorted(b["applicant_email"] for b in pend) == sorted(emails * 3)


def test_the_database_itself_refuses_a_fourth_pending_booking(nsrv, nadmin):
    # The limit is the database's too (its trigger), whatever inserts the row: a copy of one of
    # an applicant's three pending bookings, for a fourth course, written in SQL, is refused.
    courses = [make_course(nsrv, nadmin) for _ in range(4)]
    email = f"db-limit-{uuid.uuid4().hex[:8]}@b.test"
    first = ok(register(nsrv, reg_body(courses[0]["id"], email=email)), 201)["booking"]["id"]
    for c in courses[1:3]:
        ok(register(nsrv, reg_body(c["id"], email=email)), 201)
    columns = [r[0] for r in nsrv.sql(
        "SELECT name FROM pragma_table_info('course_bookings')"
        if nsrv.db_url.startswith("sqlite") else
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'course_bookings' ORDER BY ordinal_position")]
    changed = {"id": f"'{uuid.uuid4()}'", "idempotency_key": f"'{uuid.uuid4()}'",
               "course_id": f"'{courses[3]['id']}'", "status": "'pending'",
               "rejected_at": "NULL", "rejection_reason": "NULL"}
    copy = (f"INSERT INTO course_bookings ({', '.join(columns)}) "
            f"SELECT {', '.join(changed.get(c, c) for c in columns)} "
            f"FROM course_bookings WHERE id = '{first}'")
    with pytest.raises(Exception, match="PENDING_LIMIT_REACHED"):
        nsrv.write_sql(copy)
    pend = [b for b in ok(nsrv.get("/api/booking/pending", nadmin))
            if b["applicant_email"] == email]
    assert len(pend) == 3
    # One of them rejected, the same copy goes in.
    r = nsrv.post(f"/api/bookings/{first}/reject", nadmin, json={"reason": "test"})
    assert r.status_code == 200, r.text
    nsrv.write_sql(copy)
    pend = [b for b in ok(nsrv.get("/api/booking/pending", nadmin))
            if b["applicant_email"] == email]
    assert len(pend) == 3 and {b["course_id"] for b in pend} == {c["id"] for c in courses[1:]}


def test_concurrent_confirms(nsrv, nadmin, ncourse):
    bid = ok(register(nsrv, reg_body(ncourse["id"])), 201)["booking"]["id"]
    rs = parallel(20, lambda i, s: nsrv.post(f"/api/bookings/{bid}/confirm", nadmin, session=s))
    codes = [r.status_code for r in rs]
    assert codes.count(200) == 1 and codes.count(409) == 19, codes


# -- expiry ----------------------------------------------------------------------------------------
def test_booking_expires(start_server):
    s = start_server({"CAPTCHA_PROVIDER": "none", "COURSE_BOOKING_TTL": "2s",
                      "EXPIRY_SWEEP_INTERVAL": "500ms"})
    admin = s.admin_login()
    c = make_course(s, admin)
    email = f"exp-{uuid.uuid4().hex[:8]}@b.test"
    b = ok(register(s, reg_body(c["id"], email=email)), 201)["booking"]
    exp = parse_z(b["expires_at"])
    assert 0 < (exp - dt.datetime.now(dt.timezone.utc)).total_seconds() <= 3, b
    err(register(s, reg_body(c["id"], email=email)), 409, "PENDING_BOOKING_EXISTS")
    wait_until(lambda: b["id"] not in [x["id"] for x in ok(s.get("/api/booking/pending", admin))],
               timeout=6, interval=0.2, message="booking still pending 6 s after a 2 s TTL")
    err(s.post(f"/api/bookings/{b['id']}/confirm", admin), 409, "INVALID_STATUS")
    ok(register(s, reg_body(c["id"], email=email)), 201)


# -- further edge cases ------------------------------------------------------------------------------
@pytest.mark.parametrize("field,value,accepted", [
    ("full_name", "李明", True), ("full_name", "é" * 255, True), ("full_name", "é" * 256, False),
    ("notes", "é" * 1000, True), ("notes", "é" * 1001, False),
    ("address", "Jl. Ñandú " + "ü" * 245, True),
    ("preferred_time_range", {"start": "9:00", "end": "10:00"}, False),
    ("preferred_time_range", {"start": "23:00", "end": "24:00"}, False),
    ("preferred_time_range", "15:00-17:00", False),
    ("class", True, False), ("consent", 1, False), ("instrument_owned", 1, False),
    ("preferred_days", ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                        "sunday"], True),
    ("email", "a b@c.test", False), ("idempotency_key", "", False),
])
def test_register_more_field_rules(nsrv, ncourse, field, value, accepted):
    test_register_field_rules(nsrv, ncourse, field, value, accepted)


def test_register_body_not_object(nsrv):
    r = nsrv.post("/api/booking/register-course", json=[1, 2])
    err(r, 400)


def test_failed_requests_do_not_consume_idempotency_key(nsrv, nadmin, ncourse):
    key = str(uuid.uuid4())
    err(register(nsrv, reg_body(ncourse["id"], idempotency_key=key, full_name="x")), 400,
        "VALIDATION_ERROR")
    err(register(nsrv, reg_body(str(uuid.uuid4()), idempotency_key=key)), 404,
        "COURSE_NOT_FOUND")
    email = f"keyspam-{uuid.uuid4().hex[:8]}@b.test"
    ok(register(nsrv, reg_body(ncourse["id"], email=email)), 201)
    err(register(nsrv, reg_body(ncourse["id"], email=email, idempotency_key=key)), 409,
        "PENDING_BOOKING_EXISTS")
    ok(register(nsrv, reg_body(ncourse["id"], idempotency_key=key)), 201)


def test_captcha_failure_does_not_consume_key(csrv, ccourse):
    key = str(uuid.uuid4())
    err(register(csrv, reg_body(ccourse["id"], captcha="garbage", idempotency_key=key)), 400,
        "CAPTCHA_INVALID")
    ok(register(csrv, reg_body(ccourse["id"], captcha=fresh_captcha(csrv), idempotency_key=key)),
       201)


def test_captcha_tampered_salt_refused(csrv, ccourse):
    ch = ok(csrv.get("/api/booking/captcha"))
    n = solve(ch)
    salt = re.sub(r"expires=\d+$", f"expires={int(time.time()) + 99999}", ch["salt"])
    err(register(csrv, reg_body(ccourse["id"], captcha=make_token(ch, n, salt=salt))), 400,
        "CAPTCHA_INVALID")


def test_captcha_concurrent_replay(csrv, ccourse):
    token = fresh_captcha(csrv)
    bodies = [reg_body(ccourse["id"], captcha=token) for _ in range(12)]
    rs = parallel(12, lambda i, s: register(csrv, bodies[i], session=s))
    codes = [r.status_code for r in rs]
    assert codes.count(201) == 1 and codes.count(400) == 11, codes
    for r in rs:
        if r.status_code == 400:
            err(r, 400, "CAPTCHA_INVALID")


def test_concurrent_confirm_and_reject(nsrv, nadmin, ncourse):
    bid = ok(register(nsrv, reg_body(ncourse["id"])), 201)["booking"]["id"]
    rs = parallel(20, lambda i, s: nsrv.post(
        f"/api/bookings/{bid}/{'confirm' if i % 2 else 'reject'}", nadmin, session=s))
    codes = [r.status_code for r in rs]
    assert codes.count(200) == 1 and codes.count(409) == 19, codes


def test_course_with_only_rejected_booking_is_deactivated(nsrv, nadmin):
    c = make_course(nsrv, nadmin)
    bid = ok(register(nsrv, reg_body(c["id"])), 201)["booking"]["id"]
    ok(nsrv.post(f"/api/bookings/{bid}/reject", nadmin))
    d = ok(nsrv.delete(f"/api/courses/{c['id']}", nadmin))
    assert d["deleted"] is False and d["deactivated"] is True
    # deleting the booking lets the course be deleted for real
    ok(nsrv.delete(f"/api/booking/{bid}", nadmin))
    d = ok(nsrv.delete(f"/api/courses/{c['id']}", nadmin))
    assert d == {"id": c["id"], "deleted": True}


def test_expired_bookings_free_pending_limit(start_server):
    s = start_server({"CAPTCHA_PROVIDER": "none", "COURSE_BOOKING_TTL": "2s",
                      "EXPIRY_SWEEP_INTERVAL": "500ms"})
    admin = s.admin_login()
    courses = [make_course(s, admin) for _ in range(4)]
    email = f"expl-{uuid.uuid4().hex[:8]}@b.test"
    expiries = [ok(register(s, reg_body(c["id"], email=email)), 201)["booking"]["expires_at"]
                for c in courses[:3]]
    err(register(s, reg_body(courses[3]["id"], email=email)), 429, "PENDING_LIMIT_REACHED")
    ahead = (parse_z(max(expiries)) - dt.datetime.now(dt.timezone.utc)).total_seconds()
    assert ahead <= 2, f"expires_at {ahead:.3f}s ahead with a 2 s TTL: {expiries}"
    # Once the first has expired a slot is free, whether or not the sweeper has run yet.
    wait_past(min(expiries))
    ok(register(s, reg_body(courses[3]["id"], email=email)), 201)


def test_expired_but_unswept_booking(start_server):
    """With the sweeper far away, an expired pending row must still not be confirmable and
    must not count towards the 3-pending limit (the rule says *unexpired* pending)."""
    s = start_server({"CAPTCHA_PROVIDER": "none", "COURSE_BOOKING_TTL": "1s",
                      "EXPIRY_SWEEP_INTERVAL": "1h"})
    admin = s.admin_login()
    courses = [make_course(s, admin) for _ in range(4)]
    email = f"unswept-{uuid.uuid4().hex[:8]}@b.test"
    made = [ok(register(s, reg_body(c["id"], email=email)), 201)["booking"] for c in courses[:3]]
    ids = [b["id"] for b in made]
    ahead = (parse_z(made[-1]["expires_at"]) - dt.datetime.now(dt.timezone.utc)).total_seconds()
    assert ahead <= 1, f"expires_at {ahead:.3f}s ahead with a 1 s TTL: {made}"
    wait_past(made[-1]["expires_at"])  # all three have expired; the sweeper is an hour away
    err(s.post(f"/api/bookings/{ids[0]}/confirm", admin), 409, "INVALID_STATUS")
    ok(register(s, reg_body(courses[3]["id"], email=email)), 201)


def test_course_responses_content_type(csrv, ccourse):
    r = csrv.get(f"/api/courses/{ccourse['id']}")
    assert r.headers["Content-Type"].startswith("application/json")
    r = csrv.get("/api/courses/zzz")
    assert r.headers["Content-Type"].startswith("application/json")


# -- JSON types: the course surface is as strict as Zod, the service surface as lax as Pydantic --
# The course surface's original validated with Zod, which takes each JSON type for itself
# only; the service surface's original was FastAPI, whose Pydantic reads "2" as 2. Each
# surface keeps its own original's rule; query values are strings on both and parse as before.
WRONG_JSON_TYPE = [
    ("class", "5"), ("class", " 8 "), ("consent", "true"),
    ("instrument_owned", "true"), ("instrument_owned", "false"), ("full_name", 12345),
    ("wa_number", 6281234567890), ("birth_date", 20100517), ("notes", 5),
    ("referral_source", 1), ("idempotency_key", 7),
]


@pytest.mark.parametrize("field,value", WRONG_JSON_TYPE,
                         ids=[f"{f}-{v!r}" for f, v in WRONG_JSON_TYPE])
def test_register_refuses_a_value_of_the_wrong_json_type(nsrv, ncourse, field, value):
    e = err(register(nsrv, reg_body(ncourse["id"], **{field: value})), 400, "VALIDATION_ERROR")
    assert paths(e) == [field], e


@pytest.mark.parametrize("value", [5, 5.0], ids=["int", "integral-float"])
def test_register_takes_class_as_a_json_number(nsrv, ncourse, value):
    b = ok(register(nsrv, reg_body(ncourse["id"], **{"class": value})), 201)["booking"]
    assert b["applicant_class"] == 5 and isinstance(b["applicant_class"], int), b


def test_book_for_logged_in_user_refuses_class_as_a_string(nsrv, ncourse):
    u = nsrv.new_customer()
    body = reg_body(ncourse["id"], **{"class": "5"})
    e = err(nsrv.post("/api/bookings/create", u.token, json=body), 400, "VALIDATION_ERROR")
    assert paths(e) == ["class"], e


COURSE_WRONG_JSON_TYPE = [
    ("price_per_session", "150000"), ("price_per_session", "150000.50"),
    ("duration_minutes", "60"), ("max_students", "5"), ("is_active", "true"),
    ("is_active", 1), ("title", 5), ("level", 1),
]


@pytest.mark.parametrize("field,value", COURSE_WRONG_JSON_TYPE,
                         ids=[f"{f}-{v!r}" for f, v in COURSE_WRONG_JSON_TYPE])
def test_course_create_and_update_refuse_the_wrong_json_type(nsrv, nadmin, field, value):
    e = err(nsrv.post("/api/courses", nadmin, json=course_body(**{field: value})), 400,
            "VALIDATION_ERROR")
    assert paths(e) == [field], e
    c = make_course(nsrv, nadmin)
    e = err(put(nsrv, f"/api/courses/{c['id']}", nadmin, json={field: value}), 400,
            "VALIDATION_ERROR")
    assert paths(e) == [field], e
    assert ok(nsrv.get(f"/api/courses/{c['id']}"))[field] == c[field]


def test_enrollment_student_id_must_be_a_json_number_but_parses_from_the_query(nsrv, nadmin):
    u = nsrv.new_customer()
    c = make_course(nsrv, nadmin)
    e = err(nsrv.post("/api/booking/enrollments", nadmin,
                      json={"course_id": c["id"], "student_id": str(u.id)}), 400,
            "VALIDATION_ERROR")
    assert paths(e) == ["student_id"], e
    made = ok(nsrv.post("/api/booking/enrollments", nadmin,
                        json={"course_id": c["id"], "student_id": u.id}), 201)
    r = nsrv.get("/api/booking/enrollments", nadmin,
                 params={"student_id": str(u.id), "page": "1", "limit": "5"})
    assert r.status_code == 200, r.text
    j = strict_json(r)
    assert [x["id"] for x in j["data"]] == [made["id"]], j
    assert j["pagination"]["page"] == 1 and j["pagination"]["limit"] == 5, j


def test_service_bookings_still_coerce_numeric_strings(server, customer, make_catalogue):
    type_id = make_catalogue("200000.00")["type_id"]
    when = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S")
    r = server.post("/bookings/", customer.token, json={
        "service_type_id": str(type_id), "tanggal_acara": when, "jumlah_client": "2"})
    assert r.status_code == 201, r.text
    b = strict_json(r)
    assert b["service_type_id"] == type_id and b["jumlah_client"] == 2, b
    assert b["tanggal_acara"] == when, b
