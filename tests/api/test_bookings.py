"""Service bookings: create, priority, idempotency, listing, status changes."""

import re
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from conftest import assert_detail, assert_validation, strict_json

DT_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$")
BOOKING_FIELDS = {"id", "user_id", "service_type_id", "price_locked", "status", "tanggal_booking",
                  "tanggal_acara", "jumlah_client", "priority_score", "priority_segment",
                  "urgency_level", "monetary_level", "updated_priority_at", "user"}
USER_FIELDS = {"id", "name", "email", "address", "phone_number", "role"}
STATUS_POINTS = {"pending": 5, "confirmed": 5, "dp": 20, "paid": 30, "completed": 5,
                 "cancelled": 5}


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def parse_dt(text):
    assert DT_RE.match(text), f"not a naive ISO datetime: {text!r}"
    return datetime.fromisoformat(text)


def in_days(days, hours=0):
    return iso(utcnow() + timedelta(days=days, hours=hours))


def segment_of(score):
    return "high" if score >= 80 else "medium" if score >= 50 else "low"


def book(server, token, type_id, when=None, clients=1, headers=None, expect=201):
    body = {"service_type_id": type_id, "tanggal_acara": when or in_days(30, 6),
            "jumlah_client": clients}
    r = server.post("/bookings/", token, json=body, headers=headers)
    if expect is not None:
        assert r.status_code == expect, r.text
    return r


def assert_booking_read(b):
    assert BOOKING_FIELDS <= set(b), b
    assert USER_FIELDS <= set(b["user"]), b["user"]
    for k in b["user"]:
        assert "password" not in k and "hash" not in k
    for k in ("id", "user_id", "service_type_id", "jumlah_client", "priority_score"):
        assert isinstance(b[k], int) and not isinstance(b[k], bool), (k, b[k])
    for k in ("tanggal_booking", "tanggal_acara", "updated_priority_at"):
        parse_dt(b[k])
    assert isinstance(b["price_locked"], str) and re.match(r"^\d+\.\d\d$", b["price_locked"])
    for k in ("priority_segment", "urgency_level", "monetary_level", "status"):
        assert isinstance(b[k], str) and b[k]
    assert b["user"]["id"] == b["user_id"]


@pytest.fixture(scope="module")
def vip_type(make_catalogue):
    return make_catalogue("3000000.00")["type_id"]


@pytest.fixture(scope="module")
def premium_type(make_catalogue):
    return make_catalogue("1500000.00")["type_id"]


@pytest.fixture(scope="module")
def regular_type(make_catalogue):
    return make_catalogue("200000.00")["type_id"]


# -- create ------------------------------------------------------------------------------
def test_create_booking_returns_201_booking_read(server, customer, premium_type):
    before = utcnow()
    r = book(server, customer.token, premium_type, when=in_days(30, 6), clients=2)
    after = utcnow()
    b = r.json()
    assert_booking_read(b)
    assert b["user_id"] == customer.id
    assert b["user"]["email"] == customer.email and b["user"]["role"] == "customer"
    assert b["service_type_id"] == premium_type
    assert b["price_locked"] == "1500000.00"
    assert b["status"] == "pending"
    assert b["jumlah_client"] == 2
    booked = parse_dt(b["tanggal_booking"])
    assert before - timedelta(seconds=5) <= booked <= after + timedelta(seconds=5), \
        "tanggal_booking is not the current UTC time"
    assert abs(parse_dt(b["updated_priority_at"]) - booked) < timedelta(seconds=5)


def test_created_booking_is_readable_by_id(server, customer, premium_type):
    b = book(server, customer.token, premium_type).json()
    r = server.get(f"/bookings/{b['id']}", customer.token)
    assert r.status_code == 200
    assert r.json() == b


def test_price_locked_does_not_follow_later_price_changes(server, admin_token, customer,
                                                          make_catalogue):
    cat = make_catalogue("500000.00")
    b = book(server, customer.token, cat["type_id"]).json()
    r = server.patch(f"/services/types/{cat['type_id']}", admin_token, json={"price": "900000"})
    assert r.status_code == 200, r.text
    assert server.get(f"/bookings/{b['id']}", customer.token).json()["price_locked"] == \
        "500000.00"
    b2 = book(server, customer.token, cat["type_id"]).json()
    assert b2["price_locked"] == "900000.00"


