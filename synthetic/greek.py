"""A built-in Greek-letter set that needs no download: font glyphs made to look hand-drawn.

Each letter is rendered from a font face, then drawn again along its centre line by a pen whose
width changes along the stroke, rotated, scaled, slanted and elastically warped with a seeded
generator, and finally put on grey paper with noise like a scan, so it goes through the same
preprocessing as real drawings. The faces are those bundled with matplotlib (DejaVu Sans, Serif and
Mono, and the mathtext italics of Computer Modern, STIX and DejaVu), always present, and the font
files of FONT_FILES found on the machine (Debian font packages: `make models` installs them).
Image i of a letter depends only on (seed, letter, i) and the faces found (`faces()`, which the
shipped references record): the same seed and fonts always give the same set.
"""
from functools import cache
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np
from matplotlib.font_manager import FontProperties, findfont, findSystemFonts
from matplotlib.ft2font import FT2Font
from matplotlib.textpath import TextPath

from runtime import atomic
from runtime.errors import InputError
from runtime.reading import read
from runtime.symbols.distort import Strength, distort
from runtime.symbols.sets import SymbolSet

LETTERS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
           "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega")
SIDE = 128  # pixels of a generated "scan"
# Plain fonts take the Unicode letter; mathtext faces take the TeX command (math italic).
_TEXT_FACES = [("DejaVu Sans", "normal", 400), ("DejaVu Sans", "oblique", 400), ("DejaVu Sans", "normal", 700),
               ("DejaVu Serif", "normal", 400), ("DejaVu Serif", "italic", 400), ("DejaVu Serif", "italic", 700),
               ("DejaVu Sans Mono", "normal", 400), ("DejaVu Sans Mono", "oblique", 400)]
_MATH_FACES = ["cm", "stix", "stixsans", "dejavusans", "dejavuserif"]
# Faces with all 24 lowercase letters from Debian's font packages, used when installed. The pen redraws a
# glyph along its centre line, so a face adds only its letter shapes: one weight each, mostly italic and sans
# faces (nearer to handwriting), and the Greek of GFS Porson, Olga and Solomos, which follow handwriting.
FONT_PACKAGES = ("fonts-freefont-ttf", "fonts-gfs-neohellenic", "fonts-gfs-didot", "fonts-gfs-porson",
                 "fonts-gfs-olga", "fonts-gfs-solomos", "fonts-gfs-artemisia", "fonts-cmu", "fonts-linuxlibertine",
                 "fonts-urw-base35", "fonts-oldstandard", "fonts-liberation")
FONT_FILES = ("FreeSans.ttf", "FreeSansOblique.ttf", "FreeSerifItalic.ttf", "GFSNeohellenic.otf",
              "GFSNeohellenicIt.otf", "GFSDidotItalic.otf", "GFSPorson.otf", "GFSOlga.otf", "GFSSolomos.otf",
              "GFSArtemisiaIt.otf", "cmunss.ttf", "cmunsi.ttf", "cmunti.ttf", "cmunci.ttf", "cmunui.ttf",
              "LinBiolinum_R.otf", "LinBiolinum_RI.otf", "LinLibertine_RI.otf", "URWGothic-Book.otf",
              "URWGothic-BookOblique.otf", "NimbusSans-Italic.otf", "URWBookman-LightItalic.otf",
              "Z003-MediumItalic.otf", "C059-Italic.otf", "P052-Italic.otf", "OldStandard-Italic.ttf",
              "LiberationSans-Regular.ttf", "LiberationSans-Italic.ttf")
_TEX = {"epsilon": r"\varepsilon", "omicron": "o"}  # the handwritten epsilon is the rounded one
# Phi is written both ways, φ and ϕ (a stroke through a circle): each face draws both where it has both.
_VARIANTS = {"phi": ("\u03d5", r"\varphi")}  # (Unicode, TeX)
# Chosen on writer 1's alpha/beta/gamma only (../shared/data/greek; named among all 24 letters: 19/27 with the
# old generator, 22/27 with these); the other writers are held out. Strokes are bent (elastic) and proportions
# vary (scale per axis) more than before; the width stays a pen's (stroke=0: the pen draws after the warp).
_STRENGTH = Strength(rotation=15, scale=0.25, shear=0.35, elastic=0.08, stroke=0)
_PEN_RADII = (1, 3)  # the thinner pen's radius, pixels of SIDE, drawn from this range; the thicker is 0 or 1 more


class Face(NamedTuple):
    name: str  # recorded with the references: a font file's name, "mathtext cm", "DejaVu Sans oblique 400"
    font: FontProperties
    math: bool  # mathtext: the letter is typeset from its TeX command


@cache
def faces() -> tuple[Face, ...]:
    """The faces letters are drawn from: matplotlib's own, then the FONT_FILES installed here."""
    bundled = [Face(f"{family} {style} {weight}", FontProperties(family=family, style=style, weight=weight), False)
               for family, style, weight in _TEXT_FACES]
    bundled += [Face(f"mathtext {name}", FontProperties(math_fontfamily=name), True) for name in _MATH_FACES]
    installed = {Path(path).name: path for path in findSystemFonts()}
    return tuple(bundled + [Face(name, FontProperties(fname=installed[name]), False)
                            for name in FONT_FILES if name in installed])


