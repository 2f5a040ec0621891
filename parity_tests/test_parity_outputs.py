"""Parity tests 2, 3 and 5: the same weights give the same outputs on all 10,000 test images."""
from typing import NamedTuple

import numpy as np
import pytest

from keras_impl.convert import torch_to_keras
from parity_tests.twins import keras_model_with, keras_outputs

TOLERANCE = 1e-4


class Agreement(NamedTuple):
    max_diff: float
    differing_predictions: int

    @property
    def ok(self) -> bool:
        return self.max_diff <= TOLERANCE and self.differing_predictions == 0


def log_prob_agreement(expected: np.ndarray, actual: np.ndarray) -> Agreement:
    """The parity check: log-probabilities within TOLERANCE and the same predicted class everywhere."""
    return Agreement(float(np.abs(expected - actual).max()), int((expected.argmax(1) != actual.argmax(1)).sum()))


@pytest.fixture(scope="module")
def converted_outputs(reference_state, test_images):
    """The Keras twin's outputs with the reference's weights."""
    return keras_outputs(keras_model_with(torch_to_keras(reference_state)), test_images)


def test_same_weights_give_the_same_log_probabilities(reference_outputs, converted_outputs):
    agreement = log_prob_agreement(reference_outputs.log_probs, converted_outputs.log_probs)
    print(f"\nlog-probabilities, 10,000 test images: max |torch - keras| = {agreement.max_diff:.2e}, "
          f"{agreement.differing_predictions} predicted classes differ")
    assert agreement.ok


@pytest.mark.parametrize("stage", ["embeddings", "convolutions"])
def test_same_weights_give_the_same_truncated_outputs(reference_outputs, converted_outputs, stage):
    expected, actual = getattr(reference_outputs, stage), getattr(converted_outputs, stage)
    assert expected.shape == actual.shape  # the convolution outputs: torch's transposed to channels last
    max_diff = float(np.abs(expected - actual).max())
    print(f"\n{stage} {actual.shape}: max |torch - keras| = {max_diff:.2e}")
    assert max_diff <= TOLERANCE


def test_conversion_without_fc1_permutation_fails_the_check(reference_state, reference_outputs, test_images):
    weights = torch_to_keras(reference_state)
    weights["fc1/kernel"] = reference_state["fc1.weight"].T  # rows left in PyTorch's (channel, row, column) order
    wrong = keras_model_with(weights).predict(test_images[..., np.newaxis], batch_size=1000, verbose=0)
    agreement = log_prob_agreement(reference_outputs.log_probs, wrong)
    print(f"\nunpermuted fc1: max |torch - keras| = {agreement.max_diff:.2e}, "
          f"{agreement.differing_predictions} predicted classes differ")
    assert not agreement.ok
