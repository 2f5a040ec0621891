"""One variant of the experiment is a recipe (recipe.settings.Recipe): the dimensions a plan may vary, read
from TOML values, and shown in tables and plots."""
import dataclasses
import typing

from recipe.settings import Recipe
from runtime.errors import InputError

# The recipe's settings a plan may vary: each result is keyed by their values (sweep.run.key).
DIMENSIONS = ("conv_layers", "kernel_size", "filters", "hidden", "dropout", "dense_dropout", "pool_size", "pool_layers",
              "activation", "epochs", "batch_size", "lr", "momentum", "optimizer", "train_limit", "test_limit")
_TYPES = typing.get_type_hints(Recipe)


def dimensions(recipe: Recipe) -> dict[str, object]:
    """The recipe's values of DIMENSIONS, as results record them."""
    return {name: getattr(recipe, name) for name in DIMENSIONS}


def with_values(base: Recipe, values: dict[str, object]) -> Recipe:
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
