"""`runtime serve` under load, on the loopback interface: 32 clients, each sending one 28x28 picture
per request (POST /predict, or its tensor to the KServe route) as soon as its previous answer is in, with
dynamic batching on and off and, on /predict, 2 worker processes; then one photo over HTTP against
`runtime predict` of the same photo as a new process.

`python -m bench.serving` runs this part alone (no PyTorch needed) and writes its section of RESULTS.md.
"""
import asyncio
import importlib.metadata
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import typer

from bench import peer_servers
from bench.load import HOST, ROUNDS, WARMUP_REQUESTS, Load, Server, exchange, measure_loads, post
from bench.pictures import write_picture
from bench.ratio import Ratio
from bench.sections import with_section
from bench.timing import median_seconds, timed_process
from runtime import atomic
from runtime.data import mnist
from runtime.errors import InputError, run_cli
from runtime.models import DigitModel, batching

CLIENTS = 32
REQUESTS = 20_000
QUICK_REQUESTS = 200
PHOTO_REPEATS = 20
SECTION = "## Serving"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
QUICK_RESULTS = Path("out/bench-serving-quick.md")  # smoke numbers never overwrite the real ones


@dataclass(frozen=True)
class Photo:
    http_ms: float  # median of POST /predict to a running server
    process_s: float  # median of `runtime predict` as a new process
    answer: str


BATCHING_ON = f"batching on (max batch {batching.MAX_BATCH}, max wait {batching.MAX_WAIT_MS:g} ms)"
BATCHING_OFF = "batching off (max batch 1)"
TWO_WORKERS = "2 workers (--workers 2), batching on"
SETTINGS = {BATCHING_ON: lambda: Server(), BATCHING_OFF: lambda: Server("--max-batch", "1")}
MLSERVER_ON = "MLServer, adaptive batching on (max batch 32, max wait 1 ms)"
MLSERVER_OFF = "MLServer, adaptive batching off"
KSERVE_SERVER = "KServe ModelServer"
PEERS = {MLSERVER_ON: lambda: peer_servers.mlserver(True), MLSERVER_OFF: lambda: peer_servers.mlserver(False),
         KSERVE_SERVER: peer_servers.kserve}


@dataclass(frozen=True)
class Serving:
    loads: dict[str, dict[str, Load]]  # payload -> setting -> its load
    photo: Photo
    network_us: dict[int, float]  # batch size -> microseconds per image of the network alone, as served


def time_network(digit: np.ndarray) -> dict[int, float]:
    """Microseconds per image of DigitModel.run alone (as the server sets it up), at batch 1 and at the
    largest batch: the most that batching can save, whatever the HTTP around it costs."""
    model = DigitModel(spin_wait=False)

    def microseconds(size: int, calls: int) -> float:
        batch = np.repeat(digit[None] / np.float32(255), size, axis=0)
        return median_seconds(lambda: [model.run(batch) for _ in range(calls)], 5) / calls / size * 1e6
    return {size: microseconds(size, calls) for size, calls in ((1, 2000), (batching.MAX_BATCH, 100))}


def measure_photo(photo: Path) -> Photo:
    """One photo: POST /predict to a running server against `runtime predict` as a new process."""
    request = post("/predict", photo.read_bytes(), "image/png")
    server = Server()
    try:
        async def sequential() -> list[float]:
            reader, writer = await asyncio.open_connection(HOST, server.port)
            times = []
            for _ in range(1 + PHOTO_REPEATS):
                started = time.perf_counter()
                if not await exchange(reader, writer, request):
                    raise InputError(f"{photo}: the server did not read it")
                times.append(time.perf_counter() - started)
            writer.close()
            return times[1:]
        http_ms = statistics.median(asyncio.run(sequential())) * 1000
    finally:
        server.stop()
    command = [sys.executable, "-m", "runtime", "predict", photo.name]
    runs = [timed_process(command, photo.parent) for _ in range(4)][1:]  # the first warms the file cache
    return Photo(http_ms, statistics.median(run[0] for run in runs), runs[-1][2])


PREDICT = "POST /predict, a 28x28 PNG"
KSERVE = "KServe infer, a [1, 1, 28, 28] tensor"


def payloads(digit: np.ndarray) -> dict[str, bytes]:
    """One 28x28 MNIST digit (ink bright) as each route takes it: a PNG of it as people draw it (dark on
    light) to POST /predict, which preprocesses it; the network's input itself to the KServe route."""
    tensor = {"inputs": [{"name": "image", "shape": [1, 1, 28, 28], "datatype": "FP32",
                          "data": np.round(digit / 255, 4).ravel().tolist()}]}
    return {PREDICT: post("/predict", cv2.imencode(".png", 255 - digit)[1].tobytes(), "image/png"),
            KSERVE: post("/v2/models/digits/infer", json.dumps(tensor).encode(),
                                                          "application/json")}


def run(digit: np.ndarray, photo: Path, quick: bool = False) -> Serving:
    """Batching on (the serve defaults) and off for each payload of `digit`, and 2 workers on /predict; then
    `photo`."""
    total = QUICK_REQUESTS if quick else REQUESTS
    loads = {}
    for payload, request in payloads(digit).items():
        extra = {TWO_WORKERS: lambda: Server("--workers", "2")} if payload == PREDICT else PEERS
        settings = {**SETTINGS, **extra}
        loads[payload] = {load.setting: load for load in measure_loads(settings, request, total, CLIENTS)}
    return Serving(loads, measure_photo(photo), time_network(digit))


def batching_bound(serving: Serving, payload: str) -> float:
    """The most batching could speed a route up: a request's cost with batching off (machine seconds, 1 / its
    requests/s) over that cost less what the network saves per image at the largest batch."""
    single, batched = (us / 1e6 for us in serving.network_us.values())
    cost = 1 / serving.loads[payload][BATCHING_OFF].requests_per_second
    return cost / max(cost - (single - batched), 1e-9)


