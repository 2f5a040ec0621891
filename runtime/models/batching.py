"""Dynamic batching: calls from many threads or tasks that arrive together run as one call of the model.

onnxruntime reads a batch of 64 digits in about a sixth of the time per image of a batch of one
(bench/RESULTS.md); a server answering many small requests gains that by batching them.
"""
import queue
import threading
import time
from collections.abc import Callable

import numpy as np

from runtime.models.contract import OnnxModel, as_input

Run = Callable[[np.ndarray], np.ndarray]  # [N, ...] -> [N, ...]
# `runtime serve`'s defaults. Max batch from a grid of bench/serving.py runs (32 clients of one digit each, max
# batch 8/32/64 on 2 shared cores: within the noise). No wait: a batch is what queued while the last one ran.
# On the KServe route 0 and 1 ms gave the same (4,197 and 4,296 requests/s, 32 clients, p99 20 and 19 ms); on
# POST /predict, whose pictures are read one at a time, waiting is pure loss (448 and 298 requests/s).
MAX_BATCH = 32
MAX_WAIT_MS = 0.0


class _Job:
    def __init__(self, inputs: np.ndarray, done: Callable[[], object]) -> None:
        self.inputs = inputs
        self.done = done  # called by the worker once outputs or error is set
        self.outputs: np.ndarray | None = None
        self.error: BaseException | None = None

    def result(self) -> np.ndarray:
        if self.error is not None:
            raise self.error
        return self.outputs


class Batcher:
    """A run function that is safe to call from many threads at once.

    One worker thread takes the first waiting call, then gathers the calls arriving within
    `max_wait_s` of it until `max_batch` inputs are pending, runs them as one concatenated batch,
    and hands each caller its rows. A call larger than `max_batch` runs whole; `max_batch=1`
    turns batching off (every call runs on its own, one at a time).
    """

    def __init__(self, run: Run, max_batch: int, max_wait_s: float) -> None:
        if max_batch < 1 or max_wait_s < 0:
            raise ValueError(f"need max_batch >= 1 and max_wait_s >= 0, got {max_batch} and {max_wait_s}")
        self._run, self.max_batch, self.max_wait_s = run, max_batch, max_wait_s
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._worker = threading.Thread(target=self._serve, name="batcher", daemon=True)
        self._worker.start()

    def __call__(self, inputs: np.ndarray) -> np.ndarray:
        done = threading.Event()
        job = _Job(np.asarray(inputs), done.set)
        self._jobs.put(job)
        done.wait()
        return job.result()

    async def run_async(self, inputs: np.ndarray) -> np.ndarray:
        """The same as a call, awaited on an event loop: no thread waits for the batch."""
        import asyncio  # here, not above: 25 ms of every `runtime` command's start-up, for the server alone

        loop = asyncio.get_running_loop()
        done = loop.create_future()
        job = _Job(np.asarray(inputs), lambda: loop.call_soon_threadsafe(done.set_result, None))
        self._jobs.put(job)
        await done
        return job.result()

    def close(self) -> None:
        """Finish the calls already waiting, then stop the worker."""
        self._jobs.put(None)
        self._worker.join()

    def _serve(self) -> None:
        while (first := self._jobs.get()) is not None:
            jobs, stop = self._gather(first)
            self._run_together(jobs)
            if stop:
                return

    def _gather(self, first: _Job) -> tuple[list[_Job], bool]:
        """The jobs of one batch, and whether close() was called meanwhile."""
        jobs, size = [first], len(first.inputs)
        deadline = time.monotonic() + self.max_wait_s
        while size < self.max_batch:
            try:
                job = self._jobs.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if job is None:
                return jobs, True
            jobs.append(job)
            size += len(job.inputs)
        return jobs, False

    def _run_together(self, jobs: list[_Job]) -> None:
        try:
            outputs = self._run(np.concatenate([job.inputs for job in jobs]))
            ends = np.cumsum([len(job.inputs) for job in jobs])
            for job, rows in zip(jobs, np.split(outputs, ends[:-1])):
                job.outputs = rows
        except Exception as error:  # handed to every caller of the batch, the worker lives on
            for job in jobs:
                job.error = error
        for job in jobs:
            job.done()


class BatchedModel:
    """An OnnxModel whose calls, from many threads or tasks, run together in batches: `run` (blocking),
    `run_async` (awaited on an event loop) and `close` (finish what waits, stop the worker)."""

    def __init__(self, net: OnnxModel, max_batch: int = MAX_BATCH, max_wait_ms: float = MAX_WAIT_MS) -> None:
        self.net = net
        self.kind, self.metadata = net.kind, net.metadata
        self._batcher = Batcher(net.run, max_batch, max_wait_ms / 1000)

    def run(self, images01: np.ndarray) -> np.ndarray:
        """As OnnxModel.run. Calls of [N, 28, 28] and of [N, 1, 28, 28] images share batches: each is
        shaped as the graph's input before it waits."""
        return self._batcher(as_input(images01))

    async def run_async(self, images01: np.ndarray) -> np.ndarray:
        return await self._batcher.run_async(as_input(images01))

    def close(self) -> None:
        self._batcher.close()
