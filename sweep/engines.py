"""Where a sweep's trials run: one after another in this process, or in local worker processes
(sweep.ray_engine runs them on Ray). Every engine yields (trial, outcome) as trials finish, in any order."""
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context

from runtime.data import mnist
from sweep.trial import Trial

ATTEMPTS = 3  # a trial whose worker process dies is run again, at most this many times in all


@dataclass(frozen=True)
class Failure:
    error: str  # one line: "ValueError: ..."


History = list[dict]  # per epoch {"epoch", "test_loss", "test_accuracy", "seconds"}
Outcome = History | Failure
Train = Callable[[Trial, mnist.Mnist], History]  # sweep.trial.train, or a test's stand-in
Finished = Iterator[tuple[Trial, Outcome]]


def attempt(train: Train, trial: Trial, data: mnist.Mnist) -> Outcome:
    """The trial's history, or the error it raised as a Failure (so that the sweep goes on)."""
    try:
        return train(trial, data)
    except Exception as error:
        return Failure(one_line(error))


def one_line(error: BaseException, limit: int = 300) -> str:
    """'ValueError: its message', its lines joined, cut at `limit` characters."""
    return f"{type(error).__name__}: {' '.join(str(error).split())}"[:limit]


def local(trials: list[Trial], data: mnist.Mnist, train: Train) -> Finished:
    """In this process, in order."""
    for trial in trials:
        yield trial, attempt(train, trial, data)


def processes(trials: list[Trial], data: mnist.Mnist, train: Train, workers: int) -> Finished:
    """In `workers` worker processes, each sent the data once; trials lost with a dying worker are run again
    in a new pool. Workers fork from a fresh server process (no copy of the driver's threads): with "spawn",
    the pool made after a worker died failed to start on Python 3.11 (bad value(s) in fds_to_keep)."""
    tries = dict.fromkeys(trials, 0)
    todo = list(trials)
    while todo:
        broken = False
        pool = ProcessPoolExecutor(workers, mp_context=get_context("forkserver"), initializer=_start_worker,
                                   initargs=(data,))
        try:
            running = {pool.submit(_attempt_in_worker, train, trial): trial for trial in todo}
            todo = []
            for future in as_completed(running):
                trial = running[future]
                try:
                    yield trial, future.result()
                except BrokenProcessPool:
                    broken = True
                    tries[trial] += 1
                    if tries[trial] < ATTEMPTS:
                        todo.append(trial)
                    else:
                        yield trial, Failure(f"its worker process died in each of {ATTEMPTS} attempts")
        except BaseException:  # Ctrl-C, or the caller stopped: shutdown alone would wait for the trials in flight
            for process in list(pool._processes.values()):  # Python 3.14: pool.terminate_workers()
                process.kill()
            raise
        finally:  # a broken pool's manager thread may never be joined (seen on Python 3.11): do not wait for it
            pool.shutdown(wait=not broken, cancel_futures=True)


_worker_data: mnist.Mnist | None = None


def _start_worker(data: mnist.Mnist) -> None:
    global _worker_data
    _worker_data = data
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the driver stops us


def _attempt_in_worker(train: Train, trial: Trial) -> Outcome:
    return attempt(train, trial, _worker_data)

