"""ONNX export from the Keras twin (.keras): same contract, checker + parity, and the same numbers as PyTorch's."""
import os
import subprocess
import sys

import numpy as np
import onnx
import pytest

from export import keras_onnx
from export.graphs import export_file
from keras_impl import checkpoint
from runtime.models import OnnxModel


@pytest.fixture(scope="module")
def keras_file(reference_model, tmp_path_factory):
    """The reference weights in the Keras twin, saved as a .keras file."""
    from keras_impl import checkpoint
    from keras_impl.convert import set_weights, torch_to_keras
    from keras_impl.model import build

    model = build()
    set_weights(model, torch_to_keras({k: v.numpy() for k, v in reference_model[0].state_dict().items()}))
    path = tmp_path_factory.mktemp("keras") / "model.keras"
    checkpoint.save(model, path)
    return path


@pytest.fixture(scope="module")
def keras_exported(keras_file, mnist_data, tmp_path_factory):
    return export_file(keras_file, tmp_path_factory.mktemp("onnx"), mnist_data, {"seed": 1})


def test_keras_graphs_pass_checker_and_parity(keras_file, keras_exported, mnist_data):
    model = checkpoint.load(keras_file)
    images01 = mnist_data.test_images[:300] / np.float32(255)
    for kind, item in keras_exported.items():
        graph = onnx.load(item.path)
        onnx.checker.check_model(graph, full_check=True)
        assert graph.ir_version == 9  # opset 20 allows it: onnxruntime >= 1.17 loads the graph
        assert [node.op_type for node in graph.graph.node].count("Conv") == 2  # not keras_impl's im2col slices
        assert [i.name for i in graph.graph.input] == ["image"]
        assert [d.dim_value for d in graph.graph.input[0].type.tensor_type.shape.dim[1:]] == [1, 28, 28]
        assert item.metadata["source_framework"].startswith("keras") and item.metadata["kind"] == kind
        np.testing.assert_allclose(OnnxModel(item.path, kind).run(images01),
                                   keras_onnx.outputs(model, kind, images01), atol=1e-4)


def test_keras_and_torch_exports_agree(keras_exported, reference_model_file, mnist_data, tmp_path):
    from_keras = keras_exported
    from_torch = export_file(reference_model_file, tmp_path / "torch", mnist_data)
    images01 = mnist_data.test_images / np.float32(255)
    for kind in from_keras:
        keras_out = OnnxModel(from_keras[kind].path).run(images01)
        torch_out = OnnxModel(from_torch[kind].path).run(images01)
        np.testing.assert_allclose(keras_out, torch_out, atol=1e-4)
    assert from_keras["full"].metadata["mnist_test_accuracy"] == from_torch["full"].metadata["mnist_test_accuracy"]


def test_the_keras_exporter_selects_jax_by_itself():
    """`mnist-export graphs model.keras` in a shell without KERAS_BACKEND: importing the exporter must select JAX
    before keras loads (Keras' own default, TensorFlow, is not installed)."""
    env = {key: value for key, value in os.environ.items() if key != "KERAS_BACKEND"}
    probe = "import export.keras_onnx, keras; print(keras.backend.backend())"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == "jax", run.stderr[-500:]
