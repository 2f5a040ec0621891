"""Every export is checked before it is written: onnx.checker, then parity with its source framework."""
from typing import NamedTuple

import numpy as np
import onnx
import onnxruntime as ort

from runtime.errors import InputError

TOLERANCE = 1e-4


class ExportError(InputError):
    """An export that fails its checks: reported as one line, exit code 1, nothing written."""


class Parity(NamedTuple):
    max_abs_diff: float
    accuracy: float  # of the exported graph's predictions (full graphs; NaN for embeddings)


def check(model: onnx.ModelProto, name: str, images01: np.ndarray, labels: np.ndarray,
          reference: np.ndarray) -> Parity:
    """Run the graph on [N, 28, 28] test images and compare with the source's outputs `reference`."""
    try:
        onnx.checker.check_model(model, full_check=True)
    except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as error:
        raise ExportError(f"{name}: onnx.checker rejects the graph ({str(error).splitlines()[0]})") from None
    exported = outputs(model, images01)
    if exported.shape != reference.shape:
        raise ExportError(f"{name}: output shape {exported.shape} differs from the source's {reference.shape}")
    max_abs_diff = float(np.abs(exported - reference).max())
    if not max_abs_diff <= TOLERANCE:  # also catches NaN
        raise ExportError(f"{name}: max |difference| from the source is {max_abs_diff:.3g} > {TOLERANCE}")
    if exported.shape[1] != 10:
        return Parity(max_abs_diff, float("nan"))
    differ = int((exported.argmax(1) != reference.argmax(1)).sum())
    if differ:
        raise ExportError(f"{name}: predicts a different class than the source on {differ} test images")
    return Parity(max_abs_diff, float((exported.argmax(1) == labels).mean()))


def outputs(model: onnx.ModelProto, images01: np.ndarray) -> np.ndarray:
    """The graph's outputs for [N, 28, 28] images, run by onnxruntime."""
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    batch = np.asarray(images01, np.float32)[:, None]
    return np.concatenate([session.run(None, {session.get_inputs()[0].name: batch[i:i + 1000]})[0]
                           for i in range(0, len(batch), 1000)])
