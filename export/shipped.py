"""The models shipped in runtime/models: the reference network trained with a stronger recipe, exported,
and the default Greek reference set embedded by it."""
import os
import tempfile
from pathlib import Path

import torch

from export.graphs import export_file
from recipe.settings import SHIPPED
from runtime import mnist
from runtime.onnx_model import EMBEDDING, GREEK_REFS, MODELS_DIR, OnnxModel
from runtime.references import ReferenceSet
from synthetic import greek as synthetic_greek
from torch_impl import checkpoint
from torch_impl.data import as_tensors
from torch_impl.train import train

RECIPE = SHIPPED
GREEK_PER_LETTER = 100
GREEK_SEED = 0


def greek_references(embedding: OnnxModel) -> ReferenceSet:
    """All 24 generated Greek letters, GREEK_PER_LETTER drawings each, embedded by `embedding`."""
    symbols = synthetic_greek.symbol_set(synthetic_greek.LETTERS, GREEK_PER_LETTER, GREEK_SEED)
    return ReferenceSet(embedding.run(symbols.images), symbols.labels, symbols.class_names)


def rebuild_greek_references(out_dir: Path = MODELS_DIR) -> Path:
    """Re-embed the generated Greek set with the embedding already in `out_dir` (after the generator changed)."""
    path = out_dir / GREEK_REFS.name
    greek_references(OnnxModel(out_dir / EMBEDDING.name)).save(path)
    path.chmod(0o644)
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
        greek_references(OnnxModel(exported["embedding"].path)).save(scratch / GREEK_REFS.name)
        names = [exported["full"].path.name, exported["embedding"].path.name, GREEK_REFS.name]
        for name in names:
            (scratch / name).chmod(0o644)  # shipped in the wheel: readable by everyone
            os.replace(scratch / name, out_dir / name)
    return [out_dir / name for name in names]
