"""Hard photos of handwritten digits, generated: the kinds of picture that real users send and that fail.

Each photo shows one MNIST test digit redrawn at high resolution as ink on paper: the ink has a
colour and anti-aliased edges and is blended onto textured paper, lit unevenly, photographed
with blur and noise, and saved as PNG or JPEG.  A condition names what makes the picture hard
(thick marker, pale highlighter, page edges, neighbours cut by the frame, ...); "clean" is the
same digit drawn plainly, dark on white, through the same path.  Image i of a condition depends
only on (seed, condition, i), and its digit only on (seed, i): every condition shows the same digits.
"""
from dataclasses import dataclass, replace

import cv2
import numpy as np

from runtime.errors import InputError
from runtime.models import DigitModel
from runtime.reading import read_many
from synthetic import colours, surfaces
from synthetic.greek import LETTERS, faces, glyph
from synthetic.surfaces import smooth_field

CONDITIONS = ("clean", "thick", "fills_frame", "coloured_ink", "pale_ink", "lined_paper", "shadow", "page_edge",
              "rotated", "jpeg", "neighbours", "marker", "highlighter")
DESCRIPTIONS = {
    "clean": "dark ink on white paper, the digit's own stroke width, upright, PNG",
    "thick": "strokes 16-25% of the digit's height (dilated at high resolution)",
    "fills_frame": "cropped tight: the ink touches (or is cut by) the picture's edges",
    "coloured_ink": "ink of any hue on white, grey or lined paper",
    "pale_ink": "translucent yellow or light-green highlighter on white, grey or lined paper",
    "lined_paper": "ruled or squared paper with a margin line",
    "shadow": "uneven light and a soft cast shadow",
    "page_edge": "the page's edge and the table beyond it in the frame",
    "rotated": "turned up to 20 degrees either way",
    "jpeg": "JPEG at quality 30-90",
    "neighbours": "one or two other symbols (digits or Greek letters) cut by the frame's sides",
    "marker": "thick felt-tip strokes filling the frame, any dark colour, JPEG",
    "highlighter": "pale highlighter on grey paper, shadow, page edge, neighbours, rotation, JPEG",
}
MIN_SIDE, MAX_SIDE = 300, 2000
_FINE = 240  # a symbol is shaped on a canvas this size, 28x28 MNIST scaled up by about 8.6
_PAD = 80  # room around it to thicken and turn
_WORK_SIDE = 720  # ample: the runtime reads pictures at 640 px


@dataclass(frozen=True)
class Scene:
    """Everything drawn from the generator for one photo; the defaults are the clean photo."""
    long_side: int
    aspect: float = 1.0  # short side / long side
    landscape: bool = True
    height: float = 0.5  # the digit's height as a fraction of the picture's shorter side
    offset: tuple[float, float] = (0.0, 0.0)  # of the digit's centre from the picture's, fraction of its height
    stroke: float | None = None  # stroke width as a fraction of the digit's height; None: the digit's own
    angle: float = 0.0  # degrees, counter-clockwise
    margins: tuple[float, ...] | None = None  # fills the frame: top, bottom, left, right, fractions of the height
    ink: tuple[float, float, float] = (0.1, 0.1, 0.1)  # BGR
    translucent: bool = False  # ink filters the paper (highlighter) instead of covering it
    paper: tuple[float, float, float] = (0.95, 0.95, 0.95)
    lines: str | None = None  # "ruled" or "squared"
    light: float = 0.0  # darkest fraction lost to uneven light
    shadow: float = 0.0  # depth of the cast shadow
    page_edge: bool = False
    neighbours: int = 0
    blur: float = 0.6  # camera blur, in pixels of a 1000-px picture
    noise: float = 0.01
    jpeg: int | None = None  # quality; None: PNG


