"""Inference throughput on the MNIST test images at batch sizes 1, 64 and 1000.

PyTorch eager (eval mode, no_grad), the Keras/JAX twin as one jitted function, and onnxruntime through
the runtime's OnnxModel. Each engine gets its batches prepared in its own input form beforehand, so only
the forward passes are timed; every result is ready (JAX dispatches asynchronously) before the next batch.
"""
from collections.abc import Callable
from dataclasses import dataclass

import jax
import numpy as np
import torch

from bench.timing import Sizes, median_seconds
from bench.weights import shipped_net
from keras_impl.model import build, to_inputs
from recipe.normalisation import normalise
from runtime.data import mnist
from runtime.models import DIGITS, OnnxModel

BATCH_SIZES = (1, 64, 1000)
ENGINES = ("PyTorch eager", "Keras/JAX jitted", "onnxruntime")


@dataclass(frozen=True)
class InferenceResult:
    engine: str
    batch_size: int
    images_per_second: float


def split(images: np.ndarray, batch_size: int) -> list[np.ndarray]:
    return [images[start:start + batch_size] for start in range(0, len(images), batch_size)]


def torch_engine(batches01: list[np.ndarray]) -> Callable[[], None]:
    model = shipped_net()
    inputs = [torch.from_numpy(normalise(batch)).unsqueeze(1) for batch in batches01]

    @torch.no_grad()
    def run() -> None:
        for batch in inputs:
            model(batch)

    return run


def keras_engine(batches01: list[np.ndarray]) -> Callable[[], None]:
    model = build()
    trainable = [variable.value for variable in model.trainable_variables]
    non_trainable = [variable.value for variable in model.non_trainable_variables]
    forward = jax.jit(lambda weights, state, x: model.stateless_call(weights, state, x, training=False)[0])
    inputs = [jax.device_put(to_inputs(batch)) for batch in batches01]

    def run() -> None:
        for batch in inputs:
            forward(trainable, non_trainable, batch).block_until_ready()

    return run


def onnx_engine(batches01: list[np.ndarray]) -> Callable[[], None]:
    model = OnnxModel(DIGITS, kind="full")

    def run() -> None:
        for batch in batches01:
            model.run(batch)

    return run


def run(data: mnist.Mnist, sizes: Sizes) -> list[InferenceResult]:
    images01 = (data.test_images[:sizes.test_images] / np.float32(255)).astype(np.float32)
    results = []
    for batch_size in BATCH_SIZES:
        batches = split(images01, batch_size)
        for engine, make in zip(ENGINES, (torch_engine, keras_engine, onnx_engine)):
            seconds = median_seconds(make(batches), sizes.repeats)  # the warm-up compiles, for JAX
            results.append(InferenceResult(engine, batch_size, len(images01) / seconds))
    return results
