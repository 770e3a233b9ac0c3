"""CSV exports for spreadsheets (DESIGN.md "Audit log and exports"): UTF-8 with a BOM, one
header row, a row per booking with the list's filters applied, money as plain numbers and
formula-looking cells defused."""

import csv
import io
import uuid

import pytest

from conftest import serving
from test_bookings import book, in_days
from test_courses import err, make_course, ok, reg_body, register

BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def xsrv():
    with serving({"CAPTCHA_PROVIDER": "none"}) as s:
        yield s


@pytest.fixture(scope="module")
def xadmin(xsrv):
    return xsrv.admin_login()


def read_csv(r, filename):
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert r.content.startswith(BOM)
    rows = list(csv.reader(io.StringIO(r.content[len(BOM):].decode("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row, strict=True)) for row in body]


def make_type(srv, token, price="1500000.00"):
    pkg = srv.post("/services/packages", token, json={"name": f"Pkg {uuid.uuid4().hex[:8]}"})
    r = srv.post("/services/types", token, json={"package_id": pkg.json()["id"], "name": "Akad",
                                                  "price": price})
    assert r.status_code == 201, r.text
    return r.json()["service_types"][-1]["id"]


def test_bookings_export_has_a_row_per_booking_with_the_filters(xsrv, xadmin):
    type_id = make_type(xsrv, xadmin)
    plain = xsrv.new_customer(name="Rina, Wijaya")
    formula = xsrv.new_customer(name="=HYPERLINK(\"http://x.test\")")
    made = [book(xsrv, c.token, type_id, when=in_days(30 + n), clients=n + 1).json()
            for n, c in enumerate([plain, formula, plain])]
    assert xsrv.patch(f"/bookings/{made[2]['id']}", xadmin,
                      json={"status": "paid"}).status_code == 200
    rows = {int(r["id"]): r for r in read_csv(xsrv.get("/bookings/export.csv", xadmin),
                                              "bookings.csv")}
    assert {b["id"] for b in made} <= set(rows)
    first = rows[made[0]["id"]]
    assert first["customer"] == "Rina, Wijaya"  # the comma survives the quoting
    assert first["email"] == plain.email
    assert first["price_locked"] == "1500000.00" and first["jumlah_client"] == "1"
    assert first["tanggal_acara"] == made[0]["tanggal_acara"]
    assert rows[made[1]["id"]]["customer"] == "'=HYPERLINK(\"http://x.test\")"
    paid = read_csv(xsrv.get("/bookings/export.csv", xadmin, params={"status": "paid"}),
                    "bookings.csv")
    assert [int(r["id"]) for r in paid] == [made[2]["id"]]
    assert paid[0]["status"] == "paid"
    ordered = read_csv(xsrv.get("/bookings/export.csv", xadmin, params={"order_by": "id_desc"}),
                       "bookings.csv")
    ids = [int(r["id"]) for r in ordered]
    assert ids == sorted(ids, reverse=True)


def test_bookings_export_is_for_admins_and_checks_its_filters(xsrv, xadmin):
    customer = xsrv.new_customer()
    assert xsrv.get("/bookings/export.csv", customer.token).status_code == 403
    assert xsrv.get("/bookings/export.csv").status_code == 401
    r = xsrv.get("/bookings/export.csv", xadmin, params={"status": "lost"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "status"]


def test_registrations_export_filters_by_status_and_defuses_formulas(xsrv, xadmin):
    course = make_course(xsrv, xadmin, max_students=1, title=f"Gitar {uuid.uuid4().hex[:6]}")
    a = ok(register(xsrv, reg_body(course["id"], full_name="@SUM(1+1)")), 201)["booking"]
    b = ok(register(xsrv, reg_body(course["id"], full_name="Ayu Lestari")), 201)["booking"]
    ok(xsrv.post(f"/api/bookings/{a['id']}/confirm", xadmin))
    c = ok(register(xsrv, reg_body(course["id"], full_name="-Waiting Dewi")), 201)["booking"]
    assert c["status"] == "waitlisted"
    every = {r["id"]: r for r in read_csv(xsrv.get("/api/booking/export.csv", xadmin),
                                          "registrations.csv")}
    assert {a["id"], b["id"], c["id"]} <= set(every)
    assert every[a["id"]]["applicant_full_name"] == "'@SUM(1+1)"
    assert every[a["id"]]["status"] == "confirmed" and every[a["id"]]["confirmed_at"]
    assert every[b["id"]]["course"] == course["title"]
    assert every[b["id"]]["applicant_email"] == b["applicant_email"]
    assert every[b["id"]]["preferred_days"] == "monday wednesday"
    waiting = read_csv(xsrv.get("/api/booking/export.csv", xadmin, params={"status": "waitlisted"}),
                       "registrations.csv")
    assert c["id"] in [r["id"] for r in waiting]
    assert all(r["status"] == "waitlisted" for r in waiting)
    assert next(r for r in waiting if r["id"] == c["id"])["applicant_full_name"] == "'-Waiting Dewi"
    e = err(xsrv.get("/api/booking/export.csv", xadmin, params={"status": "lost"}), 400,
            "VALIDATION_ERROR")
    assert e["details"]
    err(xsrv.get("/api/booking/export.csv", xsrv.new_customer().token), 403)


def test_enrollments_export_has_every_match_not_one_page(xsrv, xadmin):
    course = make_course(xsrv, xadmin, max_students=30)
    made = []
    for n in range(23):  # more than one default page of 20
        b = ok(register(xsrv, reg_body(course["id"], full_name=f"Siswa {n:02d}")), 201)["booking"]
        made.append(ok(xsrv.post(f"/api/bookings/{b['id']}/confirm", xadmin))["enrollment"])
    rows = read_csv(xsrv.get("/api/booking/enrollments/export.csv", xadmin,
                             params={"course_id": course["id"]}), "enrollments.csv")
    assert sorted(r["id"] for r in rows) == sorted(e["id"] for e in made)
    assert {r["course"] for r in rows} == {course["title"]}
    assert {r["status"] for r in rows} == {"active"}
    assert sorted(r["student_name"] for r in rows) == [f"Siswa {n:02d}" for n in range(23)]
    none = read_csv(xsrv.get("/api/booking/enrollments/export.csv", xadmin,
                             params={"course_id": course["id"], "status": "cancelled"}),
                    "enrollments.csv")
    assert none == []
