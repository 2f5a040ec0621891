"""Both graphs of a model file: exported, checked and verified.

Both sources give graphs with the contract of runtime.models.contract (input "image", float32
[N, 1, 28, 28] in [0, 1], normalised inside the graph), checked and verified before anything is written.
"""
from importlib import import_module
from pathlib import Path
from typing import NamedTuple

import numpy as np
import onnx
from google.protobuf.message import DecodeError

from export import calibration, metadata, verify
from frameworks import of_file
from runtime import atomic
from runtime.data.mnist import Mnist
from runtime.errors import InputError, existing_file
from runtime.models.contract import FILE_NAMES


class Exported(NamedTuple):
    path: Path
    metadata: dict[str, str]


def lowest_ir_version(model: onnx.ModelProto) -> onnx.ModelProto:
    """`model`, changed in place, at the lowest IR version its opsets allow: 9 for opset 20, which onnxruntime
    loads from 1.17 on (the exporters write 10, which it refuses). The metadata_props of the graph, its nodes
    and values (the exporter's debugging notes: stack traces, names) are IR 10 and go; nodes, weights and the
    model's own metadata stay."""
    model.ir_version = onnx.helper.find_min_ir_version_for(model.opset_import)
    graph = model.graph
    for item in [graph, *graph.node, *graph.input, *graph.output, *graph.value_info]:
        del item.metadata_props[:]
    return model


def export_file(model_file: str | Path, out_dir: str | Path, data: Mnist,
                training: dict | None = None) -> dict[str, Exported]:
    """Write out_dir/digits.onnx and out_dir/embedding.onnx, each file atomically; nothing unless both pass.
    `training`: the settings to record; default: those the model file holds from its training (else unknown)."""
    model_file, out_dir = Path(model_file), Path(out_dir)
    framework = of_file(model_file)
    source = import_module(f"export.{framework.name}_onnx")  # only the framework that is needed gets imported
    model = framework.load(model_file)
    training = framework.trained_with(model_file) if training is None else training
    images01 = data.test_images.astype(np.float32) / 255
    graphs, accuracy, calibrated = {}, None, None
    for kind in FILE_NAMES:  # "full" first: the embedding graph records the accuracy of the net it was cut from
        graph = lowest_ir_version(source.to_onnx(model, kind))
        parity = verify.check(graph, f"{model_file} ({kind} graph)", images01, data.test_labels,
                              source.outputs(model, kind, images01))
        accuracy = parity.accuracy if kind == "full" else accuracy
        calibrated = calibrate(graph, data) if kind == "full" else calibrated
        fields = metadata.describe(kind, source.framework(), model_file, training)
        graphs[kind] = metadata.attach(graph, metadata.with_results(fields, accuracy, parity.max_abs_diff, calibrated))
    return _write(graphs, out_dir)


def calibrate(digits: onnx.ModelProto, data: Mnist) -> dict[str, str]:
    """export.calibration's metadata fields for a full graph."""
    images01, labels = calibration.held_back(data.train_images, data.train_labels)
    return calibration.fit(verify.outputs(digits, images01), labels)


def recalibrate_folder(folder: str | Path, data: Mnist) -> dict[str, Exported]:
    """Fit the calibration of folder/digits.onnx again and store it in both graphs' metadata (their nodes and
    weights unchanged), each file atomically: for graphs exported before they had one."""
    folder = Path(folder)
    graphs = {kind: _load(folder / name) for kind, name in FILE_NAMES.items()}
    fields = calibrate(graphs["full"], data)
    return _write({kind: metadata.attach(graph, {**metadata.read(graph), **fields})
                   for kind, graph in graphs.items()}, folder)


def _load(path: Path) -> onnx.ModelProto:
    try:
        return onnx.load(existing_file(path, "ONNX graph"))
    except DecodeError:
        raise InputError(f"{path}: not an ONNX graph") from None


def _write(graphs: dict[str, onnx.ModelProto], out_dir: Path) -> dict[str, Exported]:
    written = {}
    for kind, graph in graphs.items():
        written[kind] = Exported(out_dir / FILE_NAMES[kind], metadata.read(graph))
        atomic.write_bytes(written[kind].path, graph.SerializeToString())
    return written
