"""One recipe: the network's dimensions and how it is trained. The defaults are the seed report's
network and recipe (the PyTorch MNIST tutorial's); SHIPPED is the runtime's model."""
import os
from dataclasses import dataclass, replace
from pathlib import Path

from runtime.data.mnist import DEFAULT_DIR
from runtime.errors import InputError

ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "gelu", "leaky_relu")  # torch.nn.functional names
OPTIMIZERS = ("sgd", "adamw")
SCHEDULES = ("constant", "onecycle")
IMAGE_SIDE = 28


@dataclass(frozen=True)
class Recipe:
    # The network: conv (-> channel dropout, last only) (-> max-pool) -> activation, repeated; fc -> activation
    # (-> dropout) -> fc 10 -> log_softmax.
    conv_layers: int = 2
    kernel_size: int = 5
    filters: int = 10  # in the first convolution layer; each further layer doubles it (10, 20)
    hidden: int = 50  # nodes of the dense layer
    dropout: float = 0.5  # channel dropout after the last convolution layer
    dense_dropout: float = 0.0  # an extra dropout after the dense layer; 0 is none, as the seed's
    pool_size: int = 2
    pool_layers: tuple[int, ...] | None = None  # convolution layers (from 1) followed by max-pooling; None: all
    activation: str = "relu"
    # Its training.
    epochs: int = 5
    batch_size: int = 64
    lr: float = 0.01  # the peak with the one-cycle schedule
    momentum: float = 0.5  # SGD only
    optimizer: str = "sgd"  # "sgd" (lr, momentum, weight_decay) or "adamw" (lr, weight_decay)
    train_limit: int | None = None  # train on the first N images only (quick runs, tests, held-back images)
    test_limit: int | None = None  # measure on the first N test images only
    weight_decay: float = 0.0
    schedule: str = "constant"  # or "onecycle": warm up to lr, then anneal, stepped per batch
    augment: bool = False  # random affine warp + stroke thickness change of every batch (torch_impl.augment)
    # Outlier exposure (Hendrycks et al., 2019): the weight of a loss that pulls pictures holding no digit
    # (given to the training beside MNIST) towards equal probabilities, so that a low best probability can say
    # "not a digit". 0: none, as the seed's.
    outlier_exposure: float = 0.0
    test_batch_size: int = 1000
    seed: int = 1
    data_dir: Path = DEFAULT_DIR

    def __post_init__(self) -> None:
        for name in ("conv_layers", "kernel_size", "filters", "hidden", "pool_size", "epochs", "batch_size"):
            if getattr(self, name) < 1:
                raise InputError(f"{name} must be at least 1, not {getattr(self, name)}")
        for name in ("train_limit", "test_limit"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise InputError(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.outlier_exposure < 0:
            raise InputError(f"outlier_exposure must not be negative, not {self.outlier_exposure}")
        if self.lr <= 0 or self.momentum < 0:
            raise InputError(f"lr must be positive and momentum not negative (lr {self.lr}, momentum {self.momentum})")
        for name in ("dropout", "dense_dropout"):
            if not 0 <= getattr(self, name) < 1:
                raise InputError(f"{name} must be in [0, 1), not {getattr(self, name)}")
        for name, known in (("activation", ACTIVATIONS), ("optimizer", OPTIMIZERS), ("schedule", SCHEDULES)):
            if getattr(self, name) not in known:
                raise InputError(f"{name} {getattr(self, name)!r} is not one of {', '.join(known)}")
        if self.pool_layers is not None and not set(self.pool_layers) <= set(range(1, self.conv_layers + 1)):
            raise InputError(f"pool_layers {list(self.pool_layers)} must name layers 1 to {self.conv_layers}")
        if self.final_side() < 1:
            size = f"{self.kernel_size}x{self.kernel_size}"
            raise InputError(f"{self.conv_layers} convolutions of {size} with this pooling shrink the 28x28 image "
                             "to nothing; use fewer layers, smaller filters or less pooling")

    def pooled(self, layer: int) -> bool:
        return self.pool_layers is None or layer in self.pool_layers

    def channels(self, layer: int) -> int:
        return self.filters * 2 ** (layer - 1)

    def final_side(self) -> int:
        """Side of the feature maps after the last convolution stage (unpadded convolutions)."""
        side = IMAGE_SIDE
        for layer in range(1, self.conv_layers + 1):
            side -= self.kernel_size - 1
            if self.pooled(layer):
                side //= self.pool_size
        return side

    def trained_with(self) -> dict:
        """The training settings worth recording with a model: not where the data lives, no quick-run limit,
        no setting of an optimizer it did not use."""
        settings = {"epochs": self.epochs, "batch_size": self.batch_size, "test_batch_size": self.test_batch_size,
                    "lr": self.lr, "optimizer": self.optimizer, "weight_decay": self.weight_decay,
                    "schedule": self.schedule, "augment": self.augment, "seed": self.seed}
        return (settings | ({"momentum": self.momentum} if self.optimizer == "sgd" else {})
                | ({"outlier_exposure": self.outlier_exposure} if self.outlier_exposure else {}))


HELD_BACK = 10_000  # the last MNIST training images: the shipped digit graph is calibrated on them, not trained

SEED = Recipe()
# The same network; augmented batches, AdamW with a one-cycle schedule, more epochs: the shipped embedding's.
SHIPPED = replace(SEED, epochs=15, batch_size=128, lr=0.008, optimizer="adamw", weight_decay=1e-4,
                  schedule="onecycle", augment=True, seed=1)
# The shipped digit graph's: the same with outlier exposure, the last HELD_BACK images held back. Its embedding
# is not shipped: pulling letters towards equal probabilities also pulls their embeddings together, and the
# shared Greek drawings were named right 19 times in 66 with it, against 58 (docs/runtime.md, "Not a digit").
SHIPPED_DIGITS = replace(SHIPPED, outlier_exposure=0.1, train_limit=60_000 - HELD_BACK)


def limited(recipe: Recipe, data: tuple) -> tuple:
    """(train x, train y, test x, test y) cut to the recipe's train_limit and test_limit."""
    train_x, train_y, test_x, test_y = data
    return (train_x[:recipe.train_limit], train_y[:recipe.train_limit],
            test_x[:recipe.test_limit], test_y[:recipe.test_limit])


def cores() -> int:
    """The cores this process may run on: a training's threads unless it is told otherwise."""
    return len(os.sched_getaffinity(0))
