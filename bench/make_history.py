#!/usr/bin/env python3
"""Writes a large synthetic booking history straight into a migrated Janji SQLite file.

usage: make_history.py DB CUSTOMERS BOOKINGS

The schema must exist (`janji migrate --database sqlite:////abs/DB`). Customers get
unusable password hashes; bookings are `completed` with dates spread over two years and
prices from the demo catalogue, so RFM features vary the way real ones do.
"""
import random
import sqlite3
import sys
import time

PRICES = [20_000_000, 30_000_000, 35_000_000, 55_000_000, 50_000_000, 70_000_000, 40_000_000]


def main():
    db, customers, bookings = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(7)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    now_us = int(time.time() * 1_000_000)
    day = 86_400_000_000
    cur = con.cursor()
    cur.execute("SELECT COUNT(*) FROM packages")
    if cur.fetchone()[0] == 0:
        cur.execute("INSERT INTO packages (name, description, created_at) VALUES ('Bench', NULL, ?)", (now_us,))
        pkg = cur.lastrowid
        for i, p in enumerate(PRICES):
            cur.execute("INSERT INTO service_types (package_id, name, description, price) VALUES (?, ?, NULL, ?)",
                        (pkg, f"Type {i}", p))
    types = [(r[0], r[1]) for r in cur.execute("SELECT id, price FROM service_types ORDER BY id")]
    first = cur.execute("SELECT COALESCE(MAX(id), 0) FROM users").fetchone()[0] + 1
    cur.executemany(
        "INSERT INTO users (name, email, hashed_password, role, created_at, updated_at) VALUES (?, ?, '!', 'customer', ?, ?)",
        ((f"Customer {i}", f"c{i}@bench.janji.test", now_us, now_us) for i in range(first, first + customers)))
    # Skewed frequencies: a few customers book often, most once or twice.
    weights = [1.0 / (1 + (i % 50)) for i in range(customers)]
    users = rng.choices(range(first, first + customers), weights=weights, k=bookings - customers)
    users += list(range(first, first + customers))  # everybody books at least once

    def rows():
        for n, uid in enumerate(users):
            tid, price = types[n % len(types)]
            booked = now_us - rng.randrange(0, 730) * day
            yield (uid, tid, price, booked, booked + rng.randrange(1, 90) * day, 1 + n % 4, now_us)

    cur.executemany(
        "INSERT INTO service_bookings (user_id, service_type_id, price_locked, status, tanggal_booking, "
        "tanggal_acara, jumlah_client, priority_score, priority_segment, urgency_level, monetary_level, "
        "updated_priority_at) VALUES (?, ?, ?, 'completed', ?, ?, ?, 25, 'low', 'urgent', 'regular', ?)",
        rows())
    con.commit()
    print(f"{customers} customers, {bookings} bookings written to {db}")


if __name__ == "__main__":
    main()
