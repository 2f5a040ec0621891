"""What both frameworks' trainers share: the data cut to a configuration's limits, and the per-epoch history."""
from collections.abc import Callable, Iterable

from sweep.config import NetConfig


def limited(config: NetConfig, data: tuple) -> tuple:
    """(train x, train y, test x, test y) cut to the configuration's train_limit and test_limit."""
    train_x, train_y, test_x, test_y = data
    return (train_x[:config.train_limit], train_y[:config.train_limit],
            test_x[:config.test_limit], test_y[:config.test_limit])


def measured(epochs: Iterable[float], evaluate: Callable[[], tuple[float, float]]) -> list[dict]:
    """Per epoch: test loss and accuracy, and the training seconds so far (evaluation excluded).

    `epochs` trains one epoch per step and yields its seconds; `evaluate` measures the test set."""
    history, seconds = [], 0.0
    for epoch, epoch_seconds in enumerate(epochs, 1):
        seconds += epoch_seconds
        loss, accuracy = evaluate()
        history.append({"epoch": epoch, "test_loss": loss, "test_accuracy": accuracy, "seconds": seconds})
    return history
