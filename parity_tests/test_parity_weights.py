"""Parity test 1: weights converted either way and back are bit-identical."""
import numpy as np

from keras_impl.convert import get_weights, keras_to_torch, torch_to_keras
from parity_tests.twins import keras_model_with, torch_net_with, torch_state


def assert_identical(actual: dict[str, np.ndarray], expected: dict[str, np.ndarray]) -> None:
    assert actual.keys() == expected.keys()
    for key, value in expected.items():
        assert actual[key].dtype == value.dtype and np.array_equal(actual[key], value), key


def test_pytorch_weights_through_keras_and_back(reference_state):
    keras_model = keras_model_with(torch_to_keras(reference_state))
    assert_identical(keras_to_torch(get_weights(keras_model)), reference_state)


def test_keras_weights_through_pytorch_and_back(keras_trained):
    weights = get_weights(keras_trained[0])
    net = torch_net_with(keras_to_torch(weights))
    assert_identical(get_weights(keras_model_with(torch_to_keras(torch_state(net)))), weights)
