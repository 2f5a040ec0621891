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
    # The stronger recipe of the shipped model sets these; the defaults are the seed's.
    augment: bool = False  # random affine warp + stroke thickness change of every batch (torch_impl.augment)
    optimizer: str = "sgd"  # "sgd" (lr, momentum) or "adamw" (lr, weight_decay)
    schedule: str = "constant"  # "constant" or "onecycle" (lr is the peak, annealed per batch)
    weight_decay: float = 0.0
    data_dir: Path = DEFAULT_DIR
