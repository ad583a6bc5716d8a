"""The discussion websocket under load: N sockets in one room, messages posted at a steady rate.

    .venv/bin/python bench/bench_chat.py [--sockets 200] [--rate 4] [--seconds 20] [--layers memory,redis,pubsub]
    .venv/bin/python bench/bench_chat.py --sockets 500 --rate 4 --seconds 60      # the budget run

For each channel layer (in-memory: one daphne process only; RedisChannelLayer and
RedisPubSubChannelLayer: one and then two processes) it starts real daphne processes
(DJANGO_SETTINGS_MODULE=bench.settings_chat) on one seeded SQLite database, connects `--sockets`
listeners to the Hartford district room (split evenly across the processes), and posts `--rate`
messages a second through the real consumer from sockets on the first process. Each message is
stored, then broadcast after commit; the benchmark times every delivery from send to receipt.

Prints, per configuration: deliveries per second, p50/p99 delivery latency, messages lost (expected
deliveries minus received ones), and the resident memory (VmRSS) of each daphne with its sockets
connected. Budget: 500 sockets over 2 processes and Redis, 4 messages/s (2,000 deliveries/s) for a
minute, p99 under 250 ms and nothing lost.
"""

import argparse
import asyncio
import json
import math
import os
import secrets
import statistics
import sys
import time

from harness import Daphne, emit, manage, seeded_env, session_cookies, smoke_or

ROOM = "district-hartford"
LISTENERS = ["visitor", "marcus", "dana", "luis", "fatima"]
POSTERS = ["coordinator", "trainer", "trainer2", "state", "regional"]  # each posts at most 4/s (limit 5/s)



def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(math.ceil(len(values) * p)) - 1)]


async def open_socket(port: int, key: str):
    from websockets.asyncio.client import connect

    return await connect(f"ws://127.0.0.1:{port}/ws/discussion/", origin=f"http://127.0.0.1:{port}",
                         additional_headers={"Cookie": f"sessionid={key}"}, proxy=None, compression=None,
                         open_timeout=60, ping_interval=None, max_queue=None)


async def next_frame(ws, kind: str, timeout: float = 30) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if frame["type"] == kind:
            return frame