def _future_noon(days=90):
    return (utcnow() + timedelta(days=days)).date().isoformat()


@pytest.mark.parametrize("variant,expected", [
    ("{d}T12:00:00", "{d}T12:00:00"),
    ("{d}T12:00:00.000", "{d}T12:00:00"),
    ("{d}T12:00:00Z", "{d}T12:00:00"),
    ("{d}T19:00:00+07:00", "{d}T12:00:00"),
    ("{d}T12:00:00.000Z", "{d}T12:00:00"),
    ("{d}T12:00:00.5", "{d}T12:00:00.500000"),
    ("{d}T12:00:00.123456", "{d}T12:00:00.123456"),
    ("{d}T05:00:00-07:00", "{d}T12:00:00"),
])
def test_tanggal_acara_input_formats_are_returned_naive_utc(server, customer, regular_type,
                                                            variant, expected):
    d = _future_noon()
    b = book(server, customer.token, regular_type, when=variant.format(d=d)).json()
    assert b["tanggal_acara"] == expected.format(d=d)
    stored = server.get(f"/bookings/{b['id']}", customer.token).json()
    assert stored["tanggal_acara"] == expected.format(d=d)


def test_tanggal_acara_offset_crossing_midnight_moves_the_date(server, customer, regular_type):
    d = datetime.fromisoformat(_future_noon() + "T00:00:00")
    b = book(server, customer.token, regular_type,
             when=d.strftime("%Y-%m-%d") + "T02:00:00+07:00").json()
    assert b["tanggal_acara"] == (d - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%S")


def test_json_charset_content_type_is_accepted(server, customer, regular_type):
    import json as _json
    body = _json.dumps({"service_type_id": regular_type, "tanggal_acara": in_days(30, 6),
                        "jumlah_client": 1})
    r = server.post("/bookings", customer.token, data=body.encode(),
                    headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status_code == 201, r.text


# -- priority -----------------------------------------------------------------------------
@pytest.mark.parametrize("when,type_name,clients,score,segment,urgency,monetary", [
    ((1, 12), "vip", 3, 90, "high", "urgent", "vip"),
    ((30, 6), "regular", 1, 25, "low", "upcoming", "regular"),
    ((5, 6), "premium", 2, 50, "medium", "soon", "premium"),
    ((0, 6), "regular", 3, 65, "medium", "urgent", "regular"),
    ((30, 6), "vip", 3, 60, "medium", "upcoming", "vip"),
    ((5, 6), "vip", 3, 75, "medium", "soon", "vip"),
])
def test_priority_score_on_create(server, customer, vip_type, premium_type, regular_type,
                                  when, type_name, clients, score, segment, urgency, monetary):
    type_id = {"vip": vip_type, "premium": premium_type, "regular": regular_type}[type_name]
    b = book(server, customer.token, type_id, when=in_days(*when), clients=clients).json()
    assert (b["priority_score"], b["priority_segment"], b["urgency_level"],
            b["monetary_level"]) == (score, segment, urgency, monetary)


def test_event_within_last_day_counts_as_urgent(server, customer, regular_type):
    b = book(server, customer.token, regular_type, when=iso(utcnow() - timedelta(hours=2)),
             clients=1).json()
    assert b["urgency_level"] == "urgent"
    assert b["priority_score"] == 40 + 5 + 5 + 5


@pytest.mark.parametrize("price,level", [("2999999.99", "premium"), ("3000000.00", "vip"),
                                         ("1499999.99", "regular"), ("1500000.00", "premium")])
def test_monetary_level_thresholds(server, customer, make_catalogue, price, level):
    type_id = make_catalogue(price)["type_id"]
    b = book(server, customer.token, type_id).json()
    assert b["monetary_level"] == level


@pytest.mark.parametrize("clients,points", [(1, 5), (2, 5), (3, 15), (10, 15)])
def test_client_count_points(server, customer, regular_type, clients, points):
    b = book(server, customer.token, regular_type, when=in_days(30, 6), clients=clients).json()
    assert b["priority_score"] == 10 + 5 + 5 + points


def test_status_paid_recomputes_priority(server, admin_token, customer, vip_type):
    b = book(server, customer.token, vip_type, when=in_days(1, 12), clients=3).json()
    assert b["priority_score"] == 90
    r = server.patch(f"/bookings/{b['id']}", admin_token, json={"status": "paid"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "paid"
    assert r.json()["priority_score"] == 40 + 30 + 30 + 15
    assert r.json()["priority_segment"] == "high"


def test_every_status_is_accepted_and_rescored(server, admin_token, customer, vip_type):
    # upcoming 10 + vip 30 + 3 clients 15 = 55 before status points.
    b = book(server, customer.token, vip_type, when=in_days(30, 6), clients=3).json()
    assert b["priority_score"] == 60
    last = parse_dt(b["updated_priority_at"])
    for status in ["dp", "paid", "confirmed", "pending", "completed", "cancelled", "paid"]:
        r = server.patch(f"/bookings/{b['id']}/", admin_token, json={"status": status})
        assert r.status_code == 200, (status, r.text)
        body = r.json()
        assert_booking_read(body)
        score = 55 + STATUS_POINTS[status]
        assert body["status"] == status
        assert body["priority_score"] == score, status
        assert body["priority_segment"] == segment_of(score), status
        updated = parse_dt(body["updated_priority_at"])
        assert updated > last, f"updated_priority_at not refreshed on {status}"
        last = updated
        assert body["tanggal_acara"] == b["tanggal_acara"]
        assert body["price_locked"] == b["price_locked"]
    stored = server.get(f"/bookings/{b['id']}", admin_token).json()
    assert stored["status"] == "paid" and stored["priority_score"] == 85


# -- create errors -------------------------------------------------------------------------
def test_create_booking_unknown_service_type_is_404(server, customer):
    r = book(server, customer.token, 99999999, expect=None)
    assert_detail(r, 404, "Service type not found")


def test_create_booking_without_token_is_401(server, regular_type):
    r = server.post("/bookings/", json={"service_type_id": regular_type,
                                        "tanggal_acara": in_days(30), "jumlah_client": 1})
    assert_detail(r, 401, "Not authenticated")
    assert r.headers.get("WWW-Authenticate") == "Bearer"


def post_raw(server, token, data, content_type="application/json"):
    return server.post("/bookings/", token, data=data, headers={"Content-Type": content_type})


def test_service_type_id_not_an_integer_is_int_parsing(server, customer):
    r = server.post("/bookings/", customer.token, json={
        "service_type_id": "x", "tanggal_acara": in_days(30), "jumlah_client": 1})
    assert_validation(r, ["body", "service_type_id"], "int_parsing")


@pytest.mark.parametrize("when", ["nope", "2027-02-30T10:00:00", "", "2027-13-01T00:00:00",
                                  "11/02/2027", None])
def test_invalid_tanggal_acara_is_422(server, customer, regular_type, when):
    r = server.post("/bookings/", customer.token, json={
        "service_type_id": regular_type, "tanggal_acara": when, "jumlah_client": 1})
    assert_validation(r, ["body", "tanggal_acara"])


def test_tanggal_acara_more_than_a_day_in_the_past_is_422(server, customer, regular_type):
    r = server.post("/bookings/", customer.token, json={
        "service_type_id": regular_type, "tanggal_acara": in_days(-3), "jumlah_client": 1})
    assert_validation(r, ["body", "tanggal_acara"])


@pytest.mark.parametrize("raw", ["0", "-1", "1.5", '"many"', "null", "true"])
def test_invalid_jumlah_client_is_422(server, customer, regular_type, raw):
    body = ('{"service_type_id": %d, "tanggal_acara": "%s", "jumlah_client": %s}'
            % (regular_type, in_days(30), raw))
    assert_validation(post_raw(server, customer.token, body), ["body", "jumlah_client"])


@pytest.mark.parametrize("raw", ["1e400", "-1e400", "99999999999999999999999",
                                 "9223372036854775808", "1e20"])
def test_huge_jumlah_client_is_422_with_valid_json(server, customer, regular_type, raw):
    body = ('{"service_type_id": %d, "tanggal_acara": "%s", "jumlah_client": %s}'
            % (regular_type, in_days(30), raw))
    r = post_raw(server, customer.token, body)
    assert_validation(r, ["body", "jumlah_client"])  # also parses the body as strict JSON


@pytest.mark.parametrize("raw", ["1e400", "99999999999999999999999"])
def test_huge_service_type_id_is_422_never_500(server, customer, raw):
    body = ('{"service_type_id": %s, "tanggal_acara": "%s", "jumlah_client": 1}'
            % (raw, in_days(30)))
    assert_validation(post_raw(server, customer.token, body), ["body", "service_type_id"])


def test_missing_fields_are_each_listed_once(server, customer):
    r = server.post("/bookings/", customer.token, json={})
    detail = assert_validation(r)
    assert sorted(tuple(d["loc"]) for d in detail) == sorted([
        ("body", "service_type_id"), ("body", "tanggal_acara"), ("body", "jumlah_client")])
    assert all(d["type"] == "missing" for d in detail)


def test_several_invalid_fields_are_each_listed(server, customer):
    r = server.post("/bookings/", customer.token, json={
        "service_type_id": "x", "tanggal_acara": "nope", "jumlah_client": 0})
    detail = assert_validation(r)
    assert sorted(tuple(d["loc"]) for d in detail) == sorted([
        ("body", "service_type_id"), ("body", "tanggal_acara"), ("body", "jumlah_client")])


def test_unknown_field_is_extra_forbidden(server, customer, regular_type):
    r = server.post("/bookings/", customer.token, json={
        "service_type_id": regular_type, "tanggal_acara": in_days(30), "jumlah_client": 1,
        "status": "paid"})
    assert_validation(r, ["body", "status"], "extra_forbidden")


@pytest.mark.parametrize("raw", [b"[]", b"", b"null", b'"text"', b"42", b"   "])
def test_non_object_or_empty_body_is_422(server, customer, raw):
    assert_validation(post_raw(server, customer.token, raw))


def test_malformed_json_is_json_invalid(server, customer):
    assert_validation(post_raw(server, customer.token, b"{bad"), type_="json_invalid")


def test_invalid_utf8_inside_json_string_is_422(server, customer, regular_type):
    body = (b'{"service_type_id": %d, "tanggal_acara": "\xff\xfe2027", "jumlah_client": 1}'
            % regular_type)
    assert_validation(post_raw(server, customer.token, body))


def test_deeply_nested_json_is_422(server, customer):
    assert_validation(post_raw(server, customer.token, b"[" * 10000))
    assert_validation(post_raw(server, customer.token, b'{"a":' * 10000))


def test_text_plain_body_is_415(server, customer, regular_type):
    body = ('{"service_type_id": %d, "tanggal_acara": "%s", "jumlah_client": 1}'
            % (regular_type, in_days(30)))
    r = post_raw(server, customer.token, body, "text/plain")
    assert r.status_code == 415, r.text
    assert isinstance(strict_json(r)["detail"], str)


# -- idempotency ----------------------------------------------------------------------------
def _count_mine(server, token):
    r = server.get("/bookings/me", token)
    assert r.status_code == 200
    return len(r.json())


def test_idempotency_key_replays_the_first_booking(server, regular_type):
    c = server.new_customer()
    key = str(uuid.uuid4())
    when = in_days(30, 6)
    r1 = book(server, c.token, regular_type, when=when, headers={"Idempotency-Key": key})
    r2 = book(server, c.token, regular_type, when=when, headers={"Idempotency-Key": key})
    assert r1.json()["id"] == r2.json()["id"]
    assert r2.json() == r1.json()
    assert r2.headers.get("Idempotent-Replayed") == "true"
    assert r1.headers.get("Idempotent-Replayed") in (None, "false")
    assert _count_mine(server, c.token) == 1


def test_idempotency_key_with_different_body_is_422(server, regular_type):
    c = server.new_customer()
    key = str(uuid.uuid4())
    book(server, c.token, regular_type, clients=1, headers={"Idempotency-Key": key})
    r = book(server, c.token, regular_type, clients=2, headers={"Idempotency-Key": key},
             expect=None)
    assert r.status_code == 422, r.text
    assert _count_mine(server, c.token) == 1


def test_idempotency_key_is_per_user(server, customer, other_customer, regular_type):
    key = str(uuid.uuid4())
    when = in_days(30, 6)
    a = book(server, customer.token, regular_type, when=when, headers={"Idempotency-Key": key})
    b = book(server, other_customer.token, regular_type, when=when,
             headers={"Idempotency-Key": key})
    assert a.json()["id"] != b.json()["id"]
    assert b.json()["user_id"] == other_customer.id
    assert b.headers.get("Idempotent-Replayed") in (None, "false")


def test_without_idempotency_key_each_post_creates_a_booking(server, regular_type):
    c = server.new_customer()
    when = in_days(30, 6)
    a = book(server, c.token, regular_type, when=when).json()
    b = book(server, c.token, regular_type, when=when).json()
    assert a["id"] != b["id"]
    assert _count_mine(server, c.token) == 2


def test_concurrent_posts_with_one_idempotency_key_create_one_booking(server, regular_type):
    c = server.new_customer()
    key = str(uuid.uuid4())
    body = {"service_type_id": regular_type, "tanggal_acara": in_days(30, 6),
            "jumlah_client": 2}
    results = [None] * 10
    barrier = threading.Barrier(10)

    def worker(i):
        with requests.Session() as s:
            barrier.wait()
            results[i] = server.post("/bookings/", c.token, json=body, session=s,
                                     headers={"Idempotency-Key": key})

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in results] == [201] * 10, [r.text for r in results]
    assert len({r.json()["id"] for r in results}) == 1
    assert _count_mine(server, c.token) == 1


# -- listing ----------------------------------------------------------------------------------
def test_bookings_me_lists_only_the_callers_bookings_in_id_order(server, regular_type,
                                                                  other_customer):
    c = server.new_customer()
    ids = [book(server, c.token, regular_type).json()["id"] for _ in range(3)]
    book(server, other_customer.token, regular_type)
    r = server.get("/bookings/me", c.token)
    assert r.status_code == 200
    assert [b["id"] for b in r.json()] == ids
    for b in r.json():
        assert_booking_read(b)
        assert b["user_id"] == c.id


def test_bookings_me_for_new_user_is_empty(server):
    c = server.new_customer()
    r = server.get("/bookings/me/", c.token)
    assert r.status_code == 200 and r.json() == []


def test_bookings_me_without_token_is_401(server):
    assert_detail(server.get("/bookings/me"), 401, "Not authenticated")


def test_admin_lists_all_bookings_in_id_order(server, admin_token, customer, other_customer,
                                              regular_type):
    a = book(server, customer.token, regular_type).json()["id"]
    b = book(server, other_customer.token, regular_type).json()["id"]
    r = server.get("/bookings/", admin_token)
    assert r.status_code == 200
    ids = [x["id"] for x in r.json()]
    assert ids == sorted(ids)
    assert {a, b} <= set(ids)
    assert {x["user_id"] for x in r.json()} >= {customer.id, other_customer.id}


def test_admin_list_forbidden_for_customer_and_401_without_token(server, customer):
    assert_detail(server.get("/bookings/", customer.token), 403, "Not enough permissions")
    assert_detail(server.get("/bookings"), 401, "Not authenticated")


def _sort_key(b):
    return (-b["priority_score"], parse_dt(b["tanggal_acara"]), b["id"])


def test_order_by_priority_desc_with_ties_by_nearest_event_then_id(
        server, admin_token, vip_type, regular_type):
    c = server.new_customer()
    low_far = book(server, c.token, regular_type, when=in_days(40, 6)).json()
    low_near = book(server, c.token, regular_type, when=in_days(35, 6)).json()
    same_when = low_near["tanggal_acara"]
    low_near_2 = book(server, c.token, regular_type, when=same_when).json()
    high = book(server, c.token, vip_type, when=in_days(1, 12), clients=3).json()
    assert low_far["priority_score"] == low_near["priority_score"] == 25
    expected = [high["id"], low_near["id"], low_near_2["id"], low_far["id"]]

    for path, token in (("/bookings/", admin_token), ("/bookings/me", c.token)):
        r = server.get(path, token, params={"order_by": "priority_score_desc"})
        assert r.status_code == 200, r.text
        rows = r.json()
        assert rows == sorted(rows, key=_sort_key), path
        mine = [b["id"] for b in rows if b["user_id"] == c.id]
        assert mine == expected, path


@pytest.mark.parametrize("segment", ["high", "medium", "low"])
def test_segment_filter(server, admin_token, customer, vip_type, regular_type, segment):
    hi = book(server, customer.token, vip_type, when=in_days(1, 12), clients=3).json()
    lo = book(server, customer.token, regular_type, when=in_days(30, 6)).json()
    med = book(server, customer.token, vip_type, when=in_days(30, 6), clients=3).json()
    want = {"high": hi, "medium": med, "low": lo}[segment]
    for path, token in (("/bookings/", admin_token), ("/bookings/me", customer.token)):
        r = server.get(path, token, params={"segment": segment})
        assert r.status_code == 200, r.text
        rows = r.json()
        assert rows, path
        assert all(b["priority_segment"] == segment for b in rows), path
        ids = {b["id"] for b in rows}
        assert want["id"] in ids
        assert not ({hi["id"], lo["id"], med["id"]} - {want["id"]}) & ids
        if path == "/bookings/me":
            assert all(b["user_id"] == customer.id for b in rows)


def test_segment_filter_combined_with_order(server, admin_token):
    r = server.get("/bookings/", admin_token,
                   params={"segment": "high", "order_by": "priority_score_desc"})
    assert r.status_code == 200
    rows = r.json()
    assert all(b["priority_segment"] == "high" for b in rows)
    assert rows == sorted(rows, key=_sort_key)


def test_status_filter(server, admin_token, customer, regular_type):
    pending = book(server, customer.token, regular_type).json()
    confirmed = book(server, customer.token, regular_type).json()
    assert server.patch(f"/bookings/{confirmed['id']}", admin_token,
                        json={"status": "confirmed"}).status_code == 200
    r = server.get("/bookings/", admin_token, params={"status": "pending"})
    assert r.status_code == 200
    ids = {b["id"] for b in r.json()}
    assert all(b["status"] == "pending" for b in r.json())
    assert pending["id"] in ids and confirmed["id"] not in ids
    r = server.get("/bookings/", admin_token, params={"status": "confirmed"})
    assert confirmed["id"] in {b["id"] for b in r.json()}
    assert all(b["status"] == "confirmed" for b in r.json())


def test_state_filter_splits_open_from_finished_bookings(server, admin_token, customer,
                                                        regular_type):
    made = {}
    for status in ("pending", "confirmed", "dp", "paid", "completed", "cancelled"):
        b = book(server, customer.token, regular_type).json()
        if status != "pending":
            assert server.patch(f"/bookings/{b['id']}", admin_token,
                                json={"status": status}).status_code == 200
        made[status] = b["id"]
    for state, statuses in (("open", {"pending", "confirmed", "dp", "paid"}),
                            ("finished", {"completed", "cancelled"})):
        for path, token in (("/bookings/", admin_token), ("/bookings/me", customer.token)):
            r = server.get(path, token, params={"state": state, "order_by": "priority_score_desc"})
            assert r.status_code == 200, r.text
            rows = r.json()
            assert rows and {b["status"] for b in rows} <= statuses, (path, state)
            ids = {b["id"] for b in rows}
            assert {made[s] for s in statuses} <= ids, (path, state)
            assert not {made[s] for s in made if s not in statuses} & ids, (path, state)
    # With a status too, both must hold.
    r = server.get("/bookings/", admin_token, params={"state": "finished", "status": "paid"})
    assert r.status_code == 200 and r.json() == []
    assert_validation(server.get("/bookings/", admin_token, params={"state": "closed"}),
                      ["query", "state"])


@pytest.mark.parametrize("param,value", [("segment", "bogus"), ("order_by", "bogus"),
                                         ("segment", "HIGH")])
def test_invalid_query_values_are_422(server, admin_token, customer, param, value):
    for path, token in (("/bookings/", admin_token), ("/bookings/me", customer.token)):
        r = server.get(path, token, params={param: value})
        assert_validation(r, ["query", param])


# -- single booking ------------------------------------------------------------------------------
def test_get_booking_access_rules(server, admin_token, customer, other_customer, regular_type):
    b = book(server, customer.token, regular_type).json()
    assert server.get(f"/bookings/{b['id']}", customer.token).status_code == 200
    r = server.get(f"/bookings/{b['id']}", admin_token)
    assert r.status_code == 200 and r.json()["id"] == b["id"]
    assert_detail(server.get(f"/bookings/{b['id']}", other_customer.token), 403,
                  "Not enough permissions")
    assert_detail(server.get(f"/bookings/{b['id']}"), 401, "Not authenticated")


def test_get_unknown_booking_is_404(server, admin_token, customer):
    assert_detail(server.get("/bookings/99999999", admin_token), 404, "Booking not found")
    assert_detail(server.get("/bookings/99999999", customer.token), 404, "Booking not found")


def test_get_booking_non_integer_id_is_422(server, admin_token):
    assert_validation(server.get("/bookings/abc", admin_token), ["path", "booking_id"])


# -- status updates ---------------------------------------------------------------------------------
def test_patch_status_requires_admin(server, customer, regular_type):
    b = book(server, customer.token, regular_type).json()
    assert_detail(server.patch(f"/bookings/{b['id']}", customer.token, json={"status": "paid"}),
                  403, "Not enough permissions")
    assert_detail(server.patch(f"/bookings/{b['id']}", json={"status": "paid"}), 401,
                  "Not authenticated")
    assert server.get(f"/bookings/{b['id']}", customer.token).json()["status"] == "pending"


def test_patch_bogus_status_is_literal_error(server, admin_token, customer, regular_type):
    b = book(server, customer.token, regular_type).json()
    r = server.patch(f"/bookings/{b['id']}", admin_token, json={"status": "bogus"})
    assert_validation(r, ["body", "status"], "literal_error")
    assert_validation(server.patch(f"/bookings/{b['id']}", admin_token, json={}),
                      ["body", "status"], "missing")
    assert_validation(server.patch(f"/bookings/{b['id']}", admin_token, json={"status": "PAID"}),
                      ["body", "status"], "literal_error")


def test_patch_unknown_booking_is_404(server, admin_token):
    assert_detail(server.patch("/bookings/99999999", admin_token, json={"status": "paid"}),
                  404, "Booking not found")


@pytest.mark.parametrize("when", ["9999-12-31T23:00:00-07:00", "10000-01-01T00:00:00",
                                  "2027-02-11T12:00:00+25:00", "2027-06-30T23:59:60",
                                  "2027-02-11T24:00:01"])
def test_tanggal_acara_out_of_range_is_422(server, customer, regular_type, when):
    r = server.post("/bookings/", customer.token, json={
        "service_type_id": regular_type, "tanggal_acara": when, "jumlah_client": 1})
    assert_validation(r, ["body", "tanggal_acara"])


def test_concurrent_bookings_without_key_are_all_created(server, regular_type):
    c = server.new_customer()
    body = {"service_type_id": regular_type, "tanggal_acara": in_days(30, 6),
            "jumlah_client": 1}
    results = [None] * 16
    barrier = threading.Barrier(16)

    def worker(i):
        with requests.Session() as s:
            barrier.wait()
            results[i] = server.post("/bookings/", c.token, json=body, session=s)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in results] == [201] * 16, [r.text for r in results]
    assert len({r.json()["id"] for r in results}) == 16
    assert _count_mine(server, c.token) == 16


def test_path_id_out_of_range_is_422_not_500(server, admin_token):
    assert_validation(server.get("/bookings/99999999999999999999", admin_token),
                      ["path", "booking_id"])
    assert_detail(server.get("/bookings/-1", admin_token), 404, "Booking not found")


def test_failed_request_does_not_consume_idempotency_key(server, regular_type):
    c = server.new_customer()
    key = str(uuid.uuid4())
    r = server.post("/bookings/", c.token, headers={"Idempotency-Key": key},
                    json={"service_type_id": 99999999, "tanggal_acara": in_days(30),
                          "jumlah_client": 1})
    assert r.status_code == 404
    r = book(server, c.token, regular_type, headers={"Idempotency-Key": key})
    assert r.headers.get("Idempotent-Replayed") in (None, "false")
    assert _count_mine(server, c.token) == 1


def test_idempotency_replay_ignores_json_key_order(server, regular_type):
    import json as _json
    c = server.new_customer()
    key = str(uuid.uuid4())
    when = in_days(30, 6)
    a = {"service_type_id": regular_type, "tanggal_acara": when, "jumlah_client": 1}
    b = {"jumlah_client": 1, "tanggal_acara": when, "service_type_id": regular_type}
    h = {"Idempotency-Key": key, "Content-Type": "application/json"}
    r1 = server.post("/bookings/", c.token, data=_json.dumps(a), headers=h)
    r2 = server.post("/bookings/", c.token, data=_json.dumps(b, indent=2), headers=h)
    assert r1.status_code == r2.status_code == 201, (r1.text, r2.text)
    assert r1.json()["id"] == r2.json()["id"]
    assert _count_mine(server, c.token) == 1
