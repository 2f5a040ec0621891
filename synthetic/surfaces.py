"""What a photographed digit lies on and under: paper (texture, ruling), light (falloff, shadow), the page's edge."""
import cv2
import numpy as np


def smooth_field(rng: np.random.Generator, size: tuple[int, int], cells: int, amplitude: float) -> np.ndarray:
    """Low-frequency noise of about `amplitude`: a `cells`-square random grid resized smoothly."""
    grid = rng.normal(0, amplitude, (cells, cells)).astype(np.float32)
    return cv2.resize(grid, (size[1], size[0]), interpolation=cv2.INTER_CUBIC)


def paper(colour: tuple[float, float, float], lines: str | None, size: tuple[int, int],
          rng: np.random.Generator) -> np.ndarray:
    """float32 [H, W, 3] paper: its colour, blotchy texture and fibre grain, and ruled lines if any
    (`lines`: "ruled" or "squared")."""
    texture = smooth_field(rng, size, 6, 0.015) + smooth_field(rng, size, 60, 0.008)
    paper = np.float32(colour) * (1 + texture[..., None])
    if lines is None:
        return paper
    ruling = lines
    lines = np.zeros(size, np.uint8)
    spacing = rng.uniform(0.05, 0.09) * max(size)
    tilt = rng.uniform(-0.03, 0.03) * size[1]
    width = max(1, round(max(size) / 500))
    start = rng.uniform(0, spacing)
    for at in np.arange(start - spacing, size[0] + spacing, spacing):
        cv2.line(lines, (0, round(at)), (size[1], round(at + tilt)), 255, width, cv2.LINE_AA)
    if ruling == "squared":
        for at in np.arange(start - spacing, size[1] + spacing, spacing):
            cv2.line(lines, (round(at), 0), (round(at - tilt), size[0]), 255, width, cv2.LINE_AA)
    margin = np.zeros(size, np.uint8)
    at = round(rng.uniform(0.05, 0.15) * size[1])
    cv2.line(margin, (at, 0), (at, size[0]), 255, width, cv2.LINE_AA)
    blue, red = np.float32([0.95, 0.8, 0.6]), np.float32([0.6, 0.6, 0.95])
    for mask, colour in ((lines, blue), (margin, red)):
        weight = mask[..., None].astype(np.float32) / 255 * rng.uniform(0.5, 0.9)
        paper = paper * (1 - weight) + paper * colour * weight
    return paper


def light(fall_off: float, shadow: float, size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """float32 [H, W] illumination: 1 with no effect; a linear falloff losing up to `fall_off`, and a
    soft-edged shadow of depth `shadow`."""
    rows, cols = np.mgrid[0 : size[0], 0 : size[1]].astype(np.float32) / max(size)
    light = np.ones(size, np.float32)
    if fall_off:
        direction = rng.uniform(0, 2 * np.pi)
        ramp = np.cos(direction) * cols + np.sin(direction) * rows
        ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
        light *= 1 - fall_off * ramp
    if shadow:  # a hand or phone held over the page: a half-plane with a blurred edge
        direction = rng.uniform(0, 2 * np.pi)
        distance = np.cos(direction) * (cols - cols.mean()) + np.sin(direction) * (rows - rows.mean())
        edge = rng.uniform(0.15, 0.45) * np.abs(distance).max()
        softness = rng.uniform(0.01, 0.08)
        light *= 1 - shadow / (1 + np.exp(-(distance - edge) / softness))
    return light


def page_edge(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The page ends near one side (tilted) or two; beyond it a textured table, darker or lighter."""
    size = image.shape[:2]
    rows, cols = np.mgrid[0 : size[0], 0 : size[1]].astype(np.float32)
    beyond = np.zeros(size, np.float32)
    for side in rng.permutation(4)[: rng.integers(1, 3)]:
        extent = size[side // 2]  # sides 0, 1: top, bottom; 2, 3: left, right
        across = (rows, cols)[side // 2]
        along = (cols, rows)[side // 2] / size[1 - side // 2] - 0.5
        edge = rng.uniform(0.04, 0.14) * extent + rng.uniform(-0.06, 0.06) * extent * along
        depth = across if side % 2 == 0 else extent - 1 - across
        beyond = np.maximum(beyond, np.clip(edge - depth + 0.5, 0, 1))
    table = np.float32(rng.uniform(0.1, 0.6, 3) if rng.integers(3) else rng.uniform(0.85, 1.0, 3))
    table = table * (1 + smooth_field(rng, size, 40, 0.05))[..., None]
    shade = cv2.GaussianBlur(beyond, (0, 0), max(size) / 150) * 0.3  # the page's edge casts a thin shadow
    return (image * (1 - shade[..., None])) * (1 - beyond[..., None]) + table * beyond[..., None]
