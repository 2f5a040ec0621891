"""Four ways to name a symbol from a few labelled drawings, measured side by side on the same references.

  1-NN (seed)   the nearest drawing by sum-squared distance in the 50-d embedding
  3-NN          the majority of the 3 nearest (ties to the smaller summed distance)
  default       runtime.symbols.references: the drawings, seeded distorted copies, synthetic letters;
                the nearest of them in the L2-normalised embedding
  transfer      torch_impl.transfer: the last layer retrained on the default method's images
  shipped       the default method in the runtime's shipped embedding (embedding.onnx, trained with a
                stronger recipe); `runtime greek fit` makes the same without the synthetic letters

and zero-shot: the runtime's shipped references (generated letters only) naming each writer's drawings.
"""
import hashlib
from typing import NamedTuple

import numpy as np

from report import evaluation
from runtime.models import EMBEDDING, OnnxModel
from runtime.symbols import SymbolClassifier, knn, references
from runtime.symbols.sets import SymbolSet, read_symbol_folder, select_classes
from synthetic import greek as synthetic_greek
from torch_impl import transfer
from torch_impl.embedding import embed_images
from torch_impl.model import Net

NAMES = ("1-NN (seed)", "3-NN", "augmented refs, normalised 1-NN (default)", "transfer learning",
         "default, shipped embedding")
SYNTHETIC_PER_CLASS = 100
SEEDS = range(5)  # leave-one-out depends on the seeded copies and synthetic letters: a range over 5 seeds
# Who drew what in ../shared/data. The generator's settings (synthetic/greek.py) were chosen on writer 1's
# drawings only; the others are held out.
WRITERS = (("writer 1 (tuning)", "greek", ("alpha", "beta", "gamma")),
           ("writer 2 (held out)", "greek", ("delta", "epsilon", "lambda")),
           ("writer 3 (held out)", "greek_new", ("alpha", "beta", "gamma")))


class ZeroShot(NamedTuple):
    writer: str
    drawings: int  # distinct files
    among_own: int  # named right among the writer's classes (`--classes`)
    among_all: int  # named right among all 24 shipped letters


def distinct(symbols: SymbolSet) -> SymbolSet:
    """The set without files that repeat an earlier one byte for byte (greek_new holds 6 such copies)."""
    digests = [hashlib.sha256(path.read_bytes()).hexdigest() for path in symbols.paths]
    keep = np.array([digest not in digests[:index] for index, digest in enumerate(digests)])
    return SymbolSet(symbols.images[keep], symbols.labels[keep], symbols.class_names,
                     [path for path, kept in zip(symbols.paths, keep) if kept])


def zero_shot(shared_data, classifier: SymbolClassifier | None = None) -> list[ZeroShot]:
    """Each writer's distinct drawings named by the shipped references, among their classes and among all."""
    classifier = classifier or SymbolClassifier()
    folders = {folder: read_symbol_folder(shared_data / folder) for folder in {folder for _, folder, _ in WRITERS}}
    rows = []
    for writer, folder, classes in WRITERS:
        symbols = distinct(select_classes(folders[folder], list(classes)))
        truth = np.array(classes)[symbols.labels]
        counts = [sum(match.label == name for match, name in zip(chooser.classify(symbols.images), truth))
                  for chooser in (classifier.only(classes), classifier)]
        rows.append(ZeroShot(writer, len(truth), *counts))
    return rows


def reference_images(symbols: SymbolSet, seed: int = 0) -> tuple[SymbolSet, np.ndarray]:
    """The default method's reference images (drawings, variants, synthetic letters) and their groups."""
    extra = synthetic_greek.for_classes(symbols.class_names, SYNTHETIC_PER_CLASS, seed)
    return references.augmented(symbols, references.VARIANTS, seed, extra)


