"""Turn a picture of a handwritten digit or symbol into a 28x28 MNIST-style array.

The one preprocessing used for training and at run time; it needs only numpy and OpenCV.
It repeats how MNIST was made: find the ink, fit it in a 20x20 box (aspect kept, anti-aliased),
put its centre of mass at the centre of a 28x28 field, ink bright on black.
"""
import struct
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np

from runtime.errors import InputError

MAX_PIXELS = 40_000_000
MIN_SIDE = 8
MNIST_MEAN = 0.1307
MNIST_STD = 0.3081

_WORK_SIDE = 640  # longer side of the working copy: ample for a 20-px result, bounded cost
_FIELD, _BOX = 28, 20
_FINE = 4 * _BOX  # strokes are reshaped at no less than 4x the box size, then area-averaged down
# Mean stroke width (2 * area / perimeter, px at 28x28) spanning MNIST's 10th-90th percentiles.
_STROKE_RANGE = (1.9, 2.9)

# OpenCV prints warnings such as "PNG input buffer is incomplete" on stderr; a file it cannot decode
# is reported by load_image in one line of its own.
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


def load_image(path) -> np.ndarray:
    """Read an image file as float32 in [0, 1]: (H, W) gray or (H, W, 3) BGR, alpha resolved.

    Large pictures come back shrunk to the working size (longer side 640 px), ample for to_mnist.
    """
    path = Path(path)
    return decode_image(_read_bytes(path), path)


def decode_image(data: bytes | np.ndarray, name: str | Path) -> np.ndarray:
    """load_image for the bytes of an image file (uint8 [n] or bytes); errors start with `name`."""
    data = np.frombuffer(data, np.uint8) if isinstance(data, (bytes, bytearray, memoryview)) else data
    if data.size == 0:
        raise InputError(f"{name}: empty file")
    size = _header_size(data)
    if size:
        _check_size(name, *size)
    try:
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    except cv2.error as error:  # raised past OpenCV's own limit of 2**30 pixels (formats not checked above)
        raise InputError(f"{name}: cannot decode image (OpenCV: {error.err})") from None
    if image is None:
        raise InputError(f"{name}: cannot decode image (corrupt, truncated or not an image)")
    _check_size(name, image.shape[1], image.shape[0])
    try:
        return _as_gray_or_bgr(_shrink(image, _WORK_SIDE))  # shrunk first: less memory
    except InputError as error:
        raise InputError(f"{name}: {error}") from None


class Reading(NamedTuple):
    """What preprocessing found in a picture."""
    image: np.ndarray  # float32 [28, 28] in [0, 1], ink bright: the symbol read
    candidates: int  # separate symbols (or fragments) in the picture; the one nearest the centre and largest is read
    box: tuple[float, float, float, float]  # left, top, width, height of the symbol read, fractions of the picture


def to_mnist(image: np.ndarray) -> np.ndarray:
    """MNIST-style float32 [28, 28] in [0, 1], ink bright; integer images use their full range."""
    return read_picture(image).image


