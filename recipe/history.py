"""What a training reports: one EpochResult per epoch, the same from both twins, and its printed forms."""
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

OnBatch = Callable[[int, int, float], None]  # (images trained so far this epoch, images per epoch, batch loss)
OnEpoch = Callable[["EpochResult"], None]


@dataclass(frozen=True)
class EpochResult:
    epoch: int  # 0 is the untrained network
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    seconds: float  # training time of this epoch (Keras: the first includes compiling), evaluation excluded


def history(epochs: Iterable[float], evaluate: Callable[[Any, Any], tuple[float, float]], data: tuple,
            on_epoch: OnEpoch | None = None) -> list[EpochResult]:
    """Epoch 0 (the untrained network), then one result per step of `epochs`, which trains an epoch and
    yields its seconds; `evaluate(images, labels)` gives the mean loss and the accuracy on
    data = (train x, train y, test x, test y)."""
    train_x, train_y, test_x, test_y = data

    def result(epoch: int, seconds: float) -> EpochResult:
        return EpochResult(epoch, *evaluate(train_x, train_y), *evaluate(test_x, test_y), seconds)

    results = [result(0, 0.0)]
    for epoch, seconds in enumerate(epochs, 1):
        results.append(result(epoch, seconds))
        if on_epoch is not None:
            on_epoch(results[-1])
    return results


def evaluated_epochs(epochs: Iterable[float], evaluate: Callable[[], tuple[float, float]]) -> list[dict]:
    """The sweep's record: per epoch the test loss and accuracy, and the training seconds so far."""
    rows, seconds = [], 0.0
    for epoch, epoch_seconds in enumerate(epochs, 1):
        seconds += epoch_seconds
        loss, accuracy = evaluate()
        rows.append({"epoch": epoch, "test_loss": loss, "test_accuracy": accuracy, "seconds": seconds})
    return rows


def format_epoch(result: EpochResult) -> str:
    return (f"epoch {result.epoch}: train loss {result.train_loss:.4f} acc {100 * result.train_accuracy:.2f}% | "
            f"test loss {result.test_loss:.4f} acc {100 * result.test_accuracy:.2f}% ({result.seconds:.1f} s)")


def history_rows(results: list[EpochResult]) -> list[dict]:
    return [asdict(result) for result in results]


def format_example(index: int, log_probs: np.ndarray, label: int) -> str:
    """One test example as the seed report prints it."""
    values = ", ".join(f"{value:.2f}" for value in log_probs)
    return (f"Example {index}\nOutput values: [{values}]\n"
            f"Index of max value: {int(log_probs.argmax())}\nCorrect label of digit: {label}")
