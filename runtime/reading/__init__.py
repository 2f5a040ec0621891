"""Reading a picture: the one door from a photo, a scan, a drawing or pixels to the networks' 28x28 input.

    from runtime.reading import read
    reading = read("photo.jpg")      # a path, the bytes of an image file, or a pixel array
    reading.image                    # float32 [28, 28] in [0, 1], ink bright, as MNIST was made

It repeats how MNIST was made (decode, ink, segment, render: one module each): find the ink, fit it in a
20x20 box (aspect kept, anti-aliased), put its centre of mass at the centre of a 28x28 field, ink bright on
black. The one preprocessing of training and run time; it needs only numpy and OpenCV.
"""
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from runtime.errors import InputError
from runtime.reading.decode import decode_bytes, file_bytes, from_pixels
from runtime.reading.ink import background_scale, dark_ink, ink_contrast
from runtime.reading.render import bounding_box, mnist_image
from runtime.reading.segment import digit_mask

Source = str | os.PathLike | bytes | bytearray | memoryview | np.ndarray
# Strokes of one symbol lie within a stroke width or so of each other, or 1/25 of the picture: a pencil gamma's gap.
SYMBOL_GAP_PARTS = 25


class Reading(NamedTuple):
    """What reading a picture found in it."""
    image: np.ndarray  # float32 [28, 28] in [0, 1], ink bright: the symbol read
    candidates: int  # separate symbols (or fragments) in the picture; the one nearest the centre and largest is read
    box: tuple[float, float, float, float]  # left, top, width, height of the symbol read, fractions of the picture

    def where(self) -> dict:
        """How many symbols the picture holds and where the one read is, as `runtime predict --json` gives it."""
        return {"candidates": self.candidates, "box": [round(value, 4) for value in self.box]}


def read(source: Source, name: str | None = None) -> Reading:
    """The symbol in a picture, read as MNIST was made; InputError, starting with the picture's name, if none.

    `source`: an image file's path; the bytes of an image file (PNG, JPEG, ...); or decoded pixels, [H, W] gray
    or [H, W, 3|4] BGR(A), integers over their full range or floats in [0, 1]. `name` starts the error messages
    (default: the path; "picture" for bytes; nothing for pixels). The symbol read is the one nearest the
    picture's centre and largest.
    """
    is_path = isinstance(source, (str, os.PathLike))
    name = name or (str(Path(source)) if is_path else "picture" if not isinstance(source, np.ndarray) else None)
    try:
        if isinstance(source, np.ndarray):
            return _read_work(from_pixels(source))
        return _read_work(decode_bytes(file_bytes(Path(source)) if is_path else source))
    except InputError as error:
        raise InputError(f"{name}: {error}" if name else str(error)) from None


def read_many(sources: Sequence[Source], names: Sequence[str] | None = None) -> list[Reading | InputError]:
    """`read` of each source (with its name, if given), an InputError in place of each that cannot be read."""
    readings = []
    for source, name in zip(sources, names or [None] * len(sources)):
        try:
            readings.append(read(source, name))
        except InputError as error:
            readings.append(error)
    return readings


def find_ink(work: np.ndarray) -> tuple[np.ndarray, int]:
    """The ink contrast of a working image (runtime.reading.decode), float32 [H, W] in [0, 1], and the gap (px)
    within which strokes are one symbol: the first half of a reading, the ink module's."""
    kernel_side, is_dark = background_scale(work, dark_ink(work if work.ndim == 2 else work.mean(axis=2)))
    return ink_contrast(work, is_dark, kernel_side), max(kernel_side // 4, max(work.shape[:2]) // SYMBOL_GAP_PARTS)


def _read_work(work: np.ndarray) -> Reading:
    """The reading of a working image (runtime.reading.decode)."""
    ink, gap = find_ink(work)
    mask, edge_level, candidates = digit_mask(ink, gap)
    rows, cols = bounding_box(mask)
    box = (cols.start / mask.shape[1], rows.start / mask.shape[0],
           (cols.stop - cols.start) / mask.shape[1], (rows.stop - rows.start) / mask.shape[0])
    return Reading(mnist_image(ink, mask, edge_level), candidates, box)
