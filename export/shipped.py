"""The models shipped in runtime/models: the reference network trained with a stronger recipe, exported,
and the default Greek reference set embedded by it."""
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

import numpy as np
import torch

from export.discriminant import discriminant
from export.graphs import export_file
from recipe.settings import SHIPPED
from runtime.data import mnist
from runtime.models import EMBEDDING, GREEK_REFS, OnnxModel
from runtime.models.contract import MODELS_DIR
from runtime.symbols.references import ReferenceSet
from synthetic import greek as synthetic_greek
from torch_impl import checkpoint
from torch_impl.data import as_tensors
from torch_impl.train import train

RECIPE = SHIPPED
GREEK_PER_LETTER = 400  # stored in 23 discriminant dimensions (references.discriminant): 0.97 MB
# Chosen on writer 1's alpha/beta/gamma (../shared/data/greek) named among all 24 letters: 22/27 when the
# nearest reference names it, 23/27 with 3 votes, 24/27 with 5 (and 27/27 among the three with each).
GREEK_VOTES = 5
GREEK_SEED = 0
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


def build(out_dir: Path = MODELS_DIR, weights: Path | None = None, data_dir: Path = mnist.DEFAULT_DIR,
          threads: int = 2) -> list[Path]:
    """Train with RECIPE (unless `weights` holds such a model), export both graphs, embed the Greek set.

    Everything is made in a scratch folder first, so a failure leaves `out_dir` as it was.
    """
    torch.set_num_threads(threads)
    data = mnist.load(data_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir.parent) as scratch:
        scratch = Path(scratch)
        if weights is None:
            weights = scratch / "model.pth"
            checkpoint.save(train(RECIPE, as_tensors(data))[0], weights, RECIPE.trained_with())
        exported = export_file(weights, scratch, data)
        save_greek_references(OnnxModel(exported["embedding"].path), scratch / GREEK_REFS.name)
        names = [exported["full"].path.name, exported["embedding"].path.name, GREEK_REFS.name]
        for name in names:
            (scratch / name).chmod(0o644)  # shipped in the wheel: readable by everyone
            os.replace(scratch / name, out_dir / name)
    return [out_dir / name for name in names]
