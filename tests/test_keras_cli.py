import subprocess
import sys

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from frameworks.cli import keras_app as app
from keras_impl import checkpoint
from keras_impl.convert import get_weights, torch_to_keras
from keras_impl.model import build
from runtime.errors import InputError
from torch_impl import checkpoint as torch_checkpoint
from torch_impl.model import Net

runner = CliRunner()


def test_convert_pth_to_keras_and_back(tmp_path):
    net, settings = Net(), {"seed": 3, "epochs": 2, "optimizer": "adamw"}
    torch_checkpoint.save(net, tmp_path / "net.pth", settings)
    result = runner.invoke(app, ["convert", str(tmp_path / "net.pth"), str(tmp_path / "net.keras")])
    assert result.exit_code == 0, result.output
    state = {key: value.numpy() for key, value in net.state_dict().items()}
    for key, value in torch_to_keras(state).items():
        assert np.array_equal(get_weights(checkpoint.load(tmp_path / "net.keras"))[key], value), key
    assert checkpoint.trained_with(tmp_path / "net.keras") == settings

    result = runner.invoke(app, ["convert", str(tmp_path / "net.keras"), str(tmp_path / "back.pth")])
    assert result.exit_code == 0, result.output
    for key, value in torch_checkpoint.load(tmp_path / "back.pth").state_dict().items():
        assert torch.equal(value, net.state_dict()[key]), key
    assert torch_checkpoint.trained_with(tmp_path / "back.pth") == settings


def test_convert_refuses_other_suffixes(tmp_path):
    result = runner.invoke(app, ["convert", str(tmp_path / "a.pth"), str(tmp_path / "b.onnx")])
    assert isinstance(result.exception, InputError)
    assert "a.pth -> b.onnx" in str(result.exception)


def test_evaluate_prints_examples_like_the_reference(tmp_path, mnist_dir):
    checkpoint.save(build(), tmp_path / "model.keras")
    result = runner.invoke(app, ["evaluate", "--model", str(tmp_path / "model.keras"), "--data-dir", str(mnist_dir),
                                 "--examples", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Example 0" and lines[1].startswith("Output values: [")
    assert lines[3] == "Correct label of digit: 7"
    assert lines[-1].startswith("test accuracy: ") and lines[-1].endswith("% on 10000 images")


def test_bad_model_file_is_one_error_line(tmp_path):
    (tmp_path / "text.keras").write_text("not a model")
    command = [sys.executable, "-m", "frameworks", "keras", "evaluate", "--model", str(tmp_path / "text.keras")]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr


@pytest.mark.parametrize("command", ["train", "evaluate", "convert"])
def test_help(command):
    assert runner.invoke(app, [command, "--help"]).exit_code == 0
