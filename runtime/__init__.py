"""The framework-free base layer: data, preprocessing, and ONNX inference with numpy + onnxruntime.

The library API (runtime.api) is importable from here; it loads on first use, so that modules
needing neither OpenCV nor onnxruntime (runtime.atomic, runtime.mnist) stay quick to import.
"""
import importlib

__all__ = ["DigitModel", "EmbeddingModel", "InputError", "Neighbour", "Prediction", "SymbolClassifier",
           "SymbolMatch", "read_digit", "read_symbol"]


def __getattr__(name: str):
    if name in __all__:
        return getattr(importlib.import_module("runtime.api"), name)
    raise AttributeError(f"module 'runtime' has no attribute {name!r}")
