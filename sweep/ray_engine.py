"""Trials as Ray tasks (Ray core): on a local instance started here, or on a cluster joined by address.

MNIST goes into Ray's object store once; each task reads it from there (zero-copy on its node). Ray runs a
task again when its worker process dies; a trial that raises comes back as a Failure like in sweep.engines."""
import os
from importlib import import_module

from runtime.data import mnist
from runtime.errors import InputError
from sweep.engines import ATTEMPTS, Failure, Finished, Train, attempt, one_line
from sweep.trial import Trial

INSTALL = 'pip install ".[distributed]" (in the repository)'


def ray_module(local: bool = False):
    """Ray, or InputError saying how to install it. `local`: the instance will be started here, for this machine.

    Ray binds a node to the machine's network address, open to other hosts; for an instance of its own it keeps
    to 127.0.0.1 under this switch (named for the platforms where that is the default, read when Ray is imported)."""
    if local:
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    try:
        return import_module("ray")
    except ImportError:
        raise InputError(f"--engine ray needs Ray, an optional extra: {INSTALL}") from None


def trials_on_ray(trials: list[Trial], data: mnist.Mnist, train: Train, workers: int | None,
                  address: str | None, gpus_per_trial: float) -> Finished:
    """Run on the Ray instance this process has already joined, else on the cluster at `address`, else on a
    local instance of `workers` trials' CPUs, shut down at the end; at most `workers` trials in flight."""
    ray = ray_module(local=address is None)
    threads = trials[0].threads
    started_here = not ray.is_initialized()
    if started_here:
        join(ray, address, None if address else workers * threads)
    try:
        remote_attempt = ray.remote(attempt).options(num_cpus=threads, num_gpus=gpus_per_trial,
                                                     max_retries=ATTEMPTS - 1)  # retried when its worker dies
        yield from _finished(ray, trials, ray.put(data), train, workers, remote_attempt)
    finally:
        if started_here:
            ray.shutdown()


def join(ray, address: str | None, cpus: int | None) -> None:
    """Join the cluster at `address`, or else start a new local instance: "local", as Ray's default would join
    the last cluster `ray start` started on this machine, or the one RAY_ADDRESS names."""
    try:
        ray.init(address=address or "local", num_cpus=cpus, include_dashboard=False, log_to_driver=False,
                 logging_level="ERROR")
    except (ConnectionError, ValueError, RuntimeError) as error:
        hint = " (a cluster with token authentication: set RAY_AUTH_MODE=token)" if address else ""
        raise InputError(f"cannot start or join Ray{f' at {address}' if address else ''}: "
                         f"{' '.join(str(error).split())}{hint}") from None


def _finished(ray, trials: list[Trial], data_ref, train: Train, workers: int | None, remote_attempt) -> Finished:
    """Submit up to `workers` tasks at a time, yield each as it finishes.

    On Ctrl-C the tasks in flight end with this driver's job: a local instance is shut down, and a cluster's
    raylets stop the workers of a job whose driver has left. They are not cancelled: ray.cancel racing a task
    that was just finishing aborted the driver ("Tried to complete task that was not pending", Ray 2.60, in CI)."""
    waiting, running = list(reversed(trials)), {}
    while waiting or running:
        while waiting and (workers is None or len(running) < workers):
            trial = waiting.pop()
            running[remote_attempt.remote(train, trial, data_ref)] = trial
        [ref], _ = ray.wait(list(running), num_returns=1)
        trial = running.pop(ref)
        try:
            yield trial, ray.get(ref)
        except ray.exceptions.RayError as error:  # its worker died in every attempt, or its node left
            yield trial, Failure(one_line(error))
