"""The runtime as a Python library; the `runtime` command and `runtime serve` are built on it.

    from runtime import DigitModel, SymbolClassifier, read_digit

    image = read_digit("photo.jpg")              # a path, the bytes of an image file, or a pixel array
    DigitModel().predict([image])[0]             # Prediction(digit=7, probability=0.998, ...)
    SymbolClassifier().only(["alpha", "beta"]).classify([read_digit("letter.png")], k=3)[0].label

Bad input raises runtime.errors.InputError with the one-line message the `runtime` command prints.
Images are the networks' input: float32 [N, 28, 28] (or one [28, 28]), ink bright, in [0, 1].
"""
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from runtime import references
from runtime.errors import InputError
from runtime.onnx_model import DIGITS, EMBEDDING, GREEK_REFS, OnnxModel
from runtime.preprocess import Reading, read_bytes, read_file, read_picture
from runtime.references import ReferenceSet
from runtime.symbols import SymbolSet, read_symbol_folder

Source = str | os.PathLike | bytes | np.ndarray
Run = Callable[[np.ndarray], np.ndarray]  # [N, 28, 28] images -> [N, outputs]


def read_digit(source: Source, name: str | None = None) -> np.ndarray:
    """One picture as the networks' input, float32 [28, 28], preprocessed as MNIST was made.

    `source`: an image file's path; the bytes of an image file (PNG, JPEG, ...); or decoded pixels,
    [H, W] gray or [H, W, 3] BGR, integers over their full range or floats in [0, 1].
    `name` starts the error messages of bytes and arrays, as a path starts those of a file.
    """
    return read_symbol(source, name).image


def read_symbol(source: Source, name: str | None = None) -> Reading:
    """read_digit, with how many symbols the picture holds (`candidates`) and where the one read is (`box`).

    The symbol read is the one nearest the picture's centre and largest; box is (left, top, width,
    height) as fractions of the picture's width and height.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return read_bytes(source, name or "picture")
    if not isinstance(source, np.ndarray):
        return read_file(source)
    try:
        return read_picture(source)
    except InputError as error:
        raise InputError(f"{name}: {error}" if name else str(error)) from None


def read_each(sources: Sequence[tuple[str, Source]]) -> list[np.ndarray | InputError]:
    """read_digit of each (name, source), an InputError in place of each picture that cannot be read."""
    return [found if isinstance(found, InputError) else found.image for found in read_each_symbol(sources)]


def read_each_symbol(sources: Sequence[tuple[str, Source]]) -> list[Reading | InputError]:
    """read_symbol of each (name, source), an InputError in place of each picture that cannot be read."""
    results = []
    for name, source in sources:
        try:
            results.append(read_symbol(source, name))
        except InputError as error:
            results.append(error)
    return results


def where_json(reading: Reading) -> dict:
    """How many symbols a picture holds and where the one read is: the keys `runtime predict --json` adds."""
    return {"candidates": reading.candidates, "box": [round(value, 4) for value in reading.box]}


def class_list(text: str) -> list[str]:
    """"alpha, beta,gamma" -> ["alpha", "beta", "gamma"] (the form of the --classes option)."""
    return [name.strip() for name in text.split(",") if name.strip()]


@dataclass(frozen=True)
class Prediction:
    """The digit network's answer for one picture."""
    digit: int
    probability: float
    probabilities: tuple[float, ...]  # of the digits 0..9

    def top(self, k: int = 1) -> list[tuple[int, float]]:
        """The k most likely (digit, probability), most likely first."""
        order = sorted(range(len(self.probabilities)), key=lambda d: -self.probabilities[d])
        return [(digit, self.probabilities[digit]) for digit in order[:k]]

    def to_json(self, top_k: int = 1) -> dict:
        """As in `runtime predict --json` (without the path)."""
        return {"digit": self.digit, "probability": self.probability,
                "top": [{"digit": digit, "probability": p} for digit, p in self.top(top_k)]}


@dataclass(frozen=True)
class Neighbour:
    label: str
    distance: float  # sum-squared, between L2-normalised embeddings: 0 (same direction) to 4


@dataclass(frozen=True)
class SymbolMatch:
    """A symbol named by the vote of its nearest references, nearest first."""
    label: str
    neighbours: tuple[Neighbour, ...]

    def to_json(self) -> dict:
        """As in `runtime greek classify --json` (without the path)."""
        return {"label": self.label,
                "neighbours": [{"label": n.label, "distance": n.distance} for n in self.neighbours]}


