"""What every exported graph says about itself (ONNX metadata_props), so the runtime needs no side files."""
import hashlib
import json
from pathlib import Path

import onnx

from recipe.normalisation import MNIST_MEAN, MNIST_STD
from runtime.models.contract import INPUT_NAME, OUTPUTS


def describe(kind: str, source_framework: str, source_file: Path, training: dict | None) -> dict[str, str]:
    """The fields known before verification (accuracy, parity and calibration are added by `with_results`);
    together they are runtime.models.contract.METADATA_FIELDS."""
    output, width = OUTPUTS[kind]
    return {
        "kind": kind,
        "input": f"{INPUT_NAME}: float32 [N, 1, 28, 28]",
        "input_layout": "NCHW (batch, channel, row, column); N is dynamic",
        "input_range": "[0, 1], ink bright on black like MNIST (runtime.reading output)",
        "normalisation": f"inside the graph: (x - {MNIST_MEAN}) / {MNIST_STD}",
        "normalisation_mean": str(MNIST_MEAN),
        "normalisation_std": str(MNIST_STD),
        "output": f"{output}: float32 [N, {width}]" + (" log-probabilities" if kind == "full" else
                                                        " dense-50 activations after ReLU"),
        "class_names": ",".join(str(digit) for digit in range(10)),
        "source_framework": source_framework,
        "source_file": source_file.name,
        "source_sha256": hashlib.sha256(source_file.read_bytes()).hexdigest(),
        "seed": str(training["seed"]) if training and "seed" in training else "unknown",
        "training": json.dumps(training, sort_keys=True) if training else "unknown",
    }


def with_results(fields: dict[str, str], accuracy: float, max_abs_diff: float,
                 calibration: dict[str, str]) -> dict[str, str]:
    """`calibration`: export.calibration.fit's fields of the full graph (also recorded in its embedding's)."""
    return {**fields, "mnist_test_accuracy": f"{accuracy:.4f}", "parity_max_abs_diff": f"{max_abs_diff:.3g}",
            **calibration}


def attach(model: onnx.ModelProto, fields: dict[str, str]) -> onnx.ModelProto:
    """A copy of `model` whose metadata_props are exactly `fields`."""
    tagged = onnx.ModelProto()
    tagged.CopyFrom(model)
    del tagged.metadata_props[:]
    for key, value in fields.items():
        tagged.metadata_props.add(key=key, value=value)
    return tagged


def read(model: onnx.ModelProto) -> dict[str, str]:
    return {prop.key: prop.value for prop in model.metadata_props}
