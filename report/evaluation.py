"""How well nearest neighbours name symbols, measured: leave-one-out votes and confusion matrices."""
import numpy as np

from runtime.symbols.knn import Vote, sum_squared_distances, vote


def leave_one_out(vectors: np.ndarray, labels: np.ndarray, k: int = 1, groups: np.ndarray | None = None) -> Vote:
    """Classify each vector against all the others.

    `groups` marks vectors derived from the same source (e.g. augmented copies of one drawing):
    a left-out vector is then compared with none of its group, so no copy of itself helps it.
    """
    distances = sum_squared_distances(vectors, vectors)
    groups = np.arange(len(vectors)) if groups is None else np.asarray(groups)
    distances[groups[:, None] == groups[None, :]] = np.inf
    return vote(distances, labels, k)


def confusion_matrix(true: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """[n_classes, n_classes] counts: row = true class, column = predicted class."""
    matrix = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(matrix, (np.asarray(true, np.int64), np.asarray(predicted, np.int64)), 1)
    return matrix
