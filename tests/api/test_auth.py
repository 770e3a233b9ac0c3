"""Registration, login, tokens, profile and admin bootstrap."""

import json
import time
import uuid

import pytest

from conftest import (ADMIN_EMAIL, JanjiServer, assert_detail, assert_validation, b64url,
                      b64url_decode, make_jwt)

USER_FIELDS = {"id", "name", "email", "address", "phone_number", "role"}
SECRET_WORDS = ("password", "hash", "hashed_password", "secret")


def unique_email(domain="example.test"):
    return f"u{uuid.uuid4().hex[:12]}@{domain}"


def assert_user_read(body):
    assert USER_FIELDS <= set(body), body
    for key in body:
        assert not any(w in key.lower() for w in SECRET_WORDS), f"secret-looking field {key}"
    assert isinstance(body["id"], int)
    for key in ("name", "email", "role"):
        assert isinstance(body[key], str) and body[key]


# -- register ----------------------------------------------------------------
def test_register_returns_201_user_read_without_secrets(server):
    email = unique_email()
    r = server.post("/auth/register", json={"name": "Siti", "email": email, "password": "secret1",
                                            "address": "Jl. Mawar 1", "phone_number": "0811"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert_user_read(body)
    assert body["name"] == "Siti"
    assert body["email"] == email
    assert body["address"] == "Jl. Mawar 1"
    assert body["phone_number"] == "0811"
    assert body["role"] == "customer"
    assert "secret1" not in r.text


def test_register_optional_fields_default_to_null(server):
    r = server.post("/auth/register", json={"name": "N", "email": unique_email(),
                                            "password": "secret1"})
    assert r.status_code == 201, r.text
    assert r.json()["address"] is None and r.json()["phone_number"] is None


def test_register_lowercases_email_domain_and_accepts_test_tld(server):
    local = "Mixed." + uuid.uuid4().hex[:8]
    r = server.post("/auth/register", json={"name": "M", "email": f"{local}@Example.TEST",
                                            "password": "secret1"})
    assert r.status_code == 201, r.text
    got_local, got_domain = r.json()["email"].rsplit("@", 1)
    assert got_domain == "example.test"
    assert got_local.lower() == local.lower()


def test_register_duplicate_email_is_400(server):
    email = unique_email()
    body = {"name": "A", "email": email, "password": "secret1"}
    assert server.post("/auth/register", json=body).status_code == 201
    assert_detail(server.post("/auth/register", json=body), 400, "Email already registered")


def test_register_duplicate_email_differing_in_case_is_400(server):
    email = unique_email()
    assert server.post("/auth/register", json={"name": "A", "email": email,
                                               "password": "secret1"}).status_code == 201
    r = server.post("/auth/register", json={"name": "B", "email": email.upper(),
                                            "password": "secret1"})
    assert_detail(r, 400, "Email already registered")


def test_register_short_password_is_422_string_too_short(server):
    r = server.post("/auth/register", json={"name": "A", "email": unique_email(),
                                            "password": "12345"})
    assert_validation(r, ["body", "password"], "string_too_short")


def test_register_password_of_six_characters_is_enough(server):
    r = server.post("/auth/register", json={"name": "A", "email": unique_email(),
                                            "password": "123456"})
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@b.test", "a b@c.test", "a@b@c.test"])
def test_register_invalid_email_is_422_value_error(server, email):
    r = server.post("/auth/register", json={"name": "A", "email": email, "password": "secret1"})
    assert_validation(r, ["body", "email"], "value_error")


def test_register_missing_name_is_422_missing(server):
    r = server.post("/auth/register", json={"email": unique_email(), "password": "secret1"})
    assert_validation(r, ["body", "name"], "missing")


def test_register_reports_every_failing_field(server):
    r = server.post("/auth/register", json={"password": "1"})
    detail = assert_validation(r)
    locs = {tuple(d["loc"]) for d in detail}
    assert {("body", "name"), ("body", "email"), ("body", "password")} <= locs


def test_register_unknown_field_role_is_rejected_and_creates_nothing(server):
    email = unique_email()
    r = server.post("/auth/register", json={"name": "Mallory", "email": email,
                                            "password": "secret1", "role": "admin"})
    assert_validation(r, ["body", "role"], "extra_forbidden")
    # No account was created: the address is still free and becomes a customer.
    r = server.post("/auth/register", json={"name": "Mallory", "email": email,
                                            "password": "secret1"})
    assert r.status_code == 201, r.text
    assert r.json()["role"] == "customer"


def test_register_name_longer_than_100_is_422_string_too_long(server):
    r = server.post("/auth/register", json={"name": "n" * 101, "email": unique_email(),
                                            "password": "secret1"})
    assert_validation(r, ["body", "name"], "string_too_long")


def test_register_overlong_address_and_phone_are_422(server):
    r = server.post("/auth/register", json={"name": "n", "email": unique_email(),
                                            "password": "secret1", "address": "a" * 256,
                                            "phone_number": "1" * 21})
    detail = assert_validation(r)
    locs = {tuple(d["loc"]) for d in detail}
    assert {("body", "address"), ("body", "phone_number")} <= locs


# -- login ---------------------------------------------------------------------
def test_login_form_returns_bearer_token(server, customer):
    r = server.post("/auth/login", data={"username": customer.email,
                                         "password": customer.password})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer"
    assert isinstance(body["access_token"], str) and body["access_token"]


# libsodium's interactive limits (64 MiB, t = 2), as Janji hashed passwords before; a real
# hash of OLD_PASSWORD, made once with crypto_pwhash_str.
OLD_PASSWORD = "kata-sandi-lama-123"
OLD_HASH = ("$argon2id$v=19$m=65536,t=2,p=1$uWDudAMWKcam3LPswnS0hw$"
            "5lFbJFDR7Wr6T5lspLpNh2UQk2dw3zFQqPqC637u8Mg")
NEW_PARAMS = "$argon2id$v=19$m=19456,t=2,p=1$"


def test_a_password_hashed_with_the_old_parameters_is_rehashed_at_login(server):
    c = server.register()
    stored = f"SELECT hashed_password FROM users WHERE id = {int(c.id)}"
    assert server.sql(stored)[0][0].startswith(NEW_PARAMS)
    server.write_sql(f"UPDATE users SET hashed_password = '{OLD_HASH}' WHERE id = {int(c.id)}")
    assert server.post("/auth/login", data={"username": c.email,
                                            "password": "wrong-password"}).status_code == 401
    assert server.sql(stored) == [(OLD_HASH,)]  # a wrong password changes nothing
    assert server.login(c.email, OLD_PASSWORD)
    rehashed = server.sql(stored)[0][0]
    assert rehashed.startswith(NEW_PARAMS), rehashed
    assert server.login(c.email, OLD_PASSWORD)
    assert server.sql(stored) == [(rehashed,)]  # once


def test_login_json_body_also_works(server, customer):
    r = server.post("/auth/login", json={"username": customer.email,
                                         "password": customer.password})
    assert r.status_code == 200, r.text
    assert r.json()["token_type"] == "bearer"


def test_login_form_password_with_reserved_characters(server):
    pw = "p+a&s%s w=rd 100%"
    c = server.register(password=pw)
    r = server.post("/auth/login", data={"username": c.email, "password": pw})
    assert r.status_code == 200, r.text
    # The raw '+' must not be confused with its form-decoded meaning (a space).
    r = server.post("/auth/login", data={"username": c.email, "password": pw.replace("+", " ")})
    assert r.status_code == 401


def test_login_wrong_password_is_401_with_www_authenticate(server, customer):
    r = server.post("/auth/login", data={"username": customer.email, "password": "nope-nope"})
    assert_detail(r, 401, "Incorrect email or password")
    assert r.headers.get("WWW-Authenticate") == "Bearer"


def test_login_unknown_email_is_401_with_same_message(server):
    r = server.post("/auth/login", data={"username": unique_email(), "password": "whatever"})
    assert_detail(r, 401, "Incorrect email or password")
    assert r.headers.get("WWW-Authenticate") == "Bearer"


def test_login_missing_password_is_422(server, customer):
    r = server.post("/auth/login", data={"username": customer.email})
    assert_validation(r, ["body", "password"])
    r = server.post("/auth/login", json={"username": customer.email})
    assert_validation(r, ["body", "password"])


# -- tokens ----------------------------------------------------------------------
def test_token_is_hs256_jwt_with_sub_exp_iat(server, customer):
    parts = customer.token.split(".")
    assert len(parts) == 3
    for p in parts:
        assert p and all(c.isalnum() or c in "-_" for c in p), "not base64url"
    header = json.loads(b64url_decode(parts[0]))
    payload = json.loads(b64url_decode(parts[1]))
    assert header["alg"] == "HS256"
    assert payload["sub"] == str(customer.id)
    assert isinstance(payload["exp"], int) and isinstance(payload["iat"], int)
    now = time.time()
    assert payload["iat"] <= now + 5
    # Default ACCESS_TOKEN_EXPIRE_MINUTES is 1440.
    assert payload["exp"] - payload["iat"] == 1440 * 60


def test_access_token_expire_minutes_sets_exp(start_server):
    srv = start_server({"ACCESS_TOKEN_EXPIRE_MINUTES": "1"})
    payload = json.loads(b64url_decode(srv.admin_login().split(".")[1]))
    assert payload["exp"] - payload["iat"] == 60


def test_me_without_token_is_401_not_authenticated(server):
    r = server.get("/auth/me")
    assert_detail(r, 401, "Not authenticated")
    assert r.headers.get("WWW-Authenticate") == "Bearer"


def test_me_with_non_bearer_scheme_is_401_not_authenticated(server, customer):
    r = server.get("/auth/me", headers={"Authorization": "Basic " + customer.token})
    assert_detail(r, 401, "Not authenticated")


def test_me_returns_current_user(server, customer):
    r = server.get("/auth/me", customer.token)
    assert r.status_code == 200
    assert_user_read(r.json())
    assert r.json()["id"] == customer.id and r.json()["email"] == customer.email


def _tampered_payload(server, token, other_id):
    h, p, s = token.split(".")
    payload = json.loads(b64url_decode(p))
    payload["sub"] = str(other_id)
    return h + "." + b64url(json.dumps(payload).encode()) + "." + s


def _bad_tokens(server, customer, admin_token):
    h, p, s = customer.token.split(".")
    mid = len(s) // 2
    flipped = s[:mid] + ("A" if s[mid] != "A" else "B") + s[mid + 1:]
    now = int(time.time())
    claims = {"sub": str(customer.id), "exp": now + 600, "iat": now}
    return {
        "garbage": "garbage",
        "two_parts": h + "." + p,
        "bad_signature": h + "." + p + "." + flipped,
        "payload_swapped_to_admin": _tampered_payload(server, customer.token,
                                                      json.loads(b64url_decode(
                                                          admin_token.split(".")[1]))["sub"]),
        "alg_none": make_jwt(claims, "", {"alg": "none", "typ": "JWT"}).rsplit(".", 1)[0] + ".",
        "alg_none_signed": make_jwt(claims, server.secret_key, {"alg": "none", "typ": "JWT"}),
        "alg_hs512_header": make_jwt(claims, server.secret_key, {"alg": "HS512", "typ": "JWT"}),
        "other_secret": make_jwt(claims, "f" * 64),
        "expired": server.make_token(customer.id, exp_offset=-60, iat_offset=-3600),
        "no_exp": make_jwt({"sub": str(customer.id)}, server.secret_key),
        "unknown_user": server.make_token(987654321),
    }


BAD_TOKEN_KINDS = ["garbage", "two_parts", "bad_signature", "payload_swapped_to_admin",
                   "alg_none", "alg_none_signed", "alg_hs512_header", "other_secret", "expired",
                   "no_exp", "unknown_user"]


@pytest.mark.parametrize("kind", BAD_TOKEN_KINDS)
def test_invalid_token_is_401_could_not_validate(server, customer, admin_token, kind):
    token = _bad_tokens(server, customer, admin_token)[kind]
    r = server.get("/auth/me", token)
    assert_detail(r, 401, "Could not validate credentials")
    assert r.headers.get("WWW-Authenticate") == "Bearer"


def test_hand_made_token_with_server_secret_is_accepted(server, customer):
    token = server.make_token(customer.id)
    r = server.get("/auth/me", token)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == customer.id


# -- profile -------------------------------------------------------------------------
def test_patch_me_updates_sent_fields_and_keeps_the_rest(server):
    c = server.new_customer(name="Before", address="Old St", phone_number="0800")
    new_email = unique_email()
    r = server.patch("/auth/me", c.token, json={"name": "After", "email": new_email})
    assert r.status_code == 200, r.text
    body = r.json()
    assert_user_read(body)
    assert body["name"] == "After" and body["email"] == new_email
    assert body["address"] == "Old St" and body["phone_number"] == "0800"
    assert body["role"] == "customer"
    r = server.patch("/auth/me", c.token, json={"phone_number": "0899", "address": "New St"})
    assert r.status_code == 200
    assert r.json()["phone_number"] == "0899" and r.json()["address"] == "New St"
    assert r.json()["name"] == "After"
    me = server.get("/auth/me", c.token).json()
    assert me == r.json()
    # The new e-mail is the login now.
    assert server.post("/auth/login", data={"username": new_email,
                                            "password": c.password}).status_code == 200


def test_patch_me_null_address_clears_it(server):
    c = server.new_customer(address="Somewhere")
    r = server.patch("/auth/me", c.token, json={"address": None})
    assert r.status_code == 200, r.text
    assert r.json()["address"] is None
    assert server.get("/auth/me", c.token).json()["address"] is None


def test_patch_me_empty_body_changes_nothing(server, customer):
    before = server.get("/auth/me", customer.token).json()
    r = server.patch("/auth/me", customer.token, json={})
    assert r.status_code == 200, r.text
    assert r.json() == before


def test_patch_me_cannot_change_role(server, customer):
    r = server.patch("/auth/me", customer.token, json={"role": "admin"})
    assert_validation(r, ["body", "role"], "extra_forbidden")
    assert server.get("/auth/me", customer.token).json()["role"] == "customer"


def test_patch_me_cannot_change_password(server, customer):
    r = server.patch("/auth/me", customer.token, json={"password": "newpassword"})
    assert_validation(r, ["body", "password"])
    assert server.post("/auth/login", data={"username": customer.email,
                                            "password": customer.password}).status_code == 200


def test_patch_me_to_another_users_email_is_400(server, customer, other_customer):
    r = server.patch("/auth/me", other_customer.token, json={"email": customer.email})
    assert_detail(r, 400, "Email already registered")
    r = server.patch("/auth/me", other_customer.token, json={"email": customer.email.upper()})
    assert_detail(r, 400, "Email already registered")


def test_patch_me_invalid_values_are_422(server, customer):
    assert_validation(server.patch("/auth/me", customer.token, json={"email": "nope"}),
                      ["body", "email"], "value_error")
    assert_validation(server.patch("/auth/me", customer.token, json={"name": "n" * 101}),
                      ["body", "name"], "string_too_long")


def test_patch_me_without_token_is_401(server):
    assert_detail(server.patch("/auth/me", json={"name": "x"}), 401, "Not authenticated")


# -- admins ----------------------------------------------------------------------------
def test_configured_admin_exists_at_start(server, admin_token):
    r = server.get("/auth/me", admin_token)
    assert r.status_code == 200
    assert r.json()["role"] == "admin"
    assert r.json()["email"] == ADMIN_EMAIL


def test_admin_create_cli_on_running_server_db(server):
    email = unique_email("janji.test")
    res = server.run_cli("admin", "create", "--email", email, "--password", "longpassword",
                         "--database", server.db_url)
    assert res.returncode == 0, res.stdout + res.stderr
    token = server.login(email, "longpassword")
    r = server.get("/auth/me", token)
    assert r.json()["role"] == "admin"
    assert server.get("/bookings/", token).status_code == 200


def test_admin_create_cli_promotes_existing_customer(server):
    c = server.new_customer()
    assert server.get("/bookings/", c.token).status_code == 403
    res = server.run_cli("admin", "create", "--email", c.email, "--password", "longpassword",
                         "--database", server.db_url)
    assert res.returncode == 0, res.stdout + res.stderr
    assert server.get("/auth/me", c.token).json()["role"] == "admin"
    assert server.get("/bookings/", c.token).status_code == 200


def test_admin_create_cli_on_stopped_db_then_serve(start_server, tmp_path):
    offline = JanjiServer(tmpdir=tmp_path)  # not started: only its env is used
    res = offline.run_cli("admin", "create", "--email", "x@y.test", "--password", "longpassword",
                          "--database", offline.db_url)
    assert res.returncode == 0, res.stdout + res.stderr
    srv = start_server(tmpdir=tmp_path)
    token = srv.login("x@y.test", "longpassword")
    assert srv.get("/auth/me", token).json()["role"] == "admin"


def test_register_round_trips_unicode_and_escapes(server):
    name = 'Siti 🌸 "q" \\ </script> \u00e9'
    r = server.post("/auth/register", json={"name": name, "email": unique_email(),
                                            "password": "secret1", "address": "Jl. Ujung\nPandang"})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == name
    assert r.json()["address"] == "Jl. Ujung\nPandang"


def test_concurrent_registrations_of_one_email_create_one_account(server):
    import threading

    import requests
    email = unique_email()
    results = [None] * 6
    barrier = threading.Barrier(6)

    def worker(i):
        with requests.Session() as s:
            barrier.wait()
            results[i] = server.post("/auth/register", session=s,
                                     json={"name": f"R{i}", "email": email,
                                           "password": "secret1"})

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [400] * 5, [(r.status_code, r.text) for r in results]
    for r in results:
        if r.status_code == 400:
            assert r.json() == {"detail": "Email already registered"}


def test_login_accepts_oauth2_password_form_extras(server, customer):
    r = server.post("/auth/login", data={"grant_type": "password", "username": customer.email,
                                         "password": customer.password, "scope": "",
                                         "client_id": "", "client_secret": ""})
    assert r.status_code == 200, r.text


def test_login_form_with_charset_parameter(server, customer):
    from urllib.parse import urlencode
    body = urlencode({"username": customer.email, "password": customer.password})
    r = server.post("/auth/login", data=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"})
    assert r.status_code == 200, r.text


def test_login_email_is_matched_case_insensitively(server, customer):
    r = server.post("/auth/login", data={"username": customer.email.upper(),
                                         "password": customer.password})
    assert r.status_code == 200, r.text


def test_query_string_token_is_not_accepted_on_ordinary_routes(server, customer):
    r = server.get("/auth/me", params={"access_token": customer.token})
    assert_detail(r, 401, "Not authenticated")


def test_patch_me_null_name_or_email_never_nulls_required_fields(server):
    c = server.new_customer(name="Keep")
    for body in ({"name": None}, {"email": None}):
        r = server.patch("/auth/me", c.token, json=body)
        assert r.status_code in (200, 422), r.text
    me = server.get("/auth/me", c.token).json()
    assert me["name"] == "Keep" and me["email"] == c.email


def test_patch_me_to_own_email_is_allowed(server):
    c = server.new_customer()
    r = server.patch("/auth/me", c.token, json={"email": c.email})
    assert r.status_code == 200, r.text
    assert r.json()["email"] == c.email


def test_patch_me_email_domain_is_lowercased(server):
    c = server.new_customer()
    local = "Pm" + uuid.uuid4().hex[:8]
    r = server.patch("/auth/me", c.token, json={"email": f"{local}@Example.TEST"})
    assert r.status_code == 200, r.text
    assert r.json()["email"].rsplit("@", 1)[1] == "example.test"
