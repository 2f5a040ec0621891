"""The framework-free runtime: read handwritten digits and symbols with the exported networks, numpy +
onnxruntime + OpenCV.

    from runtime import DigitModel, SymbolClassifier, read

    reading = read("photo.jpg")               # a path, the bytes of an image file, or a pixel array
    DigitModel().predict([reading.image])[0]  # Prediction(digit=7, probability=0.998, ...)
    SymbolClassifier().only(["alpha", "beta"]).classify([read("letter.png").image], k=3)[0].label

Bad input raises InputError with the one-line message the `runtime` command prints.

The house: `reading` (a picture to the networks' 28x28 input), `models` (the ONNX graphs, batching),
`symbols` (reference sets, k-NN, the classifier), `data` (MNIST), `cli` (the `runtime` command), `serve`
(`runtime serve`). The names below load on first use, so that `runtime.atomic` or `runtime.data` import
without OpenCV or onnxruntime.
"""
import importlib

_HOMES = {"read": "runtime.reading", "read_many": "runtime.reading", "Reading": "runtime.reading",
          "DigitModel": "runtime.models", "EmbeddingModel": "runtime.models", "Prediction": "runtime.models",
          "SymbolClassifier": "runtime.symbols", "SymbolMatch": "runtime.symbols", "Neighbour": "runtime.symbols",
          "InputError": "runtime.errors"}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'runtime' has no attribute {name!r}")
