"""Which ink is the symbol: hysteresis on the contrast, ruled lines, shadows, border marks and specks left out,
and of several symbols in view the one nearest the centre and largest."""
import cv2
import numpy as np

from runtime.errors import InputError
from runtime.reading.ink import median, near_border, otsu

MIN_INK = 0.05  # median contrast of ink below which it is noise (set by hand)
NOISE_SIGMAS = 4  # ink stands out when above the paper's median by this many of its deviations (set by hand)
# _soft: on the generated photos ink's outline sharpness measures 0.17-0.35 per pixel, the shadow of a page
# edge or a hand 0.01-0.05: soft means under a third of the sharpest candidate's.
SOFT_RATIO = 3
SPECK_AREA = 0.05  # of the main mark's area: smaller marks are specks (set by hand)
FAINT_STRENGTH = 0.5  # of the main mark's mean contrast: fainter marks are shadow edges, JPEG ringing (set by hand)
# _central_symbol: weight falls with the distance of a symbol's centre from the picture's, by exp(-(d/0.3)^2),
# and to a quarter when the edge cuts it while another lies whole inside (set by hand).
CENTRE_SPREAD = 0.3
CUT_WEIGHT = 0.25


def digit_mask(ink: np.ndarray, gap: int) -> tuple[np.ndarray, float, int]:
    """The digit's ink as a uint8 mask, the contrast at its edges, and how many symbols the picture holds.

    InputError if blank.  Strokes within `gap` pixels belong to one symbol.
    """
    level, strong = _standing_out(ink)
    # Hysteresis: faint parts of a stroke count where they touch clearly inked parts;
    # the faint lines of ruled paper do not, though the digit crosses them.
    weak = (ink > level / 2).astype(np.uint8)
    weak[_ruled_lines(weak) & (strong == 0)] = 0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(weak, connectivity=8)
    keep = np.zeros(count, bool)
    keep[labels[strong > 0]] = True
    keep[0] = False
    keep &= ~_soft(weak, labels, stats, ink, keep)
    found, keep = _marks(keep, labels, stats, ink)
    if stats[keep][:, [cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT]].max() < max(4, min(ink.shape) / 32):
        raise InputError("no digit found (only specks)")
    mask, candidates = _central_symbol(keep, labels, ink, gap)
    if (found != keep).any():
        candidates = _central_symbol(found, labels, ink, gap)[1]
    return mask, level / 2, candidates


def _standing_out(ink: np.ndarray) -> tuple[float, np.ndarray]:
    """Otsu's level and mask of the ink contrast; InputError when nothing stands out from the paper."""
    level, strong = otsu(ink)
    if not strong.any() or strong.all():
        raise InputError("no digit found (blank or uniform image)")
    ink_level, paper = median(ink[strong > 0]), ink[strong == 0]
    if ink_level < MIN_INK or ink_level - median(paper) < NOISE_SIGMAS * paper.std():  # noise, not ink
        raise InputError("no digit found (no ink stands out from the background)")
    return level, strong


