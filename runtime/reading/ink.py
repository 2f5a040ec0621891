"""Where the ink is: which side of the paper it lies on, how wide its strokes are, and its contrast against the
local background, however the paper is lit, shaded, tinted or coloured.

Each tuned number is named below with the measurement that chose it (synthetic.photos: the generated photos).
"""
import cv2
import numpy as np

from runtime.reading.decode import shrink

# _dark_ink: dark minus light departures over their sum, and the dark share of the picture's edges.
# Marker filling a window reads down to -0.75 but its edges are at most 26% dark; light ink on dark reads
# -0.56 or lower with edges 93% dark or more: the thresholds lie between.
DARK_BALANCE = -0.45
DARK_EDGES = 0.5
DEPARTURE_NOISE = 8  # grey levels of 255 that paper grain departs from its median (set by hand)
# background_scale: the kernel covers this many stroke widths, and at least 1/50 of the picture.
STROKES_PER_KERNEL = 3
# A wider pass counts where its ink stands out by this much: a wide closing lifts the dark end of a lighting
# gradient to a contrast of 0.1.
WIDER_MIN_CONTRAST = 0.2
WHOLE_STROKE = 1.5  # a pass sees a stroke whole when its kernel is this many times wider (set by hand)
# A channel where ink and paper differ by under this fraction of the most different channel keeps the
# picture's side: turned over, its noise would count as contrast (yellow on white).
CHANNEL_SIDE = 0.5
HUE_DIFFERS = 0.1  # green highlighter on grey paper differs in hue by 0.28, black ink on white by 0
ROUGH_MIN_PARTS = 10  # a rough pass measures marks of 1/10 of the side or more; specks are smaller (set by hand)


def dark_ink(gray: np.ndarray) -> bool:
    """Is the ink darker than the paper?  Decided on a small copy, against wide medians.

    A median over a good part of the picture is the paper there, lit or shaded, however little
    ink there is; the side of it that departs by more than noise is the ink's.  Several window
    sizes are summed, as no single one suits every stroke weight and every size of paper in view.
    Dark ink is the usual case and wins unless light departures clearly outweigh dark ones, and the
    picture's edges are mostly dark: paper goes round the writing (DARK_BALANCE, DARK_EDGES).
    """
    small = cv2.convertScaleAbs(shrink(gray, 128), alpha=255)  # np.round(... * 255) to uint8, in one pass
    levels, dark, light = small.astype(np.float32), 0.0, 0.0
    for fraction in (3, 4, 6):
        window = max(small.shape) // fraction | 1
        # The same medians: OpenCV's 3 and 5 px ones take 16 and 100 us on a 28x28 uint8 picture, 2 and 8 us on float32.
        paper = cv2.medianBlur(levels, window) if window <= 5 else cv2.medianBlur(small, window).astype(np.float32)
        departure = levels - paper
        dark += np.clip(-departure - DEPARTURE_NOISE, 0, None).sum()
        light += np.clip(departure - DEPARTURE_NOISE, 0, None).sum()
    lighter = cv2.threshold(small, 0, 1, cv2.THRESH_OTSU)[1]
    edges_dark = 1 - np.concatenate([lighter[0], lighter[-1], lighter[:, 0], lighter[:, -1]]).mean()
    return dark - light >= DARK_BALANCE * (dark + light) or edges_dark < DARK_EDGES


