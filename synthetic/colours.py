"""The colours of ink and paper in the generated photos, drawn from a generator (BGR, each in [0, 1])."""
import cv2
import numpy as np


def _hsv_to_bgr(hue: float, saturation: float, value: float) -> tuple[float, float, float]:
    pixel = np.uint8([[[round(hue) % 180, round(255 * saturation), round(255 * value)]]])
    return tuple(cv2.cvtColor(pixel, cv2.COLOR_HSV2BGR)[0, 0] / 255.0)


def any_ink(rng: np.random.Generator) -> tuple[float, float, float]:
    return _hsv_to_bgr(rng.uniform(0, 180), rng.uniform(0.5, 1.0), rng.uniform(0.35, 1.0))


def dark_ink(rng: np.random.Generator) -> tuple[float, float, float]:
    return _hsv_to_bgr(rng.uniform(0, 180), rng.uniform(0.0, 1.0), rng.uniform(0.05, 0.5))


def pale_ink(rng: np.random.Generator) -> tuple[float, float, float]:
    """Yellow (hue 22-35 of 180) or light green (40-75): on white these differ from paper mostly in blue."""
    hue = rng.uniform(22, 35) if rng.integers(2) else rng.uniform(40, 75)
    return _hsv_to_bgr(hue, rng.uniform(0.45, 0.85), rng.uniform(0.9, 1.0))


def grey(rng: np.random.Generator) -> tuple[float, float, float]:
    level = rng.uniform(0.5, 0.78)
    return tuple(level + rng.uniform(-0.02, 0.02, 3))


def any_paper(rng: np.random.Generator) -> dict:
    """The photo's paper as Scene fields: white (the default), grey, or ruled or squared white."""
    kind = rng.integers(3)
    if kind == 0:
        return {}
    if kind == 1:
        return {"paper": grey(rng)}
    return {"lines": ("ruled", "squared")[rng.integers(2)]}
