"""Helpers of the runtime's tests, which also run in a virtual environment holding only the base
install (numpy, onnxruntime, OpenCV, typer): nothing here may need torch, keras or the repo's conftest."""
import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np
import pytest

from runtime.data import mnist

SHARED_DATA = Path(os.environ.get("SHARED_DATA", "../shared/data"))
MNIST_DIR = Path(os.environ.get("MNIST_DIR", mnist.DEFAULT_DIR))
FORBIDDEN = ("torch", "torchvision", "keras", "jax", "jaxlib", "tensorflow", "matplotlib")


def mnist_test_set() -> mnist.Mnist:
    return mnist.load(MNIST_DIR)


def write_digits(folder: Path, images: np.ndarray, labels: np.ndarray) -> list[Path]:
    """MNIST digits as pictures the way people make them: dark ink on light paper, 4x larger."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, (image, label) in enumerate(zip(images, labels)):
        picture = 255 - cv2.resize(image, (112, 112), interpolation=cv2.INTER_CUBIC)
        paths.append(folder / f"{label}_{index:03d}.png")
        cv2.imwrite(str(paths[-1]), picture)
    return paths


def shared_folder(name: str) -> Path:
    folder = SHARED_DATA / name
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    return folder


def digit(value: int = 255) -> np.ndarray:
    """A 300x300 grey picture of a dark 3 on paper of brightness `value`."""
    image = np.full((300, 300), value, np.uint8)
    cv2.putText(image, "3", (80, 230), cv2.FONT_HERSHEY_SIMPLEX, 7, 0, 25, cv2.LINE_AA)
    return image


def encoded(image: np.ndarray, ext: str = ".png") -> bytes:
    return cv2.imencode(ext, image)[1].tobytes()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def offline_env(tmp_path: Path) -> dict[str, str]:
    """The environment with every download failing at once: proxies on a closed port, no npm on PATH."""
    env = {key: value for key, value in os.environ.items() if key.lower() != "no_proxy"}
    closed = "http://127.0.0.1:9"
    empty_bin = tmp_path / "empty-bin"
    empty_bin.mkdir(exist_ok=True)
    return {**env, "http_proxy": closed, "https_proxy": closed, "HTTP_PROXY": closed, "HTTPS_PROXY": closed,
            "PATH": str(empty_bin)}


@contextmanager
def ctrl_c_reaches_children() -> Iterator[None]:
    """Processes started inside stop on SIGINT as from a terminal's Ctrl-C.  A shell that runs the tests
    in the background ignores SIGINT; children inherit an ignored signal (a handled one is reset to the
    default at exec), and Python then never raises KeyboardInterrupt."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_command(module: str, *args, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m module args` as a user runs it, offline, from `cwd` (so the installed package is used)."""
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=cwd, env=offline_env(cwd),
                          capture_output=True, encoding="utf-8", timeout=300)


def assert_one_error(run: subprocess.CompletedProcess, names: str, fragment: str) -> str:
    """Exit code 1, no traceback, and stderr exactly one `error: ...` line naming `names` and saying `fragment`."""
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    lines = run.stderr.splitlines()
    assert run.returncode == 1 and len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    assert names in lines[0] and fragment in lines[0], lines[0]
    return lines[0]


class Server(NamedTuple):
    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen
    log: Path  # its stderr


@contextmanager
def served(tmp_path: Path, *options: str) -> Iterator[Server]:
    """`runtime serve` in a process of its own on a free loopback port; stopped by SIGTERM to its pid,
    after which it must have exited 0."""
    pytest.importorskip("starlette", reason="runtime serve needs the [serve] extra")
    log = tmp_path / "server.log"
    with log.open("w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "runtime", "serve", "--port", "0", *options],
                                   stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=tmp_path)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        assert line.startswith("serving on http://127.0.0.1:"), f"{line!r} {log.read_text()}"
        yield Server(line.split()[2], process, log)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
