"""The OpenAPI document describes every route, and every described route exists."""

import re

import pytest

REQUIRED = [
    ("get", "/health"), ("get", "/openapi.json"),
    ("post", "/auth/register"), ("post", "/auth/login"),
    ("get", "/auth/me"), ("patch", "/auth/me"),
    ("get", "/services/packages"), ("get", "/services/packages/{package_id}"),
    ("post", "/services/packages"), ("patch", "/services/packages/{package_id}"),
    ("delete", "/services/packages/{package_id}"),
    ("post", "/services/types"), ("patch", "/services/types/{service_type_id}"),
    ("delete", "/services/types/{service_type_id}"),
    ("post", "/bookings"), ("get", "/bookings"), ("get", "/bookings/me"),
    ("get", "/bookings/{booking_id}"), ("patch", "/bookings/{booking_id}"),
]
METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}


@pytest.fixture(scope="module")
def doc(server):
    r = server.get("/openapi.json")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


def documented(doc):
    return [(m, p) for p, item in doc["paths"].items() for m in item if m in METHODS]


def test_openapi_version_is_3_1(doc):
    assert str(doc["openapi"]).startswith("3.1")
    assert doc["info"]["title"] and doc["info"]["version"]


@pytest.mark.parametrize("method,path", REQUIRED)
def test_openapi_documents_route(doc, method, path):
    assert path in doc["paths"], f"{path} missing from paths"
    assert method in doc["paths"][path], f"{method.upper()} {path} not documented"


def test_openapi_paths_have_no_trailing_slash(doc):
    for p in doc["paths"]:
        assert p == "/" or not p.endswith("/"), p


def test_every_documented_route_exists(server, doc):
    missing = []
    for method, path in documented(doc):
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        r = server.request(method.upper(), concrete, timeout=10)
        if r.status_code == 405 or (r.status_code == 404 and
                                    r.headers.get("Content-Type", "").startswith(
                                        "application/json") and
                                    r.json() == {"detail": "Not Found"}):
            missing.append(f"{method.upper()} {concrete} -> {r.status_code} {r.text[:100]}")
    assert not missing, "documented but not routed:\n" + "\n".join(missing)


def test_every_ref_resolves_to_a_component_schema(doc):
    schemas = doc.get("components", {}).get("schemas", {})
    refs = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref":
                    refs.append(v)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    assert refs, "no $ref at all: schemas are not described"
    bad = [r for r in refs
           if not r.startswith("#/components/schemas/") or
           r.split("/")[-1] not in schemas]
    assert not bad, bad


def test_path_parameters_are_declared(doc):
    for method, path in documented(doc):
        names = set(re.findall(r"\{([^}]+)\}", path))
        op = doc["paths"][path][method]
        params = op.get("parameters", []) + doc["paths"][path].get("parameters", [])
        declared = {p.get("name") for p in params if p.get("in") == "path"}
        assert names <= declared, f"{method.upper()} {path}: {names - declared} undeclared"


def test_protected_operations_declare_bearer_security(doc):
    schemes = doc.get("components", {}).get("securitySchemes", {})
    assert schemes, "no securitySchemes"
    for method, path in [("get", "/auth/me"), ("post", "/bookings"), ("get", "/bookings"),
                         ("post", "/services/packages")]:
        op = doc["paths"][path][method]
        assert op.get("security") or doc.get("security"), f"{method.upper()} {path}"
