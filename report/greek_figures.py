"""Figures of "Create a digit embedding space", drawn from numpy arrays."""
from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from plots import figures


def distance_heatmap(distances: np.ndarray, labels: np.ndarray, class_names: Sequence[str], path: Path) -> Path:
    """The full [N, N] sum-squared distance matrix, rows and columns ordered by class, classes outlined."""
    order = np.argsort(labels, kind="stable")
    counts = np.bincount(labels, minlength=len(class_names))
    edges = np.concatenate([[0], np.cumsum(counts)]) - 0.5
    figure, axis = plt.subplots(figsize=(7, 6))
    shown = axis.imshow(distances[np.ix_(order, order)], cmap="viridis")
    for edge in edges[1:-1]:
        axis.axhline(edge, color="white", linewidth=1)
        axis.axvline(edge, color="white", linewidth=1)
    centres = (edges[:-1] + edges[1:]) / 2
    axis.set_xticks(centres, class_names, rotation=45)
    axis.set_yticks(centres, class_names)
    axis.set_title("sum-squared distance in the 50-d embedding")
    figure.colorbar(shown, ax=axis, shrink=0.8)
    figure.tight_layout()
    return figures.save(figure, path)


def confusion_matrices(matrices: Sequence[np.ndarray], titles: Sequence[str], class_names: Sequence[str],
                       path: Path) -> Path:
    """Confusion matrices side by side (rows: true class, columns: predicted), each cell's count written in."""
    size = 0.55 * len(class_names) + 1.6
    figure, axes = plt.subplots(1, len(matrices), figsize=(size * len(matrices), size + 0.4), squeeze=False)
    for axis, matrix, title in zip(axes.flat, matrices, titles):
        axis.imshow(matrix, cmap="Blues", vmin=0, vmax=max(int(matrix.max()), 1))
        for (row, col), count in np.ndenumerate(matrix):
            axis.text(col, row, str(count), ha="center", va="center",
                      color="white" if count > matrix.max() / 2 else "black", fontsize=9)
        ticks = range(len(class_names))
        axis.set_xticks(ticks, class_names, rotation=45)
        axis.set_yticks(ticks, class_names)
        axis.set(xlabel="predicted", ylabel="true", title=title)
    figure.tight_layout()
    return figures.save(figure, path)


def nearest_neighbours(queries: np.ndarray, query_titles: Sequence[str], neighbours: np.ndarray,
                       neighbour_titles: Sequence[Sequence[str]], path: Path, per_row: int = 2) -> Path:
    """Each query image (red) followed by its nearest references (nearest first), `per_row` queries a row."""
    count, k = neighbours.shape[:2]
    rows = -(-count // per_row)
    figure, axes = plt.subplots(rows, per_row * (k + 1), figsize=(1.2 * per_row * (k + 1), 1.3 * rows), squeeze=False)
    for axis in axes.flat:
        axis.axis("off")
    for index in range(count):
        cells = axes[index // per_row, (index % per_row) * (k + 1):][: k + 1]
        images = [(queries[index], query_titles[index], "Reds")]
        images += [(neighbours[index, j], neighbour_titles[index][j], "gray") for j in range(k)]
        for axis, (image, title, cmap) in zip(cells, images):
            axis.imshow(image, cmap=cmap, vmin=0, vmax=1)
            axis.set_title(title, fontsize=7)
    figure.tight_layout()
    return figures.save(figure, path)