def photo(condition: str, index: int, seed: int, digits: np.ndarray) -> tuple[np.ndarray, int]:
    """Image `index` of `condition`: (uint8 [H, W, 3] BGR decoded from its PNG/JPEG file, test index of its digit).

    `digits`: the MNIST test images, uint8 [10000, 28, 28].
    """
    data, which = photo_file(condition, index, seed, digits)
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR), which


def photo_file(condition: str, index: int, seed: int, digits: np.ndarray) -> tuple[bytes, int]:
    """The bytes of image `index` of `condition` as a PNG or JPEG file, and the test index of its digit."""
    which = int(np.random.default_rng([seed, index]).integers(len(digits)))
    rng = np.random.default_rng([seed, 1 + CONDITIONS.index(condition), index])
    scene = draw_scene(condition, rng)
    image = _render(scene, digits[which], rng, digits)
    if scene.jpeg is None:
        return cv2.imencode(".png", image)[1].tobytes(), which
    return cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, scene.jpeg])[1].tobytes(), which


def draw_scene(condition: str, rng: np.random.Generator) -> Scene:
    """The clean scene with what `condition` changes, every setting drawn from `rng`."""
    scene = Scene(long_side=int(rng.integers(MIN_SIDE, MAX_SIDE + 1)), aspect=rng.uniform(0.7, 1.0),
                  landscape=bool(rng.integers(2)), height=rng.uniform(0.4, 0.7),
                  offset=tuple(rng.uniform(-0.15, 0.15, 2)), ink=tuple(rng.uniform(0.05, 0.2, 3)),
                  paper=tuple(rng.uniform(0.9, 1.0) - rng.uniform(0, 0.03, 3)), blur=rng.uniform(0.3, 1.0),
                  noise=rng.uniform(0.005, 0.02))
    change = {
        "thick": lambda: {"stroke": rng.uniform(0.16, 0.25)},
        "fills_frame": lambda: {"margins": _margins(rng)},
        "coloured_ink": lambda: {"ink": colours.any_ink(rng), **colours.any_paper(rng)},
        "pale_ink": lambda: {"ink": colours.pale_ink(rng), "translucent": True, **colours.any_paper(rng)},
        "lined_paper": lambda: {"lines": ("ruled", "squared")[rng.integers(2)]},
        "shadow": lambda: {"light": rng.uniform(0.2, 0.5), "shadow": rng.uniform(0.25, 0.55)},
        "page_edge": lambda: {"page_edge": True, "height": rng.uniform(0.35, 0.55)},
        "rotated": lambda: {"angle": rng.uniform(-20, 20)},
        "jpeg": lambda: {"jpeg": int(rng.integers(30, 91))},
        "neighbours": lambda: _with_neighbours(rng),
        "marker": lambda: {"stroke": rng.uniform(0.16, 0.25), "margins": _margins(rng), "ink": colours.dark_ink(rng),
                           "jpeg": int(rng.integers(30, 91))},
        "highlighter": lambda: {"ink": colours.pale_ink(rng), "translucent": True, "paper": colours.grey(rng),
                                "light": rng.uniform(0.1, 0.4), "shadow": rng.uniform(0.2, 0.45),
                                "page_edge": True, **_with_neighbours(rng), "angle": rng.uniform(-20, 20),
                                "jpeg": int(rng.integers(30, 91))},
    }
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}; choose from {', '.join(CONDITIONS)}")
    return replace(scene, **change[condition]()) if condition in change else scene


def _margins(rng: np.random.Generator) -> tuple[float, ...]:
    """Frame margins around the ink: at least one side touches or cuts it, none leaves more than 3%."""
    margins = rng.uniform(-0.02, 0.03, 4)
    margins[rng.integers(4)] = rng.uniform(-0.02, 0)
    return tuple(margins)


def _with_neighbours(rng: np.random.Generator) -> dict:
    """Room on the sides for symbols cut by the frame: a wide picture, the digit smaller and central."""
    return {"neighbours": int(rng.integers(1, 3)), "aspect": rng.uniform(0.6, 0.75), "landscape": True,
            "height": rng.uniform(0.4, 0.55), "offset": tuple(rng.uniform(-0.08, 0.08, 2))}


