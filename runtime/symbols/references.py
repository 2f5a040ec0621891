"""Labelled 50-d embeddings of reference symbols, saved as .npz, that new drawings are matched against.

The default method, chosen by measurement (see the report's "Create a digit embedding space"):
`fit` embeds each labelled drawing, VARIANTS seeded distorted copies of it (other sizes, slants,
proportions, stroke widths: how hands differ) and optionally extra drawings of the same classes
such as the built-in synthetic letters; `classify` takes the nearest of them in the L2-normalised
embedding. The copies fill the space between one writer's drawings and another's, which is where
a bare nearest neighbour among 9 drawings per class goes wrong.

A set may also carry a projection (export.shipped.discriminant fits one): the directions of the embedding
that separate its classes most. Its vectors are then stored projected, and queries are projected before they
are compared.
It also says how many nearest references vote unless a caller says otherwise (`votes`; 1 for `fit`).
"""
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from runtime import atomic
from runtime.errors import InputError, existing_file
from runtime.symbols.distort import variants
from runtime.symbols.knn import Vote, knn_classify, l2_normalise
from runtime.symbols.sets import SymbolSet, selection

DIMENSIONS = 50
VARIANTS = 40
Embed = Callable[[np.ndarray], np.ndarray]  # [N, 28, 28] images in [0, 1] -> [N, 50]


class ReferenceSet(NamedTuple):
    vectors: np.ndarray  # float32 [N, D]: embeddings (D = 50), or projected ones (D = projection's columns)
    labels: np.ndarray  # int64 [N], indices into class_names
    class_names: list[str]
    projection: np.ndarray | None = None  # float32 [50, D]: takes query embeddings to the vectors' space
    votes: int = 1  # the k of classify when none is given

    def save(self, path: str | Path, **notes: np.ndarray) -> Path:
        """`notes`: more arrays stored beside the set (how it was made), which `load` ignores."""
        if self.projection is not None:
            notes = {**notes, "projection": self.projection.astype(np.float32)}
        with atomic.atomic_path(path) as tmp:
            with tmp.open("wb") as handle:  # a file object: np.savez would append .npz to a path
                np.savez(handle, vectors=self.vectors.astype(np.float32), labels=self.labels.astype(np.int64),
                         class_names=np.array(self.class_names, dtype=str), votes=np.int64(self.votes), **notes)
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> "ReferenceSet":
        """A set written by `save`; InputError naming the file for anything else."""
        path = Path(path)
        vectors, labels, names, projection, votes = _read_arrays(path)
        if projection is not None and (projection.ndim != 2 or projection.shape[0] != DIMENSIONS
                                       or projection.dtype.kind != "f"):
            raise InputError(f"{path}: the projection must be float [{DIMENSIONS}, D], found {projection.dtype} "
                             f"{list(projection.shape)}")
        width = DIMENSIONS if projection is None else projection.shape[1]
        if vectors.ndim != 2 or vectors.shape[1] != width or vectors.dtype.kind != "f":
            raise InputError(f"{path}: reference vectors must be float [N, {width}], found {vectors.dtype} "
                             f"{list(vectors.shape)}")
        if labels.shape != (len(vectors),) or labels.dtype.kind not in "iu" or len(vectors) == 0:
            raise InputError(f"{path}: need one integer label per reference vector, found {labels.shape} labels")
        if names.ndim != 1 or not 0 <= labels.min() <= labels.max() < len(names):
            raise InputError(f"{path}: labels outside the {names.size} class names")
        if votes.shape != () or votes.dtype.kind not in "iu" or votes < 1:
            raise InputError(f"{path}: votes must be one positive integer, found {votes.dtype} {list(votes.shape)}")
        return cls(vectors.astype(np.float32), labels.astype(np.int64), [str(name) for name in names],
                   None if projection is None else projection.astype(np.float32), int(votes))

    def select(self, names: list[str]) -> "ReferenceSet":
        """Only the references of the named classes, relabelled 0.. in the order of `names`."""
        keep, labels = selection(self.class_names, self.labels, names,
                                 f"the references ({', '.join(self.class_names)})")
        return ReferenceSet(self.vectors[keep], labels, list(names), self.projection, self.votes)


def augmented(symbols: SymbolSet, variant_count: int = VARIANTS, seed: int = 0,
              extra: SymbolSet | None = None) -> tuple[SymbolSet, np.ndarray]:
    """The reference images for `symbols`, and the group of each for leave-one-out tests.

    Order: the drawings themselves (group = their index), then their variants (group of their
    drawing), then `extra`'s images of symbols' classes, matched by name (groups -1, -2, ...).
    """
    rng = np.random.default_rng(seed)
    count = len(symbols.images)
    images = [symbols.images] + [variants(image, variant_count, rng) for image in symbols.images]
    labels = [symbols.labels, np.repeat(symbols.labels, variant_count)]
    groups = [np.arange(count), np.repeat(np.arange(count), variant_count)]
    if extra is not None:
        names = np.array(extra.class_names)[extra.labels]
        known = np.isin(names, symbols.class_names)
        images.append(extra.images[known])
        labels.append(np.array([symbols.class_names.index(name) for name in names[known]], np.int64))
        groups.append(-1 - np.arange(int(known.sum())))
    images_set = SymbolSet(np.concatenate(images), np.concatenate(labels), list(symbols.class_names), [])
    return images_set, np.concatenate(groups)


def fit(symbols: SymbolSet, embed: Embed, variant_count: int = VARIANTS, seed: int = 0,
        extra: SymbolSet | None = None) -> ReferenceSet:
    """The default reference set: the embeddings of `augmented` images."""
    images_set = augmented(symbols, variant_count, seed, extra)[0]
    return ReferenceSet(embed(images_set.images).astype(np.float32), images_set.labels, images_set.class_names)


def classify(references: ReferenceSet, vectors: np.ndarray, k: int | None = None) -> Vote:
    """The default rule: the vote of the k nearest (default: the set's `votes`) by sum-squared distance
    between L2-normalised embeddings (projected first where the set has a projection).

    Normalising makes the distance depend on the direction of the embedding only, not on how
    strongly a drawing excites the layer (thick or large strokes scale many outputs together).
    """
    if references.projection is not None:
        vectors = np.asarray(vectors, np.float64) @ references.projection
    return knn_classify(l2_normalise(vectors), l2_normalise(references.vectors), references.labels,
                        references.votes if k is None else k)


def _read_arrays(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """vectors, labels, class_names, projection (None if absent) and votes (1 if absent) from an .npz archive,
    without unpickling anything."""
    try:
        archive = np.load(existing_file(path, "reference set file"), allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        raise InputError(f"{path}: not a reference set (not a NumPy .npz archive)") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise InputError(f"{path}: not a reference set (one .npy array, not an .npz archive)")
    with archive:
        missing = sorted({"vectors", "labels", "class_names"} - set(archive.files))
        if missing:
            raise InputError(f"{path}: not a reference set (no {', '.join(missing)})")
        try:
            projection = archive["projection"] if "projection" in archive.files else None
            votes = archive["votes"] if "votes" in archive.files else np.int64(1)
            return archive["vectors"], archive["labels"], archive["class_names"], projection, votes
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
            raise InputError(f"{path}: corrupt reference set ({str(error).splitlines()[0]})") from None
