"""Save and load the reference network's weights (state_dict, loaded with weights_only=True)."""
import pickle
import zipfile
from pathlib import Path

import torch

from runtime import atomic
from runtime.errors import InputError, existing_file
from torch_impl.model import Net


def save(model: Net, path: str | Path) -> None:
    with atomic.atomic_path(path) as tmp:
        torch.save(model.state_dict(), tmp)


def load(path: str | Path) -> Net:
    path = Path(path)
    existing_file(path, "model file")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, zipfile.BadZipFile, RuntimeError, EOFError, ValueError) as error:
        raise InputError(f"{path}: not a PyTorch state_dict file ({str(error).splitlines()[0]})") from None
    model = Net()
    if not isinstance(state, dict):
        raise InputError(f"{path}: holds a {type(state).__name__}, not a state_dict")
    expected = model.state_dict()
    missing, extra = sorted(expected.keys() - state.keys()), sorted(state.keys() - expected.keys())
    if missing or extra:
        raise InputError(f"{path}: not this network's weights (missing {missing}, unexpected {extra})")
    wrong = [key for key in expected if tuple(state[key].shape) != tuple(expected[key].shape)]
    if wrong:
        raise InputError(f"{path}: wrong tensor shapes for {wrong}")
    model.load_state_dict(state)
    return model.eval()