class DigitModel:
    """The full network (default: the shipped digits.onnx): images in, Predictions out."""

    def __init__(self, path: str | Path = DIGITS, spin_wait: bool = True) -> None:
        """`spin_wait`: see OnnxModel (a server passes False)."""
        self.net = OnnxModel(path, "full", spin_wait)
        self.run: Run = self.net.run  # -> [N, 10] log-probabilities; the server puts a batcher here

    def predict(self, images: np.ndarray | Sequence[np.ndarray]) -> list[Prediction]:
        probabilities = np.exp(self.run(_batch(images))).astype(float)
        return [Prediction(int(row.argmax()), float(row.max()), tuple(row.tolist())) for row in probabilities]


class EmbeddingModel:
    """The network up to its dense-50 layer (default: the shipped embedding.onnx)."""

    def __init__(self, path: str | Path = EMBEDDING, spin_wait: bool = True) -> None:
        """`spin_wait`: see OnnxModel (a server passes False)."""
        self.net = OnnxModel(path, "embedding", spin_wait)
        self.run: Run = self.net.run  # the server puts a batcher here

    def embed(self, images: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
        """float32 [N, 50]."""
        return self.run(_batch(images))


class SymbolClassifier:
    """Symbols named by their nearest references in the 50-d embedding (see runtime.references)."""

    def __init__(self, reference_set: ReferenceSet | str | Path = GREEK_REFS,
                 embedding: EmbeddingModel | None = None) -> None:
        """`reference_set`: a set, or a file from `runtime greek fit`; default: the shipped Greek letters."""
        self.references = reference_set if isinstance(reference_set, ReferenceSet) else \
            ReferenceSet.load(reference_set)
        self.embedding = embedding or EmbeddingModel()

    @classmethod
    def fit(cls, symbols: SymbolSet | str | Path, embedding: EmbeddingModel | None = None,
            variants: int = references.VARIANTS, seed: int = 0) -> "SymbolClassifier":
        """References made from a folder with a sub-folder of pictures per class, or from a SymbolSet."""
        symbols = symbols if isinstance(symbols, SymbolSet) else read_symbol_folder(symbols)
        embedding = embedding or EmbeddingModel()
        return cls(references.fit(symbols, embedding.embed, variants, seed), embedding)

    @classmethod
    def fit_arrays(cls, images: np.ndarray | Sequence[np.ndarray], labels: Sequence[str],
                   embedding: EmbeddingModel | None = None, variants: int = references.VARIANTS,
                   seed: int = 0) -> "SymbolClassifier":
        """References made from [N, 28, 28] images and the class name of each."""
        images = _batch(images)
        if len(labels) != len(images) or not len(images):
            raise InputError(f"need one label per image, got {len(labels)} labels for {len(images)} images")
        names = sorted(set(labels))
        indices = np.array([names.index(label) for label in labels], np.int64)
        return cls.fit(SymbolSet(images, indices, names, []), embedding, variants, seed)

    @property
    def class_names(self) -> list[str]:
        return self.references.class_names

    def only(self, classes: Sequence[str]) -> "SymbolClassifier":
        """The same classifier, choosing among the named classes only."""
        return SymbolClassifier(self.references.select(list(classes)), self.embedding)

    def classify(self, images: np.ndarray | Sequence[np.ndarray], k: int | None = None) -> list[SymbolMatch]:
        """The vote of each image's k nearest references (default: the reference set's `votes`; k capped at the
        number of references)."""
        k = self.references.votes if k is None else k
        if k < 1:
            raise InputError(f"k must be at least 1, got {k}")
        vote = references.classify(self.references, self.embedding.embed(images),
                                   min(k, len(self.references.vectors)))
        names, labels = self.references.class_names, self.references.labels
        return [SymbolMatch(names[label], tuple(Neighbour(names[labels[i]], float(d)) for i, d in zip(idx, dist)))
                for label, idx, dist in zip(vote.labels, vote.indices, vote.distances)]


def _batch(images: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
    """float32 [N, 28, 28] from one [28, 28] image, a list of them, or [N, 28, 28] / [N, 1, 28, 28]."""
    batch = np.asarray(images, np.float32)
    if batch.shape[-2:] != (28, 28) or batch.ndim not in (2, 3, 4) or (batch.ndim == 4 and batch.shape[1] != 1):
        raise InputError(f"images must be [N, 28, 28] (read_digit makes them), got {list(batch.shape)}")
    return batch.reshape(-1, 28, 28)
