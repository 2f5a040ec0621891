"""A built-in Greek-letter set that needs no download: font glyphs made to look hand-drawn.

Each letter is rendered from a font that ships with matplotlib (DejaVu Sans, Serif and Mono in
several styles, and the mathtext italic of Computer Modern, STIX and DejaVu), then rotated,
scaled, sheared, elastically warped and re-stroked with a seeded generator, and finally put on
grey paper with noise like a scan, so it goes through the same preprocessing as real drawings.
Image i of a letter depends only on (seed, letter, i): the same seed always gives the same set.
"""
from pathlib import Path

import cv2
import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath

from runtime import atomic
from runtime.distort import Strength, distort
from runtime.errors import InputError
from runtime.preprocess import to_mnist
from runtime.symbols import SymbolSet

LETTERS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
           "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega")
SIDE = 128  # pixels of a generated "scan"
# Plain fonts take the Unicode letter; mathtext faces take the TeX command (math italic).
_TEXT_FACES = [("DejaVu Sans", "normal", 400), ("DejaVu Sans", "oblique", 400), ("DejaVu Sans", "normal", 700),
               ("DejaVu Serif", "normal", 400), ("DejaVu Serif", "italic", 400), ("DejaVu Serif", "italic", 700),
               ("DejaVu Sans Mono", "normal", 400), ("DejaVu Sans Mono", "oblique", 400)]
_MATH_FACES = ["cm", "stix", "stixsans", "dejavusans", "dejavuserif"]
_TEX = {"epsilon": r"\varepsilon", "omicron": "o"}  # the handwritten epsilon is the rounded one
_STRENGTH = Strength(rotation=10, scale=0.1, shear=0.3, elastic=0.05, stroke=0.3)


def letter_names(text: str) -> list[str]:
    """'alpha,beta' -> ['alpha', 'beta']; InputError for a name that is not a lowercase Greek letter."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in LETTERS]
    if unknown or not names:
        raise InputError(f"unknown Greek letter(s) {unknown or text!r}; choose from {', '.join(LETTERS)}")
    return names


def glyph(letter: str, face: int, side: int = SIDE) -> np.ndarray:
    """Ink-bright float32 [side, side] image of `letter` in face number `face`, fitted to 60% of the side."""
    if face < len(_TEXT_FACES):
        family, style, weight = _TEXT_FACES[face]
        text = chr(0x3B1 + LETTERS.index(letter) + (LETTERS.index(letter) >= 17))  # skips final sigma
        path = TextPath((0, 0), text, size=100, prop=FontProperties(family=family, style=style, weight=weight))
    else:
        tex = _TEX.get(letter, "\\" + letter)
        path = TextPath((0, 0), f"${tex}$", size=100,
                        prop=FontProperties(math_fontfamily=_MATH_FACES[face - len(_TEXT_FACES)]))
    box = path.get_extents()
    scale = 0.6 * side / max(box.width, box.height)
    centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
    fine = 4  # polygons are filled at 4x and area-averaged down: anti-aliased edges
    polygons = [np.round(((poly - centre) * [scale, -scale] + side / 2) * fine).astype(np.int32)
                for poly in path.to_polygons()]
    canvas = np.zeros((side * fine, side * fine), np.uint8)
    cv2.fillPoly(canvas, polygons, 255)  # even-odd filling keeps the holes of o, theta, ...
    return cv2.resize(canvas, (side, side), interpolation=cv2.INTER_AREA).astype(np.float32) / 255


def pen_stroke(shape: np.ndarray, radius: int) -> np.ndarray:
    """Redraw a filled glyph with a round pen of one width, as a hand would, along its centre line.

    The centre line is the ridge of the distance transform (pixels within 0.6 of their
    neighbourhood's maximum distance): rough, but the pen covers its small gaps.
    """
    mask = (shape > 0.5).astype(np.uint8)
    distance = cv2.distanceTransform(mask, cv2.DIST_L2, 5)
    ridge = ((distance >= cv2.dilate(distance, np.ones((3, 3))) - 0.6) & (distance > 0.5)).astype(np.uint8)
    pen = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1,) * 2)
    return cv2.dilate(ridge, pen).astype(np.float32)


def hand_drawn(letter: str, index: int, seed: int) -> np.ndarray:
    """Image `index` of `letter` for `seed`: float32 [SIDE, SIDE], dark ink on light paper."""
    rng = np.random.default_rng([seed, LETTERS.index(letter), index])
    shape = glyph(letter, int(rng.integers(len(_TEXT_FACES) + len(_MATH_FACES))))
    ink = distort(pen_stroke(shape, int(rng.integers(2, 6))), rng, _STRENGTH)
    ink = cv2.GaussianBlur(ink, (0, 0), rng.uniform(0.5, 1.2))
    paper, pen = rng.uniform(0.75, 0.95), rng.uniform(0.05, 0.35)
    shade = np.linspace(0, rng.uniform(-0.08, 0.08), SIDE, dtype=np.float32)[None, :]  # uneven lighting
    scan = paper + shade - ink * (paper - pen) + rng.normal(0, 0.02, ink.shape)
    return np.clip(scan, 0, 1).astype(np.float32)


def generate(letters=("alpha", "beta", "gamma"), count: int = 9, seed: int = 0) -> list[tuple[str, int, np.ndarray]]:
    """(letter, index, scan) for `count` images of each letter."""
    return [(letter, index, hand_drawn(letter, index, seed)) for letter in letters for index in range(count)]


def write_folder(out: str | Path, letters=("alpha", "beta", "gamma"), count: int = 9, seed: int = 0) -> Path:
    """Write the set as out/<letter>/<letter>_NNN.png, a tree that read_symbol_folder reads."""
    out = Path(out)
    for letter, index, scan in generate(letters, count, seed):
        png = cv2.imencode(".png", _to_uint8(scan))[1]
        atomic.write_bytes(out / letter / f"{letter}_{index + 1:03d}.png", png.tobytes())
    return out


def symbol_set(letters=("alpha", "beta", "gamma"), count: int = 9, seed: int = 0) -> SymbolSet:
    """The set preprocessed exactly as read_symbol_folder(write_folder(...)) would give it."""
    items = sorted(generate(letters, count, seed), key=lambda item: item[:2])
    names = sorted(set(letters))
    images = np.stack([to_mnist(_to_uint8(scan)) for _, _, scan in items])
    labels = np.array([names.index(letter) for letter, _, _ in items], np.int64)
    return SymbolSet(images, labels, names, [Path(letter, f"{letter}_{i + 1:03d}.png") for letter, i, _ in items])


def for_classes(class_names, count: int, seed: int = 0) -> SymbolSet | None:
    """Synthetic drawings of those classes that are named after Greek letters (None when none are)."""
    letters = [name for name in class_names if name in LETTERS]
    return symbol_set(letters, count, seed) if letters else None


def _to_uint8(scan: np.ndarray) -> np.ndarray:
    return np.round(scan * 255).astype(np.uint8)
