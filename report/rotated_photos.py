"""Digit photos taken at an angle: seeded rotations of each photo, read by the runtime's preprocessing and a
digits graph, to compare how well models hold up."""
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from runtime.errors import InputError
from runtime.models import OnnxModel
from runtime.reading import read_many
from runtime.reading.decode import decode_bytes, file_bytes

ANGLES_PER_PHOTO = 7
ANGLE_RANGE = (15.0, 35.0)  # degrees either way: beyond the shipped recipe's +-12 degree augmentation
SEED = 0
PROTOCOL = (f"each photo turned by {ANGLES_PER_PHOTO} angles drawn uniformly from {ANGLE_RANGE[0]:.0f}-"
            f"{ANGLE_RANGE[1]:.0f} degrees, each way at random (seed {SEED}), about its centre on a canvas that holds "
            "all of it (new corners repeat the picture's edge), then preprocessed as `runtime predict` does")


def rotation_angles(photos: int, seed: int = SEED) -> np.ndarray:
    """[photos, ANGLES_PER_PHOTO] angles in degrees (positive: anticlockwise), |angle| in ANGLE_RANGE."""
    rng = np.random.default_rng(seed)
    sizes = rng.uniform(*ANGLE_RANGE, (photos, ANGLES_PER_PHOTO))
    return sizes * rng.choice([-1.0, 1.0], (photos, ANGLES_PER_PHOTO))


def rotate(picture: np.ndarray, degrees: float) -> np.ndarray:
    """[H, W] or [H, W, 3] picture turned anticlockwise about its centre -> [H', W'(, 3)], large enough to hold
    all of it; the new corners repeat the picture's edge (the paper it was on)."""
    height, width = picture.shape[:2]
    matrix = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    size = (round(width * cos + height * sin), round(width * sin + height * cos))
    matrix[:, 2] += (np.array(size) - (width, height)) / 2  # centre the turned picture on the larger canvas
    return cv2.warpAffine(picture, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def correct_when_rotated(paths: Sequence[Path], models: Sequence[OnnxModel],
                         seed: int = SEED) -> tuple[list[int], int]:
    """How many of the photos' seeded rotations each digits graph reads right, and how many rotations there are.

    A photo's label is the first character of its file name; a rotation the preprocessing refuses counts as
    missed by every model.
    """
    angles = rotation_angles(len(paths), seed)
    turned = [(f"{path.name} at {angle:+.1f} degrees", rotate(decode_bytes(file_bytes(path)), angle))
              for path, row in zip(paths, angles) for angle in row]
    inputs = read_many([picture for _, picture in turned], [name for name, _ in turned])
    labels = np.repeat([int(path.name[0]) for path in paths], ANGLES_PER_PHOTO)
    readable = [index for index, item in enumerate(inputs) if not isinstance(item, InputError)]
    if not readable:
        return [0] * len(models), len(labels)
    images = np.stack([inputs[index].image for index in readable])
    return [int((model.run(images).argmax(1) == labels[readable]).sum()) for model in models], len(labels)
