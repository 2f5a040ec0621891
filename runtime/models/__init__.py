"""The two exported networks as Python objects: DigitModel (pictures' images in, Predictions out) and
EmbeddingModel (the dense-50 layer). They run with onnxruntime alone (runtime.models.contract), on their own
or behind a BatchedModel (runtime.models.batching), which the server gives them.

Images are the networks' input: float32 [N, 28, 28] (or one [28, 28]), ink bright, in [0, 1], as
runtime.reading makes them. The shipped graphs lie in this folder.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from runtime.errors import InputError
from runtime.models.batching import BatchedModel
from runtime.models.contract import DIGITS, EMBEDDING, GREEK_REFS, OnnxModel

Net = OnnxModel | BatchedModel


@dataclass(frozen=True)
class Prediction:
    """The digit network's answer for one picture: its best guess, with calibrated probabilities, and whether
    the picture holds a digit at all (the best guess's probability reaches the model's rejection threshold)."""
    digit: int  # the best guess, also when the picture is not a digit
    probability: float  # of that digit: the rejection score
    probabilities: tuple[float, ...]  # of the digits 0..9
    is_digit: bool = True

    def top(self, k: int = 1) -> list[tuple[int, float]]:
        """The k most likely (digit, probability), most likely first."""
        order = sorted(range(len(self.probabilities)), key=lambda d: -self.probabilities[d])
        return [(digit, self.probabilities[digit]) for digit in order[:k]]

    def to_json(self, top_k: int = 1) -> dict:
        """As in `runtime predict --json` (without the path)."""
        return {"digit": self.digit, "probability": self.probability, "is_digit": self.is_digit,
                "score": self.probability, "top": [{"digit": digit, "probability": p} for digit, p in self.top(top_k)]}


class DigitModel:
    """The full network (default: the shipped digits.onnx): images in, Predictions out.

    Probabilities are calibrated by the temperature in the graph's metadata (fitted on held-back MNIST training
    images by `mnist-export`), and a picture whose best probability is below `reject_below` is not a digit."""

    def __init__(self, net: str | Path | Net = DIGITS, spin_wait: bool = True,
                 reject_below: float | None = None) -> None:
        """`net`: an ONNX file, or a loaded network; `spin_wait`: see OnnxModel (a server passes False);
        `reject_below`: the rejection threshold in [0, 1] (0 accepts every picture); default: the graph's own,
        and 0 for a graph exported before graphs had one."""
        self.net = _network(net, "full", spin_wait)
        self.temperature = float(self.net.metadata.get("temperature", 1))
        self.reject_below = float(self.net.metadata.get("reject_below", 0)) if reject_below is None else reject_below
        if not 0 <= self.reject_below <= 1:
            raise InputError(f"the rejection threshold must be between 0 and 1, got {self.reject_below}")

    def run(self, images: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
        """[N, 10] log-probabilities."""
        return self.net.run(as_batch(images))

    def predict(self, images: np.ndarray | Sequence[np.ndarray]) -> list[Prediction]:
        return self._predictions(self.run(images))

    async def predict_async(self, images: np.ndarray | Sequence[np.ndarray]) -> list[Prediction]:
        """`predict` awaited on an event loop, for a network behind a BatchedModel (the server's): no thread
        waits for the batch."""
        return self._predictions(await self.net.run_async(as_batch(images)))

    def _predictions(self, log_probs: np.ndarray) -> list[Prediction]:
        probabilities = calibrated(log_probs, self.temperature).astype(float)
        return [Prediction(int(row.argmax()), float(row.max()), tuple(row.tolist()),
                           bool(row.max() >= self.reject_below)) for row in probabilities]


class EmbeddingModel:
    """The network up to its dense-50 layer (default: the shipped embedding.onnx)."""

    def __init__(self, net: str | Path | Net = EMBEDDING, spin_wait: bool = True) -> None:
        """`net`: an ONNX file, or a loaded network; `spin_wait`: see OnnxModel (a server passes False)."""
        self.net = _network(net, "embedding", spin_wait)

    def embed(self, images: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
        """float32 [N, 50]."""
        return self.net.run(as_batch(images))

    async def embed_async(self, images: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
        """`embed` awaited on an event loop, for a network behind a BatchedModel (the server's)."""
        return await self.net.run_async(as_batch(images))


def _network(net: str | Path | Net, kind: str, spin_wait: bool) -> Net:
    if isinstance(net, (OnnxModel, BatchedModel)):
        if net.kind != kind:
            raise InputError(f"need the {kind} network, got the {net.kind} one")
        return net
    return OnnxModel(net, kind, spin_wait)


def calibrated(log_probs: np.ndarray, temperature: float) -> np.ndarray:
    """[N, 10] probabilities softmax(log_probs / temperature): the logits' softmax at that temperature, since
    log-probabilities are the logits shifted by one constant per row."""
    scaled = log_probs / np.float32(temperature)
    scaled = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    return scaled / scaled.sum(axis=1, keepdims=True)


def as_batch(images: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
    """float32 [N, 28, 28] from one [28, 28] image, a list of them (maybe empty), or [N, 28, 28] / [N, 1, 28, 28]."""
    batch = np.asarray(images, np.float32)
    if batch.shape == (0,):
        return batch.reshape(0, 28, 28)
    if batch.shape[-2:] != (28, 28) or batch.ndim not in (2, 3, 4) or (batch.ndim == 4 and batch.shape[1] != 1):
        raise InputError(f"images must be [N, 28, 28] (runtime.reading.read makes them), got {list(batch.shape)}")
    return batch.reshape(-1, 28, 28)


__all__ = ["DIGITS", "EMBEDDING", "GREEK_REFS", "BatchedModel", "DigitModel", "EmbeddingModel", "OnnxModel",
           "Prediction", "as_batch", "calibrated"]
