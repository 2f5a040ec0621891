"""A trained network from one framework's file into the other's: the weights in PyTorch's state_dict layout
as numpy arrays in between (keras_impl.convert maps that layout to Keras' and back)."""
from pathlib import Path

import numpy as np

from frameworks import KERAS, TORCH, Framework, of_file
from runtime.errors import InputError


def torch_state(path: str | Path) -> dict[str, np.ndarray]:
    """{'conv1.weight': OIHW, ...} of any model file (.pth, .pt, .keras)."""
    framework = of_file(path)
    model = framework.load(path)
    if framework is TORCH:
        return {key: value.numpy() for key, value in model.state_dict().items()}
    convert = KERAS.module("convert")
    return convert.keras_to_torch(convert.get_weights(model))


def model_with(framework: Framework, state: dict[str, np.ndarray]):
    """The seed net in `framework` holding the torch-layout weights `state`, in inference mode."""
    if framework is TORCH:
        import torch

        net = TORCH.module("model").Net()
        net.load_state_dict({key: torch.from_numpy(np.array(value, np.float32)) for key, value in state.items()})
        return net.eval()
    convert = KERAS.module("convert")
    model = KERAS.module("model").build()
    convert.set_weights(model, convert.torch_to_keras(state))
    return model


def load_torch_net(path: str | Path):
    """Any model file as the PyTorch network (so one analysis serves both frameworks)."""
    return model_with(TORCH, torch_state(path))


def convert(source: Path, target: Path) -> None:
    """Write `source`'s network as `target`, a file of the other framework (.pth -> .keras, .keras -> .pth),
    with the training settings stored in `source`."""
    if (source.suffix, target.suffix) not in ((".pth", ".keras"), (".keras", ".pth")):
        raise InputError(f"convert goes .pth -> .keras or .keras -> .pth, not {source.name} -> {target.name}")
    framework = of_file(target)
    framework.save(model_with(framework, torch_state(source)), target, of_file(source).trained_with(source))
