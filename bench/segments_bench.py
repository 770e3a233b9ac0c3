#!/usr/bin/env python3
"""GET /segments/ over a large history: CUSTOMERS customers with BOOKINGS bookings.

usage: segments_bench.py [CUSTOMERS] [BOOKINGS]   (default 100000 1000000)

Prints the time of the first request (aggregate in SQL + k-means, end to end), the median
of repeated requests (served from the computed result), and the server's memory.
"""
import os
import statistics
import subprocess
import sys
import time

from common import Server, request

customers = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
bookings = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000

srv = Server()
srv.run("migrate", "--database", srv.db)
t = time.time()
subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "make_history.py"),
                f"{srv.tmp}/janji.db", str(customers), str(bookings)], check=True)
print(f"history written in {time.time() - t:.1f} s")
srv.start()
try:
    token = srv.login()
    cold = []
    for _ in range(3):
        # A booking write invalidates the result, so each of these computes from scratch.
        t = time.perf_counter()
        status, body = request(srv, "GET", "/segments/", token)
        cold.append(time.perf_counter() - t)
        assert status == 200
        request(srv, "PATCH", "/bookings/1", token, {"status": "completed"})
        time.sleep(0.1)
    warm = []
    for _ in range(5):
        t = time.perf_counter()
        request(srv, "GET", "/segments/", token)
        warm.append(time.perf_counter() - t)
    rss, peak = srv.memory_kib()
    print(f"segments: customers={customers} bookings={bookings} items={body.count(b'user_id')}")
    print(f"| GET /segments/ computed (SQL + k-means) | median {statistics.median(cold)*1000:.0f} ms "
          f"(runs: {', '.join(f'{x*1000:.0f}' for x in cold)}) |")
    print(f"| GET /segments/ unchanged data | median {statistics.median(warm)*1000:.0f} ms |")
    print(f"| server memory | {rss/1024:.0f} MiB now, {peak/1024:.0f} MiB peak |")
finally:
    srv.stop()
