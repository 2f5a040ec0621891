"""Wall time of one plan of trainings on each sweep engine, from submitting the first training to the last
result: `local` (one training at a time on every core) against `processes` and Ray (a training per core,
1 thread each). Ray's instance is started first and timed on its own, as a cluster would already be running."""
import os
import time
from dataclasses import dataclass, replace

import torch

from bench.timing import FULL, Sizes
from recipe.settings import Recipe, cores
from runtime.data import mnist
from sweep import engines, ray_engine, trial
from sweep.engines import Failure, Finished
from sweep.trial import Trial

DROPOUTS = (0.2, 0.4, 0.6, 0.8)
SEEDS = (1, 2)  # 4 dropouts x 2 seeds: 8 trainings


@dataclass(frozen=True)
class SweepTimes:
    trainings: int
    images: int  # training images per training (one epoch)
    local: float  # seconds
    processes: float
    ray: float
    ray_startup: float
    cores: int


def plan(threads: int, sizes: Sizes) -> list[Trial]:
    """One epoch on the first sizes.sweep_images images, tested on the first sizes.test_images."""
    config = Recipe(epochs=1, train_limit=sizes.sweep_images, test_limit=sizes.test_images)
    return [Trial("torch", replace(config, dropout=dropout), seed, threads) for dropout in DROPOUTS for seed in SEEDS]


def drained(finished: Finished) -> float:
    """Seconds until the engine's last result; every training must succeed."""
    started = time.perf_counter()
    for done, outcome in finished:
        if isinstance(outcome, Failure):
            raise RuntimeError(f"{trial.describe(done)}: {outcome.error}")
    return time.perf_counter() - started


def run(data: mnist.Mnist, sizes: Sizes) -> SweepTimes:
    workers = cores()  # one training per core, on 1 thread each; `local` runs one on every core
    threads_before = torch.get_num_threads()
    local = drained(engines.local(plan(workers, sizes), data, trial.train))
    torch.set_num_threads(threads_before)  # the local engine pinned this process's threads
    processes = drained(engines.processes(plan(1, sizes), data, trial.train, workers))
    ray = ray_engine.ray_module(local=True)
    started = time.perf_counter()
    ray_engine.join(ray, None, workers)
    ray_startup = time.perf_counter() - started
    try:
        on_ray = drained(ray_engine.trials_on_ray(plan(1, sizes), data, trial.train, workers, None, 0))
    finally:
        ray.shutdown()
    return SweepTimes(len(DROPOUTS) * len(SEEDS), sizes.sweep_images, local, processes, on_ray, ray_startup, workers)


def main() -> None:
    """`python -m bench.sweeps`: this comparison alone, printed (`python -m bench` writes it to RESULTS.md)."""
    times = run(mnist.load(mnist.DEFAULT_DIR), FULL)
    print(f"{times.trainings} trainings of {times.images:,} images on {times.cores} cores: local {times.local:.1f} s, "
          f"processes {times.processes:.1f} s, Ray {times.ray:.1f} s (start-up {times.ray_startup:.1f} s on its own); "
          f"local / processes {times.local / times.processes:.2f}x, local / Ray {times.local / times.ray:.2f}x; "
          f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