def read_picture(image: np.ndarray) -> Reading:
    """to_mnist, with how many symbols the picture holds and where the one read is."""
    work = _shrink(_as_gray_or_bgr(np.asarray(image)), _WORK_SIDE)
    kernel_side, dark_ink = _background_scale(work, _dark_ink(work if work.ndim == 2 else work.mean(axis=2)))
    ink = _ink_contrast(work, dark_ink, kernel_side)
    # strokes of one symbol: within a stroke width or so, or 1/25 of the picture (a pencil gamma's gap)
    mask, edge_level, candidates = _digit_mask(ink, max(kernel_side // 4, max(ink.shape) // 25))
    rows, cols = _bounding_box(mask)
    box = (cols.start / mask.shape[1], rows.start / mask.shape[0],
           (cols.stop - cols.start) / mask.shape[1], (rows.stop - rows.start) / mask.shape[0])
    return Reading(_centre_by_mass(_render_in_box(ink, mask, edge_level)), candidates, box)


def preprocess_file(path) -> np.ndarray:
    """load_image + to_mnist: float32 [28, 28] in [0, 1]."""
    return read_file(path).image


def preprocess_bytes(data: bytes, name: str) -> np.ndarray:
    """decode_image + to_mnist: float32 [28, 28] in [0, 1]; errors start with `name`."""
    return read_bytes(data, name).image


def read_file(path) -> Reading:
    """load_image + read_picture; errors start with the path."""
    return _named_reading(load_image(path), path)


def read_bytes(data: bytes, name: str) -> Reading:
    """decode_image + read_picture; errors start with `name`."""
    return _named_reading(decode_image(data, name), name)


def _named_reading(image: np.ndarray, name: str | Path) -> Reading:
    try:
        return read_picture(image)
    except InputError as error:
        raise InputError(f"{name}: {error}") from None


def normalise(x01: np.ndarray) -> np.ndarray:
    """Standardise like the MNIST training inputs."""
    return ((np.asarray(x01, np.float32) - MNIST_MEAN) / MNIST_STD).astype(np.float32)


def _read_bytes(path: Path) -> np.ndarray:
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not an image file")
    try:
        data = np.fromfile(path, np.uint8)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    return data


def _header_size(data: np.ndarray) -> tuple[int, int] | None:
    """(width, height) from a PNG, BMP or JPEG header, so huge images are refused before decoding."""
    head = data[:65536].tobytes()
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR" and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    if head.startswith(b"BM") and len(head) >= 26 and struct.unpack("<I", head[14:18])[0] >= 40:
        width, height = struct.unpack("<ii", head[18:26])  # BITMAPINFOHEADER or later
        return abs(width), abs(height)  # a negative height means rows stored top-down
    if not head.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 9 <= len(head) and head[pos] == 0xFF:
        marker = head[pos + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start-of-frame segment
            height, width = struct.unpack(">HH", head[pos + 5 : pos + 9])
            return width, height
        pos += 2 + struct.unpack(">H", head[pos + 2 : pos + 4])[0]
    return None


def _check_size(name: str | Path, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise InputError(f"{name}: image too large ({width}x{height} > {MAX_PIXELS} pixels)")
    if min(width, height) < MIN_SIDE:
        raise InputError(f"{name}: image too small to hold a digit ({width}x{height})")


def _as_gray_or_bgr(image: np.ndarray) -> np.ndarray:
    if image.dtype.kind == "u":
        image = image.astype(np.float32) / np.iinfo(image.dtype).max
    elif image.dtype.kind == "f" and np.isnan(image).any():
        raise InputError("image has NaN pixels")
    elif image.dtype.kind == "f":
        image = np.clip(image, 0, 1).astype(np.float32)
    else:
        raise InputError(f"unsupported pixel type {image.dtype}")
    if image.ndim == 3 and image.shape[2] in (1, 4):
        image = image[..., 0] if image.shape[2] == 1 else _flatten_alpha(image)
    if image.ndim != 2 and image.shape[2:] != (3,):
        raise InputError(f"unsupported image shape {image.shape}")
    if min(image.shape[:2]) < MIN_SIDE:
        raise InputError(f"image too small to hold a digit ({image.shape[1]}x{image.shape[0]})")
    return image


def _flatten_alpha(bgra: np.ndarray) -> np.ndarray:
    """Composite onto a backdrop that contrasts with the opaque pixels, so they stay the ink."""
    colour, alpha = bgra[..., :3], bgra[..., 3:]
    opaque_level = (colour * alpha).sum() / max(3 * alpha.sum(), 1e-6)
    backdrop = 0.0 if opaque_level > 0.5 else 1.0
    return colour * alpha + backdrop * (1 - alpha)


def _shrink(image: np.ndarray, longest: int) -> np.ndarray:
    return _resize_longest(image, longest) if max(image.shape[:2]) > longest else image


def _resize_longest(image: np.ndarray, longest: int) -> np.ndarray:
    scale = longest / max(image.shape[:2])
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


def _dark_ink(gray: np.ndarray) -> bool:
    """Is the ink darker than the paper?  Decided on a small copy, against wide medians.

    A median over a good part of the picture is the paper there, lit or shaded, however little
    ink there is; the side of it that departs by more than noise is the ink's.  Several window
    sizes are summed, as no single one suits every stroke weight and every size of paper in view.
    Dark ink is the usual case and wins unless light departures clearly outweigh dark ones, and the
    picture's edges are mostly dark: paper goes round the writing.  Marker filling much of a window
    pulls its median to the ink (balance down to -0.75 of the total on the generated marker photos,
    synthetic.photos), but its edges stay mostly light (at most 26% dark), while light ink on dark
    reads -0.56 or lower with edges 93% dark or more.
    """
    small = np.round(_shrink(gray, 128) * 255).astype(np.uint8)
    dark = light = 0.0
    for fraction in (3, 4, 6):
        departure = small - cv2.medianBlur(small, max(small.shape) // fraction | 1).astype(np.float32)
        dark += np.clip(-departure - 8, 0, None).sum()
        light += np.clip(departure - 8, 0, None).sum()
    lighter = cv2.threshold(small, 0, 1, cv2.THRESH_OTSU)[1]
    edges_dark = 1 - np.concatenate([lighter[0], lighter[-1], lighter[:, 0], lighter[:, -1]]).mean()
    return dark - light >= -0.45 * (dark + light) or edges_dark < 0.5


def _background_scale(work: np.ndarray, dark_ink: bool) -> tuple[int, np.ndarray]:
    """Kernel side for the background: 3 stroke widths, measured on rough passes over small copies;
    and, per colour channel, whether the ink is darker than the paper there.

    Wide enough to cover any stroke, blob or crossing, and no wider, so that lighting, shadows,
    paper edges and paper pasted on a backdrop, all wider than that, stay background.  A rough
    pass sees only the parts of strokes narrower than its kernel (a closing leaves wider ink as
    it is), so passes are made with kernels from 1/6 of the side to all of it, and the widest
    strokes that a pass sees whole are taken (felt-tip marker filling the frame needs the widest).
    The first pass is made at 256 px, where a pen's stroke is still a pixel or two; the wider ones
    look for strokes of a ninth of the side or more, which 128 px measure as well at a sixth the cost.
    Coloured ink can be darker than the paper in one channel and clearly lighter in another (violet
    on grey is lighter in blue): such a channel is compared on the side where its ink lies, or the
    closing fills the gaps between strokes with the lighter ink's level (a thick 3 read as a blob).
    Channels where ink and paper differ little keep the picture's side: turned over, their noise
    would count as contrast (relative to a background near 0, yellow on white is all ink).
    """
    side = max(work.shape[:2])
    small, coarse = _shrink(work, 256), _shrink(work, 128)
    small_side, coarse_side = max(small.shape[:2]), max(coarse.shape[:2])
    first = _rough_ink(_ink_contrast(small, dark_ink, small_side // 6 | 1))
    width = _stroke_width(first) * side / small_side
    if first.any() and not first.all():
        ink_colour, paper_colour = np.median(small[first > 0], axis=0), np.median(small[first == 0], axis=0)
        lighter_by = paper_colour - ink_colour  # per channel; a channel where it is small keeps dark_ink
        dark_ink = np.where(np.abs(lighter_by) >= 0.5 * np.abs(lighter_by).max(), lighter_by > 0, dark_ink)
        first_coarse = cv2.resize(first, coarse.shape[1::-1], interpolation=cv2.INTER_NEAREST) > 0
        for kernel in (coarse_side // 3, coarse_side * 2 // 3, coarse_side):
            contrast = _ink_contrast(coarse, dark_ink, kernel | 1)
            wider = _rough_ink(contrast)
            added = (wider > 0) & ~first_coarse
            # A wider pass counts where what it adds has the ink's colour, not the paper's (grey paper
            # on a white table is "ink" to a closing wider than the paper), nor the paper's hue where
            # the ink's differs (shadows on the page are dimmed paper), or stands out as much as
            # the first pass's ink (which, on marker wider than its kernel, is only the strokes' edges
            # and has their mixed colour); where it stands out at all (a wide closing lifts the dark
            # end of a lighting gradient to a contrast of 0.1); and where its strokes are narrower
            # than its kernel by half (nearly as wide, they show in part only).
            added_contrast = np.median(contrast[added]) if added.any() else 0.0
            added_colour = np.median(coarse[added], axis=0) if added.any() else paper_colour
            same_ink = added.any() and (np.abs(added_colour - ink_colour).max() < 0.5 * np.abs(paper_colour - ink_colour).max()
                                        and not _paper_hued(added_colour, ink_colour, paper_colour)
                                        or first_coarse.any() and added_contrast >= np.median(contrast[first_coarse]))
            stands_out = added_contrast >= 0.2
            if same_ink and stands_out and 1.5 * _stroke_width(wider) <= kernel:
                width = max(width, _stroke_width(wider) * side / coarse_side)
    return int(np.clip(3 * width, max(3, side / 50), side)) | 1, np.asarray(dark_ink)


def _paper_hued(colour: np.ndarray, ink_colour: np.ndarray, paper_colour: np.ndarray) -> bool:
    """Is `colour` nearer the paper's hue than the ink's, where ink and paper differ in hue?

    Hue as the colour's direction, whatever its brightness: green highlighter on grey paper differs
    from it by 0.28, black ink on white paper by nothing (then nothing is told by hue).
    """
    if np.ndim(colour) == 0:
        return False
    colour, ink_colour, paper_colour = (c / max(float(np.linalg.norm(c)), 1e-6) for c in (colour, ink_colour, paper_colour))
    return (np.linalg.norm(ink_colour - paper_colour) > 0.1
            and np.linalg.norm(colour - paper_colour) < np.linalg.norm(colour - ink_colour))


def _rough_ink(contrast: np.ndarray) -> np.ndarray:
    """uint8 mask of the ink in a contrast image, without marks at the border or specks when it can."""
    strong = _otsu(contrast)[1]
    _, labels, stats, _ = cv2.connectedComponentsWithStats(strong, connectivity=8)
    # Shadows and table edges reach the border; specks are too small to measure.
    extent = stats[:, [cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT]].max(axis=1)
    inside = ~_near_border(stats, strong.shape, 0) & (extent >= max(strong.shape) / 10)
    inside[0] = False
    return inside[labels].astype(np.uint8) if inside.any() else strong


def _ink_contrast(image: np.ndarray, dark_ink: bool | np.ndarray, kernel_side: int) -> np.ndarray:
    """Ink contrast against the local background: ~1 on solid ink, ~0 on paper.

    `dark_ink`: whether the ink is darker than the paper, for the whole image or per channel.
    The background is a morphological closing of the image (turned dark-ink-on-light) with a
    kernel wider than the strokes: it fills in the strokes however dense the ink, and follows
    everything wider.  Contrast is relative to the background, so ink in shadow counts as much
    as ink in light.  Colour channels are compared separately and the largest contrast taken, so
    coloured ink on tinted paper stays visible where luminance would wash it out (blue on beige).
    """
    smooth = cv2.GaussianBlur(image, (0, 0), 0.5)
    smooth = np.where(dark_ink, smooth, 1 - smooth)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (kernel_side, kernel_side))
    background = cv2.morphologyEx(smooth, cv2.MORPH_CLOSE, kernel)
    contrast = (background - smooth) / np.maximum(background, 0.1)
    if contrast.ndim == 3:  # np.maximum over the channels: 20x faster than .max(axis=2) on 640 px
        contrast = np.maximum.reduce([contrast[..., channel] for channel in range(contrast.shape[2])])
    return np.clip(contrast, 0, 1)


def _otsu(ink: np.ndarray) -> tuple[float, np.ndarray]:
    """Otsu's threshold on the ink contrast, and the uint8 mask above it."""
    peak = max(float(ink.max()), 1e-6)
    level, mask = cv2.threshold(np.round(ink * (255 / peak)).astype(np.uint8), 0, 1, cv2.THRESH_OTSU)
    return level * peak / 255, mask


def _digit_mask(ink: np.ndarray, gap: int) -> tuple[np.ndarray, float, int]:
    """The digit's ink as a uint8 mask, the contrast at its edges, and how many symbols the picture holds.

    InputError if blank.  Strokes within `gap` pixels belong to one symbol.
    """
    level, strong = _otsu(ink)
    if not strong.any() or strong.all():
        raise InputError("no digit found (blank or uniform image)")
    ink_level, paper = np.median(ink[strong > 0]), ink[strong == 0]
    if ink_level < 0.05 or ink_level - np.median(paper) < 4 * paper.std():  # noise, not ink
        raise InputError("no digit found (no ink stands out from the background)")
    # Hysteresis: faint parts of a stroke count where they touch clearly inked parts;
    # the faint lines of ruled paper do not, though the digit crosses them.
    weak = (ink > level / 2).astype(np.uint8)
    weak[_ruled_lines(weak) & (strong == 0)] = 0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(weak, connectivity=8)
    keep = np.zeros(count, bool)
    keep[labels[strong > 0]] = True
    keep[0] = False
    keep &= ~_soft(weak, labels, stats, ink, keep)
    areas = stats[:, cv2.CC_STAT_AREA]
    strength = np.bincount(labels.ravel(), ink.ravel(), count) / areas
    # Marks along the border (shadows, paper edges) go, unless the digit itself reaches the border.
    band = min(ink.shape) // 8
    inner_area = np.bincount(labels[band:-band, band:-band].ravel(), minlength=count)
    found = _prominent(keep, areas, strength)  # border marks too: what the picture holds, counted below
    inside = keep & ~(_near_border(stats, ink.shape, 0) & (inner_area < areas / 2))
    inside = _prominent(inside, areas, strength)
    if inside.any() and not _near_border(stats[inside], ink.shape, max(ink.shape) // 50).any():
        keep = inside
    else:
        keep = _prominent(keep, areas, strength)
    if stats[keep][:, [cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT]].max() < max(4, min(ink.shape) / 32):
        raise InputError("no digit found (only specks)")
    mask, candidates = _central_symbol(keep[labels].astype(np.uint8), ink, gap)
    if (found != keep).any():
        candidates = _central_symbol(found[labels].astype(np.uint8), ink, gap)[1]
    return mask, level / 2, candidates


def _central_symbol(mask: np.ndarray, ink: np.ndarray, gap: int) -> tuple[np.ndarray, int]:
    """The symbol nearest the centre and largest, when the mask holds several; and how many it holds.

    Strokes closer than `gap` pixels are one symbol (a 5's detached bar).  A symbol's weight is its
    ink, less the further its centre is from the picture's, and less again when the picture's edge
    cuts it while another symbol lies whole inside: neighbours in the frame are usually cut.
    """
    # Within `gap` by the distance transform: the same as dilating by a disk, and 10x faster at gap 60.
    near = (cv2.distanceTransform(1 - mask, cv2.DIST_L2, cv2.DIST_MASK_PRECISE) <= gap).astype(np.uint8)
    count, groups, stats, centres = cv2.connectedComponentsWithStats(near, connectivity=8)
    if count <= 2:
        return mask, 1
    groups = groups * mask  # back to the ink itself, labelled by its symbol
    mass = np.bincount(groups.ravel(), ink.ravel(), count)
    rows, cols = ink.shape
    offset = np.hypot(centres[:, 0] / cols - 0.5, centres[:, 1] / rows - 0.5)
    cut = _near_border(stats, ink.shape, 0)
    weight = mass * np.exp(-((offset / 0.3) ** 2)) * np.where(cut & ~cut[1:].all(), 0.25, 1.0)
    weight[0] = 0
    chosen = int(np.argmax(weight))
    return (groups == chosen).astype(np.uint8), count - 1


def _soft(mask: np.ndarray, labels: np.ndarray, stats: np.ndarray, ink: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Which candidate components have soft edges: shadows, not ink.

    Sharpness is the median contrast gradient along a component's outline over its mean contrast.
    On the generated photos (synthetic.photos) ink measures 0.17-0.35 per pixel, the shadow of a
    page edge or a hand 0.01-0.05: soft means under a third of the sharpest candidate's.  Specks
    (under 5% of the largest candidate's area) are left to _prominent: their outlines are too short.
    """
    areas = stats[:, cv2.CC_STAT_AREA]
    large = candidates & (areas >= 0.05 * areas[candidates].max(initial=0))
    if large.sum() < 2:
        return np.zeros_like(candidates)
    sharpness = np.zeros(len(candidates))
    outline = mask - cv2.erode(mask, np.ones((3, 3), np.uint8))
    gradient = np.hypot(cv2.Sobel(ink, cv2.CV_32F, 1, 0), cv2.Sobel(ink, cv2.CV_32F, 0, 1)) / 8
    for label in np.flatnonzero(large):
        left, top, width, height = stats[label, :4]
        box = slice(top, top + height), slice(left, left + width)
        inside = labels[box] == label
        sharpness[label] = np.median(gradient[box][inside & (outline[box] > 0)]) / max(ink[box][inside].mean(), 1e-6)
    return large & (sharpness < sharpness.max() / 3)


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
        _, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        crossing = stats[:, stat] >= 0.9 * mask.shape[axis]
        crossing[0] = False
        lines |= crossing[labels]
    return lines


def _near_border(stats: np.ndarray, shape: tuple[int, int], margin: int) -> np.ndarray:
    left, top, width, height = stats[:, :4].T  # cv2.CC_STAT_LEFT, _TOP, _WIDTH, _HEIGHT
    right, bottom = shape[1] - left - width, shape[0] - top - height
    return np.minimum.reduce([left, top, right, bottom]) <= margin


def _prominent(candidates: np.ndarray, areas: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """Drop specks, and faint marks (edges of shadows, JPEG ringing) beside the main ink."""
    if not candidates.any():
        return candidates
    main = np.argmax(np.where(candidates, areas * strength, 0))
    return candidates & (areas >= 0.05 * areas[main]) & (strength >= 0.5 * strength[main])


def _render_in_box(ink: np.ndarray, mask: np.ndarray, edge_level: float) -> np.ndarray:
    """The ink, strokes as wide as MNIST's, scaled into the 20x20 box with anti-aliasing."""
    crop = _bounding_box(mask)
    shape = mask[crop]
    if max(shape.shape) < _FINE:  # too coarse to reshape strokes: enlarge the contrast instead
        near_ink = cv2.dilate(mask, np.ones((3, 3), np.uint8))[crop]
        shape = (_resize_longest(ink[crop] * near_ink, _FINE) > edge_level).astype(np.uint8)
    shape = _normalise_stroke_width(shape, max(shape.shape) / _BOX)
    return _resize_longest(shape[_bounding_box(shape)].astype(np.float32), _BOX)


def _bounding_box(mask: np.ndarray) -> tuple[slice, slice]:
    rows, cols = np.nonzero(mask)
    return slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1)


def _normalise_stroke_width(shape: np.ndarray, pixels_per_output_pixel: float) -> np.ndarray:
    """Dilate or erode so the mean stroke width lands in MNIST's range."""
    width = _stroke_width(shape) / pixels_per_output_pixel
    change = np.clip(width, *_STROKE_RANGE) - width
    radius = round(abs(change) * pixels_per_output_pixel / 2)
    if radius == 0:
        return shape
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1,) * 2)
    if change < 0:
        thinned = cv2.erode(shape, disk)
        return thinned if thinned.any() else shape
    return cv2.dilate(cv2.copyMakeBorder(shape, *(radius,) * 4, cv2.BORDER_CONSTANT), disk)


def _stroke_width(mask: np.ndarray) -> float:
    """Mean stroke width of a uint8 mask: twice its area over its perimeter (0 if empty)."""
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    perimeter = sum(cv2.arcLength(contour, True) for contour in contours)
    return 2 * int(mask.sum()) / perimeter if perimeter else 0.0


def _centre_by_mass(box: np.ndarray) -> np.ndarray:
    """Place the box in the 28x28 field with its centre of mass at pixel (14, 14), as MNIST."""
    height, width = box.shape
    row = np.arange(height) @ box.sum(axis=1) / box.sum()
    col = np.arange(width) @ box.sum(axis=0) / box.sum()
    top = int(np.clip(round(_FIELD / 2 - row), 0, _FIELD - height))
    left = int(np.clip(round(_FIELD / 2 - col), 0, _FIELD - width))
    field = np.zeros((_FIELD, _FIELD), np.float32)
    field[top : top + height, left : left + width] = np.clip(box, 0, 1)
    return field
