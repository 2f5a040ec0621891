"""Nearest-neighbour classification of vectors by sum-squared distance (numpy only)."""
from typing import NamedTuple

import numpy as np


class Vote(NamedTuple):
    labels: np.ndarray  # int64 [M]: the predicted class of each query
    indices: np.ndarray  # int64 [M, k]: its k nearest references, nearest first
    distances: np.ndarray  # float64 [M, k]: their sum-squared distances


def sum_squared_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """[M, D] and [N, D] -> [M, N]: sum over d of (a[m, d] - b[n, d])**2, in float64.

    Computed row by row from the differences (not |a|^2 + |b|^2 - 2ab) so that identical
    vectors are exactly 0 apart, as the seed report prints them.
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"need [M, D] and [N, D] arrays, got {a.shape} and {b.shape}")
    return np.stack([((b - row) ** 2).sum(axis=1) for row in a]) if len(a) else np.zeros((0, len(b)))


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to unit length (an all-zero row stays zero)."""
    vectors = np.asarray(vectors, np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1)


def vote(distances: np.ndarray, ref_labels: np.ndarray, k: int = 1) -> Vote:
    """The majority class among each row's k nearest references.

    A tie in the count goes to the class whose tied neighbours have the smaller summed distance.
    """
    if not 1 <= k <= distances.shape[1]:
        raise ValueError(f"k must be between 1 and the number of references ({distances.shape[1]}), got {k}")
    ref_labels = np.asarray(ref_labels, np.int64)
    indices = np.argsort(distances, axis=1, kind="stable")[:, :k]
    nearest = np.take_along_axis(distances, indices, axis=1)
    labels = ref_labels[indices]
    n_classes = int(ref_labels.max()) + 1
    counts = np.zeros((len(distances), n_classes))
    sums = np.zeros((len(distances), n_classes))
    rows = np.repeat(np.arange(len(distances)), k)
    np.add.at(counts, (rows, labels.ravel()), 1)
    np.add.at(sums, (rows, labels.ravel()), nearest.ravel())
    # Most votes first, then the smallest summed distance: lexicographic order via lexsort.
    winners = np.array([np.lexsort((s, -c))[0] for c, s in zip(counts, sums)], np.int64)
    return Vote(winners, indices, nearest)


def knn_classify(queries: np.ndarray, ref_vectors: np.ndarray, ref_labels: np.ndarray, k: int = 1) -> Vote:
    """k-nearest-neighbour classes of [M, D] queries against [N, D] labelled references."""
    return vote(sum_squared_distances(queries, ref_vectors), ref_labels, k)
