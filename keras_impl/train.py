"""Seeded training of the Keras twin, evaluated on train and test sets after every epoch."""
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import keras
import numpy as np

from keras_impl.model import build, to_inputs
from runtime import mnist
from runtime.mnist import DEFAULT_DIR

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class TrainConfig:
    """The reference's settings (torch_impl/config.py)."""
    epochs: int = 5
    batch_size: int = 64
    test_batch_size: int = 1000
    lr: float = 0.01
    momentum: float = 0.5
    seed: int = 1
    train_limit: int | None = None  # train on the first N images only (quick runs and tests)
    data_dir: Path = DEFAULT_DIR


@dataclass(frozen=True)
class EpochResult:
    epoch: int  # 0 is the untrained network
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    seconds: float  # training time of this epoch (the first includes compiling), evaluation excluded


def as_arrays(data: mnist.Mnist) -> Arrays:
    """(train images, train labels, test images, test labels): normalised [N, 28, 28, 1] and int32."""
    return (to_inputs(data.train_images / np.float32(255)), data.train_labels.astype(np.int32),
            to_inputs(data.test_images / np.float32(255)), data.test_labels.astype(np.int32))


def compiled(config: TrainConfig) -> keras.Model:
    return compile_nll(build(), keras.optimizers.SGD(config.lr, momentum=config.momentum))


def compile_nll(model: keras.Model, optimizer: keras.optimizers.Optimizer) -> keras.Model:
    """`model` (log-probabilities out) compiled to minimise the negative log-likelihood."""
    # log_softmax leaves log-probabilities unchanged, so "from logits" is their NLL.
    model.compile(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  jit_compile=True)
    return model


def evaluate(model: keras.Model, images: np.ndarray, labels: np.ndarray,
             batch_size: int = 1000) -> tuple[float, float]:
    """Mean negative log-likelihood and accuracy (0-1) in inference mode."""
    log_probs = model.predict(images, batch_size=batch_size, verbose=0)
    loss = -log_probs[np.arange(len(labels)), labels].mean()
    return float(loss), float((log_probs.argmax(1) == labels).mean())


def train(config: TrainConfig, data: Arrays | None = None,
          verbose: int | None = None) -> tuple[keras.Model, list[EpochResult]]:
    """Train from scratch; `data` is as_arrays(...), loaded when None; `verbose` is model.fit's (default:
    its progress bar in a terminal, nothing in a log, where the bar's redraws would pile up)."""
    train_x, train_y, test_x, test_y = data if data is not None else as_arrays(mnist.load(config.data_dir))
    train_x, train_y = train_x[:config.train_limit], train_y[:config.train_limit]
    keras.utils.set_random_seed(config.seed)
    model = compiled(config)

    def result(epoch: int, seconds: float) -> EpochResult:
        return EpochResult(epoch, *evaluate(model, train_x, train_y, config.test_batch_size),
                           *evaluate(model, test_x, test_y, config.test_batch_size), seconds)

    history = [result(0, 0.0)]
    verbose = (1 if sys.stdout.isatty() else 0) if verbose is None else verbose
    epochs = trained_epochs(model, train_x, train_y, config.batch_size, config.epochs, config.seed, verbose=verbose)
    for epoch, seconds in enumerate(epochs, 1):
        history.append(result(epoch, seconds))
        print(format_epoch(history[-1]))
    return model, history


def trained_epochs(model: keras.Model, images: np.ndarray, labels: np.ndarray, batch_size: int, epochs: int,
                   seed: int, callbacks: Sequence[keras.callbacks.Callback] = (),
                   verbose: int = 0) -> Iterator[float]:
    """Fit a compiled model one epoch at a time, yielding after each its training seconds (the first
    includes compiling); `seed` orders the batches."""
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(images))
        started = time.perf_counter()
        model.fit(images[order], labels[order], batch_size=batch_size, shuffle=False, verbose=verbose,
                  callbacks=list(callbacks))
        yield time.perf_counter() - started


def format_epoch(result: EpochResult) -> str:
    return (f"epoch {result.epoch}: train loss {result.train_loss:.4f} acc {100 * result.train_accuracy:.2f}% | "
            f"test loss {result.test_loss:.4f} acc {100 * result.test_accuracy:.2f}% ({result.seconds:.1f} s)")


def history_rows(history: list[EpochResult]) -> list[dict]:
    return [asdict(result) for result in history]
