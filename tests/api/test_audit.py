"""The audit log (DESIGN.md "Audit log and exports"): every admin write appends exactly one
row, in its own transaction, with the subject before and after; a refused write appends
none; the log is read-only through the API."""

import uuid

import pytest

from conftest import serving
from test_bookings import book, in_days
from test_courses import err, make_course, ok, put, reg_body, register


@pytest.fixture(scope="module")
def asrv():
    with serving({"CAPTCHA_PROVIDER": "none", "WEBHOOK_ALLOW_PRIVATE": "1"}) as s:
        yield s


@pytest.fixture(scope="module")
def aadmin(asrv):
    return asrv.admin_login()


@pytest.fixture(scope="module")
def admin_id(asrv, aadmin):
    r = asrv.get("/auth/me", aadmin)
    assert r.status_code == 200, r.text
    return r.json()["id"]


def audit(srv, token, **query):
    r = srv.get("/api/admin/audit", token, params=query)
    j = r.json()
    assert r.status_code == 200, r.text
    return j["data"], j["pagination"]["total"]


class Log:
    """Counts the rows before a write; `one(...)` asserts the write appended exactly one, and
    that it says what it should."""

    def __init__(self, srv, token, actor):
        self.srv, self.token, self.actor = srv, token, actor
        self.total = audit(srv, token)[1]

    def one(self, action, subject_type, subject_id, before=True, after=True):
        rows, total = audit(self.srv, self.token, limit=1)
        assert total == self.total + 1, (action, total, self.total, rows)
        self.total = total
        row = rows[0]
        assert row["action"] == action, row
        assert row["subject_type"] == subject_type, row
        assert row["subject_id"] == str(subject_id), row
        assert row["actor_id"] == self.actor, row
        assert (row["before"] is not None) == before, row
        assert (row["after"] is not None) == after, row
        for side in ("before", "after"):
            if row[side] is not None:
                assert isinstance(row[side], dict), row
        return row

    def none(self, what):
        assert audit(self.srv, self.token)[1] == self.total, what


