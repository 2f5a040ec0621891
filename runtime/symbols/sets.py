"""Sets of handwritten symbols, read from a folder of class sub-folders.

A folder holds one sub-folder per class (alpha/, beta/, ... any names, any number); each image is read as
`runtime predict` reads it.
"""
from pathlib import Path
from typing import NamedTuple

import numpy as np

from runtime.errors import InputError
from runtime.reading import read
from runtime.reading.files import IMAGE_SUFFIXES


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
    images = np.stack([read(path).image for path in paths]).astype(np.float32)
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