def _shape(ink28: np.ndarray, stroke: float | None, angle: float) -> np.ndarray:
    """A 28x28 ink-bright symbol as a smooth float32 alpha on a [_FINE + 2 _PAD]^2 canvas, thickened and turned."""
    big = cv2.resize(ink28.astype(np.float32) / 255, (_FINE, _FINE), interpolation=cv2.INTER_CUBIC)
    shape = (cv2.GaussianBlur(big, (0, 0), _FINE / 80) > 0.4).astype(np.uint8)
    shape = cv2.copyMakeBorder(shape, *(_PAD,) * 4, cv2.BORDER_CONSTANT)
    if stroke is not None:
        rows = np.nonzero(shape.any(axis=1))[0]
        target = stroke * (rows[-1] - rows[0] + 1)
        radius = max(0, round((target - _stroke_width(shape)) / 2))
        shape = cv2.dilate(shape, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1,) * 2))
    alpha = cv2.GaussianBlur(shape.astype(np.float32), (0, 0), 1.0)  # anti-aliased edge about 2 fine pixels wide
    if angle:
        centre = (alpha.shape[1] / 2, alpha.shape[0] / 2)
        alpha = cv2.warpAffine(alpha, cv2.getRotationMatrix2D(centre, angle, 1.0), alpha.shape[::-1],
                               flags=cv2.INTER_LINEAR)
    return alpha


def _stroke_width(mask: np.ndarray) -> float:
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    return 2 * int(mask.sum()) / sum(cv2.arcLength(contour, True) for contour in contours)


def _box(alpha: np.ndarray) -> tuple[float, float, float, float]:
    """top, bottom, left, right of the ink (alpha > 0.5), in canvas pixels."""
    rows, cols = np.nonzero(alpha > 0.5)
    return rows.min(), rows.max() + 1, cols.min(), cols.max() + 1


def _place(alpha: np.ndarray, scale: float, centre: tuple[float, float], size: tuple[int, int]) -> np.ndarray:
    """Alpha scaled by `scale` with its ink box's centre at `centre` (row, col) of a (rows, cols) picture.

    Enlarged, the smooth edge would blur over `scale` pixels: it is steepened back to about two.
    """
    top, bottom, left, right = _box(alpha)
    if scale < 1:  # shrinking: blur first, as area averaging would
        alpha = cv2.GaussianBlur(alpha, (0, 0), 0.5 / scale)
    matrix = np.float32([[scale, 0, centre[1] - scale * (left + right) / 2],
                         [0, scale, centre[0] - scale * (top + bottom) / 2]])
    placed = cv2.warpAffine(alpha, matrix, (size[1], size[0]), flags=cv2.INTER_LINEAR)
    return np.clip((placed - 0.5) * max(scale, 1) + 0.5, 0, 1) if scale > 1 else placed


def _frame(scene: Scene, alpha: np.ndarray) -> tuple[tuple[int, int], float, tuple[float, float]]:
    """Picture size (rows, cols), the scale of the canvas into it, and where the digit's centre lands."""
    top, bottom, left, right = _box(alpha)
    height, width = bottom - top, right - left
    if scene.margins is not None:  # the frame is the ink's box with thin (or negative) margins
        m_top, m_bottom, m_left, m_right = np.array(scene.margins) * height
        widen = max(0.0, 0.3 * height - width - m_left - m_right) / 2  # a 1 alone is too thin a frame
        m_left, m_right = m_left + widen, m_right + widen
        frame = (height + m_top + m_bottom, width + m_left + m_right)
        scale = max(scene.long_side / max(frame), MIN_SIDE / min(frame))  # a thin 1 makes a narrow frame
        size = (max(round(frame[0] * scale), 8), max(round(frame[1] * scale), 8))
        return size, scale, ((m_top + height / 2) * scale, (m_left + width / 2) * scale)
    short = max(round(scene.long_side * scene.aspect), MIN_SIDE)
    size = (short, scene.long_side) if scene.landscape else (scene.long_side, short)
    scale = min(scene.height * min(size) / height, 0.8 * size[1] / width)
    digit_height = height * scale
    return size, scale, (size[0] / 2 + scene.offset[0] * digit_height, size[1] / 2 + scene.offset[1] * digit_height)


