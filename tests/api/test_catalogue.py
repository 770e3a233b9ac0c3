"""Service packages and service types."""

import re
import uuid

import pytest

from conftest import assert_detail, assert_validation

PRICE_RE = re.compile(r"^\d+\.\d\d$")


def uname(prefix="Pkg"):
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def new_package(server, admin_token, **body):
    body.setdefault("name", uname())
    r = server.post("/services/packages", admin_token, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def add_type(server, admin_token, package_id, price="100000.00", **extra):
    body = {"package_id": package_id, "name": uname("Type"), "price": price, **extra}
    return server.post("/services/types", admin_token, json=body)


def find_type(package, type_id):
    return next(t for t in package["service_types"] if t["id"] == type_id)


# -- public list -------------------------------------------------------------------
def test_packages_list_is_public_with_nested_types_and_string_prices(server, service_type):
    r = server.get("/services/packages")
    assert r.status_code == 200, r.text
    packages = r.json()
    assert isinstance(packages, list)
    mine = next(p for p in packages if p["id"] == service_type["package_id"])
    assert set(mine) >= {"id", "name", "description", "service_types"}
    st = find_type(mine, service_type["type_id"])
    assert set(st) >= {"id", "package_id", "name", "description", "price"}
    assert st["package_id"] == mine["id"]
    assert st["price"] == "1500000.00"
    for p in packages:
        for t in p["service_types"]:
            assert isinstance(t["price"], str) and PRICE_RE.match(t["price"]), t


@pytest.mark.parametrize("auth", ["Bearer garbage", "Bearer expired", "Basic abc"])
def test_packages_list_ignores_bad_or_expired_tokens(server, customer, auth):
    if auth == "Bearer expired":
        auth = "Bearer " + server.make_token(customer.id, exp_offset=-60, iat_offset=-7200)
    r = server.get("/services/packages", headers={"Authorization": auth})
    assert r.status_code == 200, r.text
    r = server.get("/services/packages/", headers={"Authorization": auth})
    assert r.status_code == 200, r.text


def test_get_single_package(server, service_type):
    pid = service_type["package_id"]
    r = server.get(f"/services/packages/{pid}")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == pid
    assert find_type(r.json(), service_type["type_id"])["price"] == "1500000.00"


def test_get_unknown_package_is_404(server):
    assert_detail(server.get("/services/packages/99999999"), 404, "Package not found")


def test_get_package_non_integer_id_is_422(server):
    assert_validation(server.get("/services/packages/abc"), ["path", "package_id"])


# -- packages --------------------------------------------------------------------------
def test_create_package_returns_201_with_empty_types(server, admin_token):
    name = uname()
    r = server.post("/services/packages", admin_token, json={"name": name,
                                                             "description": "Desc"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert isinstance(body["id"], int)
    assert body["name"] == name and body["description"] == "Desc"
    assert body["service_types"] == []
    listed = [p for p in server.get("/services/packages").json() if p["id"] == body["id"]]
    assert listed == [body]


def test_create_package_without_description(server, admin_token):
    r = server.post("/services/packages", admin_token, json={"name": uname()})
    assert r.status_code == 201, r.text
    assert r.json()["description"] is None


def test_create_package_duplicate_name_is_400(server, admin_token):
    name = uname()
    assert server.post("/services/packages", admin_token, json={"name": name}).status_code == 201
    r = server.post("/services/packages", admin_token, json={"name": name})
    assert r.status_code == 400, r.text
    assert isinstance(r.json()["detail"], str)


def test_create_package_validation(server, admin_token):
    assert_validation(server.post("/services/packages", admin_token, json={}),
                      ["body", "name"], "missing")
    assert_validation(server.post("/services/packages", admin_token, json={"name": "n" * 121}),
                      ["body", "name"], "string_too_long")
    assert_validation(server.post("/services/packages", admin_token,
                                  json={"name": uname(), "bogus": 1}),
                      ["body", "bogus"], "extra_forbidden")


def test_patch_package_updates_fields(server, admin_token):
    p = new_package(server, admin_token, description="old")
    new_name = uname()
    r = server.patch(f"/services/packages/{p['id']}", admin_token, json={"name": new_name})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == new_name and r.json()["description"] == "old"
    r = server.patch(f"/services/packages/{p['id']}", admin_token, json={"description": "new"})
    assert r.status_code == 200
    assert r.json()["name"] == new_name and r.json()["description"] == "new"
    assert server.get(f"/services/packages/{p['id']}").json()["description"] == "new"


def test_patch_unknown_package_is_404(server, admin_token):
    r = server.patch("/services/packages/99999999", admin_token, json={"name": uname()})
    assert_detail(r, 404, "Package not found")


def test_patch_package_non_integer_id_is_422(server, admin_token):
    r = server.patch("/services/packages/abc", admin_token, json={"name": uname()})
    assert_validation(r, ["path", "package_id"])


def test_delete_package_is_204_empty_and_removes_its_types(server, admin_token, customer):
    p = new_package(server, admin_token)
    r = add_type(server, admin_token, p["id"])
    assert r.status_code == 201
    type_id = r.json()["service_types"][0]["id"]
    r = server.delete(f"/services/packages/{p['id']}", admin_token)
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert_detail(server.get(f"/services/packages/{p['id']}"), 404, "Package not found")
    assert all(p["id"] != x["id"] for x in server.get("/services/packages").json())
    r = server.post("/bookings/", customer.token, json={"service_type_id": type_id,
                                                        "tanggal_acara": "2099-01-01T10:00:00",
                                                        "jumlah_client": 1})
    assert_detail(r, 404, "Service type not found")
    assert_detail(server.patch(f"/services/types/{type_id}", admin_token, json={"name": "x"}),
                  404, "Service type not found")


def test_delete_unknown_package_is_404(server, admin_token):
    assert_detail(server.delete("/services/packages/99999999", admin_token), 404,
                  "Package not found")


def test_delete_package_with_booked_type_is_409(server, admin_token, customer, make_catalogue):
    cat = make_catalogue("250000.00")
    r = server.post("/bookings/", customer.token, json={"service_type_id": cat["type_id"],
                                                        "tanggal_acara": "2099-01-01T10:00:00",
                                                        "jumlah_client": 1})
    assert r.status_code == 201, r.text
    r = server.delete(f"/services/packages/{cat['package_id']}", admin_token)
    assert r.status_code == 409, r.text
    assert isinstance(r.json()["detail"], str)
    assert server.get(f"/services/packages/{cat['package_id']}").status_code == 200


# -- service types ---------------------------------------------------------------------
def test_create_type_returns_parent_package(server, admin_token):
    p = new_package(server, admin_token)
    r = add_type(server, admin_token, p["id"], price="350000.00", description="d")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["id"] == p["id"] and body["name"] == p["name"]
    assert len(body["service_types"]) == 1
    st = body["service_types"][0]
    assert st["package_id"] == p["id"] and st["price"] == "350000.00"
    assert st["description"] == "d"
    r = add_type(server, admin_token, p["id"])
    assert r.status_code == 201
    assert len(r.json()["service_types"]) == 2


@pytest.mark.parametrize("price,expected", [
    (1500000.0, "1500000.00"),
    (1500000, "1500000.00"),
    ("1500000.00", "1500000.00"),
    ("1500000.5", "1500000.50"),
    (1500000.5, "1500000.50"),
    ("9999999999.99", "9999999999.99"),
    (0.29, "0.29"),
    (19.99, "19.99"),
    (4.35, "4.35"),
    (1.15, "1.15"),
])
def test_type_price_formats_are_normalised_to_two_decimals(server, admin_token, price, expected):
    p = new_package(server, admin_token)
    r = add_type(server, admin_token, p["id"], price=price)
    assert r.status_code == 201, r.text
    assert r.json()["service_types"][0]["price"] == expected
    again = server.get(f"/services/packages/{p['id']}").json()
    assert again["service_types"][0]["price"] == expected


@pytest.mark.parametrize("price", [1.005, "1.005", -1, "-0.01", "abc", "", None, True,
                                   10000000000, "10000000000.00", 9999999999.999,
                                   [1], {"v": 1}])
def test_invalid_type_price_is_422(server, admin_token, price):
    p = new_package(server, admin_token)
    r = add_type(server, admin_token, p["id"], price=price)
    assert_validation(r, ["body", "price"])


def test_create_type_for_unknown_package_is_404(server, admin_token):
    r = add_type(server, admin_token, 99999999)
    assert r.status_code == 404, r.text
    assert r.json()["detail"] == "Package not found"


def test_create_type_missing_fields_are_422_each(server, admin_token):
    r = server.post("/services/types", admin_token, json={})
    detail = assert_validation(r)
    locs = {tuple(d["loc"]) for d in detail if d["type"] == "missing"}
    assert {("body", "package_id"), ("body", "name"), ("body", "price")} <= locs


def test_patch_type_returns_parent_package_updated(server, admin_token, make_catalogue):
    cat = make_catalogue("100000.00")
    r = server.patch(f"/services/types/{cat['type_id']}", admin_token,
                     json={"price": 120000.5, "name": "Renamed"})
    assert r.status_code == 200, r.text
    assert r.json()["id"] == cat["package_id"]
    st = find_type(r.json(), cat["type_id"])
    assert st["price"] == "120000.50" and st["name"] == "Renamed"
    assert st["description"] == cat["service_type"]["description"]
    r = server.patch(f"/services/types/{cat['type_id']}", admin_token, json={"description": None})
    assert r.status_code == 200, r.text
    assert find_type(r.json(), cat["type_id"])["description"] is None


def test_patch_type_invalid_price_is_422(server, admin_token, service_type):
    r = server.patch(f"/services/types/{service_type['type_id']}", admin_token,
                     json={"price": -5})
    assert_validation(r, ["body", "price"])


def test_patch_unknown_type_is_404(server, admin_token):
    r = server.patch("/services/types/99999999", admin_token, json={"name": "x"})
    assert_detail(r, 404, "Service type not found")


def test_delete_type_returns_parent_without_it(server, admin_token):
    p = new_package(server, admin_token)
    keep = add_type(server, admin_token, p["id"]).json()["service_types"][0]["id"]
    gone = add_type(server, admin_token, p["id"]).json()["service_types"][-1]["id"]
    r = server.delete(f"/services/types/{gone}", admin_token)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == p["id"]
    assert [t["id"] for t in r.json()["service_types"]] == [keep]
    assert_detail(server.delete(f"/services/types/{gone}", admin_token), 404,
                  "Service type not found")


def test_delete_unknown_type_is_404(server, admin_token):
    assert_detail(server.delete("/services/types/99999999", admin_token), 404,
                  "Service type not found")


def test_type_path_id_must_be_integer(server, admin_token):
    assert_validation(server.patch("/services/types/abc", admin_token, json={"name": "x"}),
                      ["path", "service_type_id"])
    assert_validation(server.delete("/services/types/1.5", admin_token),
                      ["path", "service_type_id"])


# -- access control --------------------------------------------------------------------
WRITES = [
    ("POST", "/services/packages", {"name": "X"}),
    ("PATCH", "/services/packages/{pid}", {"name": "X"}),
    ("DELETE", "/services/packages/{pid}", None),
    ("POST", "/services/types", {"package_id": "{pid}", "name": "X", "price": 1}),
    ("PATCH", "/services/types/{tid}", {"name": "X"}),
    ("DELETE", "/services/types/{tid}", None),
]


def _fill(method, path, body, cat):
    path = path.format(pid=cat["package_id"], tid=cat["type_id"])
    if body and body.get("package_id") == "{pid}":
        body = dict(body, package_id=cat["package_id"])
    return path, body


@pytest.mark.parametrize("method,path,body", WRITES)
def test_catalogue_write_as_customer_is_403(server, customer, service_type, method, path, body):
    path, body = _fill(method, path, body, service_type)
    r = server.request(method, path, customer.token, json=body)
    assert_detail(r, 403, "Not enough permissions")


@pytest.mark.parametrize("method,path,body", WRITES)
def test_catalogue_write_without_token_is_401(server, service_type, method, path, body):
    path, body = _fill(method, path, body, service_type)
    r = server.request(method, path, json=body)
    assert_detail(r, 401, "Not authenticated")
    assert r.headers.get("WWW-Authenticate") == "Bearer"


def test_catalogue_unchanged_after_forbidden_writes(server, service_type):
    p = server.get(f"/services/packages/{service_type['package_id']}").json()
    assert p["name"] == service_type["package"]["name"]
    assert find_type(p, service_type["type_id"])["price"] == "1500000.00"


@pytest.mark.parametrize("raw", ["1e400", "-1e400", "1e20", "123456789012345678901234567890"])
def test_out_of_range_json_number_price_is_422_with_valid_json(server, admin_token, raw):
    p = new_package(server, admin_token)
    body = '{"package_id": %d, "name": "%s", "price": %s}' % (p["id"], uname("Type"), raw)
    r = server.post("/services/types", admin_token, data=body,
                    headers={"Content-Type": "application/json"})
    assert_validation(r, ["body", "price"])  # also parses the body as strict JSON


def test_delete_type_with_bookings_is_409_and_keeps_it(server, admin_token, customer,
                                                       make_catalogue):
    cat = make_catalogue("300000.00")
    r = server.post("/bookings/", customer.token, json={"service_type_id": cat["type_id"],
                                                        "tanggal_acara": "2099-01-01T10:00:00",
                                                        "jumlah_client": 1})
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    r = server.delete(f"/services/types/{cat['type_id']}", admin_token)
    assert r.status_code == 409, r.text
    assert find_type(server.get(f"/services/packages/{cat['package_id']}").json(),
                     cat["type_id"])
    assert server.get(f"/bookings/{bid}", admin_token).status_code == 200


def test_create_type_package_id_must_be_integer(server, admin_token):
    r = server.post("/services/types", admin_token,
                    json={"package_id": "abc", "name": "x", "price": 1})
    assert_validation(r, ["body", "package_id"], "int_parsing")
