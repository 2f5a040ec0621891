"""Every runtime command on graphs this project's pipeline made: the shipped pair, and any pairs named in
RUNTIME_TEST_MODELS (folders holding digits.onnx and embedding.onnx, separated by ':').

.ci/run exports a PyTorch and a Keras model and runs this file in a virtual environment holding only the
runtime, so graphs from both frameworks are proven to work where neither framework is installed.
"""
import json
import os
from pathlib import Path

import numpy as np
import pytest
from runtime_support import MNIST_DIR, mnist_test_set, write_digits
from typer.testing import CliRunner

from runtime.cli import app
from runtime.models import OnnxModel
from runtime.models.contract import MODELS_DIR

FOLDERS = [MODELS_DIR] + [Path(folder) for folder in os.environ.get("RUNTIME_TEST_MODELS", "").split(":") if folder]


def invoke(*args):
    result = CliRunner().invoke(app, [str(arg) for arg in args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    """Six test digits each of 1 and 7, as pictures in a class-folder tree."""
    data, root = mnist_test_set(), tmp_path_factory.mktemp("classes")
    for name, label in (("one", 1), ("seven", 7)):
        chosen = np.flatnonzero(data.test_labels == label)[:6]
        write_digits(root / name, data.test_images[chosen], data.test_labels[chosen])
    return root


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder.name for folder in FOLDERS])
def test_every_command(folder, classes, tmp_path):
    digits, embedding = folder / "digits.onnx", folder / "embedding.onnx"
    info = json.loads(invoke("info", digits, "--json"))
    assert info["kind"] == "full" and info["metadata"]["class_names"] == "0,1,2,3,4,5,6,7,8,9"

    evaluated = json.loads(invoke("evaluate", "--model", digits, "--data-dir", MNIST_DIR, "--json"))
    assert evaluated["accuracy"] == pytest.approx(float(info["metadata"]["mnist_test_accuracy"]), abs=1e-4)

    predicted = json.loads(invoke("predict", classes, "--model", digits, "--json"))
    assert len(predicted) == 12
    assert sum(str(row["digit"]) == Path(row["path"]).name[0] for row in predicted) >= 10

    invoke("embed", classes, "--model", embedding, "-o", tmp_path / "vectors.npy")
    assert np.load(tmp_path / "vectors.npy").shape == (12, 50)

    invoke("greek", "fit", classes, "--model", embedding, "--variants", "2", "-o", tmp_path / "refs.npz")
    named = json.loads(invoke("greek", "classify", classes, "--model", embedding, "--refs", tmp_path / "refs.npz",
                              "--json"))
    assert [row["label"] for row in named] == ["one"] * 6 + ["seven"] * 6  # each is among the references
    table = invoke("greek", "distances", classes, "--model", embedding).splitlines()
    assert table[1].startswith("one ssd: [0, ") and len(table) == 3
    assert OnnxModel(embedding).kind == "embedding"
