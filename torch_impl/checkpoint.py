"""Save and load the reference network's weights (state_dict, loaded with weights_only=True), and the training
settings they were trained with."""
import json
import pickle
import zipfile
from pathlib import Path

import torch

from runtime import atomic
from runtime.errors import InputError, existing_file
from torch_impl.model import Net


RECIPE_KEY = "recipe"  # in the state_dict's _metadata, beside each module's {"version": ...}; load_state_dict skips it


def save(model: Net, path: str | Path, trained_with: dict | None = None) -> None:
    """The weights, and the settings they were trained with (Recipe.trained_with()) when given."""
    state = model.state_dict()
    if trained_with is not None:
        state._metadata[RECIPE_KEY] = {"trained_with": json.dumps(trained_with, sort_keys=True)}
    with atomic.atomic_path(path) as tmp:
        torch.save(state, tmp)


def trained_with(path: str | Path) -> dict | None:
    """The training settings `save` stored with the weights in `path`; None when it stored none."""
    stored = getattr(_read(Path(path)), "_metadata", {}).get(RECIPE_KEY)
    return json.loads(stored["trained_with"]) if stored else None


def load(path: str | Path) -> Net:
    path = Path(path)
    state = _read(path)
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


def _read(path: Path) -> dict:
    existing_file(path, "model file")
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, zipfile.BadZipFile, RuntimeError, EOFError, ValueError) as error:
        raise InputError(f"{path}: not a PyTorch state_dict file ({str(error).splitlines()[0]})") from None
