"""The shipped models are what `mnist-export models` makes: their recipes, and Greek references from the embedding
(made from the fonts and the OpenCV that the reference file records)."""
import json

import numpy as np
import pytest
import torch
from runtime_support import shared_folder

from export import shipped
from recipe.normalisation import MNIST_MEAN, MNIST_STD
from recipe.settings import HELD_BACK, SHIPPED, SHIPPED_DIGITS
from runtime.models import DIGITS, EMBEDDING, GREEK_REFS, OnnxModel
from runtime.symbols.references import ReferenceSet, classify
from runtime.symbols.sets import read_symbol_folder
from torch_impl.augment import augment


def other_fonts() -> str:
    """Why the letters generated here cannot be the shipped references' ('' when they can)."""
    recorded, here = (set(notes["faces"].tolist()) for notes in (shipped.recorded_notes(), shipped.build_notes()))
    differ = ", ".join(sorted(recorded ^ here)[:3])
    return f"fonts differ from the shipped references' ({differ}...; `make fonts` installs them)" if differ else ""


def other_opencv() -> str:
    recorded, here = shipped.recorded_notes()["opencv"], shipped.build_notes()["opencv"]
    return f"{shipped.OPENCV} {here}, not the shipped references' {recorded}" if recorded != here else ""


@pytest.fixture(scope="module")
def rebuilt_references() -> ReferenceSet:
    if other_fonts():
        pytest.skip(other_fonts())
    return shipped.greek_references(OnnxModel(EMBEDDING))


def test_shipped_graphs_record_their_recipes():
    for path, recipe in ((DIGITS, SHIPPED_DIGITS), (EMBEDDING, SHIPPED)):
        assert json.loads(OnnxModel(path).metadata["training"]) == recipe.trained_with()
    assert SHIPPED_DIGITS.outlier_exposure > 0 and SHIPPED_DIGITS.train_limit + HELD_BACK == 60_000


def test_shipped_greek_references_come_from_the_shipped_embedding(rebuilt_references):
    """With the fonts and OpenCV they were made with, `mnist-export models` reproduces the shipped references."""
    if other_opencv():
        pytest.skip(f"{other_opencv()}: the class test below covers it")
    stored, rebuilt = ReferenceSet.load(GREEK_REFS), rebuilt_references
    assert stored.class_names == rebuilt.class_names
    np.testing.assert_array_equal(stored.labels, rebuilt.labels)
    np.testing.assert_allclose(stored.vectors, rebuilt.vectors, atol=1e-5)


@pytest.mark.parametrize("writers", ["greek", "greek_new"])
def test_greek_classes_do_not_depend_on_the_opencv_version(rebuilt_references, writers):
    """Under any OpenCV, references rebuilt with it name every shared drawing as the shipped ones do."""
    vectors = OnnxModel(EMBEDDING).run(read_symbol_folder(shared_folder(writers)).images)

    def nearest(references: ReferenceSet) -> list[str]:
        return [references.class_names[label] for label in classify(references, vectors).labels]
    assert nearest(rebuilt_references) == nearest(ReferenceSet.load(GREEK_REFS))


def test_recipe_augmentation_is_seeded_and_keeps_images_images():
    ink = torch.zeros(64, 1, 28, 28)
    ink[:, :, 6:22, 12:15] = 1  # a "1" in every image
    batch = (ink - MNIST_MEAN) / MNIST_STD
    first, again = augment(batch, torch.Generator().manual_seed(0)), augment(batch, torch.Generator().manual_seed(0))
    assert torch.equal(first, again) and first.shape == batch.shape
    back = first * MNIST_STD + MNIST_MEAN
    assert back.min() >= -1e-6 and back.max() <= 1 + 1e-6
    assert not torch.allclose(first[0], first[1])  # each image gets its own distortion
    ink_amount = back.sum((1, 2, 3)) / ink.sum((1, 2, 3))
    assert 0.4 < ink_amount.min() and ink_amount.max() < 2.5  # strokes thinned or thickened, never erased
