"""Wall time of one plan of trainings on each sweep engine, from submitting the first training to the last
result: `local` (one training at a time on every core), `processes` and Ray (a training per core, 1 thread
each). Ray's instance is started first and timed on its own, as a cluster would already be running.

The ceiling of N workers on N cores: N bare processes started at once, each importing PyTorch, loading MNIST
and training its share of the plan on 1 thread (bench.bare_trainings); no engine can be faster than that."""
import os
import subprocess
import sys
import time
from pathlib import Path
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
    ceiling: float  # seconds of the bare processes, from starting them to the last one's exit
    worker_startup: float  # seconds for a bare process to import what a training needs and load MNIST
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


def bare_processes(data_dir: Path, sizes: Sizes, workers: int) -> tuple[float, float]:
    """(wall seconds, the slowest worker's start-up seconds) of `workers` bench.bare_trainings processes."""
    started = time.perf_counter()
    running = [subprocess.Popen([sys.executable, "-m", "bench.bare_trainings", str(data_dir), str(sizes.sweep_images),
                                 str(sizes.test_images), str(index), str(workers)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for index in range(workers)]
    answers = [process.communicate() for process in running]
    seconds = time.perf_counter() - started
    for process, (_, error) in zip(running, answers):
        if process.returncode != 0:
            raise RuntimeError(f"bench.bare_trainings failed: {error.strip()}")
    return seconds, max(float(output.split()[0]) for output, _ in answers)


def run(data: mnist.Mnist, data_dir: Path, sizes: Sizes) -> SweepTimes:
    workers = cores()  # one training per core, on 1 thread each; `local` runs one on every core
    threads_before = torch.get_num_threads()
    local = drained(engines.local(plan(workers, sizes), data, trial.train))
    torch.set_num_threads(threads_before)  # the local engine pinned this process's threads
    processes = drained(engines.processes(plan(1, sizes), data, trial.train, workers))
    ceiling, worker_startup = bare_processes(data_dir, sizes, workers)
    ray = ray_engine.ray_module(local=True)
    started = time.perf_counter()
    ray_engine.join(ray, None, workers)
    ray_startup = time.perf_counter() - started
    try:
        on_ray = drained(ray_engine.trials_on_ray(plan(1, sizes), data, trial.train, workers, None, 0))
    finally:
        ray.shutdown()
    return SweepTimes(len(DROPOUTS) * len(SEEDS), sizes.sweep_images, local, processes, on_ray, ray_startup, ceiling,
                      worker_startup, workers)


def main() -> None:
    """`python -m bench.sweeps`: this comparison alone, printed (`python -m bench` writes it to RESULTS.md)."""
    times = run(mnist.load(mnist.DEFAULT_DIR), mnist.DEFAULT_DIR, FULL)
    print(f"{times.trainings} trainings of {times.images:,} images on {times.cores} cores: local {times.local:.1f} s, "
          f"processes {times.processes:.1f} s, Ray {times.ray:.1f} s (start-up {times.ray_startup:.1f} s on its own), "
          f"{times.cores} bare processes {times.ceiling:.1f} s (start-up {times.worker_startup:.1f} s each); "
          f"ceiling / processes {times.ceiling / times.processes:.2f}x, "
          f"ceiling / Ray {times.ceiling / times.ray:.2f}x; "
          f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
