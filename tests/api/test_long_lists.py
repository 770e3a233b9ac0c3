"""Long lists (GET /bookings/, its CSV export) go out as they are read from the database:
chunked once they outgrow one chunk (64 KiB), whole with a Content-Length when shorter, the
same rows either way, and a client leaving half-way costs the server nothing. (A list that
fits in the memory kept for lists is made whole and sent whole: here that memory is 1 MiB,
so a list longer than 256 KiB is streamed.)"""

import json
import socket

import pytest

from conftest import serving
from test_bookings import book, in_days
from test_exports import make_type, read_csv

BOOKINGS = 600  # about 290 KB of JSON and 80 KB of CSV: more than one chunk each


@pytest.fixture(scope="module")
def lsrv():
    with serving({"LIST_CACHE_MB": "1"}) as s:
        yield s


@pytest.fixture(scope="module")
def ladmin(lsrv):
    return lsrv.admin_login()


@pytest.fixture(scope="module")
def made(lsrv, ladmin):
    type_id = make_type(lsrv, ladmin)
    customer = lsrv.new_customer(name='Rina "Ayu" Wijaya')
    return [book(lsrv, customer.token, type_id, when=in_days(20 + n % 40)).json()["id"]
            for n in range(BOOKINGS)]


def test_a_long_list_is_sent_chunked_with_every_booking_in_order(lsrv, ladmin, made):
    r = lsrv.get("/bookings/?order_by=id_asc", ladmin)
    assert r.status_code == 200, r.text
    assert r.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in r.headers
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert len(r.content) > 64 * 1024
    ids = [b["id"] for b in r.json()]
    assert ids == sorted(ids)
    assert set(made) <= set(ids)
    # Page by page, each page short enough to go whole, the same bookings in the same text.
    pages = []
    for skip in range(0, len(ids), 100):
        page = lsrv.get(f"/bookings/?order_by=id_asc&skip={skip}&limit=100", ladmin)
        assert page.status_code == 200
        assert "Content-Length" in page.headers
        assert page.headers.get("Transfer-Encoding") is None
        pages += page.json()
    assert pages == r.json()


def test_a_short_list_goes_whole_with_its_length(lsrv, ladmin, made):
    r = lsrv.get("/bookings/?order_by=id_desc&limit=3", ladmin)
    assert r.status_code == 200
    assert int(r.headers["Content-Length"]) == len(r.content)
    assert [b["id"] for b in r.json()] == sorted(made, reverse=True)[:3]
    empty = lsrv.get("/bookings/?status=completed", ladmin)
    assert empty.status_code == 200 and empty.json() == []


def test_the_csv_export_of_a_long_list_has_every_row(lsrv, ladmin, made):
    r = lsrv.get("/bookings/export.csv", ladmin)
    assert r.headers.get("Transfer-Encoding") == "chunked"
    rows = read_csv(r, "bookings.csv")
    assert {int(row["id"]) for row in rows} >= set(made)
    assert rows[0]["customer"] == 'Rina "Ayu" Wijaya'


def read_a_little_and_leave(srv, token):
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
        s.sendall(f"GET /bookings/?order_by=priority_score_desc HTTP/1.1\r\n"
                  f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
        got = b""
        while len(got) < 4096:
            part = s.recv(4096)
            assert part, "the server closed before sending the list"
            got += part
        assert got.startswith(b"HTTP/1.1 200")
        # Closed here with most of the list unread (the socket sends a reset: data unread).
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def test_clients_leaving_half_way_through_a_list_cost_nothing(lsrv, ladmin, made):
    # More than there are database connections: each one left must have been given back.
    for _ in range(12):
        read_a_little_and_leave(lsrv, ladmin)
    r = lsrv.get("/bookings/?order_by=id_asc", ladmin)
    assert r.status_code == 200
    assert set(made) <= {b["id"] for b in r.json()}
    assert lsrv.get("/health").status_code == 200
    assert json.loads(lsrv.get("/bookings/?limit=1", ladmin).content)[0]["id"] in made
