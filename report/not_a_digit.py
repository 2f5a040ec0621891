"""Report part "Not a digit": the shipped graph's calibration, and three rejection scores compared on pictures that
hold digits and pictures that do not (export.calibration fits what the runtime applies).

Also a command that prints the section alone: `python -m report.not_a_digit`.
"""
import numpy as np
import onnx
from onnx import numpy_helper
from scipy.stats import rankdata

from export import calibration
from report.context import Context, shared_folder
from runtime.data import mnist
from runtime.errors import InputError
from runtime.models import DIGITS, DigitModel, EmbeddingModel, calibrated
from runtime.reading import read
from runtime.reading.files import read_files
from synthetic import nondigits, photos

COUNTS = {"greek": 240, "latin": 208, "strokes": 200, "specks": 200}  # generated negatives; even: choose, odd: report
SEED = 3
PHOTOS_PER_CONDITION = 10


class Scores:
    """Three scores of "is a digit" (higher: more digit-like) from a picture's embedding."""

    def __init__(self, data: mnist.Mnist):
        self.digits, self.embedding = DigitModel(), EmbeddingModel()
        weights = [numpy_helper.to_array(item) for item in onnx.load(DIGITS).graph.initializer]
        self.last = next(w for w in weights if w.shape == (10, 50)), next(w for w in weights if w.shape == (10,))
        train = self.embedding.embed(data.train_images[:-calibration.HELD_BACK] / np.float32(255))
        labels = data.train_labels[:-calibration.HELD_BACK]
        self.centres = np.stack([train[labels == digit].mean(0) for digit in range(10)])
        spread = train - self.centres[labels]
        self.precision = np.linalg.inv(spread.T @ spread / len(spread) + 1e-3 * np.eye(50))

    def of(self, images: np.ndarray) -> dict[str, np.ndarray]:
        embedded = self.embedding.embed(images)
        logits = embedded @ self.last[0].T + self.last[1]
        offsets = embedded[:, None] - self.centres[None]
        return {"best calibrated probability": calibrated(self.digits.run(images), self.digits.temperature).max(1),
                "energy (log-sum-exp of the logits)": np.logaddexp.reduce(logits, axis=1),
                "Mahalanobis distance to the nearest class centre (negated)":
                    -np.einsum("nkd,de,nke->nk", offsets, self.precision, offsets).min(1)}


def _readable(pictures) -> tuple[np.ndarray, int]:
    """The 28x28 images of the pictures the reader accepts, and how many it refused (those are rejected)."""
    images, refused = [], 0
    for picture in pictures:
        try:
            images.append(read(picture).image)
        except InputError:
            refused += 1
    return np.array(images, np.float32).reshape(-1, 28, 28), refused


def pictures(data: mnist.Mnist, half: int) -> tuple[dict, dict]:
    """positives {name: images}, negatives {name: (images, refused)}: the generated ones of `half` (0: the
    even-numbered, which choose the score; 1: the odd ones, reported), the real ones in both."""
    positives = {"MNIST test": data.test_images / np.float32(255),
                 "hard photos": _readable(photos.photo_file(condition, i, SEED, data.test_images)[0]
                                          for condition in photos.CONDITIONS for i in range(PHOTOS_PER_CONDITION))[0]}
    negatives = {family: _readable(nondigits.to_uint8(nondigits.picture(family, i, SEED))
                                   for i in range(half, count, 2)) for family, count in COUNTS.items()}
    if folder := shared_folder("handwritten_digits"):
        positives["shared photos"] = np.array([reading.image for reading in read_files([folder])[0]])
    greek = [folder for name in ("greek", "greek_new") if (folder := shared_folder(name))]
    if greek:
        negatives["shared Greek drawings"] = (np.array([reading.image for reading in read_files(greek)[0]]), 0)
    return positives, negatives


def auroc(positive: np.ndarray, negative: np.ndarray) -> float:
    """The chance that a random positive scores above a random negative (ties count half)."""
    ranks = rankdata(np.concatenate([positive, negative]))
    above = ranks[:len(positive)].sum() - len(positive) * (len(positive) + 1) / 2
    return float(above / len(positive) / len(negative))


