"""Report part "Not a digit": the shipped graph's calibration, and three rejection scores compared on pictures that
hold digits and pictures that do not (export.calibration fits what the runtime applies).

Also a command that computes and prints the section alone: `python -m report.not_a_digit`.
"""
import numpy as np
import onnx
import onnxruntime as ort
from scipy.stats import rankdata

from export import calibration
from report.context import Context, shared_folder
from runtime.data import mnist
from runtime.models import DIGITS, DigitModel, as_batch, calibrated
from runtime.reading.files import read_files
from synthetic import nondigits, photos, readings

COUNTS = {"greek": 240, "latin": 208, "strokes": 200, "specks": 200}  # generated negatives; even: choose, odd: report
SEED = 3
PHOTOS_PER_CONDITION = 10


class Scores:
    """Three scores of "is a digit" (higher: more digit-like) from the shipped digit graph's logits and its own
    dense-50 layer (the shipped embedding is another training's: export.shipped)."""

    def __init__(self, data: mnist.Mnist):
        self.temperature = DigitModel().temperature
        self.inside = _inside(onnx.load(DIGITS))
        train = self._run(data.train_images[:-calibration.HELD_BACK] / np.float32(255))[0]
        labels = data.train_labels[:-calibration.HELD_BACK]
        self.centres = np.stack([train[labels == digit].mean(0) for digit in range(10)])
        spread = train - self.centres[labels]
        self.precision = np.linalg.inv(spread.T @ spread / len(spread) + 1e-3 * np.eye(50))

    def _run(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """[N, 50] dense-50 activations and [N, 10] logits of [N, 28, 28] images."""
        batch = as_batch(images)[:, None]
        parts = [self.inside.run(None, {"image": batch[start:start + 1000]}) for start in range(0, len(batch), 1000)]
        return tuple(np.concatenate([part[i] for part in parts]).reshape(len(batch), -1) for i in (0, 1))

    def of(self, images: np.ndarray) -> dict[str, np.ndarray]:
        embedded, logits = self._run(images)
        offsets = embedded[:, None] - self.centres[None]
        return {"best calibrated probability": calibrated(logits, self.temperature).max(1),
                "energy (log-sum-exp of the logits)": np.logaddexp.reduce(logits, axis=1),
                "Mahalanobis distance to the nearest class centre (negated)":
                    -np.einsum("nkd,de,nke->nk", offsets, self.precision, offsets).min(1)}


def _inside(graph: onnx.ModelProto) -> ort.InferenceSession:
    """A session of the digit graph that also answers its dense-50 activations and its logits: the inputs of
    its last Gemm and of its LogSoftmax."""
    last = {node.op_type: node for node in graph.graph.node}  # the last node of each kind
    logits = last["LogSoftmax"].input[0]
    embedded = next(node for node in graph.graph.node if logits in node.output).input[0]
    del graph.graph.output[:]
    graph.graph.output.extend([onnx.ValueInfoProto(name=embedded), onnx.ValueInfoProto(name=logits)])
    return ort.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])


