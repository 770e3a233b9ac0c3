"""`janji seed-demo` loads the Alfiyah demo catalogue and the 152-booking history."""

import pytest

from conftest import JanjiServer

CATALOGUE = {
    "Makeup Party": {"Reguler Party": "200000.00", "Premium Party": "300000.00"},
    "Makeup Wisuda Premium": {"Premium Wisuda": "350000.00",
                              "Paket Ramah Tamah & Wisuda Premium": "550000.00"},
    "Makeup Wisuda Exclusive": {"Exclusive Wisuda": "500000.00",
                                "Paket Ramah Tamah & Wisuda Exclusive": "700000.00"},
    "Makeup Lamaran": {"Exclusive Engagement": "500000.00", "Reguler Engagement": "400000.00",
                       "Prewedding": "400000.00"},
}


@pytest.fixture
def demo_server(start_server, tmp_path):
    # Env only, not started; a server on the same tmpdir uses the same database (the
    # SQLite file there, or its own PostgreSQL database with JANJI_TEST_BACKEND=postgres).
    offline = JanjiServer(tmpdir=tmp_path)
    db_url = offline.db_url
    first = offline.run_cli("seed-demo", "--database", db_url, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.strip(), "seed-demo printed no summary"
    second = offline.run_cli("seed-demo", "--database", db_url, timeout=120)
    assert second.returncode == 0, second.stdout + second.stderr
    srv = start_server(tmpdir=tmp_path)
    assert srv.db_url == db_url
    return srv, first.stdout, second.stdout


def test_seed_demo_catalogue_and_history(demo_server):
    srv, first_out, second_out = demo_server
    packages = srv.get("/services/packages").json()
    got = {p["name"]: {t["name"]: t["price"] for t in p["service_types"]} for p in packages}
    assert got == CATALOGUE
    assert sum(len(p["service_types"]) for p in packages) == 9

    admin = srv.admin_login()
    r = srv.get("/bookings/", admin)
    assert r.status_code == 200
    rows = r.json()
    assert len(rows) == 152, f"{len(rows)} bookings after two seed-demo runs"
    assert {b["status"] for b in rows} == {"completed"}
    type_prices = {t["id"]: t["price"] for p in packages for t in p["service_types"]}
    for b in rows:
        assert b["service_type_id"] in type_prices
        assert b["price_locked"] == type_prices[b["service_type_id"]]
        assert b["user"]["role"] == "customer"
        assert b["priority_segment"] in ("high", "medium", "low")
    assert len({b["user_id"] for b in rows}) > 1


def test_seed_demo_after_start_adds_nothing(demo_server):
    srv, _, _ = demo_server
    again = srv.run_cli("seed-demo", "--database", srv.db_url, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr
    admin = srv.admin_login()
    assert len(srv.get("/bookings/", admin).json()) == 152
    assert sum(len(p["service_types"]) for p in srv.get("/services/packages").json()) == 9


def test_seed_demo_loads_active_demo_courses_once(demo_server):
    srv, first_out, second_out = demo_server
    assert "5 course(s)" in first_out
    assert "0 course(s)" in second_out
    r = srv.get("/api/courses")
    assert r.status_code == 200
    courses = r.json()["data"]
    assert len(courses) == 5
    assert {c["level"] for c in courses} <= {"beginner", "intermediate", "advanced", "all_levels"}
    assert all(c["is_active"] and c["price_per_session"] > 0 for c in courses)
    again = srv.run_cli("seed-demo", "--database", srv.db_url, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(srv.get("/api/courses").json()["data"]) == 5
