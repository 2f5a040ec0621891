"""The seed report's CSV form of a symbol set: one file of 784 intensities per image and one of class indices,
each with a header row, plus the class names."""
import csv
import io
from pathlib import Path

import numpy as np

from runtime import atomic
from runtime.errors import InputError
from runtime.symbols.sets import SymbolSet

INTENSITIES_CSV = "intensities.csv"
LABELS_CSV = "labels.csv"
CLASSES_CSV = "classes.csv"
_PIXELS = 28 * 28


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
