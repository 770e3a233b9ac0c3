#!/usr/bin/env python3
"""Time for one booking event to reach SUBSCRIBERS concurrent /bookings/stream clients.

usage: sse_fanout.py [SUBSCRIBERS] [EVENTS]   (default 2000 20)

Each subscriber is a raw asyncio connection. For every booking the latency is measured
from just before the POST is sent to the moment each subscriber has read the event.
"""
import asyncio
import json
import statistics
import sys
import time

from common import Server, percentile, raise_fd_limit, request

subscribers = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
events = int(sys.argv[2]) if len(sys.argv) > 2 else 20

raise_fd_limit()
srv = Server(env={"SSE_HEARTBEAT": "15s"}).start()
token = srv.login()
_, body = request(srv, "POST", "/services/packages", token, {"name": "Bench"})
_, body = request(srv, "POST", "/services/types", token,
                  {"package_id": json.loads(body)["id"], "name": "Bench", "price": 500000})
type_id = json.loads(body)["service_types"][0]["id"]

sent_at = {}
latencies = []


async def subscriber(ready):
    reader, writer = await asyncio.open_connection("127.0.0.1", srv.port, limit=1 << 20)
    writer.write(f"GET /bookings/stream?access_token={token} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    await writer.drain()
    seen = 0
    buffered = b""
    signalled = False
    while seen < events:
        chunk = await reader.read(65536)
        if not chunk:
            break
        buffered += chunk
        if not signalled and b"retry:" in buffered:
            signalled = True
            ready.release()
        while b"\"booking_created\"" in buffered:
            now = time.perf_counter()
            head, _, buffered = buffered.partition(b"\"booking_created\"")
            payload = buffered.split(b"\n", 1)[0]
            key = payload.split(b"\\\"jumlah_client\\\":", 1)[1].split(b",", 1)[0]
            latencies.append(now - sent_at[int(key)])
            seen += 1
    writer.close()


async def main():
    ready = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(subscriber(ready)) for _ in range(subscribers)]
    for _ in range(subscribers):
        await ready.acquire()
    connected_rss, _ = srv.memory_kib()
    loop = asyncio.get_running_loop()
    for i in range(1, events + 1):
        # jumlah_client tags the event so subscribers can match it to its send time.
        sent_at[i] = time.perf_counter()
        await loop.run_in_executor(None, lambda i=i: request(
            srv, "POST", "/bookings/", token,
            {"service_type_id": type_id, "tanggal_acara": "2030-01-01T10:00:00", "jumlah_client": i}))
        await asyncio.sleep(0.25)
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=60)
    return connected_rss


try:
    connected_rss = asyncio.run(main())
    rss, peak = srv.memory_kib()
    ms = [x * 1000 for x in latencies]
    print(f"sse fan-out: {subscribers} subscribers x {events} events = {len(ms)} deliveries")
    print(f"| booking event → {subscribers} SSE subscribers | p50 {statistics.median(ms):.1f} ms, "
          f"p99 {percentile(ms, 99):.1f} ms, max {max(ms):.1f} ms |")
    print(f"| server memory with {subscribers} streams open | {connected_rss/1024:.0f} MiB, peak {peak/1024:.0f} MiB |")
finally:
    srv.stop()
