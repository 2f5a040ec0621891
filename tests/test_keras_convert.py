import subprocess
import sys

import numpy as np
import pytest
import torch

from keras_impl import convert
from keras_impl.model import build, convolutions, embedding
from torch_impl.model import Net

SHAPES = {"conv1.weight": (10, 1, 5, 5), "conv1.bias": (10,), "conv2.weight": (20, 10, 5, 5), "conv2.bias": (20,),
          "fc1.weight": (50, 320), "fc1.bias": (50,), "fc2.weight": (10, 50), "fc2.bias": (10,)}


def random_state(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {key: rng.standard_normal(shape, dtype=np.float32) for key, shape in SHAPES.items()}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_round_trips_are_bit_identical(seed):
    state = random_state(seed)
    weights = convert.torch_to_keras(state)
    assert weights["conv1/kernel"].shape == (5, 5, 1, 10) and weights["fc1/kernel"].shape == (320, 50)
    back = convert.keras_to_torch(weights)
    assert back.keys() == state.keys()
    for key, value in state.items():
        assert back[key].dtype == value.dtype and np.array_equal(back[key], value), key
    again = convert.torch_to_keras(back)
    for key, value in weights.items():
        assert np.array_equal(again[key], value), key


def test_fc1_rows_follow_the_flatten_order():
    state = random_state(0)
    state["fc1.weight"] = np.tile(np.arange(320, dtype=np.float32), (50, 1))  # column j holds j
    rows = convert.torch_to_keras(state)["fc1/kernel"][:, 0]
    # Keras flattens [4, 4, 20] as (row, column, channel); PyTorch [20, 4, 4] as (channel, row, column).
    h, w, c = 1, 2, 3
    assert rows[h * 80 + w * 20 + c] == c * 16 + h * 4 + w


def test_converted_weights_compute_the_same_function():
    torch.manual_seed(5)
    net = Net().eval()
    state = {key: value.numpy() for key, value in net.state_dict().items()}
    model = build()
    convert.set_weights(model, convert.torch_to_keras(state))
    images = np.random.default_rng(0).standard_normal((8, 1, 28, 28), dtype=np.float32)
    nhwc = images.transpose(0, 2, 3, 1)
    with torch.no_grad():
        torch_x = torch.from_numpy(images)
        np.testing.assert_allclose(model.predict(nhwc, verbose=0), net(torch_x).numpy(), atol=1e-4)
        np.testing.assert_allclose(embedding(model).predict(nhwc, verbose=0), net.embed(torch_x).numpy(), atol=1e-4)
        np.testing.assert_allclose(convolutions(model).predict(nhwc, verbose=0),
                                   net.convolutions(torch_x).numpy().transpose(0, 2, 3, 1), atol=1e-4)


def test_get_and_set_weights_by_layer_name():
    model = build()
    weights = convert.torch_to_keras(random_state(3))
    convert.set_weights(model, weights)
    for key, value in convert.get_weights(model).items():
        assert np.array_equal(value, weights[key]), key


def test_importable_with_numpy_alone():
    code = "import sys; sys.modules['torch'] = None; import keras_impl.convert; assert 'keras' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
