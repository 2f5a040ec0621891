"""Load on a server over the loopback interface: `clients` connections, each sending the same request as soon
as its previous answer is in, from plain asyncio connections (HTTP/1.1 keep-alive, the request's bytes made
once): a client library would spend more of the two cores than the server under test."""
import asyncio
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bench.timing import process_tree_rss_mb
from runtime.errors import InputError

HOST = "127.0.0.1"
WARMUP_REQUESTS = 500
ROUNDS = 5
TIME_LIMIT_S = 300  # per load run: the benchmark stops by itself


@dataclass(frozen=True)
class Load:
    setting: str  # "batching on (max batch 32, max wait 2 ms)"
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    rss_before_mb: float  # the server's, after the warm-up
    rss_after_mb: float
    ready_s: float  # from its start to its first answer

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds


class Server:
    """`runtime serve` in its own process on a free loopback port, stopped by SIGTERM to its pid."""

    def __init__(self, *options: str) -> None:
        started = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-m", "runtime", "serve", "--host", HOST, "--port", "0",
                                         *options], stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("serving on "):
            self.stop()
            raise InputError(f"runtime serve did not start: {line.strip() or 'no output'}")
        self.port = int(line.split()[2].rsplit(":", 1)[1])
        self.ready_s = time.perf_counter() - started

    def rss_mb(self) -> float:
        """The server's resident memory, its worker processes' included."""
        return process_tree_rss_mb(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        if self.process.wait(timeout=60) != 0:
            raise InputError(f"runtime serve exited with {self.process.returncode}")


def post(path: str, body: bytes, content_type: str) -> bytes:
    """The bytes of one HTTP/1.1 keep-alive request."""
    return (f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> bool:
    """Send `request`, read its answer; True when it is a 200 without an error entry."""
    writer.write(request)
    status = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length)
    return status.startswith(b"HTTP/1.1 200") and b'"error"' not in body


async def load(port: int, request: bytes, total: int, clients: int) -> tuple[list[float], int]:
    """(latency of each request in seconds, errors) of `total` requests from `clients` connections."""
    latencies, errors, sent = [], 0, 0

    async def client() -> None:
        nonlocal errors, sent
        reader, writer = await asyncio.open_connection(HOST, port)
        while sent < total:
            sent += 1
            started = time.perf_counter()
            ok = await exchange(reader, writer, request)
            latencies.append(time.perf_counter() - started)
            errors += not ok
        writer.close()

    await asyncio.wait_for(asyncio.gather(*(client() for _ in range(clients))), TIME_LIMIT_S)
    return latencies, errors


def measure_loads(settings: dict[str, Callable[[], Server]], request: bytes, total: int, clients: int) -> list[Load]:
    """`total` requests to a server of each setting (name -> what starts it), sent in ROUNDS alternating chunks,
    so that a change in the machine's load (other jobs) hits every setting alike."""
    servers = {}
    try:
        for setting, start in settings.items():
            servers[setting] = start()
    except InputError:
        for server in servers.values():
            server.stop()
        raise
    latencies, seconds, errors = ({setting: kind() for setting in settings} for kind in (list, float, int))
    try:
        for server in servers.values():
            asyncio.run(load(server.port, request, min(WARMUP_REQUESTS, total), clients))
        before = {setting: server.rss_mb() for setting, server in servers.items()}
        for _ in range(ROUNDS):
            for setting, server in servers.items():
                started = time.perf_counter()
                times, failed = asyncio.run(load(server.port, request, total // ROUNDS, clients))
                seconds[setting] += time.perf_counter() - started
                latencies[setting] += times
                errors[setting] += failed
        after = {setting: server.rss_mb() for setting, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    return [Load(setting, len(latencies[setting]), seconds[setting],
                 *(float(p) for p in np.percentile(latencies[setting], [50, 99]) * 1000), errors[setting],
                 before[setting], after[setting], servers[setting].ready_s) for setting in settings]
