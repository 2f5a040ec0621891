"""How much is timed and how: the median of several timed repetitions after a warm-up."""
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# Runs the command and writes "exit-code seconds peak-RSS-KiB" to the file named first. A child's peak
# RSS starts at its parent's RSS when forked, so it is measured from this small process, not from the
# benchmark's own, which holds PyTorch and JAX.
PROBE = '''\
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[2:]).returncode
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as report:
    report.write(f"{code} {seconds} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
'''


@dataclass(frozen=True)
class Sizes:
    train_images: int  # the first N training images, once per timed repetition
    train_repeats: int
    test_images: int  # the first N test images: inference at every batch size, and accuracy
    repeats: int  # of the inference and start-up measurements
    sweep_images: int  # training images of each training in the sweep engines' plan


FULL = Sizes(train_images=60_000, train_repeats=3, test_images=10_000, repeats=5, sweep_images=15_000)
QUICK = Sizes(train_images=640, train_repeats=1, test_images=200, repeats=1, sweep_images=128)


def seconds_of(run: Callable[[], object], repeats: int, warmups: int = 1) -> list[float]:
    """Wall times of `repeats` calls of `run()`, after `warmups` untimed ones."""
    for _ in range(warmups):
        run()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def median_seconds(run: Callable[[], object], repeats: int, warmups: int = 1) -> float:
    """Median wall time of `run()` over `repeats` calls, after `warmups` untimed ones."""
    return statistics.median(seconds_of(run, repeats, warmups))


def median_after_warmup(seconds: Iterable[float], warmups: int = 1) -> float:
    """Median of timings that a loop yields itself (a training loop per pass), the first `warmups` dropped."""
    return statistics.median(list(seconds)[warmups:])


def timed_process(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, output) of one run of `command`, measured by PROBE."""
    with tempfile.NamedTemporaryFile("r") as report:
        done = subprocess.run([sys.executable, "-c", PROBE, report.name, *command], cwd=cwd, text=True,
                              capture_output=True)
        fields = report.read().split()
    if done.returncode != 0 or fields[:1] != ["0"]:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()}")
    _, seconds, max_rss_kib = fields
    return float(seconds), int(max_rss_kib) / 1024, done.stdout.strip()


def process_tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (a server's workers), in MB (Linux /proc)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return sum(_rss_kib(int(process)) for process in [pid, *children]) / 1024


def _rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
