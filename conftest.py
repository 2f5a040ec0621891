"""Fixtures shared by tests/ and parity_tests/: the real MNIST data and one reference model per session."""
import os
from pathlib import Path

import pytest

from runtime.data import mnist

# Test modules may `import keras` before `keras_impl` (which sets this itself): never fall back to TensorFlow.
os.environ.setdefault("KERAS_BACKEND", "jax")


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The real MNIST files, fetched once into data/mnist (no work when already verified)."""
    return mnist.fetch(mnist.DEFAULT_DIR)


@pytest.fixture(scope="session")
def mnist_data(mnist_dir) -> mnist.Mnist:
    return mnist.load(mnist_dir)


@pytest.fixture(scope="session")
def reference_model(mnist_data):
    """(model, history) of the PyTorch reference trained with the seed recipe: about 2-3 minutes, once."""
    from recipe.settings import SEED
    from torch_impl.data import as_tensors
    from torch_impl.train import train

    return train(SEED, as_tensors(mnist_data))


@pytest.fixture(scope="session")
def reference_model_file(reference_model, tmp_path_factory) -> Path:
    from torch_impl import checkpoint

    path = tmp_path_factory.mktemp("reference") / "model.pth"
    checkpoint.save(reference_model[0], path)
    return path
