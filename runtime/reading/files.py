"""Image files among command-line arguments: files as given, folders as the image files inside them."""
from pathlib import Path

from runtime.errors import InputError
from runtime.reading import Reading, read_many

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


def read_files(arguments: list[Path]) -> tuple[list[Reading], list[Path], list[str]]:
    """(readings, their files, a line for each argument that failed): the image arguments of a command, each
    file read on its own, so that one bad file is reported while the good ones are still read."""
    files, problems = expand(arguments)
    readings, good = [], []
    for path, reading in zip(files, read_many(files)):
        if isinstance(reading, InputError):
            problems.append(str(reading))
        else:
            readings.append(reading)
            good.append(path)
    return readings, good, problems