class Comparison:
    """The augmented references of a symbol set, embedded once by `net` and once by the shipped
    embedding, and each method run on any of its classes."""

    def __init__(self, net: Net, symbols: SymbolSet, seed: int = 0) -> None:
        self.net, self.symbols = net, symbols
        self.refs, self.groups = reference_images(symbols, seed)
        self.vectors = embed_images(net, self.refs.images)
        self.shipped = OnnxModel(EMBEDDING, kind="embedding")
        self.shipped_vectors = self.shipped.run(self.refs.images)

    def rows(self, classes: list[int]) -> tuple[np.ndarray, int]:
        """Reference rows of these classes (the drawings come first), and how many are drawings."""
        return np.flatnonzero(np.isin(self.refs.labels, classes)), int(np.isin(self.symbols.labels, classes).sum())

    def leave_one_out(self, classes: list[int], methods: tuple[str, ...] = NAMES) -> list[np.ndarray]:
        """Each method's predictions for the drawings of `classes`, each made without it and its copies."""
        rows, count = self.rows(classes)
        vectors, labels, groups = self.vectors[rows], self.refs.labels[rows], self.groups[rows]
        run = {NAMES[0]: lambda: evaluation.leave_one_out(vectors[:count], labels[:count], 1).labels,
               NAMES[1]: lambda: evaluation.leave_one_out(vectors[:count], labels[:count], 3).labels,
               NAMES[2]: lambda: evaluation.leave_one_out(knn.l2_normalise(vectors), labels, 1, groups).labels[:count],
               NAMES[3]: lambda: transfer.leave_one_out(self.net, self.refs.images[rows], labels,
                                                        len(self.symbols.class_names), groups),
               NAMES[4]: lambda: evaluation.leave_one_out(knn.l2_normalise(self.shipped_vectors[rows]), labels, 1,
                                                   groups).labels[:count]}
        return [run[name]() for name in methods]

    def classify(self, classes: list[int], images: np.ndarray, shown: int = 5) -> tuple[list[np.ndarray], knn.Vote]:
        """Each method's predictions for new images against the references of `classes`, and the
        default method's `shown` nearest references (indices into self.refs)."""
        rows, count = self.rows(classes)
        vectors, labels = self.vectors[rows], self.refs.labels[rows]
        queries = embed_images(self.net, images)
        reference_set = references.ReferenceSet(vectors, labels, self.symbols.class_names)
        shipped_set = references.ReferenceSet(self.shipped_vectors[rows], labels, self.symbols.class_names)
        head = transfer.fit(self.net, self.refs.images[rows], labels, len(self.symbols.class_names))
        nearest = references.classify(reference_set, queries, k=shown)
        return ([knn.knn_classify(queries, vectors[:count], labels[:count], k).labels for k in (1, 3)]
                + [references.classify(reference_set, queries).labels, transfer.predict(head, images),
                   references.classify(shipped_set, self.shipped.run(images)).labels],
                nearest._replace(indices=rows[nearest.indices]))


def leave_one_out_counts(comparisons: list[Comparison], classes: list[int],
                         methods: tuple[str, ...] = NAMES) -> tuple[np.ndarray, int]:
    """Drawings of `classes` each method names right in leave-one-out, a row per comparison (per reference
    seed): int [len(comparisons), len(methods)], and how many drawings there are."""
    symbols = comparisons[0].symbols
    truth = symbols.labels[np.isin(symbols.labels, classes)]
    counts = [[int((predicted == truth).sum()) for predicted in comparison.leave_one_out(classes, methods)]
              for comparison in comparisons]
    return np.array(counts), len(truth)


def new_drawing_counts(comparisons: list[Comparison], new: SymbolSet) -> tuple[np.ndarray, list]:
    """New drawings each method (NAMES) names right against the references of their classes:
    int [len(comparisons), len(NAMES)]; and each comparison's `classify` of them, which made the counts."""
    names = comparisons[0].symbols.class_names
    classes = [names.index(name) for name in new.class_names]
    truth = np.array(classes)[new.labels]
    classified = [comparison.classify(classes, new.images) for comparison in comparisons]
    return np.array([[int((p == truth).sum()) for p in predictions] for predictions, _ in classified]), classified


def seed_range(correct: np.ndarray, total: int) -> str:
    """'51–54/54 (mean 52.6)' for one method's counts over seeds; '54/54' when every seed agrees."""
    low, high = int(correct.min()), int(correct.max())
    return f"{low}/{total}" if low == high else f"{low}–{high}/{total} (mean {correct.mean():.1f})"