def _neighbour(rng: np.random.Generator, digits: np.ndarray, stroke: float | None) -> np.ndarray:
    """Another symbol's alpha: a random MNIST test digit or a Greek letter in one of the generator's fonts."""
    if rng.integers(2):
        return _shape(digits[rng.integers(len(digits))], stroke, rng.uniform(-10, 10))
    letter = glyph(LETTERS[rng.integers(len(LETTERS))], faces()[int(rng.integers(8))], 28)  # a bundled text face
    return _shape(np.round(letter * 255).astype(np.uint8), stroke, rng.uniform(-10, 10))


def _render(scene: Scene, digit: np.ndarray, rng: np.random.Generator, digits: np.ndarray) -> np.ndarray:
    """The photo as uint8 [H, W, 3] BGR.

    Composed at no more than _WORK_SIDE px, then enlarged (a camera's softness and smoothed noise).
    """
    alpha = _shape(digit, scene.stroke, scene.angle)
    final_size, scale, centre = _frame(scene, alpha)
    shrink = min(1.0, _WORK_SIDE / max(final_size))
    size = (round(final_size[0] * shrink), round(final_size[1] * shrink))
    scale, centre = scale * shrink, (centre[0] * shrink, centre[1] * shrink)
    ink = _place(alpha, scale, centre, size)
    digit_height = (_box(alpha)[1] - _box(alpha)[0]) * scale
    for side in rng.permutation([-1, 1])[: scene.neighbours]:
        other = _neighbour(rng, digits, scene.stroke)
        other_scale = scale * rng.uniform(0.7, 0.95)
        half_width = (_box(other)[3] - _box(other)[2]) * other_scale / 2
        col = (size[1] if side > 0 else 0) + side * rng.uniform(-0.4, 0.1) * half_width  # cut by the side
        row = centre[0] + rng.uniform(-0.15, 0.15) * digit_height
        ink = np.maximum(ink, _place(other, other_scale, (row, col), size))
    ink *= 1 + smooth_field(rng, size, 4, 0.05).clip(-0.15, 0)  # the pen's pressure varies
    paper = surfaces.paper(scene.paper, scene.lines, size, rng)
    colour = np.float32(scene.ink) * (paper if scene.translucent else 1)
    image = paper * (1 - ink[..., None]) + colour * ink[..., None]
    image *= surfaces.light(scene.light, scene.shadow, size, rng)[..., None]
    if scene.page_edge:
        image = surfaces.page_edge(image, rng)
    sigma = scene.blur * max(size) / 1000
    image = cv2.GaussianBlur(image, (0, 0), sigma) if sigma > 0.3 else image
    image += scene.noise * rng.standard_normal(image.shape, np.float32)
    image = np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
    return cv2.resize(image, final_size[::-1], interpolation=cv2.INTER_LINEAR) if shrink < 1 else image


def accuracy(condition: str, count: int, seed: int, digits: np.ndarray, labels: np.ndarray,
             model: DigitModel) -> tuple[int, int]:
    """(digits read right, pictures) over images 0..count-1 of `condition`, read as `runtime predict` reads files.

    A picture the runtime refuses (InputError) counts as wrong.
    """
    files = [photo_file(condition, index, seed, digits) for index in range(count)]
    images = read_many([data for data, _ in files], [f"{condition}_{index}" for index in range(count)])
    readable = [index for index, image in enumerate(images) if not isinstance(image, InputError)]
    predictions = model.predict([images[index].image for index in readable]) if readable else []
    return sum(p.digit == labels[files[index][1]] for index, p in zip(readable, predictions)), count
