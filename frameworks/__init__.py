"""The two frameworks, chosen by name (`--framework torch`) or by a model file's suffix: the one place that
maps either to the twin's functions. A twin's modules, and so its framework, are imported only when asked.

Both twins offer the same functions: `checkpoint.load(path)`, `checkpoint.save(model, path, trained_with)`,
`checkpoint.trained_with(path)`;
`train.as_data(mnist)`, `train.seeded_model(recipe)`, `train.trained_epochs(model, recipe, images, labels)`,
`train.evaluate(model, images, labels)`, `train.train(recipe, data)`; `threads.check(n)` (ValueError for a count the
framework cannot run on here), `threads.use_threads(n)`; and
`log_probabilities(model, images01)` in the module Framework.predict names.
"""
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import ModuleType

from runtime.errors import InputError


@dataclass(frozen=True)
class Framework:
    name: str  # as --framework takes it, and as results record it
    title: str  # in tables and plots
    package: str
    suffixes: tuple[str, ...]  # of its model files; the first is what it writes
    predict: str  # the module whose log_probabilities(model, [N, 28, 28] images in [0, 1]) runs the network

    def module(self, name: str) -> ModuleType:
        """The twin's module `name` ("checkpoint", "train", "model", "threads"), imported now."""
        return import_module(f"{self.package}.{name}")

    def load(self, path: str | Path):
        return self.module("checkpoint").load(path)

    def save(self, model, path: str | Path, trained_with: dict | None = None) -> None:
        self.module("checkpoint").save(model, path, trained_with)

    def trained_with(self, path: str | Path) -> dict | None:
        """The training settings stored with the model in `path` when it was trained; None if none were."""
        return self.module("checkpoint").trained_with(path)

    def log_probabilities(self, model, images01):
        return self.module(self.predict).log_probabilities(model, images01)


TORCH = Framework("torch", "PyTorch", "torch_impl", (".pth", ".pt"), "predict")
KERAS = Framework("keras", "Keras (JAX)", "keras_impl", (".keras",), "model")
FRAMEWORKS = {framework.name: framework for framework in (TORCH, KERAS)}


def named(name: str) -> Framework:
    try:
        return FRAMEWORKS[name]
    except KeyError:
        raise InputError(f"unknown framework {name!r} (known: {', '.join(FRAMEWORKS)})") from None


def of_file(path: str | Path) -> Framework:
    """The framework whose model files end like `path`; InputError for any other file."""
    path = Path(path)
    for framework in FRAMEWORKS.values():
        if path.suffix.lower() in framework.suffixes:
            return framework
    known = ", ".join(suffix for framework in FRAMEWORKS.values() for suffix in framework.suffixes)
    raise InputError(f"{path}: unknown model file type (expected {known})")