async def run_load(ports: list[int], keys: dict, *, sockets: int, rate: float, seconds: float,
                   pids: list[int]) -> dict:
    sent: dict[str, float] = {}
    latencies: list[float] = []
    received = [0]
    lost_frames = [0]
    poster_errors: list[dict] = []

    # Posters on the first process; the latest message id so that listeners join with `since`.
    n_posters = max(1, math.ceil(rate / 4))
    posters = [await open_socket(ports[0], keys[POSTERS[i % len(POSTERS)]]) for i in range(n_posters)]
    await posters[0].send(json.dumps({"type": "history", "room": ROOM, "limit": 1}))
    latest = (await next_frame(posters[0], "history"))["messages"]
    since = latest[-1]["id"] if latest else 0

    async def connect_listener(i: int):
        ws = await open_socket(ports[i % len(ports)], keys[LISTENERS[i % len(LISTENERS)]])
        await ws.send(json.dumps({"type": "join", "room": ROOM, "since": since}))
        await next_frame(ws, "joined", timeout=60)
        return ws

    began = time.monotonic()
    listeners = []
    for start in range(0, sockets, 50):  # in batches, like a page load storm but not a SYN flood
        listeners += await asyncio.gather(*(connect_listener(i) for i in range(start, min(sockets, start + 50))))
    connect_seconds = time.monotonic() - began
    memory = [round(rss_mb(pid), 1) for pid in pids]

    async def listen(ws):
        try:
            async for raw in ws:
                now = time.monotonic()
                frame = json.loads(raw)
                if frame.get("type") != "message":
                    continue
                at = sent.get(frame["message"]["client_id"])
                if at is not None:
                    received[0] += 1
                    latencies.append(now - at)
        except Exception:  # a dropped socket counts as lost deliveries
            lost_frames[0] += 1

    readers = [asyncio.create_task(listen(ws)) for ws in listeners]

    async def drain_acks(ws):
        acks = 0
        try:
            async for raw in ws:
                frame = json.loads(raw)
                if frame.get("type") == "ack":
                    acks += 1
                elif frame.get("type") == "error":
                    print("poster error:", frame, file=sys.stderr)
                    poster_errors.append(frame)
        except Exception:
            pass
        return acks

    ack_tasks = [asyncio.create_task(drain_acks(ws)) for ws in posters]
    run_id = secrets.token_hex(3)
    total = int(rate * seconds)
    server_cpu = [cpu_seconds(pid) for pid in pids]
    client_cpu = time.process_time()
    start = time.monotonic()
    for n in range(total):
        due = start + n / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        client_id = f"bench-{run_id}-{n}"
        sent[client_id] = time.monotonic()
        await posters[n % n_posters].send(json.dumps({"type": "message", "room": ROOM, "client_id": client_id,
                                                      "body": f"bench message {n}"}))
    # Let the last deliveries arrive.
    expected = total * sockets
    deadline = time.monotonic() + 15
    while received[0] < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    elapsed = time.monotonic() - start
    server_cpu = sum(cpu_seconds(pid) for pid in pids) - sum(server_cpu)
    client_cpu = time.process_time() - client_cpu
    for ws in listeners + posters:
        await ws.close()
    for task in readers:
        task.cancel()
    acks = sum(await asyncio.gather(*ack_tasks))
    return {
        "messages": total, "acks": acks, "poster_errors": len(poster_errors), "expected": expected, "received": received[0],
        "lost": expected - received[0], "deliveries_per_s": received[0] / seconds, "elapsed": elapsed,
        "p50_ms": pct(latencies, 0.50) * 1000, "p99_ms": pct(latencies, 0.99) * 1000,
        "max_ms": max(latencies) * 1000 if latencies else float("nan"),
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
        "connect_s": connect_seconds, "rss_mb": memory,
        "server_us_per_delivery": server_cpu / max(1, received[0]) * 1e6,
        "client_us_per_delivery": client_cpu / max(1, received[0]) * 1e6,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=smoke_or(200, 10))
    parser.add_argument("--rate", type=float, default=4.0, help="messages posted per second")
    parser.add_argument("--seconds", type=float, default=smoke_or(20.0, 2.0))
    parser.add_argument("--layers", default=smoke_or("memory,redis,pubsub", "memory,pubsub"))
    parser.add_argument("--processes", default=smoke_or("1,2", "2"), help="process counts for the Redis layers")
    args, _ = parser.parse_known_args()

    from tests.support import REDIS_URL, redis_available

    env = seeded_env()
    manage("shell", "-c", "from hub.discussion import services; services.rooms_ensure()", env=env)
    keys = session_cookies(env, LISTENERS + POSTERS)

    configs = []
    for layer in args.layers.split(","):
        if layer == "memory":
            configs.append((layer, 1))
        elif redis_available():
            configs += [(layer, int(n)) for n in args.processes.split(",")]
        else:
            print(f"skipping {layer}: Redis is not reachable at {REDIS_URL}")

    rows, problems = [], []
    print(f"{args.sockets} sockets in one room, {args.rate:g} messages/s for {args.seconds:g} s "
          f"({args.sockets * args.rate:,.0f} deliveries/s expected)")
    header = f"{'layer':<8} {'procs':>5} {'deliv/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'lost':>6} " \
             f"{'connect s':>9} {'srv µs/d':>8} {'cli µs/d':>8}  RSS MB per daphne"
    print(header)
    for layer, processes in configs:
        layer_env = dict(env, DJANGO_SETTINGS_MODULE="bench.settings_chat", CHAT_LAYER=layer,
                         CHAT_LAYER_PREFIX=f"benchchat{secrets.token_hex(3)}", SERVE_STATIC="0")
        if layer != "memory":
            layer_env["REDIS_URL"] = REDIS_URL
        daphnes = [Daphne(layer_env).start() for _ in range(processes)]
        try:
            result = asyncio.run(run_load([d.port for d in daphnes], keys, sockets=args.sockets, rate=args.rate,
                                          seconds=args.seconds, pids=[d.proc.pid for d in daphnes]))
        except Exception:
            for daphne in daphnes:  # what the server said, before the log goes with the process
                daphne.log.flush()
                daphne.log.seek(0)
                sys.stderr.write(f"--- daphne :{daphne.port}\n{daphne.log.read()[-4000:]}\n")
            raise
        finally:
            for daphne in daphnes:
                daphne.stop()
        print(f"{layer:<8} {processes:>5} {result['deliveries_per_s']:>9,.0f} {result['p50_ms']:>8.1f} "
              f"{result['p99_ms']:>8.1f} {result['max_ms']:>8.1f} {result['lost']:>6} {result['connect_s']:>9.1f} "
              f"{result['server_us_per_delivery']:>8.0f} {result['client_us_per_delivery']:>8.0f}  "
              f"{', '.join(str(m) for m in result['rss_mb'])}", flush=True)
        note = f"{args.sockets} sockets, {args.rate:g} msg/s, {args.seconds:g} s"
        if result["lost"]:
            problems.append(f"{layer} x{processes}: {result['lost']} of {result['expected']} deliveries lost")
        if result["poster_errors"]:
            problems.append(f"{layer} x{processes}: {result['poster_errors']} posts refused with an error frame")
        if result["acks"] != result["messages"]:
            problems.append(f"{layer} x{processes}: {result['acks']} of {result['messages']} posts acknowledged")
        name = f"{layer} x{processes}"
        rows += [
            {"bench": "chat", "metric": f"{name} deliveries/s", "value": round(result["deliveries_per_s"]),
             "unit": "1/s", "note": note},
            {"bench": "chat", "metric": f"{name} p50", "value": round(result["p50_ms"], 1), "unit": "ms", "note": note},
            {"bench": "chat", "metric": f"{name} p99", "value": round(result["p99_ms"], 1), "unit": "ms",
             "note": "budget < 250 ms (500 sockets, 2 processes, Redis)"},
            {"bench": "chat", "metric": f"{name} lost", "value": result["lost"], "unit": "messages",
             "note": f"of {result['expected']:,} deliveries"},
            {"bench": "chat", "metric": f"{name} server CPU", "value": round(result["server_us_per_delivery"]),
             "unit": "µs/delivery", "note": "all daphne processes, from /proc/<pid>/stat"},
            {"bench": "chat", "metric": f"{name} RSS", "value": max(result["rss_mb"]), "unit": "MB",
             "note": f"per daphne with {args.sockets // processes} sockets"},
        ]
    emit(rows, problems)
    return 0


if __name__ == "__main__":
    sys.exit(main())
