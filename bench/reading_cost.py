"""What reading a picture costs (runtime.reading.read, one thread), beside decoding the same file alone
(cv2.imdecode): a 28x28 PNG, a drawing the size of the page's canvas, a 1-megapixel and a 12-megapixel JPEG photo,
the drawings an MNIST digit, the photos one as synthetic.photos makes them, scaled to size. Beside each, what
segmenting and rendering its ink alone costs (runtime.reading.segment and .render, the ink already found): the
floor of any reading that keeps the symbol's choice and its drawing as they are."""
from dataclasses import dataclass

import cv2
import numpy as np

from bench.ratio import Ratio
from bench.timing import median_seconds
from runtime.reading import find_ink, read
from runtime.reading.decode import decode_bytes
from runtime.reading.render import mnist_image
from runtime.reading.segment import digit_mask
from synthetic.photos import photo

SIZES = {"28x28 PNG": (28, 28), "280x280 PNG (the page's canvas)": (280, 280), "1 MP JPEG photo": (1000, 1000),
         "12 MP JPEG photo": (4000, 3000)}
# The serving issue's targets, ms: a small drawing at most 0.3, a 1-megapixel photo at most 15; a 12-megapixel
# photo at most twice its own decoding.
MOST_MS = {"28x28 PNG": 0.3, "280x280 PNG (the page's canvas)": 0.3, "1 MP JPEG photo": 15.0}
MOST_OVER_DECODING = {"12 MP JPEG photo": 2.0}


@dataclass(frozen=True)
class Cost:
    picture: str
    read_ms: float
    decode_ms: float
    segment_ms: float  # runtime.reading.segment and .render alone


def pictures(digits: np.ndarray) -> dict[str, bytes]:
    """Each size's file: the drawings are the first MNIST test digit, dark on white (as POST /predict gets it in
    bench.serving, and 10x as the page sends its canvas: an RGBA PNG); the photos the first clean synthetic photo,
    resized."""
    drawing, scene = 255 - digits[0], photo("clean", 0, 0, digits)[0]
    files = {}
    for name, size in SIZES.items():
        source = drawing if "PNG" in name else scene
        image = cv2.resize(source, size, interpolation=cv2.INTER_AREA if size[0] < source.shape[1] else
                           cv2.INTER_CUBIC)
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGRA) if "canvas" in name else image
        files[name] = cv2.imencode(".png" if "PNG" in name else ".jpg", image)[1].tobytes()
    return files


def run(digits: np.ndarray, repeats: int) -> list[Cost]:
    costs = []
    for name, data in pictures(digits).items():
        calls = max(1, 200 // (1 + len(data) // 20_000))
        read_s = median_seconds(lambda: [read(data) for _ in range(calls)], repeats) / calls
        decode_s = median_seconds(lambda: [cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
                                           for _ in range(calls)], repeats) / calls
        segment = _segment_and_render(data)
        segment_s = median_seconds(lambda: [segment() for _ in range(calls)], repeats) / calls
        costs.append(Cost(name, read_s * 1000, decode_s * 1000, segment_s * 1000))
    return costs


def _segment_and_render(data: bytes):
    """A call of what runtime.reading.read does after finding the picture's ink, on that ink."""
    ink, gap = find_ink(decode_bytes(data))
    return lambda: mnist_image(ink, *digit_mask(ink, gap)[:2])


def ratios(costs: list[Cost]) -> list[Ratio]:
    found = []
    for cost in costs:
        if cost.picture in MOST_MS:
            found.append(Ratio(f"reading a {cost.picture}: the {MOST_MS[cost.picture]:g} ms target / its cost",
                               MOST_MS[cost.picture] / cost.read_ms, 1.0))
        if cost.picture in MOST_OVER_DECODING:
            found.append(Ratio(f"reading a {cost.picture}: its cost / decoding it alone", cost.read_ms / cost.decode_ms,
                               maximum=MOST_OVER_DECODING[cost.picture]))
    return found


def rows(costs: list[Cost]) -> list[str]:
    return [f"| reading a {cost.picture} (runtime.reading.read) | {cost.read_ms:.2f} ms; cv2.imdecode of the whole "
            f"file alone {cost.decode_ms:.2f} ms, segmenting and rendering its ink alone {cost.segment_ms:.2f} ms |"
            for cost in costs]
