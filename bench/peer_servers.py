"""The model servers an engineer would otherwise deploy, serving the same digits.onnx on the KServe v2 route:
MLServer with a custom onnxruntime runtime (bench/peers/mlserver_digits.py), adaptive batching on and off, and
KServe's Python ModelServer (bench/peers/kserve_digits.py). Each runs in a throw-away environment that uv builds
under out/peers/ on first use, pinned in bench/peers/requirements.txt, with onnxruntime and numpy at uv.lock's
versions and onnxruntime's threads set as `runtime serve` sets them.
"""
import importlib.metadata
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.load import HOST
from bench.timing import process_tree_rss_mb
from runtime.errors import InputError
from runtime.models import DIGITS

PEERS = Path(__file__).resolve().parent / "peers"
ENVIRONMENTS = Path(__file__).resolve().parents[1] / "out" / "peers"
READY_TIMEOUT_S = 180
# MLServer's adaptive batching, as `runtime serve` batches: up to 32 requests, waiting at most 1 ms.
ADAPTIVE = {"max_batch_size": 32, "max_batch_time": 0.001}


def pins() -> list[str]:
    """The peers' packages as requirements.txt pins them ("mlserver==1.7.1", ...)."""
    return [line for line in (PEERS / "requirements.txt").read_text().splitlines() if line and line[0] != "#"]


def environment(peer: str) -> Path:
    """The bin/ folder of `peer`'s environment ("mlserver" or "kserve"), built by uv if missing."""
    venv = ENVIRONMENTS / peer
    if (venv / "ready").is_file():
        return venv / "bin"
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    pinned = next(pin for pin in pins() if pin.startswith(f"{peer}=="))
    ours = [f"{name}=={importlib.metadata.version(name)}" for name in ("onnxruntime", "numpy")]
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), pinned, *ours],
                   check=True, timeout=1200)
    (venv / "ready").write_text(f"{pinned} {' '.join(ours)}\n")
    return venv / "bin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Peer:
    """A peer server in its own process, ready once GET /v2/health/ready answers 200; stopped by SIGTERM to its
    pid. The same interface as bench.load.Server: port, ready_s, rss_mb(), stop()."""

    def __init__(self, command: list[str], port: int, cwd: Path) -> None:
        self.port, self.cwd = port, cwd
        started = time.perf_counter()
        self.log = (cwd / "server.log").open("w")
        self.process = subprocess.Popen(command, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT)
        while not self._ready():
            if self.process.poll() is not None or time.perf_counter() - started > READY_TIMEOUT_S:
                self.stop()
                tail = (cwd / "server.log").read_text().strip().splitlines()[-1:] or ["no output"]
                raise InputError(f"{command[0]} did not become ready: {tail[0][:200]}")
            time.sleep(0.1)
        self.ready_s = time.perf_counter() - started

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{self.port}/v2/health/ready", timeout=1) as answer:
                return answer.status == 200
        except OSError:
            return False

    def rss_mb(self) -> float:
        return process_tree_rss_mb(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.cwd, ignore_errors=True)


def mlserver(adaptive_batching: bool) -> Peer:
    folder = Path(tempfile.mkdtemp(prefix="mlserver-"))
    port = free_port()
    for script in ("mlserver_digits.py", "onnx_session.py"):
        shutil.copy(PEERS / script, folder)
    (folder / "logging.json").write_text(json.dumps(
        {"version": 1, "disable_existing_loggers": False, "loggers": {"uvicorn.access": {"level": "WARNING"}}}))
    (folder / "settings.json").write_text(json.dumps(
        {"host": HOST, "http_port": port, "grpc_port": free_port(), "metrics_port": free_port(),
         "parallel_workers": 0, "logging_settings": "logging.json", "metrics_endpoint": None}))
    (folder / "digits").mkdir()
    (folder / "digits" / "model-settings.json").write_text(json.dumps(
        {"name": "digits", "implementation": "mlserver_digits.OnnxDigits", "parameters": {"uri": str(DIGITS)},
         **(ADAPTIVE if adaptive_batching else {"max_batch_size": 0})}))
    return Peer([str(environment("mlserver") / "mlserver"), "start", "."], port, folder)


def kserve() -> Peer:
    folder, port = Path(tempfile.mkdtemp(prefix="kserve-")), free_port()
    return Peer([str(environment("kserve") / "python"), str(PEERS / "kserve_digits.py"), "--model_path", str(DIGITS),
                 "--http_port", str(port), "--configure_logging", "false", "--enable_latency_logging", "false"],
                port, folder)
