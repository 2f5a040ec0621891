"""Generated pictures: Greek and Latin letters drawn by a pen (greek), pictures that hold no digit (nondigits),
photos of MNIST digits in hard conditions (photos); and `readings`, the networks' inputs the reader makes of them."""
from collections.abc import Iterable

import numpy as np

from runtime.errors import InputError
from runtime.reading import read_many


def readings(pictures: Iterable[np.ndarray]) -> tuple[np.ndarray, int]:
    """float32 [M, 28, 28]: the pictures the reader reads, and how many it refused (no ink: a rejection too)."""
    read = read_many(list(pictures))
    images = [reading.image for reading in read if not isinstance(reading, InputError)]
    return np.array(images, np.float32).reshape(-1, 28, 28), len(read) - len(images)
