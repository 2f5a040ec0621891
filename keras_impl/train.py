"""Seeded training of the Keras twin, evaluated on train and test sets after every epoch."""
import time
from collections.abc import Iterator
from functools import partial

import keras
import numpy as np

from keras_impl.model import build, to_inputs
from recipe.history import EpochResult, OnBatch, OnEpoch, history
from recipe.settings import SEED, Recipe, limited
from runtime.data import mnist
from runtime.errors import InputError

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def as_data(data: mnist.Mnist) -> Arrays:
    """(train images, train labels, test images, test labels): normalised [N, 28, 28, 1] and int32."""
    return (to_inputs(data.train_images / np.float32(255)), data.train_labels.astype(np.int32),
            to_inputs(data.test_images / np.float32(255)), data.test_labels.astype(np.int32))


def seeded_model(recipe: Recipe) -> keras.Model:
    """The recipe's untrained network, its weights drawn from recipe.seed, compiled with its optimizer."""
    if recipe.augment or recipe.schedule != "constant" or recipe.outlier_exposure:
        raise InputError("the Keras twin trains without augmentation or outlier exposure, at a constant learning rate")
    keras.utils.set_random_seed(recipe.seed)
    model = build(recipe)
    # log_softmax leaves log-probabilities unchanged, so "from logits" is their NLL.
    model.compile(optimizer=make_optimizer(recipe), jit_compile=True,
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def make_optimizer(recipe: Recipe) -> keras.optimizers.Optimizer:
    """torch_impl.train.make_optimizer's, with PyTorch's settings (AdamW's eps 1e-8)."""
    if recipe.optimizer == "adamw":
        return keras.optimizers.AdamW(recipe.lr, weight_decay=recipe.weight_decay, epsilon=1e-8)
    if recipe.weight_decay:  # Keras decays SGD's weights decoupled from the gradient, PyTorch adds it to it
        raise InputError("the Keras twin trains SGD without weight decay")
    return keras.optimizers.SGD(recipe.lr, momentum=recipe.momentum)


def evaluate(model: keras.Model, images: np.ndarray, labels: np.ndarray,
             batch_size: int = 1000) -> tuple[float, float]:
    """Mean negative log-likelihood and accuracy (0-1) in inference mode."""
    log_probs = model.predict(images, batch_size=batch_size, verbose=0)
    loss = -log_probs[np.arange(len(labels)), labels].mean()
    return float(loss), float((log_probs.argmax(1) == labels).mean())


def train(recipe: Recipe = SEED, data: Arrays | None = None, on_batch: OnBatch | None = None,
          on_epoch: OnEpoch | None = None) -> tuple[keras.Model, list[EpochResult]]:
    """Train from scratch; `data` is as_data(...), loaded when None; the callbacks see every batch and epoch."""
    data = limited(recipe, data if data is not None else as_data(mnist.load(recipe.data_dir)))
    model = seeded_model(recipe)
    results = history(trained_epochs(model, recipe, *data[:2], on_batch),
                      partial(evaluate, model, batch_size=recipe.test_batch_size), data, on_epoch)
    return model, results


def trained_epochs(model: keras.Model, recipe: Recipe, images: np.ndarray, labels: np.ndarray,
                   on_batch: OnBatch | None = None) -> Iterator[float]:
    """Fit `model` (seeded_model(recipe)) one epoch at a time, yielding after each its training seconds (the
    first includes compiling); recipe.seed orders the batches."""
    rng = np.random.default_rng(recipe.seed)
    callbacks = [] if on_batch is None else [_Batches(on_batch, len(images), recipe.batch_size)]
    for _ in range(recipe.epochs):
        order = rng.permutation(len(images))
        started = time.perf_counter()
        model.fit(images[order], labels[order], batch_size=recipe.batch_size, shuffle=False, verbose=0,
                  callbacks=callbacks)
        yield time.perf_counter() - started


class _Batches(keras.callbacks.Callback):
    """Calls on_batch(images so far this epoch, images per epoch, the epoch's mean loss so far)."""

    def __init__(self, on_batch: OnBatch, images: int, batch_size: int) -> None:
        super().__init__()
        self.on_batch, self.images, self.batch_size = on_batch, images, batch_size

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.on_batch(min((batch + 1) * self.batch_size, self.images), self.images, float(logs["loss"]))
