"""Sets of handwritten symbols: read from a folder of class sub-folders, written to and read from CSV.

A folder holds one sub-folder per class (alpha/, beta/, ... any names, any number); each image goes
through the same preprocessing as `predict`. The CSV form is the seed report's: one file of 784
intensities per image and one of class indices, each with a header row, plus the class names.
"""
import csv
import io
from pathlib import Path
from typing import NamedTuple

import numpy as np

from runtime import atomic
from runtime.errors import InputError
from runtime.inputs import IMAGE_SUFFIXES
from runtime.preprocess import preprocess_file

INTENSITIES_CSV = "intensities.csv"
LABELS_CSV = "labels.csv"
CLASSES_CSV = "classes.csv"
_PIXELS = 28 * 28


class SymbolSet(NamedTuple):
    images: np.ndarray  # float32 [N, 28, 28] in [0, 1], ink bright
    labels: np.ndarray  # int64 [N], indices into class_names
    class_names: list[str]
    paths: list[Path]  # the source image of each row (empty when read back from CSV)


def read_symbol_folder(folder: str | Path) -> SymbolSet:
    """Every image of every class sub-folder (classes and files in sorted order)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    classes = sorted(child for child in folder.iterdir() if child.is_dir() and not child.name.startswith("."))
    if not classes:
        raise InputError(f"{folder}: no class sub-folders (expected e.g. {folder}/alpha/*.png)")
    paths, labels = [], []
    for index, class_dir in enumerate(classes):
        files = sorted(path for path in class_dir.iterdir() if path.suffix.lower() in IMAGE_SUFFIXES)
        if not files:
            raise InputError(f"{folder}: class {class_dir.name!r} has no images ({', '.join(IMAGE_SUFFIXES)})")
        paths += files
        labels += [index] * len(files)
    images = np.stack([preprocess_file(path) for path in paths]).astype(np.float32)
    return SymbolSet(images, np.array(labels, np.int64), [path.name for path in classes], paths)


def selection(class_names: list[str], labels: np.ndarray, names: list[str],
              among: str) -> tuple[np.ndarray, np.ndarray]:
    """(which items to keep, their labels 0.. in the order of `names`): only the named classes. InputError
    names the missing classes `among` the known ones."""
    missing = sorted(set(names) - set(class_names))
    if missing:
        raise InputError(f"no class {', '.join(missing)} among {among}")
    order = np.array([class_names.index(name) for name in names], np.int64)
    keep = np.isin(labels, order)
    relabel = np.empty(len(class_names), np.int64)
    relabel[order] = np.arange(len(names))
    return keep, relabel[labels[keep]]


def select_classes(symbols: SymbolSet, names: list[str]) -> SymbolSet:
    """Only the images of the named classes, relabelled 0.. in the order of `names`."""
    keep, labels = selection(symbols.class_names, symbols.labels, names, ", ".join(symbols.class_names))
    paths = [path for path, kept in zip(symbols.paths, keep) if kept]
    return SymbolSet(symbols.images[keep], labels, list(names), paths)


def write_csv(symbols: SymbolSet, out_dir: str | Path) -> list[Path]:
    """The seed's two CSV files plus classes.csv; %.9g keeps every float32 exact."""
    out_dir = Path(out_dir)
    rows = symbols.images.reshape(len(symbols.images), _PIXELS)
    files = {
        INTENSITIES_CSV: [[f"p{i}" for i in range(_PIXELS)]] + [[f"{v:.9g}" for v in row] for row in rows],
        LABELS_CSV: [["label"]] + [[int(label)] for label in symbols.labels],
        CLASSES_CSV: [["index", "name"]] + [[i, name] for i, name in enumerate(symbols.class_names)],
    }
    for name, table in files.items():
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(table)
        atomic.write_text(out_dir / name, text.getvalue())
    return [out_dir / name for name in files]


def read_csv(out_dir: str | Path) -> SymbolSet:
    """The set written by `write_csv`, bit for bit (paths are not stored)."""
    out_dir = Path(out_dir)
    intensities = _read_table(out_dir / INTENSITIES_CSV)
    labels = _read_table(out_dir / LABELS_CSV)
    classes = _read_table(out_dir / CLASSES_CSV)
    if len(labels) != len(intensities) or any(len(row) != _PIXELS for row in intensities):
        raise InputError(f"{out_dir}: {INTENSITIES_CSV} and {LABELS_CSV} do not describe the same 28x28 images")
    try:
        images = np.array(intensities, np.float32).reshape(-1, 28, 28)
        label_array = np.array([int(row[0]) for row in labels], np.int64)
        names = [name for _, name in classes]
    except ValueError as error:
        raise InputError(f"{out_dir}: malformed symbol CSV files ({error})") from None
    if label_array.size and not 0 <= label_array.min() <= label_array.max() < len(names):
        raise InputError(f"{out_dir}: {LABELS_CSV} has labels outside {CLASSES_CSV}")
    return SymbolSet(images, label_array, names, [])


def _read_table(path: Path) -> list[list[str]]:
    """The non-blank rows of a CSV file without its header row."""
    try:
        with path.open(newline="") as handle:
            return [row for row in list(csv.reader(handle))[1:] if row]
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
