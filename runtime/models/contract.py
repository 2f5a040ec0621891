"""Exported networks run with onnxruntime alone, checked on load against the graphs' shared contract.

The contract every exported graph keeps, whichever framework it came from:
  input  "image": float32 [N, 1, 28, 28], ink-bright pixels in [0, 1] exactly as
         runtime.reading makes them; the MNIST normalisation happens inside the graph;
  output "log_probs" [N, 10] (kind "full") or "embedding" [N, 50] (kind "embedding", the dense-50 layer).
"""
import os
from pathlib import Path

import numpy as np
import onnxruntime as ort

from runtime.errors import InputError, existing_file

INPUT_NAME = "image"
INPUT_SHAPE = (1, 28, 28)  # after the batch dimension
OUTPUTS = {"full": ("log_probs", 10), "embedding": ("embedding", 50)}
MODELS_DIR = Path(__file__).parent  # the shipped graphs lie beside the code that runs them
DIGITS = MODELS_DIR / "digits.onnx"
EMBEDDING = MODELS_DIR / "embedding.onnx"
GREEK_REFS = MODELS_DIR / "greek_refs.npz"
FILE_NAMES = {"full": DIGITS.name, "embedding": EMBEDDING.name}
# metadata_props of every exported graph (export.metadata writes them)
METADATA_FIELDS = ("kind", "input", "input_layout", "input_range", "normalisation", "normalisation_mean",
                   "normalisation_std", "output", "class_names", "source_framework", "source_file", "source_sha256",
                   "seed", "training", "mnist_test_accuracy", "parity_max_abs_diff", "temperature", "reject_below",
                   "calibration")
_BATCH = 1000


class OnnxModel:
    """One exported graph and its single InferenceSession; `run` maps [N, 28, 28] images to outputs."""

    def __init__(self, path: str | Path, kind: str | None = None, spin_wait: bool = True) -> None:
        """`spin_wait=False`: onnxruntime's threads sleep between runs instead of spinning for the next
        one; slower for a batch of one, but it leaves the cores to other work, such as a server's."""
        self.path = Path(path)
        self.session = _open_session(self.path, spin_wait)
        self.metadata = dict(self.session.get_modelmeta().custom_metadata_map)
        self.kind = _check_contract(self.path, self.session)
        if kind is not None and kind != self.kind:
            raise InputError(f"{self.path}: is the {self.kind} network (output [N, {OUTPUTS[self.kind][1]}]); "
                             f"this command needs the {kind} network (output [N, {OUTPUTS[kind][1]}])")
        self.class_names = self.metadata.get("class_names", "0,1,2,3,4,5,6,7,8,9").split(",")
        self._input_name = self.session.get_inputs()[0].name

    def run(self, images01: np.ndarray) -> np.ndarray:
        """[N, 28, 28] (or [N, 1, 28, 28]) ink-bright float images in [0, 1] -> [N, 10] or [N, 50]."""
        batch = as_input(images01)
        outputs = [self.session.run(None, {self._input_name: batch[start:start + _BATCH]})[0]
                   for start in range(0, len(batch), _BATCH)]
        return np.concatenate(outputs) if outputs else np.zeros((0, OUTPUTS[self.kind][1]), np.float32)


def as_input(images01: np.ndarray) -> np.ndarray:
    """[N, 28, 28] or [N, 1, 28, 28] images -> the graphs' input, float32 [N, 1, 28, 28]."""
    return np.asarray(images01, np.float32).reshape(-1, *INPUT_SHAPE)


def _open_session(path: Path, spin_wait: bool) -> ort.InferenceSession:
    existing_file(path, "model file")
    options = ort.SessionOptions()
    options.intra_op_num_threads = min(4, os.cpu_count() or 1)  # small convolutions gain little past 4
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: warnings would break the one-line-per-problem output
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin_wait else "0")
    try:
        return ort.InferenceSession(path.read_bytes(), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime's errors derive from Exception directly
        reason = str(error).split(" : ")[-1].splitlines()[0]
        raise InputError(f"{path}: not a usable ONNX model ({reason})") from None


def _check_contract(path: Path, session: ort.InferenceSession) -> str:
    """The model's kind, from its output width; InputError when it does not take MNIST images."""
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if len(inputs) != 1 or inputs[0].type != "tensor(float)" or len(inputs[0].shape) != 4 \
            or tuple(inputs[0].shape[1:]) != INPUT_SHAPE:
        found = ", ".join(f"{i.name} {i.type} {i.shape}" for i in inputs)
        raise InputError(f"{path}: wrong input ({found}); need one float32 [N, 1, 28, 28] image input")
    shape = outputs[0].shape
    kinds = [kind for kind, (_, width) in OUTPUTS.items() if len(shape) == 2 and shape[1] == width]
    if outputs[0].type != "tensor(float)" or not kinds:
        raise InputError(f"{path}: wrong output ({outputs[0].name} {outputs[0].type} {shape}); "
                         "need float32 [N, 10] log-probabilities or an [N, 50] embedding")
    return kinds[0]


def describe(model: OnnxModel) -> dict:
    """Inputs, outputs and metadata of a loaded model, as plain data."""
    def tensors(items):
        return [{"name": item.name, "type": item.type, "shape": [str(d) if not isinstance(d, int) else d
                                                                   for d in item.shape]} for item in items]
    return {"path": str(model.path), "kind": model.kind, "inputs": tensors(model.session.get_inputs()),
            "outputs": tensors(model.session.get_outputs()),
            "metadata": dict(sorted(model.metadata.items(), key=lambda item: _field_order(item[0])))}


def _field_order(key: str) -> tuple[int, str]:
    """METADATA_FIELDS in their documented order, any other keys after them."""
    return (METADATA_FIELDS.index(key), "") if key in METADATA_FIELDS else (len(METADATA_FIELDS), key)
