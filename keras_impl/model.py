"""The reference network in Keras: same layers, order and names, channels-last input."""
import keras
import numpy as np
from keras import layers

from keras_impl.layers import Conv2D, MaxPooling2D
from runtime.preprocess import normalise


def torch_init(fan_in: int) -> dict:
    """PyTorch's default initialisation of Conv2d and Linear: kernel and bias uniform in +-1/sqrt(fan_in)."""
    bound = fan_in ** -0.5
    return {"kernel_initializer": keras.initializers.RandomUniform(-bound, bound),
            "bias_initializer": keras.initializers.RandomUniform(-bound, bound)}


def build() -> keras.Model:
    """[N, 28, 28, 1] normalised images -> [N, 10] log-probabilities."""
    inputs = keras.Input((28, 28, 1), name="image")
    x = Conv2D(10, 5, name="conv1", **torch_init(1 * 5 * 5))(inputs)
    x = layers.ReLU(name="conv1_relu")(MaxPooling2D(2, name="conv1_pool")(x))
    x = Conv2D(20, 5, name="conv2", **torch_init(10 * 5 * 5))(x)
    x = layers.SpatialDropout2D(0.5, name="conv2_drop")(x)  # drops whole channels, like nn.Dropout2d
    x = layers.ReLU(name="conv2_relu")(MaxPooling2D(2, name="conv2_pool")(x))
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(50, activation="relu", name="fc1", **torch_init(320))(x)
    x = layers.Dense(10, name="fc2", **torch_init(50))(x)
    outputs = layers.Activation("log_softmax", name="log_softmax")(x)
    return keras.Model(inputs, outputs, name="net")


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
