"""Parity fixtures: the 10,000 MNIST test images, the reference's weights and outputs, the trained twin."""
import numpy as np
import pytest

from keras_impl.train import as_data, train
from parity_tests.twins import Outputs, torch_outputs, torch_state
from recipe.normalisation import normalise
from recipe.settings import SEED


@pytest.fixture(scope="session")
def test_images(mnist_data) -> np.ndarray:
    """The normalised test set, [10000, 28, 28] float32, exactly as both trainings evaluate it."""
    return normalise(mnist_data.test_images / np.float32(255))


@pytest.fixture(scope="session")
def reference_state(reference_model) -> dict[str, np.ndarray]:
    return torch_state(reference_model[0])


@pytest.fixture(scope="session")
def reference_outputs(reference_model, test_images) -> Outputs:
    return torch_outputs(reference_model[0], test_images)


@pytest.fixture(scope="session")
def keras_trained(mnist_data):
    """(model, history) of the Keras twin trained with the seed recipe: minutes, so once per session (the only
    full-size Keras training of the suite)."""
    return train(SEED, as_data(mnist_data))
