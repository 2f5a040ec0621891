"""Symbols named by their nearest references in the digit network's 50-d embedding (see references.py)."""
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from runtime.errors import InputError
from runtime.models import GREEK_REFS, EmbeddingModel, as_batch
from runtime.symbols.references import VARIANTS, ReferenceSet
from runtime.symbols.references import classify as nearest_vote
from runtime.symbols.references import fit as fit_references
from runtime.symbols.sets import SymbolSet, read_symbol_folder


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


class SymbolClassifier:
    """Symbols named by their nearest references in the 50-d embedding."""

    def __init__(self, reference_set: ReferenceSet | str | Path = GREEK_REFS,
                 embedding: EmbeddingModel | None = None) -> None:
        """`reference_set`: a set, or a file from `runtime greek fit`; default: the shipped Greek letters."""
        self.references = reference_set if isinstance(reference_set, ReferenceSet) else \
            ReferenceSet.load(reference_set)
        self.embedding = embedding or EmbeddingModel()

    @classmethod
    def fit(cls, symbols: SymbolSet | str | Path, embedding: EmbeddingModel | None = None,
            variants: int = VARIANTS, seed: int = 0,
            extra: SymbolSet | str | Path | None = None) -> "SymbolClassifier":
        """References made from a folder with a sub-folder of pictures per class, or from a SymbolSet; `extra`:
        more drawings of the same classes (matched by name), taken as they are, without distorted copies."""
        symbols = symbols if isinstance(symbols, SymbolSet) else read_symbol_folder(symbols)
        extra = extra if extra is None or isinstance(extra, SymbolSet) else read_symbol_folder(extra)
        embedding = embedding or EmbeddingModel()
        return cls(fit_references(symbols, embedding.embed, variants, seed, extra), embedding)

    @classmethod
    def fit_arrays(cls, images: np.ndarray | Sequence[np.ndarray], labels: Sequence[str],
                   embedding: EmbeddingModel | None = None, variants: int = VARIANTS,
                   seed: int = 0) -> "SymbolClassifier":
        """References made from [N, 28, 28] images and the class name of each."""
        images = as_batch(images)
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
        k = self._votes(k)
        return self._matches(self.embedding.embed(images), k)

    async def classify_async(self, images: np.ndarray | Sequence[np.ndarray],
                             k: int | None = None) -> list[SymbolMatch]:
        """`classify` awaited on an event loop, for an embedding behind a BatchedModel (the server's)."""
        k = self._votes(k)
        return self._matches(await self.embedding.embed_async(images), k)

    def _votes(self, k: int | None) -> int:
        """k checked before any embedding is computed: the reference set's `votes` by default, capped at the
        number of references."""
        k = self.references.votes if k is None else k
        if k < 1:
            raise InputError(f"k must be at least 1, got {k}")
        return min(k, len(self.references.vectors))

    def _matches(self, vectors: np.ndarray, k: int) -> list[SymbolMatch]:
        vote = nearest_vote(self.references, vectors, k)
        names, labels = self.references.class_names, self.references.labels
        return [SymbolMatch(names[label], tuple(Neighbour(names[labels[i]], float(d)) for i, d in zip(idx, dist)))
                for label, idx, dist in zip(vote.labels, vote.indices, vote.distances)]


def class_list(text: str) -> list[str]:
    """"alpha, beta,gamma" -> ["alpha", "beta", "gamma"] (the form of the --classes option)."""
    return [name.strip() for name in text.split(",") if name.strip()]
