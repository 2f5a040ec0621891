"""Pictures that hold no digit, for measuring "not a digit": letters drawn by the Greek generator's pen (all 24
Greek letters and the 52 Latin ones), random pen strokes, and blank paper with specks, as scans of SIDE pixels.

Picture i of a family depends only on (seed, family, i). Latin letters include those a hand writes like a
digit (O, l, S, Z, ...): the measurement is of what users draw, not of the easy cases. `for_training` leaves
those out: a network taught that a round O is no digit would refuse round zeros.
"""
import string
from collections.abc import Iterator

import cv2
import numpy as np

from synthetic import greek

FAMILIES = ("greek", "latin", "strokes", "specks")
LATIN = string.ascii_letters
DIGIT_LIKE = set("BDGIJOQSTZbgijloqsz") | {"iota", "omicron"}  # letters written like 0, 1, 2, 5, 6, 7, 8 or 9


def for_training(count: int, seed: int) -> Iterator[np.ndarray]:
    """`count` pictures of each family (uint8 scans, as to_uint8 gives), but for the letters written like digits."""
    for family in FAMILIES:
        for index in range(count):
            if _letter(family, index) not in DIGIT_LIKE:
                yield to_uint8(picture(family, index, seed))


def _letter(family: str, index: int) -> str | None:
    if family == "greek":
        return greek.LETTERS[index % len(greek.LETTERS)]
    return LATIN[index % len(LATIN)] if family == "latin" else None


def picture(family: str, index: int, seed: int) -> np.ndarray:
    """Picture `index` of `family`: float32 [SIDE, SIDE], dark ink on light paper, in [0, 1]."""
    rng = np.random.default_rng([seed, FAMILIES.index(family), index])
    if family == "greek":
        return greek.hand_drawn(_letter(family, index), index // len(greek.LETTERS), seed)
    if family == "latin":
        letter, faces = _letter(family, index), greek.faces()
        return greek.pen_drawn(greek.text_glyph(letter, letter, faces[int(rng.integers(len(faces)))]), rng)
    return strokes(rng) if family == "strokes" else specks(rng)


def strokes(rng: np.random.Generator) -> np.ndarray:
    """One to four pen strokes through random points: scribbles, crossings, zigzags."""
    ink = np.zeros((greek.SIDE, greek.SIDE), np.float32)
    for _ in range(int(rng.integers(1, 5))):
        points = rng.uniform(0.15, 0.85, (int(rng.integers(2, 6)), 2)) * greek.SIDE
        cv2.polylines(ink, [points.astype(np.int32)], False, 1.0, int(rng.integers(3, 9)), cv2.LINE_AA)
    return _on_paper(ink, rng)


def specks(rng: np.random.Generator) -> np.ndarray:
    """Blank-ish paper: one to seven small dots of dust or pencil."""
    ink = np.zeros((greek.SIDE, greek.SIDE), np.float32)
    for _ in range(int(rng.integers(1, 8))):
        centre = tuple(int(v) for v in rng.integers(8, greek.SIDE - 8, 2))
        cv2.circle(ink, centre, int(rng.integers(1, 4)), float(rng.uniform(0.4, 1)), -1, cv2.LINE_AA)
    return _on_paper(ink, rng)


def _on_paper(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    paper, pen = rng.uniform(0.75, 0.95), rng.uniform(0.05, 0.35)
    scan = paper - ink * (paper - pen) + rng.normal(0, 0.02, ink.shape)
    return np.clip(scan, 0, 1).astype(np.float32)


def to_uint8(scan: np.ndarray) -> np.ndarray:
    return np.round(scan * 255).astype(np.uint8)