def _charmap(font: FontProperties) -> dict[int, int]:
    return FT2Font(findfont(font)).get_charmap()


def letter_names(text: str) -> list[str]:
    """'alpha,beta' -> ['alpha', 'beta']; InputError for a name that is not a lowercase Greek letter."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in LETTERS]
    if unknown or not names:
        raise InputError(f"unknown Greek letter(s) {unknown or text!r}; choose from {', '.join(LETTERS)}")
    return names


def glyph(letter: str, face: Face, side: int = SIDE, variant: bool = False) -> np.ndarray:
    """Ink-bright float32 [side, side] image of `letter` in `face`, fitted to 60% of the side.

    `variant`: the letter's other common form (see _VARIANTS), where it has one and the face is a text face.
    """
    index = LETTERS.index(letter)
    text = chr(0x3B1 + index + (index >= 17))  # skips the final sigma
    tex = _TEX.get(letter, "\\" + letter)
    if variant and letter in _VARIANTS and (face.math or ord(_VARIANTS[letter][0]) in _charmap(face.font)):
        text, tex = _VARIANTS[letter]
    return text_glyph(text, tex, face, side)


def text_glyph(text: str, tex: str, face: Face, side: int = SIDE) -> np.ndarray:
    """Ink-bright float32 [side, side] image of `text` (`tex` in a mathtext face), fitted to 60% of the side."""
    path = TextPath((0, 0), f"${tex}$" if face.math else text, size=100, prop=face.font)
    box = path.get_extents()
    scale = 0.6 * side / max(box.width, box.height)
    centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
    fine = 4  # polygons are filled at 4x and area-averaged down: anti-aliased edges
    polygons = [np.round(((poly - centre) * [scale, -scale] + side / 2) * fine).astype(np.int32)
                for poly in path.to_polygons()]
    canvas = np.zeros((side * fine, side * fine), np.uint8)
    cv2.fillPoly(canvas, polygons, 255)  # even-odd filling keeps the holes of o, theta, ...
    return cv2.resize(canvas, (side, side), interpolation=cv2.INTER_AREA).astype(np.float32) / 255


def centre_line(shape: np.ndarray) -> np.ndarray:
    """The centre line of a filled glyph, float32 0/1: the ridge of its distance transform (pixels
    within 0.6 of their neighbourhood's maximum distance), rough, but a pen covers its small gaps."""
    mask = (shape > 0.5).astype(np.uint8)
    distance = cv2.distanceTransform(mask, cv2.DIST_L2, 5)
    return ((distance >= cv2.dilate(distance, np.ones((3, 3))) - 0.6) & (distance > 0.5)).astype(np.float32)


def pen_stroke(line: np.ndarray, radii: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Draw a centre line with a round pen whose radius drifts smoothly between `radii` along the
    strokes, as pressure and speed change it in a hand: float32 [H, W] ink in [0, 1]."""
    pens = [cv2.dilate(line, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1,) * 2)) for r in radii]
    drift = cv2.resize(rng.uniform(0, 1, (4, 4)).astype(np.float32), line.shape[::-1], interpolation=cv2.INTER_CUBIC)
    return np.clip(pens[0] + (pens[1] - pens[0]) * (drift > 0.5), 0, 1)


def hand_drawn(letter: str, index: int, seed: int) -> np.ndarray:
    """Image `index` of `letter` for `seed`: float32 [SIDE, SIDE], dark ink on light paper.

    The centre line is bent and slanted before the pen draws it, so strokes keep a pen's width.
    """
    rng = np.random.default_rng([seed, LETTERS.index(letter), index])
    all_faces = faces()
    shape = glyph(letter, all_faces[int(rng.integers(len(all_faces)))], variant=bool(rng.integers(2)))
    return pen_drawn(shape, rng)


def pen_drawn(shape: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A filled glyph [SIDE, SIDE] drawn again by a pen along its bent centre line, on scanned paper."""
    line = (distort(centre_line(shape), rng, _STRENGTH) > 0.1).astype(np.float32)
    thin = int(rng.integers(_PEN_RADII[0], _PEN_RADII[1] + 1))
    ink = pen_stroke(line, (thin, thin + int(rng.integers(0, 2))), rng)
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
    images = np.stack([read(_to_uint8(scan)).image for _, _, scan in items])
    labels = np.array([names.index(letter) for letter, _, _ in items], np.int64)
    return SymbolSet(images, labels, names, [Path(letter, f"{letter}_{i + 1:03d}.png") for letter, i, _ in items])


def for_classes(class_names, count: int, seed: int = 0) -> SymbolSet | None:
    """Synthetic drawings of those classes that are named after Greek letters (None when none are)."""
    letters = [name for name in class_names if name in LETTERS]
    return symbol_set(letters, count, seed) if letters else None


def _to_uint8(scan: np.ndarray) -> np.ndarray:
    return np.round(scan * 255).astype(np.uint8)
