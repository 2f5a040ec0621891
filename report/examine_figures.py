"""Figures of "Examine your network", drawn from numpy arrays so both frameworks' networks can use them."""
from pathlib import Path

import cv2
import matplotlib.pyplot as plt
import numpy as np

from plots import figures

FILTER_CMAP = "RdBu_r"  # red positive, blue negative, white zero


def conv1_filters(weights: np.ndarray, path: Path) -> Path:
    """The first layer's [K, 5, 5] filters in a grid, one colour scale centred on zero."""
    titles = [f"filter {index}" for index in range(len(weights))]
    return figures.image_grid(weights, titles, 2, (len(weights) + 1) // 2, path, cmap=FILTER_CMAP, symmetric=True)


def apply_filters(image: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """[H, W] image, [K, h, w] filters -> [K, H, W]: OpenCV filter2D, a cross-correlation like a conv layer."""
    return np.stack([cv2.filter2D(image, cv2.CV_32F, kernel.astype(np.float32)) for kernel in weights])


def filter_effects(image: np.ndarray, weights: np.ndarray, path: Path) -> Path:
    """Each filter beside the image it filters, two pairs to a row (the seed's 5x4 figure)."""
    responses = apply_filters(image, weights)
    rows = (len(weights) + 1) // 2
    figure, axes = plt.subplots(rows, 4, figsize=(6.4, 1.7 * rows + 0.8), squeeze=False, layout="constrained",
                                subplot_kw={"xticks": [], "yticks": []})  # no ticks to lay out: faster
    limit = float(np.abs(weights).max())
    for axis in axes.flat:
        axis.axis("off")
    for index, (kernel, response) in enumerate(zip(weights, responses)):
        filter_axis, response_axis = axes.flat[2 * index : 2 * index + 2]
        shown = filter_axis.imshow(kernel, cmap=FILTER_CMAP, vmin=-limit, vmax=limit)
        filter_axis.set_title(f"filter {index}", fontsize=9)
        response_axis.imshow(response, cmap="gray")
        response_axis.set_title(f"filtered by {index}", fontsize=9)
    figure.colorbar(shown, ax=axes, location="bottom", shrink=0.5, label="filter weight")
    return figures.save(figure, path)


def channel_maps(maps: np.ndarray, path: Path) -> Path:
    """[C, H, W] activation maps of one image, each on its own scale."""
    titles = [f"channel {index}" for index in range(len(maps))]
    return figures.image_grid(maps, titles, (len(maps) + 4) // 5, 5, path)


def two_stages(image: np.ndarray, first: np.ndarray, second: np.ndarray, path: Path) -> Path:
    """One input image beside its maps after the first convolution and after the first and second together.

    Each stage shares one colour scale, so strong and weak channels can be told apart.
    """
    figure = plt.figure(figsize=(13, 5), layout="constrained")
    left, right = figure.subfigures(1, 2, width_ratios=[1.6, 10])
    axis = left.subplots()
    axis.imshow(image, cmap="gray")
    axis.set_title("input image", fontsize=10)
    axis.axis("off")
    top, bottom = right.subplots(2, 1, height_ratios=[1, 2])
    _stage(top, first, 1, f"after conv1 (before max-pool and ReLU): "
                          f"{len(first)} maps of {first.shape[1]}x{first.shape[2]}")
    _stage(bottom, second, 2, f"after conv1 and conv2 (each with max-pool and ReLU): "
                              f"{len(second)} maps of {second.shape[1]}x{second.shape[2]}")
    return figures.save(figure, path)


def _stage(axis, maps: np.ndarray, rows: int, heading: str) -> None:
    """The maps tiled in one image (one axes draws far faster than one per map), numbered, with a colour bar."""
    count, height, width = maps.shape
    cols = (count + rows - 1) // rows
    gap = max(1, height // 6)
    tiled = np.full((rows * (height + gap), cols * (width + gap) - gap), np.nan)  # NaN: drawn blank
    for index, image in enumerate(maps):
        row, col = divmod(index, cols)
        y, x = row * (height + gap) + gap, col * (width + gap)
        tiled[y : y + height, x : x + width] = image
        axis.text(x + width / 2, y - 0.5, str(index), ha="center", va="bottom", fontsize=8)
    shown = axis.imshow(tiled, cmap="gray", vmin=float(maps.min()), vmax=float(maps.max()))
    axis.set_title(heading, fontsize=10, pad=14)
    axis.axis("off")
    axis.figure.colorbar(shown, ax=axis, shrink=0.8)
