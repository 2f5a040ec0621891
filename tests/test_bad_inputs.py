"""Bad model files for the framework commands and the runtime: one `error:` line naming the file, exit 1,
no traceback. The runtime's other cases, which need only the base install, are in test_runtime_bad_inputs.py."""
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import keras
import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper

from runtime_support import assert_one_error, digit, encoded, run_command, write
from torch_impl.model import Net


def torch_state(change: Callable[[dict], None]) -> Callable[[Path], Path]:
    """A .pth of an untrained Net whose state_dict `change` edits."""
    def make(folder: Path) -> Path:
        state = Net().state_dict()
        change(state)
        torch.save(state, folder / "model.pth")
        return folder / "model.pth"
    return make


def other_keras_architecture(folder: Path) -> Path:
    other = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    other.save(folder / "other.keras")
    return folder / "other.keras"


def onnx_taking_32x32(folder: Path) -> Path:
    """A valid graph with the right output, [N, 10] log-probabilities, but [N, 1, 32, 32] images in."""
    weights = numpy_helper.from_array(np.zeros((32 * 32, 10), np.float32), "weights")
    nodes = [helper.make_node("Flatten", ["image"], ["flat"]),
             helper.make_node("MatMul", ["flat", "weights"], ["log_probs"])]
    graph = helper.make_graph(
        nodes, "wrong_input", [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1, 32, 32])],
        [helper.make_tensor_value_info("log_probs", TensorProto.FLOAT, ["N", 10])], [weights])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
    onnx.save(model, folder / "model.onnx")
    return folder / "model.onnx"


class Case(NamedTuple):
    name: str
    make: Callable[[Path], Path]  # writes the bad file into a folder and returns its path
    command: tuple[str, ...]  # module and arguments, formatted with bad=that path, good=a picture of a 3
    error: str


CASES = [
    Case("ONNX with the wrong input shape", onnx_taking_32x32, ("runtime", "predict", "--model", "{bad}", "{good}"),
         "wrong input (image tensor(float) ['N', 1, 32, 32])"),
    Case("PyTorch file missing a key", torch_state(lambda state: state.pop("fc2.bias")),
         ("frameworks", "torch", "predict", "{good}", "--model", "{bad}"), "missing ['fc2.bias'], unexpected []"),
    Case("PyTorch file with an extra key", torch_state(lambda state: state.update(extra=torch.zeros(1))),
         ("frameworks", "torch", "predict", "{good}", "--model", "{bad}"), "missing [], unexpected ['extra']"),
    Case("Keras file of another architecture", other_keras_architecture,
         ("frameworks", "keras", "evaluate", "--model", "{bad}"), "not this network"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_model_file(case, tmp_path):
    bad = case.make(tmp_path)
    good = write(tmp_path / "good.png", encoded(digit()))
    run = run_command(*(arg.format(bad=bad, good=good) for arg in case.command), cwd=tmp_path)
    assert_one_error(run, bad.name, case.error)


def test_torch_predict_reports_bad_files_and_reads_the_good_ones(tmp_path):
    model = torch_state(lambda state: None)(tmp_path)
    good, bad = write(tmp_path / "good.png", encoded(digit())), write(tmp_path / "notes.png", b"milk, eggs\n")
    run = run_command("frameworks", "torch", "predict", good, bad, good, "--model", model, cwd=tmp_path)
    assert run.stdout.count(f"{good}: ") == 2 and len(run.stdout.splitlines()) == 2
    assert_one_error(run, bad.name, "cannot decode image")
