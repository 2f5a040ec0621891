"""Any saved model file as the PyTorch reference network, so one analysis serves both frameworks."""
from pathlib import Path

import numpy as np
import torch

from runtime.errors import InputError
from torch_impl import checkpoint
from torch_impl.model import Net


def load_torch_net(path: str | Path) -> Net:
    """A PyTorch state_dict (.pth, .pt) or a Keras twin (.keras, converted), ready for inference."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".pth", ".pt"):
        return checkpoint.load(path)
    if suffix == ".keras":
        from keras_impl.convert import keras_file_to_torch_state  # only .keras files need the twin

        state = keras_file_to_torch_state(path)
        net = Net()
        net.load_state_dict({name: torch.from_numpy(np.array(value, np.float32)) for name, value in state.items()})
        return net.eval()
    raise InputError(f"{path}: unknown model file type (expected .pth, .pt or .keras)")
