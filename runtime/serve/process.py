"""The server's processes: the app on uvicorn, in one process or in N workers sharing the port, until SIGTERM or
Ctrl-C, when every request in flight is finished first.

Workers bind the port each with SO_REUSEPORT, rather than uvicorn's `--workers`: the kernel spreads the
connections over the workers' own accept queues, each worker loads its own models and batchers, and the
supervisor stays ours (a bad model file is one line, however many workers find it; SIGTERM reaches every worker).
"""
import multiprocessing
import queue
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

import uvicorn

from runtime.errors import InputError
from runtime.serve.app import create_app, load_models

GRACE_S = 30  # the longest a stopping server waits for the requests in flight


@dataclass(frozen=True)
class Settings:
    """What each server process loads, and how its networks batch."""
    digits: Path
    embedding: Path
    references: Path
    max_batch: int
    max_wait_ms: float
    reject_below: float | None = None  # "not a digit" threshold; None: the graph's own


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> int:
    """Answer on host:port until SIGTERM or Ctrl-C; the exit code (0 once every request in flight is answered)."""
    if workers == 1:
        models = load_models(*_files(settings))
        listener = listen(host, port)
        _announce(listener)
        _run(models, listener)
        return 0
    return _supervise(settings, host, port, workers)


def listen(host: str, port: int, reuse_port: bool = False, backlog: int | None = 2048) -> socket.socket:
    """A TCP socket bound to host:port (port 0: any free one), listening unless `backlog` is None; InputError when
    the address cannot be had."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT if reuse_port else socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        if backlog is not None:
            listener.listen(backlog)
    except (OSError, OverflowError) as error:
        raise InputError(f"cannot listen on {host}:{port} ({getattr(error, 'strerror', None) or error})") from None
    return listener


def _files(settings: Settings) -> tuple:
    return (settings.digits, settings.embedding, settings.references, settings.max_batch, settings.max_wait_ms,
            settings.reject_below)


def _announce(listener: socket.socket, workers: int = 1) -> None:
    host, port = listener.getsockname()[:2]
    many = f"{workers} workers, " if workers > 1 else ""
    print(f"serving on http://{host}:{port} ({many}Ctrl-C to stop)", flush=True)


def _run(models, listener: socket.socket) -> None:
    """uvicorn on `listener` until SIGTERM or Ctrl-C, then the batchers stopped."""
    config = uvicorn.Config(create_app(models), log_level="warning", access_log=False,
                            timeout_graceful_shutdown=GRACE_S)
    # uvicorn re-raises the signal that stopped it once it has shut down; with handlers of our own in
    # place beforehand that is a no-op, and the process exits 0 as after any finished job.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda *_: None)
    uvicorn.Server(config).run(sockets=[listener])
    models.close()


def _worker(settings: Settings, host: str, port: int, ready) -> None:
    """One of N server processes: its own models and batchers, its own socket on the shared port."""
    try:
        listener = listen(host, port, reuse_port=True)
        models = load_models(*_files(settings))
    except InputError as error:
        ready.put(str(error))  # the supervisor says it, once
        sys.exit(1)
    ready.put(None)
    _run(models, listener)


def _supervise(settings: Settings, host: str, port: int, workers: int) -> int:
    reserved = listen(host, port, reuse_port=True, backlog=None)  # holds the port; never accepts
    port = reserved.getsockname()[1]
    stopping = threading.Event()
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda *_: stopping.set())
    context = multiprocessing.get_context("spawn")  # onnxruntime and uvicorn's loop are not fork-safe
    ready = context.Queue()
    processes = [context.Process(target=_worker, args=(settings, host, port, ready), name=f"worker-{index}")
                 for index in range(workers)]
    for process in processes:
        process.start()
    all_ready, problem = _all_ready(processes, ready, stopping)
    if all_ready:  # else InputError once the workers are stopped
        _announce(reserved, workers)
        while not stopping.is_set() and all(process.is_alive() for process in processes):
            wait([process.sentinel for process in processes], timeout=0.2)
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: the worker finishes its requests in flight
    for process in processes:
        process.join(GRACE_S + 5)
    reserved.close()
    if problem := problem or _first_problem(ready):
        raise InputError(problem)
    failed = [f"{process.name} exited with code {process.exitcode}" for process in processes if process.exitcode]
    if failed or not stopping.is_set():
        print(f"error: {'; '.join(failed) or 'a worker stopped'}", file=sys.stderr)
        return 1
    return 0


def _all_ready(processes: list, ready, stopping: threading.Event) -> tuple[bool, str | None]:
    """(whether every worker listens, the problem of the first that could not); False as soon as one could not,
    has died, or a stop was asked for. The supervisor only reads `ready` (a process that also puts on it has a
    feeder thread to join at exit: a 2-worker server refusing a bad model was once seen hung after its workers
    had gone, in a futex wait)."""
    count = 0
    while count < len(processes):
        if stopping.is_set() or not all(process.is_alive() for process in processes):
            return False, None
        try:
            problem = ready.get(timeout=0.2)
        except queue.Empty:
            continue
        if problem is not None:
            return False, problem
        count += 1
    return True, None


def _first_problem(ready) -> str | None:
    """The first problem a worker put on `ready`, if any."""
    while True:
        try:
            if (problem := ready.get(timeout=0.1)) is not None:
                return problem
        except queue.Empty:
            return None
