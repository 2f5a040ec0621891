"""Training settings of the reference: the PyTorch MNIST tutorial's, as the seed report used them."""
from dataclasses import dataclass
from pathlib import Path

from runtime.mnist import DEFAULT_DIR


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 5
    batch_size: int = 64
    test_batch_size: int = 1000
    lr: float = 0.01
    momentum: float = 0.5
    seed: int = 1
    train_limit: int | None = None  # train on the first N images only (quick runs and tests)
    data_dir: Path = DEFAULT_DIR
