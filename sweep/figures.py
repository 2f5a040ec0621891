"""Plots of a sweep: test accuracy along one dimension (mean ± std and every seed), and a 2-D heat map."""
from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from plots.figures import save

Seeds = Sequence[float]  # one variant's test accuracies (0-1), one per finished seed


def accuracy_line(labels: Sequence[str], accuracies: Sequence[Seeds], xlabel: str, title: str, path: Path) -> Path:
    """Values as evenly spaced categories; the error bar is one sample standard deviation."""
    figure, axis = plt.subplots(figsize=(5.5, 3.6))
    positions = np.arange(len(labels))
    for position, seeds in zip(positions, accuracies):
        axis.plot([position] * len(seeds), 100 * np.asarray(seeds), ".", color="0.6", zorder=1,
                  label="each seed" if position == 0 else None)
    means = [100 * np.mean(seeds) if len(seeds) else np.nan for seeds in accuracies]
    stds = [100 * np.std(seeds, ddof=1) if len(seeds) > 1 else 0 for seeds in accuracies]
    axis.errorbar(positions, means, yerr=stds, fmt="o-", capsize=4, zorder=2, label="mean ± std over seeds")
    axis.set_xticks(positions, labels)
    axis.set(xlabel=xlabel, ylabel="test accuracy (%)", title=title)
    axis.grid(alpha=0.3)
    axis.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    return save(figure, path)


def accuracy_heat_map(row_labels: Sequence[str], column_labels: Sequence[str], accuracies: Sequence[Sequence[Seeds]],
                      ylabel: str, xlabel: str, title: str, path: Path) -> Path:
    """Mean test accuracy per cell, written in each cell as mean ± std."""
    means = np.array([[100 * np.mean(seeds) if len(seeds) else np.nan for seeds in row] for row in accuracies])
    figure, axis = plt.subplots(figsize=(1.3 * len(column_labels) + 2.5, 0.7 * len(row_labels) + 1.8))
    image = axis.imshow(means, cmap="viridis", aspect="auto")
    for row, cells in enumerate(accuracies):
        for column, seeds in enumerate(cells):
            axis.text(column, row, _cell_text(seeds), ha="center", va="center", fontsize=8,
                      color="white" if means[row, column] < np.nanmean(means) else "black")
    axis.set_xticks(range(len(column_labels)), column_labels)
    axis.set_yticks(range(len(row_labels)), row_labels)
    axis.set(xlabel=xlabel, ylabel=ylabel, title=title)
    figure.colorbar(image, ax=axis, label="test accuracy (%)")
    figure.tight_layout()
    return save(figure, path)


def _cell_text(seeds: Seeds) -> str:
    if not len(seeds):
        return "-"
    spread = f"\n± {100 * np.std(seeds, ddof=1):.2f}" if len(seeds) > 1 else ""
    return f"{100 * np.mean(seeds):.2f}{spread}"
