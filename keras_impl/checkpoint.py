"""Save and load the Keras twin as a .keras file, checking that a loaded file holds this network, and the training
settings it was trained with."""
import json
import zipfile
from pathlib import Path

import keras

from keras_impl.model import build
from runtime import atomic
from runtime.errors import InputError, existing_file


RECIPE_ENTRY = "recipe.json"  # an extra file in the .keras zip archive; keras reads only its own


def save(model: keras.Model, path: str | Path, trained_with: dict | None = None) -> None:
    """Write `model` (architecture and weights) atomically, and the settings it was trained with
    (Recipe.trained_with()) when given."""
    path = Path(path)
    if path.suffix != ".keras":
        raise InputError(f"{path}: a Keras model file must end in .keras")
    with atomic.atomic_path(path) as tmp:
        staged = tmp.with_suffix(".keras")  # keras insists on the suffix
        try:
            model.save(staged)
            if trained_with is not None:
                with zipfile.ZipFile(staged, "a") as archive:
                    archive.writestr(RECIPE_ENTRY, json.dumps(trained_with, sort_keys=True))
            staged.replace(tmp)
        finally:
            staged.unlink(missing_ok=True)


def load(path: str | Path) -> keras.Model:
    """The model in a .keras file saved by `save`; InputError for anything else."""
    path = Path(path)
    existing_file(path, "model file")
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path}: not a .keras model file (not a zip archive)")
    try:
        model = keras.saving.load_model(path, compile=False)
    except (ValueError, TypeError, KeyError, OSError, zipfile.BadZipFile) as error:
        raise InputError(f"{path}: not a readable .keras model ({str(error).splitlines()[0]})") from None
    if _signature(model) != _signature(build()):
        raise InputError(f"{path}: not this network (layers and weight shapes differ from keras_impl.model)")
    return model


def trained_with(path: str | Path) -> dict | None:
    """The training settings `save` stored in `path`; None when it stored none."""
    path = existing_file(path, "model file")
    try:
        with zipfile.ZipFile(path) as archive:
            return json.loads(archive.read(RECIPE_ENTRY)) if RECIPE_ENTRY in archive.namelist() else None
    except (zipfile.BadZipFile, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not a readable .keras model ({error})") from None


def _signature(model: keras.Model) -> list[tuple[str, str, tuple]]:
    return [(layer.name, keras.saving.get_registered_name(type(layer)), tuple(tuple(w.shape) for w in layer.weights))
            for layer in model.layers]
