"""`janji import-alfiyah`: moving from the original FastAPI + MySQL backend.

Each test writes its own phpMyAdmin-style dumps (CREATE TABLE plus multi-row INSERTs with
backquoted names and MySQL string escapes), with bcrypt hashes made here through the
system's libcrypt, imports them into a fresh database (SQLite, or PostgreSQL in the second
pass), then talks to the server as the original's clients would.
"""

import sqlite3
import warnings
from datetime import datetime, timedelta

import pytest

from conftest import JanjiServer, stop_servers

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import crypt  # the system's libxcrypt, as PHP's and Python's bcrypt write it

BCRYPT_SALT = "abcdefghijklmnopqrstuv"  # 22 characters of bcrypt's alphabet


def bcrypt(password, prefix="$2b$", cost=4):
    h = crypt.crypt(password, f"{prefix}{cost:02d}${BCRYPT_SALT}")
    assert h and h.startswith(prefix), h
    return h


# -- phpMyAdmin-style dumps ------------------------------------------------------------------
def sql_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, (int, float)):
        return str(v)
    # mysqli_real_escape_string, as phpMyAdmin's export does.
    out = (v.replace("\\", "\\\\").replace("\0", "\\0").replace("\n", "\\n")
           .replace("\r", "\\r").replace("'", "\\'").replace('"', '\\"').replace("\x1a", "\\Z"))
    return f"'{out}'"


COLUMNS = {
    "users": ["id", "name", "email", "address", "phone_number", "hashed_password", "role"],
    "transactions": ["id", "user_id", "service_type_id", "price_locked", "status",
                     "tanggal_booking", "tanggal_acara", "jumlah_client", "priority_score",
                     "priority_segment", "urgency_level", "monetary_level",
                     "updated_priority_at"],
    "packages": ["id", "name", "description"],
    "service_types": ["id", "package_id", "name", "description", "price"],
}


def table_sql(name, rows):
    cols = COLUMNS[name]
    defs = ",\n".join(f"  `{c}` varchar(255) DEFAULT NULL" for c in cols)
    out = [f"--\n-- Table structure for table `{name}`\n--\n",
           f"CREATE TABLE `{name}` (\n{defs}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
           "COLLATE=utf8mb4_unicode_ci;\n",
           f"--\n-- Dumping data for table `{name}`\n--\n"]
    if rows:
        values = ",\n".join("(" + ", ".join(sql_literal(r.get(c)) for c in cols) + ")"
                            for r in rows)
        out.append(f"INSERT INTO `{name}` ({', '.join(f'`{c}`' for c in cols)}) VALUES\n"
                   f"{values};\n")
    out.append(f"\nALTER TABLE `{name}`\n  ADD PRIMARY KEY (`id`);\n")
    return "\n".join(out)


def dump(*tables):
    head = ("-- phpMyAdmin SQL Dump\n-- version 5.2.1\n-- https://www.phpmyadmin.net/\n--\n"
            "-- Host: 127.0.0.1\n-- Server version: 10.4.28-MariaDB\n\n"
            'SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";\nSTART TRANSACTION;\nSET time_zone = "+00:00";\n\n'
            "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n"
            "/*!40101 SET NAMES utf8mb4 */;\n\n--\n-- Database: `alfiyah_booking`\n--\n\n")
    body = "\n".join(table_sql(name, rows) for name, rows in tables)
    return head + body + "\nCOMMIT;\n\n/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n"


def day(offset, hour=10):
    return (datetime.utcnow().replace(microsecond=0, second=0, minute=0, hour=hour)
            + timedelta(days=offset))


