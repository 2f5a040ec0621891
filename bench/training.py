"""Training throughput of the reference loop, its Keras/JAX twin and the classic DataLoader loop.

All three train the same network with the seed recipe (SGD lr 0.01, momentum 0.5, batch 64, seed 1)
on the same first N training images: one warm-up pass, then the timed passes, the reference's and the
twin's taken in turn (`alternated`). The test accuracy after all of them shows whether the loops learned
the same.
"""
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from bench import classic_loop
from bench.ceiling import training_flops
from bench.timing import Sizes, median_after_warmup, median_seconds
from keras_impl import train as keras_train
from recipe.settings import SEED
from runtime.data import mnist
from torch_impl.data import as_tensors
from torch_impl.model import Net
from torch_impl.train import evaluate, make_optimizer, make_repeatable, seeded_model, trained_epochs

EPOCH = 60_000  # images in one MNIST training epoch


@dataclass(frozen=True)
class TrainingResult:
    loop: str
    seconds: float  # median of one pass over `images`
    images: int
    test_accuracy: float

    @property
    def images_per_second(self) -> float:
        return self.images / self.seconds

    @property
    def gflops(self) -> float:
        """The rate of the network's counted training FLOPs (bench.ceiling), in GFLOP/s."""
        return self.images_per_second * training_flops(SEED) / 1e9

    @property
    def seconds_per_epoch(self) -> float:
        return EPOCH / self.images_per_second


class Loop(NamedTuple):
    """A training loop ready to run: its passes run as they are iterated."""
    name: str
    passes: Iterator[float]  # seconds of each pass over `images`, the first a warm-up
    images: int
    test_accuracy: Callable[[], float]  # after the passes


def reference(data: mnist.Mnist, repeats: int) -> Loop:
    """torch_impl's own loop: batches sliced from normalised tensors held in memory."""
    train_x, train_y, test_x, test_y = as_tensors(data)
    config = replace(SEED, epochs=1 + repeats)
    model = seeded_model(config)
    return Loop("PyTorch reference", trained_epochs(model, config, train_x, train_y), len(train_x),
                lambda: evaluate(model, test_x, test_y)[1])


def classic(data: mnist.Mnist, data_dir: Path, repeats: int) -> TrainingResult:
    """pytorch/examples' loop over torchvision.datasets.MNIST, reading the IDX files in `data_dir`."""
    _, _, test_x, test_y = as_tensors(data)
    with tempfile.TemporaryDirectory() as root:
        root = classic_loop.dataset_root(data_dir, Path(root))
        loader = classic_loop.train_loader(root, len(data.train_images), SEED.batch_size, SEED.seed)
        make_repeatable(SEED.seed)
        model = Net()
        optimizer = make_optimizer(model, SEED)
        seconds = median_seconds(lambda: classic_loop.train_pass(model, optimizer, loader), repeats)
    return TrainingResult("classic DataLoader", seconds, len(data.train_images), evaluate(model, test_x, test_y)[1])


def keras_twin(data: mnist.Mnist, repeats: int) -> Loop:
    """keras_impl's loop: model.fit on in-memory arrays, one call per pass, as keras_impl.train does; its first
    pass compiles."""
    train_x, train_y, test_x, test_y = keras_train.as_data(data)
    config = replace(SEED, epochs=1 + repeats)
    model = keras_train.seeded_model(config)
    return Loop("Keras/JAX twin", keras_train.trained_epochs(model, config, train_x, train_y), len(train_x),
                lambda: keras_train.evaluate(model, test_x, test_y, config.test_batch_size)[1])


def alternated(*loops: Loop) -> list[TrainingResult]:
    """Each loop's passes in turn, one pass of each at a time, then each one's median pass after its warm-up: a
    load on the machine that comes and goes falls on all of them alike, and their ratio is what is compared.
    The loops share no random state (PyTorch's and JAX's generators are their own)."""
    rounds = list(zip(*(loop.passes for loop in loops)))
    return [TrainingResult(loop.name, median_after_warmup(seconds), loop.images, loop.test_accuracy())
            for loop, seconds in zip(loops, zip(*rounds))]


class Training(NamedTuple):
    reference: TrainingResult
    keras: TrainingResult
    classic: TrainingResult


def run(data: mnist.Mnist, data_dir: Path, sizes: Sizes) -> Training:
    """Train on the first sizes.train_images images; test on the first sizes.test_images."""
    data = mnist.Mnist(data.train_images[:sizes.train_images], data.train_labels[:sizes.train_images],
                       data.test_images[:sizes.test_images], data.test_labels[:sizes.test_images])
    repeats = sizes.train_repeats
    torch_result, keras_result = alternated(reference(data, repeats), keras_twin(data, repeats))
    return Training(torch_result, keras_result, classic(data, data_dir, repeats))
