"""Where a sweep's trials run: one after another in this process, or in local worker processes
(sweep.ray_engine runs them on Ray). Every engine yields (trial, outcome) as trials finish, in any order."""
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait

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
    """In `workers` long-lived worker processes, each sent the data once; a trial whose worker dies goes to a new
    worker, at most ATTEMPTS times in all. Workers fork from a fresh server process (no copy of the driver's threads).

    Our own workers, not a ProcessPoolExecutor: a pool breaks when one worker dies, and on Python 3.11 the new pool's
    start raced the broken one's clean-up (a closed descriptor among those sent to the new worker: "Bad file
    descriptor" in CI with forkserver, "bad value(s) in fds_to_keep" with spawn), and joining that clean-up hung."""
    context = get_context("forkserver")
    tries = dict.fromkeys(trials, 0)
    todo = list(reversed(trials))  # popped from the end: in order
    busy: dict[_Worker, Trial] = {}
    idle: list[_Worker] = []
    try:
        while todo or busy:
            while todo and len(busy) < workers:
                worker = idle.pop() if idle else _Worker(context, data)
                busy[worker] = todo.pop()
                worker.connection.send((train, busy[worker]))
            for worker in _ready(busy):
                trial = busy.pop(worker)
                outcome = worker.answer()
                if outcome is None:  # the worker died with the trial
                    worker.stop()
                    tries[trial] += 1
                    if tries[trial] < ATTEMPTS:
                        todo.append(trial)
                    else:
                        yield trial, Failure(f"its worker process died in each of {ATTEMPTS} attempts")
                    continue
                idle.append(worker)
                yield trial, outcome
    finally:  # also on Ctrl-C, or when the caller stops early: no trial is left running
        for worker in [*busy, *idle]:
            worker.stop()


class _Worker:
    """One worker process and the driver's end of its pipe."""

    def __init__(self, context, data: mnist.Mnist):
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_work, args=(theirs, data), daemon=True)
        self.process.start()
        theirs.close()  # the worker's end lives in the worker only: its death reads as end of file here

    def answer(self) -> Outcome | None:
        """The outcome the worker sent, or None if it died."""
        try:
            return self.connection.recv() if self.connection.poll() else None
        except (EOFError, OSError):
            return None

    def stop(self) -> None:
        self.connection.close()
        self.process.kill()
        self.process.join()


def _ready(busy: dict[_Worker, Trial]) -> list[_Worker]:
    """The busy workers that have answered or died, once at least one has."""
    by_handle = {}
    for worker in busy:
        by_handle[worker.connection] = by_handle[worker.process.sentinel] = worker
    return list(dict.fromkeys(by_handle[handle] for handle in wait(list(by_handle))))


def _work(connection: Connection, data: mnist.Mnist) -> None:
    """A worker's life: (train, trial) in, its outcome out, until the driver closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the driver stops us
    while True:
        try:
            train, trial = connection.recv()
        except EOFError:
            return
        connection.send(attempt(train, trial, data))