def _marks(keep: np.ndarray, labels: np.ndarray, stats: np.ndarray, ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the prominent marks: what the picture holds, the marks read).

    Marks along the border (shadows, paper edges) are not read, unless the digit itself reaches the border.
    """
    count = len(keep)
    areas = stats[:, cv2.CC_STAT_AREA]
    strength = np.bincount(labels.ravel(), ink.ravel(), count) / areas
    band = min(ink.shape) // 8
    inner_area = np.bincount(labels[band:-band, band:-band].ravel(), minlength=count)
    found = _prominent(keep, areas, strength)
    inside = keep & ~(near_border(stats, ink.shape, 0) & (inner_area < areas / 2))
    inside = _prominent(inside, areas, strength)
    if inside.any() and not near_border(stats[inside], ink.shape, max(ink.shape) // 50).any():
        return found, inside
    return found, found


def _central_symbol(marks: np.ndarray, labels: np.ndarray, ink: np.ndarray, gap: int) -> tuple[np.ndarray, int]:
    """The mask of the symbol nearest the centre and largest, when the `marks` (of the components `labels`)
    are several symbols; and how many they are.

    Strokes closer than `gap` pixels are one symbol (a 5's detached bar).  A symbol's weight is its
    ink, less the further its centre is from the picture's, and less again when the picture's edge
    cuts it while another symbol lies whole inside: neighbours in the frame are usually cut.
    """
    mask = marks[labels].astype(np.uint8)
    if marks.sum() == 1:  # one connected mark is one symbol: no distances to measure (1.5 ms at 280x280)
        return mask, 1
    # Within `gap` by the distance transform: the same as dilating by a disk, and 10x faster at gap 60.
    near = (cv2.distanceTransform(1 - mask, cv2.DIST_L2, cv2.DIST_MASK_PRECISE) <= gap).astype(np.uint8)
    count, groups, stats, centres = cv2.connectedComponentsWithStats(near, connectivity=8)
    if count <= 2:
        return mask, 1
    groups = groups * mask  # back to the ink itself, labelled by its symbol
    mass = np.bincount(groups.ravel(), ink.ravel(), count)
    rows, cols = ink.shape
    offset = np.hypot(centres[:, 0] / cols - 0.5, centres[:, 1] / rows - 0.5)
    cut = near_border(stats, ink.shape, 0)
    weight = mass * np.exp(-((offset / CENTRE_SPREAD) ** 2)) * np.where(cut & ~cut[1:].all(), CUT_WEIGHT, 1.0)
    weight[0] = 0
    chosen = int(np.argmax(weight))
    return (groups == chosen).astype(np.uint8), count - 1


def _soft(mask: np.ndarray, labels: np.ndarray, stats: np.ndarray, ink: np.ndarray,
          candidates: np.ndarray) -> np.ndarray:
    """Which candidate components have soft edges: shadows, not ink (SOFT_RATIO).

    Sharpness is the median contrast gradient along a component's outline over its mean contrast.
    Specks (under SPECK_AREA of the largest candidate's area) are left to _prominent: their outlines are too short.
    """
    areas = stats[:, cv2.CC_STAT_AREA]
    large = candidates & (areas >= SPECK_AREA * areas[candidates].max(initial=0))
    if large.sum() < 2:
        return np.zeros_like(candidates)
    sharpness = np.zeros(len(candidates))
    outline = mask - cv2.erode(mask, np.ones((3, 3), np.uint8))
    gradient = np.hypot(cv2.Sobel(ink, cv2.CV_32F, 1, 0), cv2.Sobel(ink, cv2.CV_32F, 0, 1)) / 8
    for label in np.flatnonzero(large):
        left, top, width, height = stats[label, :4]
        box = slice(top, top + height), slice(left, left + width)
        inside = labels[box] == label
        sharpness[label] = median(gradient[box][inside & (outline[box] > 0)]) / max(ink[box][inside].mean(), 1e-6)
    return large & (sharpness < sharpness.max() / SOFT_RATIO)


def _ruled_lines(mask: np.ndarray) -> np.ndarray:
    """Straight lines crossing the whole picture, as on ruled or squared paper.

    Faint lines come through the threshold dotted by the paper's grain: gaps of up to a quarter of
    the run length are bridged along the line first.
    """
    lines = np.zeros(mask.shape, bool)
    for axis, stat in ((1, cv2.CC_STAT_WIDTH), (0, cv2.CC_STAT_HEIGHT)):
        length = max(4, mask.shape[axis] // 16)
        gap, run = ((1, length // 4), (1, length)) if axis else ((length // 4, 1), (length, 1))
        bridged = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones(gap, np.uint8))
        runs = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, np.ones(run, np.uint8))
        # A connected line spanning 90% of the picture has ink in 90% of its columns (rows): most pictures
        # have fewer, and need no labelling (0.5 ms at 280x280).
        if runs.any(axis=1 - axis).sum() < 0.9 * mask.shape[axis]:
            continue
        _, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        crossing = stats[:, stat] >= 0.9 * mask.shape[axis]
        crossing[0] = False
        lines |= crossing[labels]
    return lines


def _prominent(candidates: np.ndarray, areas: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """Drop specks, and faint marks (edges of shadows, JPEG ringing) beside the main ink."""
    if not candidates.any():
        return candidates
    main = np.argmax(np.where(candidates, areas * strength, 0))
    return candidates & (areas >= SPECK_AREA * areas[main]) & (strength >= FAINT_STRENGTH * strength[main])
