"""Figures drawn from plain numpy arrays, so both frameworks' results use the same code."""
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from runtime import atomic  # noqa: E402


def save(figure: plt.Figure, path: Path) -> Path:
    """Write a figure atomically as PNG and close it."""
    with atomic.atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=100, bbox_inches="tight")
    plt.close(figure)
    return path


def image_grid(images: np.ndarray, titles: Sequence[str], rows: int, cols: int, path: Path,
               cmap: str = "gray", symmetric: bool = False) -> Path:
    """Images in a rows x cols grid, each with its title; `symmetric` centres a diverging map on zero."""
    figure, axes = plt.subplots(rows, cols, figsize=(1.6 * cols, 1.8 * rows), squeeze=False)
    limit = float(np.abs(images).max()) if symmetric else None
    for axis in axes.flat:
        axis.axis("off")
    for axis, image, title in zip(axes.flat, images, titles):
        if symmetric:
            axis.imshow(image, cmap=cmap, vmin=-limit, vmax=limit)
        else:
            axis.imshow(image, cmap=cmap)
        axis.set_title(title, fontsize=9)
    figure.tight_layout()
    return save(figure, path)


def training_curves(history: Sequence[dict], path: Path, title: str = "") -> Path:
    """Loss and error (%) per epoch on the training and test sets."""
    epochs = [row["epoch"] for row in history]
    figure, (loss_axis, error_axis) = plt.subplots(1, 2, figsize=(10, 3.8))
    for split, style in (("train", "o-"), ("test", "s--")):
        loss_axis.plot(epochs, [row[f"{split}_loss"] for row in history], style, label=f"{split} loss")
        error_axis.plot(epochs, [100 * (1 - row[f"{split}_accuracy"]) for row in history], style,
                        label=f"{split} error")
    loss_axis.set(xlabel="epoch", ylabel="negative log-likelihood", yscale="log")
    error_axis.set(xlabel="epoch", ylabel="error (%)", yscale="log")
    for axis in (loss_axis, error_axis):
        axis.grid(alpha=0.3)
        axis.legend()
    figure.suptitle(title)
    figure.tight_layout()
    return save(figure, path)


def pictures_with_inputs(pictures: Sequence[np.ndarray], inputs: np.ndarray, titles: Sequence[str],
                         path: Path) -> Path:
    """Original pictures above the 28x28 network inputs made from them, titled with the predictions."""
    figure, axes = plt.subplots(2, len(pictures), figsize=(1.7 * len(pictures), 3.8), squeeze=False)
    for column, (picture, network_input, title) in enumerate(zip(pictures, inputs, titles)):
        axes[0, column].imshow(picture, cmap="gray")
        axes[0, column].set_title(title, fontsize=9)
        axes[1, column].imshow(network_input, cmap="gray")
    for axis in axes.flat:
        axis.axis("off")
    figure.tight_layout()
    return save(figure, path)
