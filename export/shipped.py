"""The models shipped in runtime/models: the reference network trained with a stronger recipe (and generated
pictures holding no digit, for its outlier exposure), exported, and the default Greek reference set embedded by it."""
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

import numpy as np
import torch

from export.discriminant import discriminant
from export.graphs import export_file
from recipe.normalisation import normalise
from recipe.settings import SHIPPED, SHIPPED_DIGITS, Recipe
from runtime.data import mnist
from runtime.models import EMBEDDING, GREEK_REFS, OnnxModel
from runtime.models.contract import MODELS_DIR
from runtime.symbols.references import ReferenceSet
from synthetic import greek as synthetic_greek
from synthetic import nondigits, readings
from torch_impl import checkpoint
from torch_impl.data import as_tensors
from torch_impl.train import train

GREEK_PER_LETTER = 400  # stored in 23 discriminant dimensions (references.discriminant): 0.97 MB
# Chosen on writer 1's alpha/beta/gamma (../shared/data/greek) named among all 24 letters: 22/27 when the
# nearest reference names it, 23/27 with 3 votes, 24/27 with 5 (and 27/27 among the three with each).
GREEK_VOTES = 5
GREEK_SEED = 0
OUTLIERS_PER_FAMILY, OUTLIER_SEED = 1500, 12  # of synthetic.nondigits; the report measures seed 3
OPENCV = "opencv-python-headless"  # draws and distorts the generated letters


def greek_references(embedding: OnnxModel) -> ReferenceSet:
    """All 24 generated Greek letters, GREEK_PER_LETTER drawings each, embedded by `embedding`, projected on
    the directions that separate them, GREEK_VOTES of them voting."""
    symbols = synthetic_greek.symbol_set(synthetic_greek.LETTERS, GREEK_PER_LETTER, GREEK_SEED)
    embedded = ReferenceSet(embedding.run(symbols.images), symbols.labels, symbols.class_names, votes=GREEK_VOTES)
    return discriminant(embedded)


NOTES = ("faces", "opencv")  # the build_notes keys


def build_notes() -> dict[str, np.ndarray]:
    """What the generated letters depend on beyond the code: the faces found here and OpenCV's version."""
    return dict(zip(NOTES, (np.array([face.name for face in synthetic_greek.faces()], dtype=str),
                            np.array(version(OPENCV)))))


def recorded_notes(path: Path = GREEK_REFS) -> dict[str, np.ndarray]:
    """The build_notes stored with a reference set (empty arrays for a file from before they were)."""
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] if name in archive.files else np.array([], dtype=str) for name in NOTES}


def save_greek_references(embedding: OnnxModel, path: Path) -> Path:
    return greek_references(embedding).save(path, **build_notes())


def rebuild_greek_references(out_dir: Path = MODELS_DIR) -> Path:
    """Re-embed the generated Greek set with the embedding already in `out_dir` (after the generator changed)."""
    path = save_greek_references(OnnxModel(out_dir / EMBEDDING.name), out_dir / GREEK_REFS.name)
    path.chmod(0o644)  # shipped in the wheel: readable by everyone
    return path


def outliers(count: int = OUTLIERS_PER_FAMILY, seed: int = OUTLIER_SEED) -> torch.Tensor:
    """The pictures holding no digit that SHIPPED_DIGITS' outlier exposure trains with, as the reader reads them
    (those it refuses, blank paper, left out): normalised [M, 1, 28, 28]."""
    return torch.from_numpy(normalise(readings(nondigits.for_training(count, seed))[0])).unsqueeze(1)


def build(out_dir: Path = MODELS_DIR, weights: Path | None = None, digits_weights: Path | None = None,
          data_dir: Path = mnist.DEFAULT_DIR, threads: int = 2) -> list[Path]:
    """Train with SHIPPED and with SHIPPED_DIGITS (unless `weights`, `digits_weights` hold such models), export
    the embedding of the first and the digit graph of the second, embed the Greek set.

    Everything is made in a scratch folder first, so a failure leaves `out_dir` as it was.
    """
    torch.set_num_threads(threads)
    data = mnist.load(data_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir.parent) as scratch:
        scratch = Path(scratch)
        embedding = _exported(SHIPPED, weights, data, scratch / "embedding")["embedding"].path
        digits = _exported(SHIPPED_DIGITS, digits_weights, data, scratch / "digits",
                           outliers() if digits_weights is None else None)["full"].path
        save_greek_references(OnnxModel(embedding), scratch / GREEK_REFS.name)
        made = [digits, embedding, scratch / GREEK_REFS.name]
        for path in made:
            path.chmod(0o644)  # shipped in the wheel: readable by everyone
            os.replace(path, out_dir / path.name)
    return [out_dir / path.name for path in made]


def _exported(recipe: Recipe, weights: Path | None, data: mnist.Mnist, folder: Path,
              no_digits: torch.Tensor | None = None) -> dict:
    """Both graphs of a model trained with `recipe` (and the outliers `no_digits`) unless `weights` holds one,
    in `folder`."""
    folder.mkdir()
    if weights is None:
        weights = folder / "model.pth"
        checkpoint.save(train(recipe, as_tensors(data), outliers=no_digits)[0], weights, recipe.trained_with())
    return export_file(weights, folder, data)
