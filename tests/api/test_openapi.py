"""The OpenAPI document describes every route, and every described route exists."""

import re

import pytest

REQUIRED = [
    ("get", "/health"), ("get", "/openapi.json"), ("get", "/metrics"),
    ("post", "/auth/register"), ("post", "/auth/login"),
    ("get", "/auth/me"), ("patch", "/auth/me"),
    ("get", "/services/packages"), ("get", "/services/packages/{package_id}"),
    ("post", "/services/packages"), ("patch", "/services/packages/{package_id}"),
    ("delete", "/services/packages/{package_id}"),
    ("post", "/services/types"), ("patch", "/services/types/{service_type_id}"),
    ("delete", "/services/types/{service_type_id}"),
    ("post", "/bookings/"), ("get", "/bookings/"), ("get", "/bookings/me"),
    ("get", "/bookings/{booking_id}"), ("patch", "/bookings/{booking_id}"),
    ("get", "/segments/"), ("get", "/segments/stream"),
    ("get", "/api/courses/{id}"), ("post", "/api/booking/register-course"),
]
# Seed 004 (FastAPI) declared these with a trailing slash; the document keeps it.
SEED_TRAILING_SLASH = ["/bookings/", "/segments/"]
UUID = {"type": "string", "format": "uuid"}
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


def test_openapi_paths_have_a_trailing_slash_only_where_the_seed_did(doc):
    slashed = sorted(p for p in doc["paths"] if p != "/" and p.endswith("/"))
    assert slashed == sorted(SEED_TRAILING_SLASH)
    for p in SEED_TRAILING_SLASH:
        assert p.rstrip("/") not in doc["paths"], f"{p} is documented twice"


def test_seed_trailing_slash_paths_answer_with_and_without_it(server):
    for p in SEED_TRAILING_SLASH:
        for path in (p, p.rstrip("/")):
            r = server.get(path, timeout=10)
            # Admin only: unauthenticated is a 401, never a 404 or a redirect.
            assert r.status_code == 401, f"GET {path} -> {r.status_code}"


def test_every_documented_route_exists(server, doc):
    missing = []
    for method, path in documented(doc):
        # A valid id of the declared type, so the route is reached, not refused as malformed.
        concrete = path
        for p in doc["paths"][path][method].get("parameters", []):
            if p.get("in") == "path":
                value = "00000000-0000-4000-8000-000000000000" if p["schema"] == UUID else "1"
                concrete = concrete.replace("{" + p["name"] + "}", value)
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
    for method, path in [("get", "/auth/me"), ("post", "/bookings/"), ("get", "/bookings/"),
                         ("post", "/services/packages")]:
        op = doc["paths"][path][method]
        assert op.get("security") or doc.get("security"), f"{method.upper()} {path}"


def test_uuid_path_parameters_are_strings_and_ids_are_integers(doc):
    seen = {"uuid": 0, "integer": 0, "date": 0}
    for method, path in documented(doc):
        for p in doc["paths"][path][method].get("parameters", []):
            if p.get("in") != "path":
                continue
            if path.startswith("/api/") and not path.startswith("/api/admin/") and p["name"] == "id":
                # Courses, enrollments and course bookings are named by UUID; users, webhook
                # endpoints and deliveries are not.
                assert p["schema"] == UUID, f"{method.upper()} {path}: {p}"
                seen["uuid"] += 1
            elif p["name"] == "date":
                # The calendar's dates.
                assert p["schema"] == {"type": "string", "format": "date"}, f"{method.upper()} {path}: {p}"
                seen["date"] += 1
            else:
                assert p["schema"] == {"type": "integer"}, f"{method.upper()} {path}: {p}"
                seen["integer"] += 1
    assert seen["uuid"] and seen["integer"] and seen["date"] == 2, seen


def test_operation_ids_are_unique_snake_case(doc):
    ids = [doc["paths"][p][m]["operationId"] for m, p in documented(doc)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    bad = [i for i in ids if not re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", i)]
    assert not bad, bad
    assert doc["paths"]["/bookings/me"]["get"]["operationId"] == "get_bookings_me"
    assert (doc["paths"]["/api/booking/register-course"]["post"]["operationId"] ==
            "post_api_booking_register_course")


def test_public_operations_declare_empty_security(doc):
    for method, path in [("get", "/health"), ("post", "/auth/login"), ("post", "/auth/register"),
                         ("get", "/services/packages"), ("post", "/api/booking/register-course")]:
        op = doc["paths"][path][method]
        assert op.get("security") == [], f"{method.upper()} {path}: {op.get('security')}"
    # Every operation says which: an empty list or a scheme that exists.
    schemes = doc["components"]["securitySchemes"]
    for method, path in documented(doc):
        security = doc["paths"][path][method]["security"]
        assert all(name in schemes for req in security for name in req), (method, path)
