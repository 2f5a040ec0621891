"""ONNX export from PyTorch: checker + parity on the test set, metadata, loud failures, runtime use."""
import json

import cv2
import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, helper
from typer.testing import CliRunner

from export import metadata, torch_onnx
from export.cli import app as export_app
from export.graphs import export_file
from export.verify import ExportError
from runtime.cli import app as runtime_app
from runtime.errors import InputError
from runtime.models import OnnxModel
from runtime.models.contract import METADATA_FIELDS

runner = CliRunner()


@pytest.fixture(scope="module")
def exported(reference_model_file, mnist_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("onnx")
    return export_file(reference_model_file, out, mnist_data, {"seed": 1, "epochs": 5})


def test_torch_graphs_pass_checker_and_parity(exported, reference_model, mnist_data):
    images01 = mnist_data.test_images[:300] / np.float32(255)
    for kind, item in exported.items():
        graph = onnx.load(item.path)
        onnx.checker.check_model(graph, full_check=True)
        assert graph.ir_version == 9  # opset 20 allows it: onnxruntime >= 1.17 loads the graph
        assert [i.name for i in graph.graph.input] == ["image"]
        assert graph.graph.input[0].type.tensor_type.shape.dim[0].dim_param  # dynamic batch
        source = torch_onnx.outputs(reference_model[0], kind, images01)
        np.testing.assert_allclose(OnnxModel(item.path, kind).run(images01), source, atol=1e-4)
    assert float(exported["full"].metadata["mnist_test_accuracy"]) >= 0.98


def test_graphs_carry_zero_padded_convolution_channels(exported, reference_model):
    """conv1's 10 filters become 16 (onnxruntime's blocked kernels), with zeros that change no output;
    bench.weights cuts them off again and gets back the very weights that were exported."""
    from bench.weights import shipped_state_dict, unpadded

    net = reference_model[0].eval()
    random_state = torch.random.get_rng_state()
    padded = torch_onnx.padded_channels(net).eval()
    assert torch.equal(torch.random.get_rng_state(), random_state)  # exporting leaves the seeded stream alone
    assert (padded.conv1.out_channels, padded.conv2.in_channels) == (16, 16)
    images = torch.randn(20, 1, 28, 28)
    with torch.no_grad():
        assert torch.equal(padded(images), net(images)) and torch.equal(padded.embed(images), net.embed(images))
    shapes = {tensor.name: list(tensor.dims) for tensor in onnx.load(exported["full"].path).graph.initializer}
    assert shapes["net.conv1.weight"] == [16, 1, 5, 5] and shapes["net.conv2.weight"] == [20, 16, 5, 5]
    for key, value in shipped_state_dict(exported["full"].path).items():
        assert torch.equal(value, net.state_dict()[key]), key
    with pytest.raises(ValueError, match="conv1.bias: shape"):
        unpadded(np.ones(16, np.float32), (10,), "conv1.bias")


def test_metadata_round_trip(exported, reference_model_file):
    for kind, item in exported.items():
        stored = metadata.read(onnx.load(item.path))
        assert stored == item.metadata == OnnxModel(item.path).metadata
        assert set(stored) == set(METADATA_FIELDS) and stored["kind"] == kind
        assert stored["source_file"] == reference_model_file.name and stored["seed"] == "1"
        assert json.loads(stored["training"]) == {"seed": 1, "epochs": 5}
        assert stored["source_framework"].startswith("pytorch")


def test_runtime_commands_use_freshly_exported_graphs(exported, mnist_data, tmp_path):
    evaluate = runner.invoke(runtime_app, ["evaluate", "--model", str(exported["full"].path), "--json"])
    assert evaluate.exit_code == 0, evaluate.output
    assert json.loads(evaluate.stdout)["accuracy"] == pytest.approx(
        float(exported["full"].metadata["mnist_test_accuracy"]), abs=1e-4)
    cv2.imwrite(str(tmp_path / "seven.png"), 255 - cv2.resize(mnist_data.test_images[0], (112, 112)))
    predict = runner.invoke(runtime_app, ["predict", "--model", str(exported["full"].path),
                                          str(tmp_path / "seven.png")])
    assert predict.exit_code == 0 and predict.stdout.startswith(f"{tmp_path / 'seven.png'}: 7 ")
    embed = runner.invoke(runtime_app, ["embed", "--model", str(exported["embedding"].path),
                                        str(tmp_path / "seven.png"), "-o", str(tmp_path / "seven.npy")])
    assert embed.exit_code == 0 and np.load(tmp_path / "seven.npy").shape == (1, 50)


def test_failed_parity_is_loud_and_writes_nothing(reference_model_file, mnist_data, tmp_path, monkeypatch):
    real = torch_onnx.outputs
    monkeypatch.setattr(torch_onnx, "outputs", lambda *args: real(*args) + np.float32(1e-3))
    with pytest.raises(ExportError, match=r"full graph\): max \|difference\| from the source is 0.001\d* > 0.0001"):
        export_file(reference_model_file, tmp_path / "out", mnist_data)
    assert not (tmp_path / "out").exists()


def test_export_cli_writes_both_graphs_and_refuses_bad_input(reference_model_file, tmp_path):
    result = runner.invoke(export_app, ["graphs", str(reference_model_file), str(tmp_path), "--json",
                                        "--training", '{"seed": 1}'])
    assert result.exit_code == 0, result.output
    assert {kind: item["metadata"]["kind"] for kind, item in json.loads(result.stdout).items()} == \
        {"full": "full", "embedding": "embedding"}
    (tmp_path / "model.txt").write_text("x")
    assert "unknown model file type" in str(runner.invoke(export_app, ["graphs", str(tmp_path / "model.txt"),
                                                                       str(tmp_path)]).exception)
    assert "not valid JSON" in str(runner.invoke(export_app, ["graphs", str(reference_model_file), str(tmp_path),
                                                              "--training", "{seed"]).exception)


@pytest.mark.parametrize("input_shape, output_shape, message", [
    (["N", 3, 32, 32], ["N", 10], "wrong input"),
    (["N", 1, 28, 28], ["N", 7], "wrong output"),
])
def test_runtime_refuses_graphs_of_the_wrong_shape(tmp_path, input_shape, output_shape, message):
    size = int(np.prod(input_shape[1:]))
    graph = helper.make_graph(
        [helper.make_node("Flatten", ["image"], ["flat"]),
         helper.make_node("MatMul", ["flat", "weights"], ["out"])], "wrong",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, input_shape)],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, output_shape)],
        [helper.make_tensor("weights", TensorProto.FLOAT, [size, output_shape[1]], np.zeros(size * output_shape[1]))])
    path = tmp_path / "wrong.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)]), path)
    with pytest.raises(InputError, match=message):
        OnnxModel(path)