def best_peer(serving: Serving) -> Load:
    """The peer with the most requests/s on the KServe route."""
    return max((serving.loads[KSERVE][peer] for peer in PEERS), key=lambda load: load.requests_per_second)


def ratios(serving: Serving) -> list[Ratio]:
    found = []
    for payload, loads in serving.loads.items():
        on, off = loads[BATCHING_ON], loads[BATCHING_OFF]
        found += [Ratio(f"serving requests/s, {payload}: batching on / off (measured, no target)",
                        on.requests_per_second / off.requests_per_second),
                  Ratio(f"serving requests/s, {payload}: the most batching could give (network time saved)",
                        batching_bound(serving, payload)),
                  Ratio(f"serving latency, {payload}, batching on: p99 / p50", on.p99_ms / on.p50_ms, maximum=5.0)]
    predict = serving.loads[PREDICT]
    found += [Ratio(f"serving requests/s, batching on: {PREDICT} / {KSERVE}", predict[BATCHING_ON].requests_per_second
                    / serving.loads[KSERVE][BATCHING_ON].requests_per_second, 0.35),
              Ratio(f"serving requests/s, {PREDICT}: --workers 2 / --workers 1",
                    predict[TWO_WORKERS].requests_per_second / predict[BATCHING_ON].requests_per_second, 1.5)]
    ours, best = serving.loads[KSERVE][BATCHING_ON], best_peer(serving)
    found += [Ratio(f"serving requests/s, {KSERVE}: runtime serve / the best peer",
                    ours.requests_per_second / best.requests_per_second, 1.5),
              Ratio(f"serving latency p99, {KSERVE}: runtime serve / the best peer", ours.p99_ms / best.p99_ms,
                    maximum=1.0)]
    single, batched = serving.network_us.values()
    return found + [Ratio(f"the network alone, images/s: batch {batching.MAX_BATCH} / batch 1", single / batched),
                    Ratio("one photo: `runtime predict` as a process / POST /predict to `runtime serve`",
                          serving.photo.process_s * 1000 / serving.photo.http_ms)]


def rows(serving: Serving) -> list[str]:
    loads = [f"| serving, {CLIENTS} clients, {payload}: {run.setting} | {run.requests_per_second:,.0f} requests/s "
             f"over {run.requests:,} requests; latency p50 {run.p50_ms:.1f} ms, p99 {run.p99_ms:.1f} ms; "
             f"{run.errors} errors; server RSS {run.rss_before_mb:.0f} MB before, {run.rss_after_mb:.0f} MB after; "
             f"ready {run.ready_s:.1f} s after start |"
             for payload, runs in serving.loads.items() for run in runs.values()]
    network = "; ".join(f"{us:.0f} µs per image at batch {size}" for size, us in serving.network_us.items())
    photo = serving.photo
    return loads + [f"| the best peer on the KServe route | {best_peer(serving).setting} |",
                    f"| the network alone (DigitModel.run, as `runtime serve` sets it up) | {network} |",
                    f"| one photo: POST /predict to `runtime serve` | {photo.http_ms:.1f} ms (median of "
                    f"{PHOTO_REPEATS}) |",
                    f"| one photo: `runtime predict` as a process | {photo.process_s * 1000:.0f} ms "
                    f"(`{photo.answer}`) |"]


def section(serving: Serving, quick: bool, load_average: float) -> str:
    """RESULTS.md's serving section: ratios, then measurements; `load_average`: the machine's, before."""
    versions = ", ".join([*(f"{name} {importlib.metadata.version(name)}" for name in ("starlette", "uvicorn")),
                          *(f"peer {pin}" for pin in peer_servers.pins())])
    kind = "a quick smoke run (the ratios mean little)" if quick else \
        f"{REQUESTS:,} requests per payload and setting, in {ROUNDS} alternating rounds"
    return "\n".join([
        SECTION, "",
        f"Measured by `python -m bench.serving` on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {kind}, "
        f"{os.cpu_count()} logical CPUs shared by the server and the load (and other jobs: load average "
        f"{load_average:.1f} before the run); {versions}. Server and clients on "
        f"{HOST}; the server's memory is read after {WARMUP_REQUESTS} warm-up requests and after the run.", "",
        "| comparison | ratio | target | |", "| --- | ---: | --- | --- |",
        *(f"| {r.name} | {r.value:.3g}x | {r.target} | {r.marker} |" for r in ratios(serving)), "",
        "| what | measured |", "| --- | --- |", *rows(serving), "",
    ])


app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def serving_command(
    quick: bool = typer.Option(False, "--quick", help=f"{QUICK_REQUESTS} requests: a smoke test, not a measurement."),
    out: Path = typer.Option(None, help=f"Markdown file whose serving section is written or replaced (default "
                                        f"bench/RESULTS.md, or {QUICK_RESULTS} with --quick)."),
    data_dir: Path = typer.Option(mnist.DEFAULT_DIR, help="Folder of the MNIST IDX files (fetched if missing)."),
    photo: Path = typer.Option(None, help="A photo of a digit (default: an MNIST digit as `make bench` draws it)."),
) -> None:
    """Measure `runtime serve` under load and write the serving section of the results."""
    digit = mnist.load(data_dir).test_images[0]
    load_average = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        text = section(run(digit, photo or write_picture(Path(tmp) / "one.png", digit), quick), quick, load_average)
    typer.echo(text)
    out = out or (QUICK_RESULTS if quick else RESULTS)
    atomic.write_text(out, with_section(out.read_text() if out.is_file() else "", SECTION, text))


def main() -> None:
    run_cli(app)


if __name__ == "__main__":
    main()