def test_every_admin_write_appends_exactly_one_row(asrv, aadmin, admin_id):
    log = Log(asrv, aadmin, admin_id)
    srv, t = asrv, aadmin

    # The catalogue.
    r = srv.post("/services/packages", t, json={"name": f"Pkg {uuid.uuid4().hex[:8]}"})
    assert r.status_code == 201, r.text
    pkg = r.json()
    row = log.one("package.created", "package", pkg["id"], before=False)
    assert row["after"]["name"] == pkg["name"]
    r = srv.patch(f"/services/packages/{pkg['id']}", t, json={"name": pkg["name"] + " B"})
    assert r.status_code == 200, r.text
    row = log.one("package.updated", "package", pkg["id"])
    assert (row["before"]["name"], row["after"]["name"]) == (pkg["name"], pkg["name"] + " B")
    r = srv.post("/services/types", t, json={"package_id": pkg["id"], "name": "Akad",
                                              "price": "1500000.00"})
    assert r.status_code == 201, r.text
    type_id = r.json()["service_types"][-1]["id"]
    log.one("service_type.created", "service_type", type_id, before=False)
    r = srv.patch(f"/services/types/{type_id}", t, json={"price": "1750000.00"})
    assert r.status_code == 200, r.text
    row = log.one("service_type.updated", "service_type", type_id)
    assert (row["before"]["price"], row["after"]["price"]) == ("1500000.00", "1750000.00")
    r = srv.post("/services/types", t, json={"package_id": pkg["id"], "name": "Resepsi",
                                              "price": "900000.00"})
    spare = r.json()["service_types"][-1]["id"]
    log.one("service_type.created", "service_type", spare, before=False)
    assert srv.delete(f"/services/types/{spare}", t).status_code == 200
    log.one("service_type.deleted", "service_type", spare, after=False)

    # A service booking: the customer's booking is not an admin write; its status change is.
    customer = srv.new_customer()
    booking = book(srv, customer.token, type_id).json()
    log.none("a customer's booking")
    r = srv.patch(f"/bookings/{booking['id']}", t, json={"status": "confirmed"})
    assert r.status_code == 200, r.text
    row = log.one("booking.status_changed", "booking", booking["id"])
    assert (row["before"]["status"], row["after"]["status"]) == ("pending", "confirmed")

    # Courses, registrations and enrollments.
    course = make_course(srv, t, max_students=5)
    log.one("course.created", "course", course["id"], before=False)
    ok(put(srv, f"/api/courses/{course['id']}", t, json={"max_students": 6}))
    row = log.one("course.updated", "course", course["id"])
    assert (row["before"]["max_students"], row["after"]["max_students"]) == (5, 6)
    regs = [ok(register(srv, reg_body(course["id"])), 201)["booking"] for _ in range(4)]
    log.none("public registrations")
    ok(srv.post(f"/api/bookings/{regs[0]['id']}/confirm", t))
    row = log.one("course_booking.confirmed", "course_booking", regs[0]["id"])
    assert (row["before"]["status"], row["after"]["status"]) == ("pending", "confirmed")
    ok(srv.post(f"/api/bookings/{regs[1]['id']}/reject", t, json={"reason": "Kelas penuh"}))
    log.one("course_booking.rejected", "course_booking", regs[1]["id"])
    ok(srv.post(f"/api/bookings/{regs[2]['id']}/waitlist", t))
    row = log.one("course_booking.waitlisted", "course_booking", regs[2]["id"])
    assert row["after"]["status"] == "waitlisted"
    ok(srv.delete(f"/api/booking/{regs[3]['id']}", t))
    log.one("course_booking.deleted", "course_booking", regs[3]["id"], after=False)
    student = srv.new_customer()
    enrollment = ok(srv.post("/api/booking/enrollments", t,
                             json={"student_id": student.id, "course_id": course["id"]}), 201)
    log.one("enrollment.created", "enrollment", enrollment["id"], before=False)
    ok(put(srv, f"/api/booking/enrollments/{enrollment['id']}", t, json={"status": "completed"}))
    row = log.one("enrollment.status_changed", "enrollment", enrollment["id"])
    assert (row["before"]["status"], row["after"]["status"]) == ("active", "completed")

    # The calendar: the first override has nothing before it.
    day = "2031-05-17"
    assert srv.request("PUT", f"/calendar/{day}", t, json={"capacity": 4}).status_code == 200
    row = log.one("calendar.capacity_set", "calendar_day", day, before=False)
    assert row["after"]["capacity"] == 4
    assert srv.request("PUT", f"/calendar/{day}", t, json={"capacity": 0}).status_code == 200
    row = log.one("calendar.capacity_set", "calendar_day", day)
    assert (row["before"]["capacity"], row["after"]["capacity"]) == (4, 0)
    assert srv.delete(f"/calendar/{day}", t).status_code == 204
    log.one("calendar.capacity_cleared", "calendar_day", day, after=False)

    # Webhooks: the secret is shown once, and never kept in the log.
    hook = ok(srv.post("/api/admin/webhooks", t, json={"url": "http://127.0.0.1:9/hook",
                                                        "events": ["*"]}), 201)
    row = log.one("webhook.created", "webhook", hook["id"], before=False)
    assert "secret" not in row["after"] and hook["secret"] not in str(row)
    ok(srv.delete(f"/api/admin/webhooks/{hook['id']}", t))
    log.one("webhook.deleted", "webhook", hook["id"], after=False)

    # A course without bookings is deleted; the package without bookings too.
    bare = make_course(srv, t)
    log.one("course.created", "course", bare["id"], before=False)
    ok(srv.delete(f"/api/courses/{bare['id']}", t))
    log.one("course.deleted", "course", bare["id"], after=False)
    other = srv.post("/services/packages", t, json={"name": f"Pkg {uuid.uuid4().hex[:8]}"}).json()
    log.one("package.created", "package", other["id"], before=False)
    assert srv.delete(f"/services/packages/{other['id']}", t).status_code == 204
    log.one("package.deleted", "package", other["id"], after=False)


def test_a_refused_write_appends_nothing(asrv, aadmin, admin_id, make_catalogue):
    log = Log(asrv, aadmin, admin_id)
    srv, t = asrv, aadmin
    course = make_course(srv, t, max_students=1)
    log.one("course.created", "course", course["id"], before=False)
    first, second = (ok(register(srv, reg_body(course["id"])), 201)["booking"] for _ in range(2))
    ok(srv.post(f"/api/bookings/{first['id']}/confirm", t))
    log.one("course_booking.confirmed", "course_booking", first["id"])
    # The seat trigger refuses the second: the booking's update is rolled back with it.
    err(srv.post(f"/api/bookings/{second['id']}/confirm", t), 409, "COURSE_FULL")
    log.none("a confirm refused for want of a seat")
    err(srv.post(f"/api/bookings/{first['id']}/reject", t, json={}), 409, "INVALID_STATUS")
    log.none("a reject of a confirmed booking")
    assert srv.patch("/bookings/999999", t, json={"status": "paid"}).status_code == 404
    assert srv.patch("/bookings/1", t, json={"status": "nonsense"}).status_code == 422
    log.none("refused status changes")
    assert srv.request("PUT", "/calendar/2031-02-30", t, json={"capacity": 1}).status_code == 422
    log.none("an impossible date")
    rows, _ = audit(srv, t, subject_id=second["id"])
    assert rows == []


