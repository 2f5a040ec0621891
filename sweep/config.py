"""One variant of the experiment: the network's dimensions and its training, as one typed value.

The defaults are exactly the reference (torch_impl/model.py and torch_impl/config.py).
"""
import dataclasses
import typing
from dataclasses import dataclass

from runtime.errors import InputError

ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "gelu", "leaky_relu")  # torch.nn.functional names
OPTIMIZERS = ("sgd", "adamw")  # torch_impl.train.make_optimizer's
FRAMEWORKS = {"torch": "PyTorch", "keras": "Keras (JAX)"}  # --framework -> its name in tables and plots
IMAGE_SIDE = 28


@dataclass(frozen=True)
class NetConfig:
    conv_layers: int = 2
    kernel_size: int = 5
    filters: int = 10  # in the first convolution layer; each further layer doubles it (10, 20)
    hidden: int = 50  # nodes of the dense layer
    dropout: float = 0.5  # channel dropout after the last convolution layer
    dense_dropout: float = 0.0  # an extra dropout after the dense layer; 0 is none, as the reference
    pool_size: int = 2
    pool_layers: tuple[int, ...] | None = None  # convolution layers (from 1) followed by max-pooling; None: all
    activation: str = "relu"
    epochs: int = 5
    batch_size: int = 64
    lr: float = 0.01
    momentum: float = 0.5  # SGD only
    optimizer: str = "sgd"
    train_limit: int | None = None  # train on the first N images only
    test_limit: int | None = None  # measure on the first N test images only

    def __post_init__(self) -> None:
        for name in ("conv_layers", "kernel_size", "filters", "hidden", "pool_size", "epochs", "batch_size"):
            if getattr(self, name) < 1:
                raise InputError(f"{name} must be at least 1, not {getattr(self, name)}")
        for name in ("train_limit", "test_limit"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise InputError(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.lr <= 0 or self.momentum < 0:
            raise InputError(f"lr must be positive and momentum not negative (lr {self.lr}, momentum {self.momentum})")
        for name in ("dropout", "dense_dropout"):
            if not 0 <= getattr(self, name) < 1:
                raise InputError(f"{name} must be in [0, 1), not {getattr(self, name)}")
        if self.activation not in ACTIVATIONS:
            raise InputError(f"activation {self.activation!r} is not one of {', '.join(ACTIVATIONS)}")
        if self.optimizer not in OPTIMIZERS:
            raise InputError(f"optimizer {self.optimizer!r} is not one of {', '.join(OPTIMIZERS)}")
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


DIMENSIONS = tuple(field.name for field in dataclasses.fields(NetConfig))
_TYPES = typing.get_type_hints(NetConfig)


def with_values(base: NetConfig, values: dict[str, object]) -> NetConfig:
    """`base` with some fields replaced by values as TOML gives them (lists, ints for floats)."""
    return dataclasses.replace(base, **{name: coerce(name, value) for name, value in values.items()})


def coerce(name: str, value: object) -> object:
    """A TOML value as the field's type; InputError for an unknown dimension or a wrong kind of value."""
    if name not in DIMENSIONS:
        raise InputError(f"unknown dimension {name!r} (known: {', '.join(DIMENSIONS)})")
    kind = _TYPES[name]
    if kind is float and (_whole(value) or isinstance(value, float)):
        return float(value)
    if kind in (int, int | None) and _whole(value):
        return value
    if kind is str and isinstance(value, str):
        return value
    if kind == tuple[int, ...] | None and isinstance(value, list | tuple) and all(map(_whole, value)):
        return tuple(value)
    raise InputError(f"{name}: {value!r} is not a valid value (expected {_type_name(kind)})")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _type_name(kind) -> str:
    return {float: "a number", int: "a whole number", int | None: "a whole number", str: "a name"}.get(
        kind, "a list of whole numbers")


def show(value: object) -> str:
    """A dimension's value for tables and plots; None means all (images, or layers pooled)."""
    if value is None:
        return "all"
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return f"{value:g}" if isinstance(value, float) else str(value)
