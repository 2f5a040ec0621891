"""Save and load the Keras twin as a .keras file, checking that a loaded file holds this network."""
import zipfile
from pathlib import Path

import keras

from keras_impl.model import build
from runtime import atomic
from runtime.errors import InputError, existing_file


def save(model: keras.Model, path: str | Path) -> None:
    """Write `model` (architecture and weights) atomically."""
    path = Path(path)
    if path.suffix != ".keras":
        raise InputError(f"{path}: a Keras model file must end in .keras")
    with atomic.atomic_path(path) as tmp:
        staged = tmp.with_suffix(".keras")  # keras insists on the suffix
        try:
            model.save(staged)
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


def _signature(model: keras.Model) -> list[tuple[str, str, tuple]]:
    return [(layer.name, keras.saving.get_registered_name(type(layer)), tuple(tuple(w.shape) for w in layer.weights))
            for layer in model.layers]
