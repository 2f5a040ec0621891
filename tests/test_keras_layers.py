"""keras_impl.layers compute what the stock Keras layers compute, forward and backward, in training."""
import jax
import keras
import numpy as np
import pytest

from keras_impl.layers import Conv2D, MaxPooling2D, im2col_convolution
from keras_impl.model import build


def outputs_and_input_gradient(layer: keras.layers.Layer, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The layer's training outputs and the gradient of a random weighting of them with respect to the input."""
    weighting = np.random.default_rng(1).normal(size=layer.compute_output_shape(x.shape)).astype(np.float32)
    gradient = jax.grad(lambda inputs: (layer(inputs, training=True) * weighting).sum())(x)
    return np.asarray(layer(x, training=True)), np.asarray(gradient)


@pytest.mark.parametrize(("channels", "filters", "kernel", "side"),
                         [(1, 10, 5, 28), (10, 20, 5, 12), (3, 4, (2, 3), 9)])
def test_conv_equals_stock_conv(channels, filters, kernel, side):
    x = np.random.default_rng(0).normal(size=(4, side, side, channels)).astype(np.float32)
    stock, im2col = keras.layers.Conv2D(filters, kernel), Conv2D(filters, kernel)
    stock.build(x.shape)
    im2col.build(x.shape)
    im2col.set_weights(stock.get_weights())
    for ours, theirs in zip(outputs_and_input_gradient(im2col, x), outputs_and_input_gradient(stock, x)):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)
    np.testing.assert_array_equal(im2col(x), stock(x))  # inference runs the stock convolution

    def kernel_gradient(convolution):
        return np.asarray(jax.grad(lambda kernel: convolution(x, kernel).sum())(stock.kernel.value))
    np.testing.assert_allclose(kernel_gradient(im2col_convolution), kernel_gradient(keras.ops.conv),
                               rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize(("pool", "side"), [(2, 24), (2, 9), (3, 10)])
def test_pooling_equals_stock_pooling(pool, side):
    x = np.random.default_rng(0).normal(size=(3, side, side, 5)).astype(np.float32)  # no ties: one gradient
    ours, theirs = (outputs_and_input_gradient(layer, x)
                    for layer in (MaxPooling2D(pool), keras.layers.MaxPooling2D(pool)))
    assert ours[0].shape == (3, side // pool, side // pool, 5)
    for mine, stock in zip(ours, theirs):
        np.testing.assert_array_equal(mine, stock)


@pytest.mark.parametrize("make", [lambda: Conv2D(4, 3, padding="same"), lambda: Conv2D(4, 3, strides=2),
                                  lambda: Conv2D(4, 3, dilation_rate=2), lambda: MaxPooling2D(2, strides=1),
                                  lambda: MaxPooling2D(2, padding="same")])
def test_unsupported_settings_are_refused(make):
    with pytest.raises(ValueError, match="only"):
        make()


def test_the_twin_trains_without_xla_convolution_or_pooling():
    """The speed-up's mechanism: training runs matrix products and reductions, inference XLA's convolution."""
    net = build()
    weights, state = [v.value for v in net.trainable_variables], [v.value for v in net.non_trainable_variables]
    x = np.zeros((2, 28, 28, 1), np.float32)

    def program(training: bool) -> str:
        return str(jax.make_jaxpr(lambda w, s: net.stateless_call(w, s, x, training=training)[0])(weights, state))

    assert "conv_general_dilated" not in program(training=True)
    assert "conv_general_dilated" in program(training=False)
    assert "reduce_window" not in program(training=True) + program(training=False)
