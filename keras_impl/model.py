"""The reference network in Keras: same layers, order and names, channels-last input; and its variants
(the sweep's), layer for layer and name for name as torch_impl.model.Net builds them."""
from functools import partial

import keras
import numpy as np
from keras import layers

from keras_impl.layers import Conv2D, MaxPooling2D
from recipe.normalisation import normalise
from recipe.settings import SEED, Recipe

# torch.nn.functional's defaults: leaky_relu's slope is 0.01 (Keras' 0.3), gelu is exact (erf).
ACTIVATIONS = {"relu": keras.activations.relu, "tanh": keras.activations.tanh, "sigmoid": keras.activations.sigmoid,
               "elu": keras.activations.elu, "gelu": partial(keras.activations.gelu, approximate=False),
               "leaky_relu": partial(keras.activations.leaky_relu, negative_slope=0.01)}


def torch_init(fan_in: int) -> dict:
    """PyTorch's default initialisation of Conv2d and Linear: kernel and bias uniform in +-1/sqrt(fan_in)."""
    bound = fan_in ** -0.5
    return {"kernel_initializer": keras.initializers.RandomUniform(-bound, bound),
            "bias_initializer": keras.initializers.RandomUniform(-bound, bound)}


def build(recipe: Recipe = SEED) -> keras.Model:
    """[N, 28, 28, 1] normalised images -> [N, 10] log-probabilities. The seed net: conv1 -> conv1_pool ->
    conv1_relu -> conv2 -> conv2_drop -> conv2_pool -> conv2_relu -> flatten -> fc1 (ReLU) -> fc2 -> log_softmax."""
    inputs = keras.Input((28, 28, 1), name="image")
    x, channels, last = inputs, 1, recipe.conv_layers
    for layer in range(1, last + 1):
        x = Conv2D(recipe.channels(layer), recipe.kernel_size, name=f"conv{layer}",
                   **torch_init(channels * recipe.kernel_size ** 2))(x)
        channels = recipe.channels(layer)
        if layer == last:
            x = layers.SpatialDropout2D(recipe.dropout, name=f"conv{layer}_drop")(x)  # like nn.Dropout2d
        if recipe.pooled(layer):
            x = MaxPooling2D(recipe.pool_size, name=f"conv{layer}_pool")(x)
        x = _activation(recipe.activation, f"conv{layer}_{recipe.activation}")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(recipe.hidden, activation=ACTIVATIONS[recipe.activation], name="fc1",
                     **torch_init(channels * recipe.final_side() ** 2))(x)
    if recipe.dense_dropout:
        x = layers.Dropout(recipe.dense_dropout, name="fc1_drop")(x)
    x = layers.Dense(10, name="fc2", **torch_init(recipe.hidden))(x)
    outputs = layers.Activation("log_softmax", name="log_softmax")(x)
    return keras.Model(inputs, outputs, name="net")


def _activation(name: str, layer_name: str) -> layers.Layer:
    if name == "relu":
        return layers.ReLU(name=layer_name)  # the reference's layer
    return layers.Activation(ACTIVATIONS[name], name=layer_name)


def convolutions(model: keras.Model) -> keras.Model:
    """[N, 28, 28, 1] -> [N, 4, 4, 20]: the two convolution stages, sharing the model's layers."""
    return keras.Model(model.inputs, model.get_layer("conv2_relu").output)


def embedding(model: keras.Model) -> keras.Model:
    """[N, 28, 28, 1] -> [N, 50]: the dense-50 layer after its ReLU, sharing the model's layers."""
    return keras.Model(model.inputs, model.get_layer("fc1").output)


def to_inputs(images01: np.ndarray) -> np.ndarray:
    """[N, 28, 28] ink-bright images in [0, 1] -> normalised float32 [N, 28, 28, 1]."""
    return normalise(images01)[..., np.newaxis]


def log_probabilities(model: keras.Model, images01: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """[N, 28, 28] ink-bright images in [0, 1] -> [N, 10] log-probabilities, in inference mode."""
    return model.predict(to_inputs(images01), batch_size=batch_size, verbose=0)
