"""Weights between the PyTorch reference (state_dict layout) and the Keras twin, as numpy arrays.

Conv kernels are OIHW in PyTorch and HWIO in Keras; dense kernels are [out, in] and [in, out].
fc1 also needs its 320 input rows reordered: PyTorch flattens the [20, 4, 4] feature maps as
(channel, row, column), Keras flattens [4, 4, 20] as (row, column, channel).
Only transposes and permutations: a round trip is bit-identical.  Needs numpy only.
"""
from pathlib import Path

import numpy as np

LAYERS = ("conv1", "conv2", "fc1", "fc2")
# Row i of Keras' fc1 kernel is PyTorch fc1 input feature FC1_ORDER[i].
FC1_ORDER = np.arange(20 * 4 * 4).reshape(20, 4, 4).transpose(1, 2, 0).ravel()


def torch_to_keras(state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """{'conv1.weight': OIHW, 'conv1.bias', ...} -> {'conv1/kernel': HWIO, 'conv1/bias', ...}."""
    kernels = {
        "conv1": state["conv1.weight"].transpose(2, 3, 1, 0),
        "conv2": state["conv2.weight"].transpose(2, 3, 1, 0),
        "fc1": state["fc1.weight"].T[FC1_ORDER],
        "fc2": state["fc2.weight"].T,
    }
    return {key: np.ascontiguousarray(value) for name in LAYERS
            for key, value in ((f"{name}/kernel", kernels[name]), (f"{name}/bias", state[f"{name}.bias"]))}


def keras_to_torch(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The inverse of torch_to_keras."""
    fc1 = np.empty_like(weights["fc1/kernel"])
    fc1[FC1_ORDER] = weights["fc1/kernel"]
    matrices = {
        "conv1": weights["conv1/kernel"].transpose(3, 2, 0, 1),
        "conv2": weights["conv2/kernel"].transpose(3, 2, 0, 1),
        "fc1": fc1.T,
        "fc2": weights["fc2/kernel"].T,
    }
    return {key: np.ascontiguousarray(value) for name in LAYERS
            for key, value in ((f"{name}.weight", matrices[name]), (f"{name}.bias", weights[f"{name}/bias"]))}


def get_weights(model) -> dict[str, np.ndarray]:
    """{'conv1/kernel': ..., 'conv1/bias': ..., ...} of a Keras model built by keras_impl.model.build."""
    return {f"{name}/{part}": np.array(getattr(model.get_layer(name), part).value)
            for name in LAYERS for part in ("kernel", "bias")}


def set_weights(model, weights: dict[str, np.ndarray]) -> None:
    """Assign get_weights-style arrays to the model's layers (keras checks the shapes)."""
    for name in LAYERS:
        layer = model.get_layer(name)
        layer.kernel.assign(weights[f"{name}/kernel"])
        layer.bias.assign(weights[f"{name}/bias"])


def keras_file_to_torch_state(path: str | Path) -> dict[str, np.ndarray]:
    """A .keras file saved by keras_impl -> torch state_dict layout (load with torch.from_numpy)."""
    from keras_impl import checkpoint  # keras is imported only when a file is read

    return keras_to_torch(get_weights(checkpoint.load(path)))
