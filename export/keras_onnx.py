"""Keras 3 (JAX) -> ONNX with jax2onnx, wrapped so that the graph takes the same NCHW input as PyTorch's."""
import logging

from keras_impl.model import embedding, log_probabilities, to_inputs  # first: keras_impl selects the JAX backend
from recipe.normalisation import MNIST_MEAN, MNIST_STD
from runtime.models.contract import INPUT_NAME, INPUT_SHAPE, OUTPUTS

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import onnx  # noqa: E402
from jax2onnx import to_onnx as jax_to_onnx  # noqa: E402

OPSET = 20


def framework() -> str:
    return f"keras {keras.__version__} (jax {jax.__version__})"


def graph_function(model: keras.Model, kind: str):
    """[N, 1, 28, 28] images in [0, 1] -> outputs: normalise, go channels-last, run the layers in inference mode."""
    last = "log_softmax" if kind == "full" else "fc1"
    chain = model.layers[1:[layer.name for layer in model.layers].index(last) + 1]  # layers[0] is the Input

    def graph(image):
        x = jnp.transpose((image - MNIST_MEAN) / MNIST_STD, (0, 2, 3, 1))
        for layer in chain:
            x = layer(x, training=False)
        return x

    return graph


def to_onnx(model: keras.Model, kind: str) -> onnx.ModelProto:
    logging.getLogger("onnx_ir").setLevel(logging.ERROR)  # it warns about untyped shape constants it drops
    return jax_to_onnx(graph_function(model, kind), [("N", *INPUT_SHAPE)], opset=OPSET,
                       input_names=[INPUT_NAME], output_names=[OUTPUTS[kind][0]], model_name=f"net_{kind}")


def outputs(model: keras.Model, kind: str, images01: np.ndarray) -> np.ndarray:
    """What the twin computes for [N, 28, 28] images, through its own code: the parity reference."""
    if kind == "full":
        return log_probabilities(model, images01)
    return embedding(model).predict(to_inputs(images01), batch_size=1000, verbose=0)
