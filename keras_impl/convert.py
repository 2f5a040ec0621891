"""Weights between PyTorch (state_dict layout) and Keras, as numpy arrays, for the reference and any
network of the same kind (convolutions, then dense layers: any recipe's torch_impl.model.Net).

Conv kernels are OIHW in PyTorch and HWIO in Keras; dense kernels are [out, in] and [in, out].
The first dense layer also needs its input rows reordered: PyTorch flattens the [C, H, W] feature
maps as (channel, row, column), Keras flattens [H, W, C] as (row, column, channel).
Only transposes and permutations: a round trip is bit-identical.  Needs numpy only.
"""
import numpy as np


def flatten_order(channels: int, side: int) -> np.ndarray:
    """Row i of Keras' first dense kernel is PyTorch's input feature flatten_order(...)[i]."""
    return np.arange(channels * side * side).reshape(channels, side, side).transpose(1, 2, 0).ravel()


def torch_to_keras(state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """{'conv1.weight': OIHW, 'conv1.bias', ...} -> {'conv1/kernel': HWIO, 'conv1/bias', ...}."""
    weights, channels = {}, None  # channels: of the last convolution, until the first dense layer takes them
    for name in _layers(state, "."):
        matrix = state[f"{name}.weight"]
        if matrix.ndim == 4:
            kernel, channels = matrix.transpose(2, 3, 1, 0), matrix.shape[0]
        else:
            kernel = matrix.T if channels is None else matrix.T[_order(channels, matrix.shape[1])]
            channels = None
        weights |= {f"{name}/kernel": np.ascontiguousarray(kernel), f"{name}/bias": state[f"{name}.bias"]}
    return weights


def keras_to_torch(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The inverse of torch_to_keras."""
    state, channels = {}, None
    for name in _layers(weights, "/"):
        kernel = weights[f"{name}/kernel"]
        if kernel.ndim == 4:
            matrix, channels = kernel.transpose(3, 2, 0, 1), kernel.shape[3]
        else:
            if channels is not None:
                unordered = np.empty_like(kernel)
                unordered[_order(channels, kernel.shape[0])] = kernel
                kernel, channels = unordered, None
            matrix = kernel.T
        state |= {f"{name}.weight": np.ascontiguousarray(matrix), f"{name}.bias": weights[f"{name}/bias"]}
    return state


def _layers(arrays: dict[str, np.ndarray], separator: str) -> list[str]:
    return list(dict.fromkeys(key.split(separator)[0] for key in arrays))


def _order(channels: int, features: int) -> np.ndarray:
    return flatten_order(channels, round((features // channels) ** 0.5))


def get_weights(model) -> dict[str, np.ndarray]:
    """{'conv1/kernel': ..., 'conv1/bias': ..., ...} of the model's convolution and dense layers, in order."""
    return {f"{layer.name}/{part}": np.array(getattr(layer, part).value)
            for layer in model.layers if hasattr(layer, "kernel") for part in ("kernel", "bias")}


def set_weights(model, weights: dict[str, np.ndarray]) -> None:
    """Assign get_weights-style arrays to the model's layers (keras checks the shapes)."""
    for name in _layers(weights, "/"):
        layer = model.get_layer(name)
        layer.kernel.assign(weights[f"{name}/kernel"])
        layer.bias.assign(weights[f"{name}/bias"])
