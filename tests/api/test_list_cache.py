"""The lists of bookings are kept in memory while their data is unchanged: asked again, the
same text is sent without reading the rows; after any change, the change shows at once."""

import concurrent.futures

import pytest

from conftest import serving
from test_bookings import book, in_days
from test_exports import make_type

PRIORITY = "/bookings/?order_by=priority_score_desc"


@pytest.fixture(scope="module")
def csrv():
    with serving() as s:
        yield s


@pytest.fixture(scope="module")
def cadmin(csrv):
    return csrv.admin_login()


@pytest.fixture(scope="module")
def ctype(csrv, cadmin):
    return make_type(csrv, cadmin)


def listed(srv, token, path=PRIORITY):
    r = srv.get(path, token)
    assert r.status_code == 200, r.text
    return r


def test_the_same_list_twice_is_the_same_text_sent_whole(csrv, cadmin, ctype):
    customer = csrv.new_customer()
    for n in range(20):
        book(csrv, customer.token, ctype, when=in_days(10 + n))
    first, second = listed(csrv, cadmin), listed(csrv, cadmin)
    assert second.content == first.content
    assert int(second.headers["Content-Length"]) == len(second.content)
    assert len(second.json()) >= 20


def test_every_kind_of_change_shows_in_the_next_list(csrv, cadmin, ctype):
    customer = csrv.new_customer(name="Sari Lestari")
    mine = book(csrv, customer.token, ctype, when=in_days(15)).json()["id"]
    listed(csrv, cadmin)
    listed(csrv, cadmin)  # kept now

    r = csrv.patch(f"/bookings/{mine}", cadmin, json={"status": "paid"})
    assert r.status_code == 200, r.text
    row = {b["id"]: b for b in listed(csrv, cadmin).json()}[mine]
    assert row["status"] == "paid"

    new = book(csrv, customer.token, ctype, when=in_days(16)).json()["id"]
    assert new in {b["id"] for b in listed(csrv, cadmin).json()}

    # The customer's own details are part of each of her rows.
    r = csrv.patch("/auth/me", customer.token, json={"name": "Sari Lestari Putri"})
    assert r.status_code == 200, r.text
    rows = {b["id"]: b for b in listed(csrv, cadmin).json()}
    assert rows[mine]["user"]["name"] == rows[new]["user"]["name"] == "Sari Lestari Putri"


def test_each_filter_and_each_customer_has_its_own_list(csrv, cadmin, ctype):
    a, b = csrv.new_customer(), csrv.new_customer()
    a_ids = {book(csrv, a.token, ctype, when=in_days(20)).json()["id"] for _ in range(3)}
    b_ids = {book(csrv, b.token, ctype, when=in_days(21)).json()["id"] for _ in range(2)}
    for _ in range(2):  # the second time from memory
        assert {x["id"] for x in listed(csrv, a.token, "/bookings/me").json()} == a_ids
        assert {x["id"] for x in listed(csrv, b.token, "/bookings/me").json()} == b_ids
        paid = listed(csrv, cadmin, "/bookings/?status=paid").json()
        assert all(x["status"] == "paid" for x in paid)
        assert not a_ids & {x["id"] for x in paid}


def test_many_asking_at_once_get_the_same_list_and_then_the_change(csrv, cadmin, ctype):
    customer = csrv.new_customer()
    for n in range(30):
        book(csrv, customer.token, ctype, when=in_days(30 + n))

    def ask(_):
        return listed(csrv, cadmin).content

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        texts = set(pool.map(ask, range(48)))
    assert len(texts) == 1
    new = book(csrv, customer.token, ctype, when=in_days(70)).json()["id"]
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        after = set(pool.map(ask, range(16)))
    assert len(after) == 1 and after != texts
    assert new in {b["id"] for b in listed(csrv, cadmin).json()}
