"""The generated hard photos (synthetic.photos): what they hold, and how well the runtime reads them."""
import json

import cv2
import numpy as np
import pytest
from runtime_support import MNIST_DIR
from typer.testing import CliRunner

from runtime.cli import app
from runtime.data import mnist
from runtime.models import DigitModel
from runtime.reading import read
from synthetic.photos import CONDITIONS, MAX_SIDE, MIN_SIDE, accuracy, draw_scene, photo, photo_file

COUNT = 40  # photos per condition in the accuracy test: 97% allows one miss


@pytest.fixture(scope="module")
def data():
    return mnist.load(MNIST_DIR)


def ink_mask(image):
    """Pixels far darker than the paper (the brightest pixels: ink may cover most of a tight crop): uint8 0/1."""
    gray = image.mean(axis=2)
    return (gray < np.percentile(gray, 95) - 60).astype(np.uint8)


def test_a_photo_depends_only_on_seed_condition_and_index(data):
    first = photo_file("shadow", 3, 0, data.test_images)
    assert photo_file("shadow", 3, 0, data.test_images) == first
    assert photo_file("shadow", 3, 1, data.test_images) != first
    assert photo_file("shadow", 4, 0, data.test_images) != first


def test_every_condition_shows_the_same_digits(data):
    which = {photo_file(condition, 5, 0, data.test_images)[1] for condition in CONDITIONS}
    assert len(which) == 1


@pytest.mark.parametrize("condition", CONDITIONS)
def test_sizes_are_300_to_2000_px(data, condition):
    for index in range(4):
        image, _ = photo(condition, index, 0, data.test_images)
        assert image.shape[2] == 3 and MIN_SIDE <= min(image.shape[:2]) and max(image.shape[:2]) <= MAX_SIDE


def stroke_fraction(mask):
    """Mean stroke width (2 area / perimeter) over the ink's height."""
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    rows = np.nonzero(mask.any(axis=1))[0]
    return 2 * mask.sum() / sum(cv2.arcLength(c, True) for c in contours) / (rows[-1] - rows[0] + 1)


def test_thick_strokes_are_up_to_a_quarter_of_the_height(data):
    thick = [stroke_fraction(ink_mask(photo("thick", i, 0, data.test_images)[0])) for i in range(6)]
    clean = [stroke_fraction(ink_mask(photo("clean", i, 0, data.test_images)[0])) for i in range(6)]
    assert 0.16 <= np.mean(thick) and np.max(thick) <= 0.27 and np.max(thick) > 0.2
    assert np.mean(clean) < 0.16


def test_ink_touches_the_edges_when_it_fills_the_frame(data):
    for i in range(6):
        mask = ink_mask(photo("fills_frame", i, 0, data.test_images)[0])
        edges = [mask[:3].any(), mask[-3:].any(), mask[:, :3].any(), mask[:, -3:].any()]
        assert sum(edges) >= 1
        rows, cols = np.nonzero(mask)
        assert min(rows.min(), cols.min(), mask.shape[0] - rows.max(), mask.shape[1] - cols.max()) <= 0.04 * max(
            mask.shape)


def test_pale_ink_is_yellow_or_light_green_and_light():
    for i in range(20):
        blue, green, _ = draw_scene("pale_ink", np.random.default_rng(i)).ink
        assert green >= 0.75 and blue < 0.7 * green  # bright, and little blue: yellow to light green


def test_rotation_jpeg_and_neighbours_are_there(data):
    angles = [draw_scene("rotated", np.random.default_rng(i)).angle for i in range(30)]
    assert max(np.abs(angles)) <= 20 and max(np.abs(angles)) > 15
    qualities = [draw_scene("jpeg", np.random.default_rng(i)).jpeg for i in range(30)]
    assert min(qualities) >= 30 and max(qualities) <= 90
    assert photo_file("jpeg", 0, 0, data.test_images)[0][:2] == b"\xff\xd8"
    for i in range(4):
        mask = ink_mask(photo("neighbours", i, 0, data.test_images)[0])
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
        cut = (stats[1:, cv2.CC_STAT_LEFT] == 0) | (stats[1:, cv2.CC_STAT_LEFT] + stats[1:, cv2.CC_STAT_WIDTH]
                                                    == mask.shape[1])
        assert count - 1 >= 2 and cut.any(), "a neighbour cut by the frame beside the digit"


def test_the_central_symbol_is_read_and_the_others_counted(data):
    data_bytes, _ = photo_file("neighbours", 0, 0, data.test_images)
    reading = read(data_bytes)
    left, top, width, height = reading.box
    assert reading.candidates >= 2
    assert abs(left + width / 2 - 0.5) < 0.15 and abs(top + height / 2 - 0.5) < 0.2


def test_predict_json_says_how_many_candidates_and_which_was_read(data, tmp_path):
    path = tmp_path / "row.png"
    path.write_bytes(photo_file("neighbours", 0, 0, data.test_images)[0])
    row = json.loads(CliRunner().invoke(app, ["predict", str(path), "--json"]).stdout)[0]
    assert row["digit"] == data.test_labels[photo_file("neighbours", 0, 0, data.test_images)[1]]
    assert row["candidates"] >= 2 and len(row["box"]) == 4 and 0.3 < row["box"][0] + row["box"][2] / 2 < 0.7


@pytest.fixture(scope="module")
def scores(data) -> dict[str, float]:
    """condition -> share of its COUNT photos (seed 1) that the shipped model reads right."""
    model = DigitModel()
    return {c: accuracy(c, COUNT, 1, data.test_images, data.test_labels, model)[0] / COUNT for c in CONDITIONS}


def test_hard_photos_are_read_nearly_as_well_as_clean_ones(scores):
    """Issue #18's targets: no condition below 97%, all together within 1.5 points of clean
    (measured: 97.5-100% per condition, 0.6 points below clean)."""
    hard = [score for condition, score in scores.items() if condition != "clean"]
    assert min(scores.values()) >= 0.97, scores
    assert np.mean(hard) >= scores["clean"] - 0.015, scores
