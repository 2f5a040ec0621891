"""The shipped models are what `mnist-export models` makes: its recipe, and Greek references from its embedding."""
import json

import numpy as np
import torch

from export import shipped
from export.metadata import training_settings
from runtime.onnx_model import DIGITS, EMBEDDING, GREEK_REFS, OnnxModel
from runtime.preprocess import MNIST_MEAN, MNIST_STD
from runtime.references import ReferenceSet
from torch_impl.augment import augment


def test_shipped_graphs_record_the_shipped_recipe():
    for path in (DIGITS, EMBEDDING):
        assert json.loads(OnnxModel(path).metadata["training"]) == training_settings(shipped.RECIPE)


def test_shipped_greek_references_come_from_the_shipped_embedding():
    stored = ReferenceSet.load(GREEK_REFS)
    rebuilt = shipped.greek_references(OnnxModel(EMBEDDING))
    assert stored.class_names == rebuilt.class_names
    np.testing.assert_array_equal(stored.labels, rebuilt.labels)
    np.testing.assert_allclose(stored.vectors, rebuilt.vectors, atol=1e-5)


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
