"""export.calibration: temperature scaling recovers a known temperature, the shipped calibration lowers the
expected calibration error on the MNIST test set, and `mnist-export calibrate` re-fits a folder's graphs in place
without touching their weights."""
import shutil

import numpy as np
import onnx
import pytest
from runtime_support import mnist_test_set

from export import calibration
from export.graphs import recalibrate_folder
from runtime.data.mnist import Mnist
from runtime.errors import InputError
from runtime.models import DIGITS, EMBEDDING, DigitModel, OnnxModel, calibrated


def test_the_fitted_temperature_is_the_one_that_made_the_labels():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 4, (20_000, 10)).astype(np.float32)
    for true_temperature in (0.5, 1.0, 2.5):
        probabilities = calibrated(logits, true_temperature)
        labels = (probabilities.cumsum(1) < rng.uniform(size=(len(logits), 1))).sum(1).clip(max=9)
        log_probs = logits - np.log(np.exp(logits).sum(1, keepdims=True))  # the graph's output: shifted logits
        assert calibration.temperature(log_probs, labels) == pytest.approx(true_temperature, rel=0.05)


def test_the_shipped_calibration_lowers_the_calibration_error_on_the_test_set():
    data = mnist_test_set()
    model = DigitModel(OnnxModel(DIGITS))
    log_probs = model.run(data.test_images / np.float32(255))
    before = calibration.expected_calibration_error(np.exp(log_probs), data.test_labels)
    after = calibration.expected_calibration_error(calibrated(log_probs, model.temperature), data.test_labels)
    assert model.temperature != 1 and after < before


def test_calibrate_refits_a_folder_in_place_and_keeps_the_weights(tmp_path):
    for shipped in (DIGITS, EMBEDDING):
        shutil.copy(shipped, tmp_path / shipped.name)
    weights = {path.name: [init.raw_data for init in onnx.load(path).graph.initializer]
               for path in (DIGITS, EMBEDDING)}
    data = mnist_test_set()  # the fit reads the last training images: here the test set stands in, to be quick
    written = recalibrate_folder(tmp_path, Mnist(data.test_images, data.test_labels, data.test_images[:1],
                                                 data.test_labels[:1]))
    for kind, item in written.items():
        graph = onnx.load(item.path)
        assert [init.raw_data for init in graph.graph.initializer] == weights[item.path.name]
        fields = {prop.key: prop.value for prop in graph.metadata_props}
        assert {"temperature", "reject_below", "calibration"} <= fields.keys()
        assert fields["kind"] == kind and fields["temperature"] == written["full"].metadata["temperature"]
    (tmp_path / DIGITS.name).write_bytes(b"not a graph")
    with pytest.raises(InputError, match=r"^\S+digits\.onnx: not an ONNX graph$"):
        recalibrate_folder(tmp_path, data)
    shutil.rmtree(tmp_path)
    with pytest.raises(InputError, match="ONNX graph"):
        recalibrate_folder(tmp_path, data)
