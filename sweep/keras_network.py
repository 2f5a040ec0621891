"""The network a NetConfig describes, in Keras: sweep.network's ConfigurableNet layer for layer and name
for name, channels-last; its default is keras_impl.model.build()."""
from functools import partial

import keras
from keras import layers

from keras_impl.layers import Conv2D, MaxPooling2D
from keras_impl.model import torch_init
from sweep.config import NetConfig

# torch.nn.functional's defaults: leaky_relu's slope is 0.01 (Keras' 0.3), gelu is exact (erf).
ACTIVATIONS = {"relu": keras.activations.relu, "tanh": keras.activations.tanh, "sigmoid": keras.activations.sigmoid,
               "elu": keras.activations.elu, "gelu": partial(keras.activations.gelu, approximate=False),
               "leaky_relu": partial(keras.activations.leaky_relu, negative_slope=0.01)}


def build(config: NetConfig) -> keras.Model:
    """[N, 28, 28, 1] normalised images -> [N, 10] log-probabilities."""
    inputs = keras.Input((28, 28, 1), name="image")
    x, channels, last = inputs, 1, config.conv_layers
    for layer in range(1, last + 1):
        x = Conv2D(config.channels(layer), config.kernel_size, name=f"conv{layer}",
                   **torch_init(channels * config.kernel_size ** 2))(x)
        channels = config.channels(layer)
        if layer == last:
            x = layers.SpatialDropout2D(config.dropout, name=f"conv{layer}_drop")(x)  # like nn.Dropout2d
        if config.pooled(layer):
            x = MaxPooling2D(config.pool_size, name=f"conv{layer}_pool")(x)
        x = _activation(config.activation, f"conv{layer}_{config.activation}")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(config.hidden, activation=ACTIVATIONS[config.activation], name="fc1",
                     **torch_init(channels * config.final_side() ** 2))(x)
    if config.dense_dropout:
        x = layers.Dropout(config.dense_dropout, name="fc1_drop")(x)
    x = layers.Dense(10, name="fc2", **torch_init(config.hidden))(x)
    outputs = layers.Activation("log_softmax", name="log_softmax")(x)
    return keras.Model(inputs, outputs, name="net")


def _activation(name: str, layer_name: str) -> layers.Layer:
    if name == "relu":
        return layers.ReLU(name=layer_name)  # the reference's layer
    return layers.Activation(ACTIVATIONS[name], name=layer_name)
