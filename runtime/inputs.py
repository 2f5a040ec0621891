"""Image arguments of the runtime's commands: folders expanded, each file preprocessed on its own,
so that one bad file is reported (one line on stderr) while the good ones are still processed."""
from pathlib import Path

import numpy as np

from runtime.errors import InputError
from runtime.preprocess import Reading, read_file

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp")


def expand(arguments: list[Path]) -> tuple[list[Path], list[str]]:
    """(image files, problems): files as given, folders as the image files anywhere inside them, sorted."""
    files, problems = [], []
    for argument in arguments:
        if not argument.is_dir():
            files.append(argument)
            continue
        found = sorted(path for path in argument.rglob("*") if path.suffix.lower() in IMAGE_SUFFIXES
                       and path.is_file() and not path.name.startswith("."))
        files += found
        if not found:
            problems.append(f"{argument}: folder holds no images ({', '.join(IMAGE_SUFFIXES)})")
    return files, problems


def load_images(arguments: list[Path]) -> tuple[np.ndarray, list[Path], list[str]]:
    """Preprocessed [N, 28, 28] images, their files, and a line for each argument that failed."""
    readings, good, problems = load_readings(arguments)
    return images_of(readings), good, problems


def images_of(readings: list[Reading]) -> np.ndarray:
    """The [N, 28, 28] float32 images of the readings ([0, 28, 28] for none)."""
    return np.array([reading.image for reading in readings], np.float32).reshape(-1, 28, 28)


def load_readings(arguments: list[Path]) -> tuple[list[Reading], list[Path], list[str]]:
    """load_images, each picture with what preprocessing found in it (candidates, box)."""
    files, problems = expand(arguments)
    readings, good = [], []
    for path in files:
        try:
            readings.append(read_file(path))
            good.append(path)
        except InputError as error:
            problems.append(str(error))
    return readings, good, problems
