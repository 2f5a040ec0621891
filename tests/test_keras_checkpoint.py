import keras
import numpy as np
import pytest

from keras_impl import checkpoint
from keras_impl.convert import get_weights
from keras_impl.model import build
from recipe.settings import Recipe
from runtime.errors import InputError


def test_round_trip_keeps_architecture_and_weights(tmp_path):
    net = build()
    path = tmp_path / "model.keras"
    checkpoint.save(net, path)
    loaded = checkpoint.load(path)
    assert [(layer.name, type(layer)) for layer in loaded.layers] == [(layer.name, type(layer)) for layer in net.layers]
    for key, value in get_weights(net).items():
        assert np.array_equal(value, get_weights(loaded)[key]), key
    assert [p.name for p in tmp_path.iterdir()] == ["model.keras"]  # no temporary files left


def test_the_settings_it_was_trained_with_travel_in_the_file(tmp_path):
    net, settings = build(), Recipe(epochs=2).trained_with()
    checkpoint.save(net, tmp_path / "model.keras", settings)
    assert checkpoint.trained_with(tmp_path / "model.keras") == settings
    loaded = get_weights(checkpoint.load(tmp_path / "model.keras"))
    assert np.array_equal(loaded["fc2/kernel"], get_weights(net)["fc2/kernel"])
    checkpoint.save(net, tmp_path / "plain.keras")
    assert checkpoint.trained_with(tmp_path / "plain.keras") is None


def test_other_architecture_is_refused(tmp_path):
    other = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10, name="fc2")])
    path = tmp_path / "other.keras"
    other.save(path)
    with pytest.raises(InputError, match="other.keras: not this network"):
        checkpoint.load(path)


def test_stock_layer_model_is_refused(tmp_path):
    """The same network built from keras.layers' Conv2D and MaxPooling2D: it would train slowly and export
    a pooling onnxruntime cannot run."""
    def stock_layer(layer):
        stock_class = getattr(keras.layers, type(layer).__name__)
        return stock_class.from_config(layer.get_config())

    stock = keras.models.clone_model(build(), clone_function=stock_layer)
    assert type(stock.get_layer("conv1")) is keras.layers.Conv2D
    path = tmp_path / "stock.keras"
    stock.save(path)
    with pytest.raises(InputError, match="stock.keras: not this network"):
        checkpoint.load(path)


@pytest.mark.parametrize("name", ["text.keras", "text.txt"])
def test_non_keras_files_are_refused(tmp_path, name):
    (tmp_path / name).write_text("not a model")
    with pytest.raises(InputError, match=f"{name}: not a .keras model file") as error:
        checkpoint.load(tmp_path / name)
    assert "\n" not in str(error.value)


def test_missing_file_and_wrong_suffix(tmp_path):
    with pytest.raises(InputError, match="no such model file"):
        checkpoint.load(tmp_path / "missing.keras")
    with pytest.raises(InputError, match="must end in .keras"):
        checkpoint.save(build(), tmp_path / "model.h5")
