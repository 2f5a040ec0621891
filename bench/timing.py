"""How much is timed and how: the median of several timed repetitions after a warm-up."""
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    train_images: int  # the first N training images, once per timed repetition
    train_repeats: int
    test_images: int  # the first N test images: inference at every batch size, and accuracy
    repeats: int  # of the inference and start-up measurements
    sweep_images: int  # training images of each training in the sweep engines' plan


FULL = Sizes(train_images=60_000, train_repeats=3, test_images=10_000, repeats=5, sweep_images=15_000)
QUICK = Sizes(train_images=640, train_repeats=1, test_images=200, repeats=1, sweep_images=128)


def median_seconds(run: Callable[[], object], repeats: int, warmups: int = 1) -> float:
    """Median wall time of `run()` over `repeats` calls, after `warmups` untimed ones."""
    for _ in range(warmups):
        run()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def median_after_warmup(seconds: Iterable[float], warmups: int = 1) -> float:
    """Median of timings that a loop yields itself (a training loop per pass), the first `warmups` dropped."""
    return statistics.median(list(seconds)[warmups:])
