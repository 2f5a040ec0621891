"""The shipped digit network's weights as a PyTorch state_dict, so that PyTorch runs the very model
the runtime ships (the exporter keeps the reference's parameter names under `net.`)."""
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from runtime.models import DIGITS
from torch_impl.model import Net

PREFIX = "net."


def shipped_state_dict(path: Path = DIGITS) -> dict[str, torch.Tensor]:
    initializers = {tensor.name: numpy_helper.to_array(tensor) for tensor in onnx.load(path).graph.initializer}
    return {key: torch.from_numpy(unpadded(initializers[PREFIX + key], tuple(value.shape), key))
            for key, value in Net().state_dict().items()}


def unpadded(array: np.ndarray, shape: tuple[int, ...], name: str) -> np.ndarray:
    """`array` cut to `shape`: the export appends zero channels to the convolutions
    (export.torch_onnx.padded_channels); anything else, or a non-zero cut, is another network."""
    kept = array[tuple(slice(0, side) for side in shape)]
    if kept.shape != shape or np.count_nonzero(kept) != np.count_nonzero(array):
        raise ValueError(f"{name}: shape {array.shape} is not this network's {shape} padded with zeros")
    return kept.copy()


def shipped_net(path: Path = DIGITS) -> Net:
    model = Net()
    model.load_state_dict(shipped_state_dict(path))
    return model.eval()
