"""Calibrated probabilities and the "not a digit" threshold of a digit graph, fitted on the last HELD_BACK MNIST
training images (which the shipped model does not train on), never on the test set; stored in the graph's
metadata for the runtime.

Temperature scaling (Guo et al., 2017): one number T divides the logits so that the probabilities' negative
log-likelihood on held-back digits is lowest. The rejection score is the best calibrated probability (chosen
over an energy score and a Mahalanobis distance in the embedding: the report's "Not a digit" section measures
all three), and the threshold the highest that keeps KEEP of the held-back digits.
"""
import json

import numpy as np

from recipe.settings import HELD_BACK
from runtime.models import calibrated

KEEP = 0.992  # of held-back digits kept: 99% of the test digits are then kept with a margin (the report: 99.3%)
BINS = 15  # of the expected calibration error


def temperature(log_probs: np.ndarray, labels: np.ndarray) -> float:
    """The T > 0 of lowest negative log-likelihood: golden-section search on log T (the likelihood is convex in
    1/T), from T = 0.1 to 10, to 1e-4."""
    def nll(log_t: float) -> float:
        return -float(np.log(calibrated(log_probs, np.exp(log_t))[np.arange(len(labels)), labels] + 1e-12).mean())
    low, high, ratio = np.log(0.1), np.log(10.0), (np.sqrt(5) - 1) / 2
    while high - low > 1e-4:
        left, right = high - ratio * (high - low), low + ratio * (high - low)
        low, high = (low, right) if nll(left) < nll(right) else (left, high)
    return float(np.exp((low + high) / 2))


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS) -> float:
    """Sum over equal-width confidence bins of (share of images) x |accuracy - mean confidence|."""
    confidence, correct = probabilities.max(1), probabilities.argmax(1) == labels
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    return float(sum((which == b).mean() * abs(correct[which == b].mean() - confidence[which == b].mean())
                     for b in range(bins) if (which == b).any()))


def fit(log_probs: np.ndarray, labels: np.ndarray) -> dict[str, str]:
    """The metadata fields "temperature", "reject_below" and "calibration" (JSON: how they were found) from
    the graph's [N, 10] log-probabilities of the held-back training images and their labels."""
    best = temperature(log_probs, labels)
    probabilities = calibrated(log_probs, best)
    threshold = keeping(probabilities.max(1))
    found = {"images": f"the last {len(labels)} MNIST training images", "score": "best calibrated probability",
             "keep": KEEP, "ece_before": round(expected_calibration_error(np.exp(log_probs), labels), 5),
             "ece_after": round(expected_calibration_error(probabilities, labels), 5)}
    return {"temperature": f"{best:.4f}", "reject_below": f"{threshold:.4f}", "calibration": json.dumps(found)}


def keeping(scores: np.ndarray) -> float:
    """The highest threshold that keeps KEEP of the held-back digits' scores (kept: score >= threshold)."""
    return float(np.quantile(scores, 1 - KEEP))


def held_back(train_images: np.ndarray, train_labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """([HELD_BACK, 28, 28] float images in [0, 1], labels): the training images the fit uses."""
    return train_images[-HELD_BACK:].astype(np.float32) / 255, train_labels[-HELD_BACK:].astype(np.int64)
