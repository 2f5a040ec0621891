"""'Not a digit' where users see it: the Python API, `runtime predict`, `POST /predict` and the threshold options,
on the shipped graph (its calibration and threshold in its metadata)."""
import json

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from runtime_support import encoded, mnist_test_set, served, write
from typer.testing import CliRunner

from runtime.cli import app
from runtime.errors import InputError
from runtime.models import DIGITS, DigitModel, OnnxModel
from runtime.reading import read

SHIPPED = OnnxModel(DIGITS)
# A hash sign drawn like the drawing page draws: the shipped model rejects it (best guess 4, p of about 0.11).
HASH = [[(0.35, 0.2), (0.35, 0.8)], [(0.65, 0.2), (0.65, 0.8)], [(0.2, 0.4), (0.8, 0.4)], [(0.2, 0.6), (0.8, 0.6)]]


def drawing(strokes, width: int = 14) -> np.ndarray:
    """Dark strokes (fractions of the side) on a white 280x280 canvas."""
    canvas = np.full((280, 280), 255, np.uint8)
    for stroke in strokes:
        cv2.polylines(canvas, [np.array([(x * 280, y * 280) for x, y in stroke], np.int32)], False, 0, width)
    return canvas


def test_the_shipped_graph_carries_its_calibration():
    digits = DigitModel(SHIPPED)
    assert 0.5 < digits.temperature < 3 and 0.3 < digits.reject_below < 0.95
    assert float(SHIPPED.metadata["reject_below"]) == digits.reject_below


def test_mnist_digits_are_kept_and_what_is_kept_is_read_as_well_as_before():
    data = mnist_test_set()
    predictions = DigitModel(SHIPPED).predict(data.test_images / np.float32(255))
    kept = np.array([prediction.is_digit for prediction in predictions])
    right = np.array([prediction.digit for prediction in predictions]) == data.test_labels
    assert kept.mean() >= 0.99 and right[kept].mean() >= 0.9926
    assert all(abs(sum(prediction.probabilities) - 1) < 1e-5 for prediction in predictions[:100])


def test_the_threshold_option_wins_over_the_graph_and_is_checked():
    image = read(drawing(HASH)).image
    assert not DigitModel(SHIPPED).predict(image)[0].is_digit
    assert DigitModel(SHIPPED, reject_below=0.0).predict(image)[0].is_digit
    assert not DigitModel(SHIPPED, reject_below=0.99).predict(image)[0].is_digit
    with pytest.raises(InputError, match="between 0 and 1"):
        DigitModel(SHIPPED, reject_below=1.5)


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.integers(0, 2**32 - 1))
def test_the_decision_is_monotone_in_the_threshold(low, high, seed):
    low, high = sorted((low, high))
    images = np.random.default_rng(seed).uniform(0, 1, (8, 28, 28)).astype(np.float32) ** 4
    kept_low = [p.is_digit for p in DigitModel(SHIPPED, reject_below=low).predict(images)]
    kept_high = [p.is_digit for p in DigitModel(SHIPPED, reject_below=high).predict(images)]
    assert all(a or not b for a, b in zip(kept_low, kept_high))  # kept at the higher threshold: kept at the lower


def test_predict_says_not_a_digit_with_its_best_guess(tmp_path):
    hash_sign = write(tmp_path / "hash.png", encoded(drawing(HASH)))
    runner = CliRunner()
    shown = runner.invoke(app, ["predict", str(hash_sign), "--reject-below", "0.99"])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith(f"{hash_sign}: ? (not a digit; best guess ")
    entry = json.loads(runner.invoke(app, ["predict", str(hash_sign), "--reject-below", "0.99", "--json"]).stdout)[0]
    assert entry["is_digit"] is False and entry["score"] == entry["probability"] < 0.99
    accepted = json.loads(runner.invoke(app, ["predict", str(hash_sign), "--accept-all", "--json"]).stdout)[0]
    assert accepted["is_digit"] is True and accepted["digit"] == entry["digit"]
    refused = runner.invoke(app, ["predict", str(hash_sign), "--reject-below", "2"])
    assert refused.exit_code == 2 and "--reject-below" in refused.output


def test_the_server_says_it_too(tmp_path):
    httpx = pytest.importorskip("httpx")
    with served(tmp_path, "--reject-below", "0.99") as server:
        answer = httpx.post(f"{server.url}/predict", content=encoded(drawing(HASH)),
                            headers={"Content-Type": "image/png"}).json()[0]
    assert answer["is_digit"] is False and answer["score"] < 0.99 and len(answer["top"]) == 1