def test_filters_order_and_pagination(asrv, aadmin, admin_id):
    srv, t = asrv, aadmin
    course = make_course(srv, t)
    for n in range(3):
        ok(put(srv, f"/api/courses/{course['id']}", t, json={"max_students": 10 + n}))
    rows, total = audit(srv, t, subject_type="course", subject_id=course["id"])
    assert total == 4
    assert [r["action"] for r in rows] == ["course.updated"] * 3 + ["course.created"]
    assert [r["after"]["max_students"] for r in rows[:3]] == [12, 11, 10]  # newest first
    assert rows[0]["id"] > rows[1]["id"] > rows[2]["id"]
    page2, total2 = audit(srv, t, subject_type="course", subject_id=course["id"], page=2, limit=3)
    assert total2 == 4 and [r["action"] for r in page2] == ["course.created"]
    mine, _ = audit(srv, t, actor_id=admin_id, limit=100)
    assert mine and all(r["actor_id"] == admin_id for r in mine)
    assert audit(srv, t, actor_id=admin_id + 100000)[1] == 0


def test_admin_made_at_start_is_logged_without_an_actor(asrv, aadmin, admin_id):
    rows, total = audit(srv := asrv, aadmin, subject_type="user", subject_id=str(admin_id))
    assert total == 1, rows
    assert rows[0]["action"] == "admin.created" and rows[0]["actor_id"] is None
    assert rows[0]["before"] is None and rows[0]["after"]["role"] == "admin"
    assert "hashed_password" not in rows[0]["after"] and "password" not in str(rows[0]).lower()
    assert srv.get("/api/admin/audit").status_code == 401


def test_the_log_is_read_only_and_admin_only(asrv, aadmin):
    customer = asrv.new_customer()
    assert asrv.get("/api/admin/audit", customer.token).status_code == 403
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert asrv.request(method, "/api/admin/audit", aadmin).status_code == 405, method
        assert asrv.request(method, "/api/admin/audit/1", aadmin).status_code in (404, 405)
    e = err(asrv.get("/api/admin/audit", aadmin, params={"limit": 0}), 400, "VALIDATION_ERROR")
    assert e["details"]


def test_a_customers_own_cancellation_is_logged_with_her_as_actor(asrv, aadmin, make_catalogue):
    srv = asrv
    type_id = srv.post("/services/packages", aadmin, json={"name": f"P {uuid.uuid4().hex[:8]}"})
    type_id = srv.post("/services/types", aadmin, json={"package_id": type_id.json()["id"],
                                                        "name": "Akad", "price": "500000.00"})
    type_id = type_id.json()["service_types"][-1]["id"]
    customer = srv.new_customer()
    booking = book(srv, customer.token, type_id, when=in_days(20)).json()
    r = srv.post(f"/bookings/{booking['id']}/cancel", customer.token)
    assert r.status_code == 200, r.text
    rows, total = audit(srv, aadmin, subject_type="booking", subject_id=str(booking["id"]))
    assert total == 1
    assert rows[0]["action"] == "booking.cancelled_by_customer"
    assert rows[0]["actor_id"] == customer.id
    assert (rows[0]["before"]["status"], rows[0]["after"]["status"]) == ("pending", "cancelled")


def test_an_import_from_the_command_line_is_logged_with_its_counts(asrv, aadmin):
    before = audit(asrv, aadmin, subject_type="import")[1]
    r = asrv.run_cli("seed-demo", timeout=300)
    assert r.returncode == 0, r.stderr
    rows, total = audit(asrv, aadmin, subject_type="import")
    assert total == before + 1
    assert rows[0]["action"] == "import.demo" and rows[0]["actor_id"] is None
    assert rows[0]["after"]["bookings_added"] + rows[0]["after"]["bookings_present"] == 152
