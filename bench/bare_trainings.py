"""One bare process of the sweep ceiling: no engine, no pipe. It imports PyTorch, loads MNIST from disk and trains
its share of bench.sweeps' plan on 1 thread, one training after another, then prints its start-up seconds (imports
and MNIST) and its training seconds.

`python -m bench.bare_trainings DATA_DIR SWEEP_IMAGES TEST_IMAGES INDEX WORKERS`: trains plan[INDEX::WORKERS]."""
import time

started = time.perf_counter()

import sys  # noqa: E402  (the imports are what the start-up measures)

from bench.sweeps import plan  # noqa: E402
from bench.timing import Sizes  # noqa: E402
from runtime.data import mnist  # noqa: E402
from sweep import trial  # noqa: E402
from torch_impl import train  # noqa: E402, F401  (what trial.train would import at its first training)


def main(data_dir: str, sweep_images: str, test_images: str, index: str, workers: str) -> None:
    data = mnist.load(data_dir)
    ready = time.perf_counter()
    sizes = Sizes(train_images=0, train_repeats=0, test_images=int(test_images), repeats=0,
                  sweep_images=int(sweep_images))
    for each in plan(1, sizes)[int(index)::int(workers)]:
        trial.train(each, data)
    print(ready - started, time.perf_counter() - ready)


if __name__ == "__main__":
    main(*sys.argv[1:])
