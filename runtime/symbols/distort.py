"""Seeded distortions that make one drawing of a symbol look like another hand drew it (numpy + cv2).

Used twice: to turn font glyphs into hand-drawn-looking letters, and to add varied copies of
each reference drawing so that nearest-neighbour search covers more ways of writing a symbol.
"""
from typing import NamedTuple

import cv2
import numpy as np

from runtime.reading import read

_UPSAMPLE = 4  # 28x28 references are distorted at 112x112 (plus a margin), then preprocessed again


class Strength(NamedTuple):
    rotation: float = 15.0  # degrees, uniform +-
    scale: float = 0.25  # relative, each axis independently +-: proportions vary a lot between hands
    shear: float = 0.35  # horizontal shear factor +-
    elastic: float = 0.06  # largest displacement as a fraction of the image side
    stroke: float = 0.5  # stroke width change as a fraction of its width, +-


def distort(ink: np.ndarray, rng: np.random.Generator, strength: Strength = Strength()) -> np.ndarray:
    """An ink-bright float image in [0, 1], randomly rotated, scaled, sheared, warped and re-stroked."""
    ink = _affine(np.asarray(ink, np.float32), rng, strength)
    ink = _elastic(ink, rng, strength.elastic)
    return _restroke(ink, rng, strength.stroke)


def variants(image28: np.ndarray, count: int, rng: np.random.Generator, strength: Strength = Strength()) -> np.ndarray:
    """`count` distorted copies of a preprocessed 28x28 symbol, each preprocessed again: [count, 28, 28]."""
    big = cv2.resize(np.asarray(image28, np.float32), None, fx=_UPSAMPLE, fy=_UPSAMPLE,
                     interpolation=cv2.INTER_CUBIC).clip(0, 1)
    big = cv2.copyMakeBorder(big, *(28,) * 4, cv2.BORDER_CONSTANT)  # room to rotate and grow
    return np.array([read(distort(big, rng, strength)).image for _ in range(count)], np.float32).reshape(count, 28, 28)


def _affine(ink: np.ndarray, rng: np.random.Generator, strength: Strength) -> np.ndarray:
    height, width = ink.shape
    angle = np.deg2rad(rng.uniform(-strength.rotation, strength.rotation))
    scale = 1 + rng.uniform(-strength.scale, strength.scale, size=2)
    shear = rng.uniform(-strength.shear, strength.shear)
    rotate = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    linear = rotate @ np.array([[1, shear], [0, 1]]) @ np.diag(scale)
    centre = np.array([width / 2, height / 2])
    matrix = np.hstack([linear, (centre - linear @ centre)[:, None]])
    return cv2.warpAffine(ink, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=0)


def _elastic(ink: np.ndarray, rng: np.random.Generator, amplitude: float) -> np.ndarray:
    """A smooth random displacement field (Simard et al. 2003): strokes bend without breaking.

    The noise is blurred at a quarter of the size and then enlarged: the same smooth field, 16x cheaper.
    """
    height, width = ink.shape
    side = max(height, width)
    small = max(8, side // 4)
    noise = rng.uniform(-1, 1, (small, small, 2)).astype(np.float32)
    smooth = cv2.GaussianBlur(noise, (0, 0), small / 8)
    smooth *= amplitude * side / np.maximum(np.abs(smooth).max(axis=(0, 1)), 1e-6)
    field = cv2.resize(smooth, (width, height), interpolation=cv2.INTER_CUBIC)
    grid_x, grid_y = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    return cv2.remap(ink, grid_x + field[..., 0], grid_y + field[..., 1], cv2.INTER_LINEAR, borderValue=0)


def _restroke(ink: np.ndarray, rng: np.random.Generator, change: float) -> np.ndarray:
    """Thicken or thin the strokes by a random fraction of their mean width (2 * area / perimeter)."""
    mask = (ink > 0.5).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    perimeter = sum(cv2.arcLength(contour, True) for contour in contours)
    width = 2 * float(mask.sum()) / max(perimeter, 1)
    amount = rng.uniform(-change, change)
    radius = round(abs(amount) * width / 2)
    if radius == 0:
        return ink
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1,) * 2)
    changed = cv2.dilate(ink, disk) if amount > 0 else cv2.erode(ink, disk)
    return changed if changed.max() > 0.5 else ink
