import numpy as np
import pytest

from keras_impl.convert import get_weights
from keras_impl.train import as_data, train
from recipe.settings import Recipe


@pytest.fixture(scope="module")
def arrays(mnist_data):
    train_x, train_y, test_x, test_y = as_data(mnist_data)
    return train_x[:640], train_y[:640], test_x[:100], test_y[:100]


def test_inputs_are_normalised_channels_last(arrays):
    train_x, train_y, _, _ = arrays
    assert train_x.shape == (640, 28, 28, 1) and train_x.dtype == np.float32
    assert train_y.dtype == np.int32
    assert train_x.min() == pytest.approx((0 - 0.1307) / 0.3081)


def test_same_seed_gives_bit_identical_weights(arrays):
    first, history = train(Recipe(epochs=1, seed=3), arrays)
    second, _ = train(Recipe(epochs=1, seed=3), arrays)
    other, _ = train(Recipe(epochs=1, seed=4), arrays)
    first, second, other = get_weights(first), get_weights(second), get_weights(other)
    for key, value in first.items():
        assert np.array_equal(value, second[key]), key
    assert not np.array_equal(first["fc2/kernel"], other["fc2/kernel"])
    assert [row.epoch for row in history] == [0, 1]
    assert history[1].train_loss < history[0].train_loss

