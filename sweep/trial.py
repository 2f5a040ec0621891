"""One training of a sweep as a value any worker can run: (framework, configuration, seed, threads).

A worker pins the trial's threads, then trains with the framework's seeded loop, so the same trial gives
the same per-epoch losses and accuracies in this process, in a worker process or on another machine."""
import os
import sys
from dataclasses import dataclass

from rich.progress import Progress

from runtime import mnist
from sweep.config import DIMENSIONS, NetConfig, show

# XLA has no thread-count flag: its CPU backend runs on one thread with this flag, else on every core.
XLA_ONE_THREAD = "--xla_cpu_multi_thread_eigen=false"


@dataclass(frozen=True)
class Trial:
    framework: str  # a key of sweep.config.FRAMEWORKS
    config: NetConfig
    seed: int
    threads: int  # intra-op threads of the framework


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


def train(trial: Trial, data: mnist.Mnist) -> list[dict]:
    """Per epoch {"epoch", "test_loss", "test_accuracy", "seconds"} of the trial trained on `data`
    (converted here, in the worker, to its framework's layout); imports only that framework."""
    with Progress(disable=True) as progress:  # the trainers' batch progress: one bar per sweep instead
        task = progress.add_task("")
        if trial.framework == "keras":
            pin_xla_threads(trial.threads)
            from keras_impl.train import as_arrays
            from sweep.keras_train import train_variant
            return train_variant(trial.config, trial.seed, progress, task, as_arrays(data))
        import torch

        from sweep.torch_train import train_variant
        from torch_impl.data import as_tensors
        torch.set_num_threads(trial.threads)
        return train_variant(trial.config, trial.seed, progress, task, as_tensors(data))


def pin_xla_threads(threads: int) -> None:
    """Set XLA's thread flag before JAX starts (it reads XLA_FLAGS once); refuse what it cannot give."""
    if threads not in (1, cores()):
        raise ValueError(f"the Keras twin runs XLA on 1 thread or on all {cores()} cores, not {threads}")
    flags = os.environ.get("XLA_FLAGS", "")
    if "jax" in sys.modules:
        if (XLA_ONE_THREAD in flags) != (threads == 1):
            raise RuntimeError(f"JAX started in this process with other threads than {threads}")
    elif threads == 1 and XLA_ONE_THREAD not in flags:
        os.environ["XLA_FLAGS"] = f"{flags} {XLA_ONE_THREAD}".strip()


def describe(trial: Trial) -> str:
    """'torch dropout 0.25, epochs 7, seed 2': what differs from the reference, and the seed."""
    reference = NetConfig()
    changed = [f"{name} {show(getattr(trial.config, name))}" for name in DIMENSIONS
               if getattr(trial.config, name) != getattr(reference, name)]
    return f"{trial.framework} {', '.join(changed) or 'reference'}, seed {trial.seed}"