def section(context: Context) -> str:
    data = context.data
    scores = Scores(data)
    held_images, _ = calibration.held_back(data.train_images, data.train_labels)
    held = scores.of(held_images)
    chosen_on, reported_on = (_scored(scores, pictures(data, half)) for half in (0, 1))
    positives, negatives = reported_on
    rows = ["| score | AUROC, choosing half | AUROC, reported half | " + " | ".join(
                f"kept: {name}" for name in positives) + " | " + " | ".join(
                f"rejected: {name}" for name in negatives) + " |"]
    rows.append("| --- " * (3 + len(positives) + len(negatives)) + "|")
    for name in held:
        threshold = calibration.keeping(held[name])
        aurocs = f"{_auroc_of(name, chosen_on):.3f} | {_auroc_of(name, reported_on):.3f}"
        rows.append(f"| {name} | {aurocs} | "
                    + " | ".join(f"{100 * (scored[name] >= threshold).mean():.1f}%" for scored in positives.values())
                    + " | " + " | ".join(f"{100 * _rejected(scored[name], refused, threshold):.1f}%"
                                         for scored, refused in negatives.values()) + " |")
    return "\n\n".join(["# Not a digit", _calibration(data), "\n".join(rows), _accepted(data)])


def _scored(scores: Scores, half: tuple[dict, dict]) -> tuple[dict, dict]:
    """`pictures`' half with each set of images replaced by its scores, computed once."""
    positives, negatives = half
    return ({name: scores.of(images) for name, images in positives.items()},
            {name: (scores.of(images), refused) for name, (images, refused) in negatives.items()})


def _auroc_of(name: str, half: tuple[dict, dict]) -> float:
    positives, negatives = half
    positive = np.concatenate([scored[name] for scored in positives.values()])
    negative = np.concatenate([np.r_[scored[name], np.full(refused, -np.inf)]
                               for scored, refused in negatives.values()])
    return auroc(positive, negative)


def _rejected(score: np.ndarray, refused: int, threshold: float) -> float:
    return ((score < threshold).sum() + refused) / (len(score) + refused)


def _calibration(data: mnist.Mnist) -> str:
    digits = DigitModel()
    log_probs, labels = digits.run(data.test_images / np.float32(255)), data.test_labels
    before = calibration.expected_calibration_error(np.exp(log_probs), labels)
    after = calibration.expected_calibration_error(calibrated(log_probs, digits.temperature), labels)
    return (f"The shipped `digits.onnx` divides its logits by the temperature {digits.temperature:.2f} "
            f"(`export.calibration`, fitted on the last {calibration.HELD_BACK} MNIST training images; the recipe "
            f"trains on all 60,000, so they are held back from the fit, not from training). Expected calibration "
            f"error on the 10,000 test images ({calibration.BINS} bins): **{100 * before:.2f}%** before, "
            f"**{100 * after:.2f}%** after. A picture is *not a digit* when its best calibrated probability is "
            f"below {digits.reject_below:.3f}, the threshold that keeps {100 * calibration.KEEP:.1f}% of the "
            "held-back training digits; each score below is held to the same rule. Generated non-digits "
            f"(`synthetic.nondigits`, seed {SEED}): the even-numbered choose the score, the odd ones are reported; "
            "a picture the reader refuses (no ink) counts as rejected.")


def _accepted(data: mnist.Mnist) -> str:
    digits = DigitModel()
    predictions = digits.predict(data.test_images / np.float32(255))
    kept = np.array([prediction.is_digit for prediction in predictions])
    right = np.array([prediction.digit for prediction in predictions]) == data.test_labels
    return (f"On the MNIST test set the shipped model keeps {100 * kept.mean():.2f}% of the digits, and reads "
            f"{100 * right[kept].mean():.2f}% of those right ({100 * right.mean():.2f}% of all).")


def main() -> None:
    print(section(Context(out=None, data=mnist.load(mnist.DEFAULT_DIR), model_path=None)))


if __name__ == "__main__":
    main()
