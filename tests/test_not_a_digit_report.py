"""The measuring side of "not a digit": the report's AUROC, the generated non-digit pictures, and how many of
them the shipped digit graph rejects."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from report.not_a_digit import auroc
from runtime.models import DigitModel
from runtime.reading import read
from synthetic import greek, nondigits, readings

scores = st.lists(st.integers(-5, 5).map(float), min_size=1, max_size=30)


@settings(max_examples=50, deadline=None)
@given(scores, scores)
def test_auroc_is_the_chance_a_positive_outscores_a_negative(positive, negative):
    pairs = [1.0 if p > n else 0.5 if p == n else 0.0 for p in positive for n in negative]
    assert np.isclose(auroc(np.array(positive), np.array(negative)), np.mean(pairs))


def test_each_family_draws_the_same_picture_for_the_same_seed_and_index():
    for family in nondigits.FAMILIES:
        first, again, other = (nondigits.picture(family, i, seed) for i, seed in ((3, 1), (3, 1), (4, 1)))
        assert first.shape == (greek.SIDE, greek.SIDE) and first.dtype == np.float32
        assert 0 <= first.min() and first.max() <= 1
        assert np.array_equal(first, again) and not np.array_equal(first, other)


def test_training_pictures_leave_out_the_letters_written_like_digits():
    pictures = list(nondigits.for_training(52, seed=5))
    # 52 of each family: Greek loses iota and omicron (twice each), Latin the 19 letters of DIGIT_LIKE
    assert len(pictures) == 48 + 33 + 52 + 52
    assert np.array_equal(pictures[0], nondigits.to_uint8(nondigits.picture("greek", 0, 5)))
    assert np.array_equal(pictures[48], nondigits.to_uint8(nondigits.picture("latin", 0, 5)))  # "a"
    assert np.array_equal(pictures[48 + 1], nondigits.to_uint8(nondigits.picture("latin", 2, 5)))  # "c", not "b"


def test_readings_keep_what_the_reader_reads_and_count_what_it_refuses():
    blank = np.full((40, 40), 200, np.uint8)
    picture = nondigits.to_uint8(nondigits.picture("strokes", 0, 1))
    images, refused = readings([blank, picture, blank])
    assert refused == 2 and images.shape == (1, 28, 28) and images.dtype == np.float32
    assert np.array_equal(images[0], read(picture).image)


def test_most_generated_pictures_holding_no_digit_are_rejected():
    """The report's reported half (odd-numbered pictures of seed 3, never trained on): 82% are rejected there;
    the issue's 90% is not reached (docs/runtime.md, "Not a digit")."""
    images, refused = readings(nondigits.to_uint8(nondigits.picture(family, i, 3))
                               for family in nondigits.FAMILIES for i in range(1, 120, 2))
    kept = sum(prediction.is_digit for prediction in DigitModel().predict(images))
    assert 1 - kept / (len(images) + refused) >= 0.75