def background_scale(work: np.ndarray, is_dark: bool) -> tuple[int, np.ndarray]:
    """Kernel side for the background: 3 stroke widths, measured on rough passes over small copies;
    and, per colour channel, whether the ink is darker than the paper there.

    Wide enough to cover any stroke, blob or crossing, and no wider, so that lighting, shadows,
    paper edges and paper pasted on a backdrop, all wider than that, stay background.  The first pass
    is made at 256 px, where a pen's stroke is still a pixel or two; wider ones follow (_widest_whole_stroke).
    Coloured ink can be darker than the paper in one channel and clearly lighter in another (violet
    on grey is lighter in blue): such a channel is compared on the side where its ink lies, or the
    closing fills the gaps between strokes with the lighter ink's level (a thick 3 read as a blob).
    """
    side = max(work.shape[:2])
    small, coarse = shrink(work, 256), shrink(work, 128)
    small_side = max(small.shape[:2])
    first = _rough_ink(ink_contrast(small, is_dark, small_side // 6 | 1))
    width = stroke_width(first) * side / small_side
    if first.any() and not first.all():
        ink_colour, paper_colour = median(small[first > 0]), median(small[first == 0])
        lighter_by = paper_colour - ink_colour  # per channel; a channel where it is small keeps is_dark
        is_dark = np.where(np.abs(lighter_by) >= CHANNEL_SIDE * np.abs(lighter_by).max(), lighter_by > 0, is_dark)
        width = max(width, _widest_whole_stroke(coarse, first, is_dark, (ink_colour, paper_colour), side))
    return int(min(max(STROKES_PER_KERNEL * width, 3, side / 50), side)) | 1, np.asarray(is_dark)


def _widest_whole_stroke(coarse: np.ndarray, first: np.ndarray, is_dark: np.ndarray,
                         colours: tuple[np.ndarray, np.ndarray], side: int) -> float:
    """The widest stroke (px of the working image) that passes with kernels of 1/3 of the side to all of it see
    whole, 0 if none: a rough pass sees only the parts of strokes narrower than its kernel (a closing leaves
    wider ink as it is), and felt-tip marker filling the frame needs the widest.  These look for strokes of a
    ninth of the side or more, which 128 px measure as well as 256 at a sixth of the cost."""
    coarse_side = max(coarse.shape[:2])
    first_coarse = cv2.resize(first, coarse.shape[1::-1], interpolation=cv2.INTER_NEAREST) > 0
    widest, smooth = 0.0, turned_smooth(coarse, is_dark)
    for kernel in (coarse_side // 3, coarse_side * 2 // 3, coarse_side):
        contrast = contrast_to_background(smooth, kernel | 1)
        wider = _rough_ink(contrast)
        if _adds_ink(contrast, (wider > 0) & ~first_coarse, first_coarse, coarse, colours) \
                and WHOLE_STROKE * stroke_width(wider) <= kernel:
            widest = max(widest, stroke_width(wider) * side / coarse_side)
    return widest


def _adds_ink(contrast: np.ndarray, added: np.ndarray, first: np.ndarray, image: np.ndarray,
              colours: tuple[np.ndarray, np.ndarray]) -> bool:
    """Does a wider pass add ink, where it adds to the first pass's?

    Where what it adds has the ink's colour, not the paper's (grey paper on a white table is "ink" to a
    closing wider than the paper), nor the paper's hue where the ink's differs (shadows on the page are
    dimmed paper), or stands out as much as the first pass's ink (which, on marker wider than its kernel, is
    only the strokes' edges and has their mixed colour); and where it stands out at all (WIDER_MIN_CONTRAST).
    """
    ink_colour, paper_colour = colours
    added_contrast = median(contrast[added]) if added.any() else 0.0
    added_colour = median(image[added]) if added.any() else paper_colour
    same_ink = added.any() and (np.abs(added_colour - ink_colour).max() < 0.5 * np.abs(paper_colour - ink_colour).max()
                                and not _paper_hued(added_colour, ink_colour, paper_colour)
                                or first.any() and added_contrast >= median(contrast[first]))
    return same_ink and added_contrast >= WIDER_MIN_CONTRAST


def _paper_hued(colour: np.ndarray, ink_colour: np.ndarray, paper_colour: np.ndarray) -> bool:
    """Is `colour` nearer the paper's hue than the ink's, where ink and paper differ in hue (HUE_DIFFERS)?

    Hue as the colour's direction, whatever its brightness.
    """
    if np.ndim(colour) == 0:
        return False
    colour, ink_colour, paper_colour = (c / max(float(np.linalg.norm(c)), 1e-6)
                                        for c in (colour, ink_colour, paper_colour))
    return (np.linalg.norm(ink_colour - paper_colour) > HUE_DIFFERS
            and np.linalg.norm(colour - paper_colour) < np.linalg.norm(colour - ink_colour))


def _rough_ink(contrast: np.ndarray) -> np.ndarray:
    """uint8 mask of the ink in a contrast image, without marks at the border or specks when it can."""
    strong = otsu(contrast)[1]
    _, labels, stats, _ = cv2.connectedComponentsWithStats(strong, connectivity=8)
    # Shadows and table edges reach the border; specks are too small to measure.
    extent = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    inside = ~near_border(stats, strong.shape, 0) & (extent >= max(strong.shape) / ROUGH_MIN_PARTS)
    inside[0] = False
    return inside[labels].astype(np.uint8) if inside.any() else strong


def ink_contrast(image: np.ndarray, is_dark: bool | np.ndarray, kernel_side: int) -> np.ndarray:
    """Ink contrast against the local background: ~1 on solid ink, ~0 on paper.

    `is_dark`: whether the ink is darker than the paper, for the whole image or per channel.
    The background is a morphological closing of the image (turned dark-ink-on-light) with a
    kernel wider than the strokes: it fills in the strokes however dense the ink, and follows
    everything wider.  Contrast is relative to the background, so ink in shadow counts as much
    as ink in light.  Colour channels are compared separately and the largest contrast taken, so
    coloured ink on tinted paper stays visible where luminance would wash it out (blue on beige).
    """
    return contrast_to_background(turned_smooth(image, is_dark), kernel_side)


def turned_smooth(image: np.ndarray, is_dark: bool | np.ndarray) -> np.ndarray:
    """The image lightly smoothed and turned dark-ink-on-light, as ink_contrast compares it."""
    smooth = cv2.GaussianBlur(image, (0, 0), 0.5)
    if not np.all(is_dark):  # turned where the ink is lighter (np.where over a whole photo: 2.5 ms)
        smooth = np.where(is_dark, smooth, 1 - smooth)
    return smooth


def contrast_to_background(smooth: np.ndarray, kernel_side: int) -> np.ndarray:
    """ink_contrast of a turned_smooth image."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (kernel_side, kernel_side))
    background = cv2.morphologyEx(smooth, cv2.MORPH_CLOSE, kernel)
    contrast = (background - smooth) / np.maximum(background, 0.1)
    if contrast.ndim == 3:  # np.maximum over the channels: 20x faster than .max(axis=2) on 640 px
        contrast = np.maximum.reduce([contrast[..., channel] for channel in range(contrast.shape[2])])
    return np.clip(contrast, 0, 1)


def median(values: np.ndarray) -> np.ndarray:
    """np.median along the first axis, the same values at a tenth of its cost on small arrays: its overhead
    was 0.6 ms of a 28x28 PNG's 1.3 ms reading (13 medians). The last element is placed as np.median places it:
    without it, selecting the middle of mostly-zero contrast took 6.4 ms instead of 0.3 ms."""
    if len(values) == 0:
        return np.median(values, axis=0)
    middle = len(values) // 2
    part = np.partition(values, (middle - 1, middle, -1) if len(values) % 2 == 0 else (middle, -1), axis=0)
    return part[middle] if len(values) % 2 else (part[middle - 1] + part[middle]) / 2  # np.median's mean of two


def otsu(ink: np.ndarray) -> tuple[float, np.ndarray]:
    """Otsu's threshold on the ink contrast, and the uint8 mask above it."""
    peak = max(float(ink.max()), 1e-6)
    # convertScaleAbs: np.round(ink * (255 / peak)).astype(np.uint8) in one pass (2 ms -> 30 us at 640x640)
    level, mask = cv2.threshold(cv2.convertScaleAbs(ink, alpha=255 / peak), 0, 1, cv2.THRESH_OTSU)
    return level * peak / 255, mask


def near_border(stats: np.ndarray, shape: tuple[int, int], margin: int) -> np.ndarray:
    """Which connected components (cv2 stats rows) come within `margin` px of the picture's edge."""
    left, top, width, height = stats[:, :4].T  # cv2.CC_STAT_LEFT, _TOP, _WIDTH, _HEIGHT
    right, bottom = shape[1] - left - width, shape[0] - top - height
    return np.minimum(np.minimum(left, top), np.minimum(right, bottom)) <= margin


def stroke_width(mask: np.ndarray) -> float:
    """Mean stroke width of a uint8 mask: twice its area over its perimeter (0 if empty)."""
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    perimeter = sum(cv2.arcLength(contour, True) for contour in contours)
    return 2 * int(mask.sum()) / perimeter if perimeter else 0.0
