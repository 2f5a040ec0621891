"""The symbol's ink drawn as MNIST was made: strokes as wide as MNIST's, fitted in a 20x20 box (aspect kept,
anti-aliased), its centre of mass at the centre of a 28x28 field, ink bright on black."""
import cv2
import numpy as np

from runtime.reading.decode import resize_longest
from runtime.reading.ink import stroke_width

FIELD, BOX = 28, 20
FINE = 4 * BOX  # strokes are reshaped at no less than 4x the box size, then area-averaged down
# Mean stroke width (2 * area / perimeter, px at 28x28) spanning MNIST's 10th-90th percentiles.
STROKE_RANGE = (1.9, 2.9)


def mnist_image(ink: np.ndarray, mask: np.ndarray, edge_level: float) -> np.ndarray:
    """float32 [28, 28] in [0, 1], ink bright: the masked ink of the contrast image `ink`."""
    return _centre_by_mass(_render_in_box(ink, mask, edge_level))


def bounding_box(mask: np.ndarray) -> tuple[slice, slice]:
    left, top, width, height = cv2.boundingRect(mask)  # of the non-zero pixels, with no index arrays
    return slice(top, top + height), slice(left, left + width)


def _render_in_box(ink: np.ndarray, mask: np.ndarray, edge_level: float) -> np.ndarray:
    """The ink, strokes as wide as MNIST's, scaled into the 20x20 box with anti-aliasing."""
    crop = bounding_box(mask)
    shape = mask[crop]
    if max(shape.shape) < FINE:  # too coarse to reshape strokes: enlarge the contrast instead
        near_ink = cv2.dilate(mask, np.ones((3, 3), np.uint8))[crop]
        shape = (resize_longest(ink[crop] * near_ink, FINE) > edge_level).astype(np.uint8)
    shape = _normalise_stroke_width(shape, max(shape.shape) / BOX)
    return resize_longest(shape[bounding_box(shape)].astype(np.float32), BOX)


def _normalise_stroke_width(shape: np.ndarray, pixels_per_output_pixel: float) -> np.ndarray:
    """Dilate or erode so the mean stroke width lands in MNIST's range."""
    width = stroke_width(shape) / pixels_per_output_pixel
    change = min(max(width, STROKE_RANGE[0]), STROKE_RANGE[1]) - width  # np.clip costs 12 us on a number
    radius = round(abs(change) * pixels_per_output_pixel / 2)
    if radius == 0:
        return shape
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1,) * 2)
    if change < 0:
        thinned = cv2.erode(shape, disk)
        return thinned if thinned.any() else shape
    return cv2.dilate(cv2.copyMakeBorder(shape, *(radius,) * 4, cv2.BORDER_CONSTANT), disk)


def _centre_by_mass(box: np.ndarray) -> np.ndarray:
    """Place the box in the 28x28 field with its centre of mass at pixel (14, 14), as MNIST."""
    height, width = box.shape
    row = np.arange(height) @ box.sum(axis=1) / box.sum()
    col = np.arange(width) @ box.sum(axis=0) / box.sum()
    top = min(max(round(FIELD / 2 - row), 0), FIELD - height)
    left = min(max(round(FIELD / 2 - col), 0), FIELD - width)
    field = np.zeros((FIELD, FIELD), np.float32)
    field[top : top + height, left : left + width] = np.clip(box, 0, 1)
    return field