def pictures(data: mnist.Mnist, half: int) -> tuple[dict, dict]:
    """positives {name: images}, negatives {name: (images, refused)}: the generated ones of `half` (0: the
    even-numbered, which choose the score; 1: the odd ones, reported), the real ones in both."""
    positives = {"MNIST test": data.test_images / np.float32(255),
                 "hard photos": readings(photos.photo_file(condition, i, SEED, data.test_images)[0]
                                         for condition in photos.CONDITIONS for i in range(PHOTOS_PER_CONDITION))[0]}
    negatives = {family: readings(nondigits.to_uint8(nondigits.picture(family, i, SEED))
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


def compute(context: Context) -> dict:
    """Each score's AUROC on both halves, and at its keep-threshold the share of each set kept or rejected;
    the calibration's effect and the accepted digits' accuracy."""
    data = context.data
    scores = Scores(data)
    held_images, _ = calibration.held_back(data.train_images, data.train_labels)
    held = scores.of(held_images)
    chosen_on, reported_on = (_scored(scores, pictures(data, half)) for half in (0, 1))
    positives, negatives = reported_on
    rows = []
    for name in held:
        threshold = calibration.keeping(held[name])
        rows.append({"score": name, "auroc_choosing": _auroc_of(name, chosen_on),
                     "auroc_reported": _auroc_of(name, reported_on),
                     "kept": {kind: float((scored[name] >= threshold).mean()) for kind, scored in positives.items()},
                     "rejected": {kind: float(_rejected(scored[name], refused, threshold))
                                  for kind, (scored, refused) in negatives.items()}
                     | {"all": float(_rejected(np.concatenate([scored[name] for scored, _ in negatives.values()]),
                                               sum(refused for _, refused in negatives.values()), threshold))}})
    return {"scores": rows, "calibration": _calibration(data), "accepted": _accepted(data),
            "held_back": calibration.HELD_BACK, "bins": calibration.BINS, "keep": calibration.KEEP, "seed": SEED}


def render(facts: dict) -> str:
    first = facts["scores"][0]
    rows = ["| score | AUROC, choosing half | AUROC, reported half | " + " | ".join(
                f"kept: {name}" for name in first["kept"]) + " | " + " | ".join(
                f"rejected: {name}" for name in first["rejected"]) + " |"]
    rows.append("| --- " * (3 + len(first["kept"]) + len(first["rejected"])) + "|")
    for row in facts["scores"]:
        rows.append(f"| {row['score']} | {row['auroc_choosing']:.3f} | {row['auroc_reported']:.3f} | "
                    + " | ".join(f"{100 * kept:.1f}%" for kept in row["kept"].values()) + " | "
                    + " | ".join(f"{100 * rejected:.1f}%" for rejected in row["rejected"].values()) + " |")
    return "\n\n".join(["# Not a digit", _render_calibration(facts), "\n".join(rows), _render_accepted(facts)])


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


def _calibration(data: mnist.Mnist) -> dict:
    digits = DigitModel()
    log_probs, labels = digits.run(data.test_images / np.float32(255)), data.test_labels
    return {"temperature": digits.temperature, "reject_below": digits.reject_below,
            "error_before": calibration.expected_calibration_error(np.exp(log_probs), labels),
            "error_after": calibration.expected_calibration_error(calibrated(log_probs, digits.temperature), labels)}


def _render_calibration(facts: dict) -> str:
    numbers = facts["calibration"]
    return (f"The shipped `digits.onnx` divides its logits by the temperature {numbers['temperature']:.2f} "
            f"(`export.calibration`, fitted on the last {facts['held_back']} MNIST training images, which the shipped "
            f"recipe holds back from its training). Expected calibration "
            f"error on the 10,000 test images ({facts['bins']} bins): **{100 * numbers['error_before']:.2f}%** "
            f"before, **{100 * numbers['error_after']:.2f}%** after. A picture is *not a digit* when its best "
            f"calibrated probability is below {numbers['reject_below']:.3f}, the threshold that keeps "
            f"{100 * facts['keep']:.1f}% of the held-back training digits; each score below is held to the same "
            f"rule. Generated non-digits (`synthetic.nondigits`, seed {facts['seed']}): the even-numbered choose the "
            "score, the odd ones are reported; a picture the reader refuses (no ink) counts as rejected.")


def _accepted(data: mnist.Mnist) -> dict:
    predictions = DigitModel().predict(data.test_images / np.float32(255))
    kept = np.array([prediction.is_digit for prediction in predictions])
    right = np.array([prediction.digit for prediction in predictions]) == data.test_labels
    return {"kept": float(kept.mean()), "right_of_kept": float(right[kept].mean()), "right": float(right.mean())}


def _render_accepted(facts: dict) -> str:
    accepted = facts["accepted"]
    return (f"On the MNIST test set the shipped model keeps {100 * accepted['kept']:.2f}% of the digits, and reads "
            f"{100 * accepted['right_of_kept']:.2f}% of those right ({100 * accepted['right']:.2f}% of all).")


def main() -> None:
    print(render(compute(Context(out=None, data=mnist.load(mnist.DEFAULT_DIR), model_path=None))))


if __name__ == "__main__":
    main()
