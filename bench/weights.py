"""The shipped digit network's weights as a PyTorch state_dict, so that PyTorch runs the very model
the runtime ships (the exporter keeps the reference's parameter names under `net.`)."""
from pathlib import Path

import onnx
import torch
from onnx import numpy_helper

from runtime.onnx_model import DIGITS
from torch_impl.model import Net

PREFIX = "net."


def shipped_state_dict(path: Path = DIGITS) -> dict[str, torch.Tensor]:
    initializers = {tensor.name: tensor for tensor in onnx.load(path).graph.initializer}
    state = {key: torch.from_numpy(numpy_helper.to_array(initializers[PREFIX + key]).copy())
             for key in Net().state_dict()}
    Net().load_state_dict(state)  # raises if a shape differs
    return state


def shipped_net(path: Path = DIGITS) -> Net:
    model = Net()
    model.load_state_dict(shipped_state_dict(path))
    return model.eval()