def fmt(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


class Legacy:
    """The original's data: a catalogue, four users (one admin) and their bookings."""

    def __init__(self):
        self.passwords = {5: "rahasia-siti", 9: "O'Brien\\pass \"q\"", 42: "kata sandi ñ 茶", 2: "admin-lama-1"}
        self.users = [
            {"id": 2, "name": "Admin Lama", "email": "admin@alfiyah.test", "address": None,
             "phone_number": None, "hashed_password": bcrypt(self.passwords[2], "$2y$", 5),
             "role": "admin"},
            {"id": 5, "name": "Siti Nur'aini", "email": "siti@alfiyah.test",
             "address": "Jl. Mawar 5\nBandung", "phone_number": "081234567890",
             "hashed_password": bcrypt(self.passwords[5]), "role": "customer"},
            {"id": 9, "name": 'O\'Brien "Back\\slash"', "email": "OBrien@Alfiyah.test",
             "address": None, "phone_number": None,
             "hashed_password": bcrypt(self.passwords[9], "$2a$"), "role": "customer"},
            {"id": 42, "name": "Zoë Ñandú 茶", "email": "zoe@alfiyah.test", "address": "Kota; (tua), 'x'",
             "phone_number": "0812", "hashed_password": bcrypt(self.passwords[42]),
             "role": "customer"},
        ]
        self.packages = [{"id": 3, "name": "Makeup Wisuda Lama", "description": "Paket \"lama\""},
                         {"id": 4, "name": "Makeup Lamaran Lama", "description": None}]
        self.service_types = [
            {"id": 10, "package_id": 3, "name": "Wisuda Premium", "description": "toga",
             "price": "350000.00"},
            {"id": 11, "package_id": 4, "name": "Engagement", "description": None,
             "price": "500000.00"},
        ]
        self.bookings = [
            self.booking(100, 5, 10, "350000.00", "pending", -3, 20, 1),
            self.booking(101, 5, 11, "500000.00", "dp", -10, 1, 3),
            self.booking(250, 42, 10, "300000.00", "lunas", -40, -5, 2),   # paid
            self.booking(251, 9, 11, "500000.00", "Selesai", -90, -60, 1),  # completed
            self.booking(260, 9, 10, "350000.00", "canceled", -2, 30, 4),  # cancelled
        ]

    @staticmethod
    def booking(id_, user, type_, price, status, booked, event, clients):
        return {"id": id_, "user_id": user, "service_type_id": type_, "price_locked": price,
                "status": status, "tanggal_booking": fmt(day(booked)),
                "tanggal_acara": fmt(day(event)), "jumlah_client": clients,
                # What the original stored; Janji recomputes all four.
                "priority_score": 999, "priority_segment": "stale", "urgency_level": "stale",
                "monetary_level": "stale", "updated_priority_at": fmt(day(-100))}

    def write(self, tmp, whole=False, transactions=None, cut=None):
        tx = dump(("transactions", transactions if transactions is not None else self.bookings))
        if cut is not None:
            tx = tx[:tx.index(cut)]
        files = {"--users": dump(("users", self.users)), "--transactions": tx,
                 "--packages": dump(("packages", self.packages)),
                 "--service-types": dump(("service_types", self.service_types))}
        if whole:
            path = tmp / "alfiyah_booking.sql"
            path.write_text(dump(("packages", self.packages), ("service_types", self.service_types),
                                 ("users", self.users), ("transactions", self.bookings)),
                            encoding="utf-8")
            return [str(path)]
        args = []
        for flag, text in files.items():
            path = tmp / (flag.strip("-").replace("-", "_") + ".sql")
            path.write_text(text, encoding="utf-8")
            args += [flag, str(path)]
        return args


STATUS = {"pending": "pending", "dp": "dp", "lunas": "paid", "Selesai": "completed",
          "canceled": "cancelled"}


@pytest.fixture
def fresh(tmp_path):
    """A server not started yet: its database is empty until the import."""
    srv = JanjiServer()
    yield srv
    stop_servers([srv])


def stored_hash(srv, user_id):
    if srv.cluster is not None:
        return srv.cluster.psql(f"SELECT hashed_password FROM users WHERE id = {int(user_id)}",
                                dbname=srv.database).stdout.strip()
    with sqlite3.connect(srv.db_url[len("sqlite:///"):]) as con:
        return con.execute("SELECT hashed_password FROM users WHERE id = ?", (user_id,)).fetchone()[0]


def import_cli(srv, *args):
    return srv.run_cli("import-alfiyah", *args, timeout=120)


def test_import_keeps_everyone_and_upgrades_passwords_at_login(fresh, tmp_path):
    legacy = Legacy()
    r = import_cli(fresh, *legacy.write(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "imported 2 package(s) (0 already there), 2 service type(s) (0 already there), " \
           "4 user(s) (0 already there), 5 booking(s) (0 already there)" in r.stdout, r.stdout
    assert "transactions: 5/5 (100%)" in r.stderr  # progress
    srv = fresh.start()

    # Every user logs in with the password of the original backend.
    tokens = {}
    for u in legacy.users:
        old = stored_hash(srv, u["id"])
        assert old == u["hashed_password"]
        tokens[u["id"]] = srv.login(u["email"], legacy.passwords[u["id"]])
        me = srv.get("/auth/me", tokens[u["id"]]).json()
        local, _, domain = u["email"].partition("@")  # the domain is normalised, as at sign-up
        assert me == {"id": u["id"], "name": u["name"], "email": f"{local}@{domain.lower()}",
                      "address": u["address"], "phone_number": u["phone_number"],
                      "role": u["role"]}, me
        # ... and the bcrypt hash is replaced by an Argon2id one, which keeps working.
        assert stored_hash(srv, u["id"]).startswith("$argon2id$")
        assert srv.login(u["email"], legacy.passwords[u["id"]])
    wrong = srv.post("/auth/login", data={"username": "siti@alfiyah.test", "password": "nope"})
    assert wrong.status_code == 401

    # The bookings keep their ids, owners, prices and dates; statuses are mapped and
    # priorities recomputed by Janji's rules.
    admin = tokens[2]
    listed = {b["id"]: b for b in srv.get("/bookings/", admin).json()}
    assert sorted(listed) == [100, 101, 250, 251, 260]
    for b in legacy.bookings:
        got = srv.get(f"/bookings/{b['id']}", admin).json()
        assert got["user_id"] == b["user_id"] and got["service_type_id"] == b["service_type_id"]
        assert got["price_locked"] == b["price_locked"]
        assert got["status"] == STATUS[b["status"]]
        assert got["tanggal_acara"] == b["tanggal_acara"].replace(" ", "T")
        assert got["tanggal_booking"] == b["tanggal_booking"].replace(" ", "T")
        assert got["jumlah_client"] == b["jumlah_client"]
        assert got["priority_score"] != 999 and got["priority_segment"] in ("high", "medium", "low")
        assert got["urgency_level"] != "stale" and got["monetary_level"] != "stale"
    assert [b["id"] for b in srv.get("/bookings/me", tokens[5]).json()] == [100, 101]

    # The catalogue came along, and new rows get ids past the imported ones.
    packages = {p["id"]: p for p in srv.get("/services/packages").json()}
    assert packages[3]["name"] == "Makeup Wisuda Lama"
    assert packages[3]["description"] == 'Paket "lama"'
    assert {t["id"] for t in packages[4]["service_types"]} == {11}
    newcomer = srv.register(name="Baru")
    assert newcomer.id > 42
    r = srv.post("/bookings/", tokens[42], json={"service_type_id": 10,
                                                 "tanggal_acara": fmt(day(15)).replace(" ", "T"),
                                                 "jumlah_client": 1})
    assert r.status_code == 201, r.text
    assert r.json()["id"] > 260 and r.json()["price_locked"] == "350000.00"
    r = srv.post("/services/packages", admin, json={"name": "Baru", "description": "x"})
    assert r.status_code == 201 and r.json()["id"] > 4


def test_running_the_same_import_again_changes_nothing(fresh, tmp_path):
    legacy = Legacy()
    args = legacy.write(tmp_path)
    assert import_cli(fresh, *args).returncode == 0
    srv = fresh.start()
    token = srv.login("siti@alfiyah.test", legacy.passwords[5])  # upgrades Siti's hash
    upgraded = stored_hash(srv, 5)
    admin = srv.login("admin@alfiyah.test", legacy.passwords[2])
    before = srv.get("/bookings/", admin).json()

    r = import_cli(srv, *args)
    assert r.returncode == 0, r.stderr
    assert "nothing to import: every row is already there" in r.stdout, r.stdout
    assert "0 booking(s) (5 already there)" in r.stdout
    assert srv.get("/bookings/", admin).json() == before
    assert stored_hash(srv, 5) == upgraded  # the upgraded hash was not put back
    assert srv.get("/auth/me", token).status_code == 200


def test_one_whole_database_dump_imports_too(fresh, tmp_path):
    legacy = Legacy()
    r = import_cli(fresh, *legacy.write(tmp_path, whole=True))
    assert r.returncode == 0, r.stderr
    assert "4 user(s) (0 already there), 5 booking(s)" in r.stdout
    srv = fresh.start()
    admin = srv.login("admin@alfiyah.test", legacy.passwords[2])
    assert len(srv.get("/bookings/", admin).json()) == 5


def test_dry_run_reports_and_writes_nothing(fresh, tmp_path):
    legacy = Legacy()
    r = import_cli(fresh, "--dry-run", *legacy.write(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "dry run, nothing written; would import 2 package(s)" in r.stdout, r.stdout
    assert "5 booking(s) (0 already there)" in r.stdout
    srv = fresh.start()
    assert srv.post("/auth/login", data={"username": "siti@alfiyah.test",
                                         "password": legacy.passwords[5]}).status_code == 401
    assert srv.get("/bookings/", srv.admin_login()).json() == []


def assert_untouched(srv):
    srv.start()
    admin = srv.admin_login()
    assert srv.get("/bookings/", admin).json() == []
    assert [p["id"] for p in srv.get("/services/packages").json()] == []
    r = srv.post("/auth/login", data={"username": "siti@alfiyah.test", "password": "rahasia-siti"})
    assert r.status_code == 401


def test_truncated_dump_is_refused_with_file_and_line(fresh, tmp_path):
    legacy = Legacy()
    # Cut in the middle of the third row, as an interrupted download would.
    args = legacy.write(tmp_path, cut="'lunas'")
    r = import_cli(fresh, *args)
    assert r.returncode == 1, (r.stdout, r.stderr)
    tx_file = args[args.index("--transactions") + 1]
    assert f"error: {tx_file}:" in r.stderr and "cut short" in r.stderr, r.stderr
    assert "nothing was written" in r.stderr
    assert_untouched(fresh)


def test_booking_of_a_missing_user_is_refused_and_nothing_is_written(fresh, tmp_path):
    legacy = Legacy()
    orphan = Legacy.booking(300, 77, 10, "350000.00", "pending", -1, 9, 1)
    args = legacy.write(tmp_path, transactions=legacy.bookings + [orphan])
    r = import_cli(fresh, *args)
    assert r.returncode == 1, (r.stdout, r.stderr)
    tx_file = args[args.index("--transactions") + 1]
    line = next(i for i, text in enumerate(open(tx_file, encoding="utf-8"), 1)
                if text.startswith("(300,"))
    assert f"error: {tx_file}:{line}: booking 300 refers to user 77, who is neither in the " \
           "users dump nor in the database" in r.stderr, r.stderr
    assert "nothing was written" in r.stderr
    assert_untouched(fresh)


def test_bad_rows_are_all_reported_at_once(fresh, tmp_path):
    legacy = Legacy()
    legacy.users[1]["hashed_password"] = "md5:5f4dcc3b5aa765d61d8327deb882cf99"
    legacy.users[3]["email"] = "not an email"
    bad = dict(legacy.bookings[0], id=300, status="shipped")
    args = legacy.write(tmp_path, transactions=legacy.bookings + [bad])
    r = import_cli(fresh, *args)
    assert r.returncode == 1
    assert "user 5 has a password hash that is neither bcrypt nor Argon2id" in r.stderr, r.stderr
    assert "email 'not an email' is not an e-mail address" in r.stderr
    assert "status 'shipped' of booking 300 is not one Janji knows" in r.stderr
    assert "3 problem(s) found; nothing was written" in r.stderr
    assert_untouched(fresh)


def test_import_without_the_required_dumps_is_a_usage_error(fresh, tmp_path):
    r = import_cli(fresh, "--users", str(tmp_path / "users.sql"))
    assert r.returncode == 2
    assert "needs --users FILE and --transactions FILE" in r.stderr
