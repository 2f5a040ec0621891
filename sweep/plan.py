"""A sweep plan: which dimensions take which values, in a full grid or one dimension at a time.

Plans are small TOML files (sweep/plans/*.toml are the built-in ones):

    mode = "grid"          # or "one-at-a-time": vary each dimension alone, the others at [base]
    repeats = 3            # seeds 1, 2, 3 for every variant
    [base]                 # values of what is not varied (default: the reference)
    epochs = 7
    [vary]
    batch_size = [32, 64, 128]
"""
import dataclasses
import itertools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from recipe.settings import Recipe
from runtime.errors import InputError
from sweep.config import DIMENSIONS, coerce, show, with_values

BUILT_IN = Path(__file__).parent / "plans"
MODES = ("grid", "one-at-a-time")


@dataclass(frozen=True)
class Plan:
    vary: dict[str, tuple]  # dimension -> its values, in the order given
    mode: str = "grid"
    repeats: int = 3
    base: Recipe = Recipe()

    def seeds(self) -> range:
        return range(1, self.repeats + 1)  # seed 1 is the reference's


def read_table(spec: str) -> tuple[dict, str]:
    """The TOML table of a built-in plan name or a plan file, and where it came from."""
    built_in = BUILT_IN / f"{spec}.toml"
    path = built_in if built_in.is_file() else Path(spec)
    try:
        return tomllib.loads(path.read_text()), f"built-in plan {spec}" if path == built_in else str(path)
    except FileNotFoundError:
        names = ", ".join(sorted(file.stem for file in BUILT_IN.glob("*.toml")))
        raise InputError(f"{spec}: no such plan file or built-in plan ({names})") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{path}: not a readable TOML plan ({error})") from None


def load(spec: str) -> Plan:
    """A built-in plan by name (seed, small) or a plan file."""
    return from_table(*read_table(spec))


def from_table(table: dict, source: str) -> Plan:
    """Check a plan table and every variant it makes; InputError names the file and the problem."""
    try:
        unknown = set(table) - {"mode", "repeats", "base", "vary"}
        if unknown:
            raise InputError(f"unknown key {sorted(unknown)[0]!r} (expected mode, repeats, base, vary)")
        vary, base = table.get("vary", {}), table.get("base", {})
        if not isinstance(vary, dict) or not vary or not isinstance(base, dict):
            raise InputError("needs a [vary] table with at least one dimension (and [base] must be a table)")
        plan = Plan({name: _values(name, values) for name, values in vary.items()}, table.get("mode", "grid"),
                    table.get("repeats", 3), with_values(Recipe(), base))
        if plan.mode not in MODES:
            raise InputError(f"mode {plan.mode!r} is not one of {', '.join(MODES)}")
        if not isinstance(plan.repeats, int) or isinstance(plan.repeats, bool) or plan.repeats < 1:
            raise InputError(f"repeats must be a whole number of at least 1, not {plan.repeats!r}")
        variants(plan)
        return plan
    except InputError as error:
        raise InputError(f"{source}: {error}") from None


def _values(name: str, values: object) -> tuple:
    if not isinstance(values, list) or not values:
        raise InputError(f"vary.{name} must be a non-empty list of values")
    values = tuple(coerce(name, value) for value in values)
    if len(set(values)) != len(values):
        raise InputError(f"vary.{name} repeats a value")
    return values


def variants(plan: Plan) -> list[Recipe]:
    """Every distinct configuration the plan asks for, in plan order."""
    if plan.mode == "grid":
        names = list(plan.vary)
        configs = [with_values(plan.base, dict(zip(names, combination)))
                   for combination in itertools.product(*plan.vary.values())]
    else:
        configs = [with_values(plan.base, {name: value}) for name, values in plan.vary.items() for value in values]
    return list(dict.fromkeys(configs))


def training_of(plan: Plan) -> dict[Recipe, Recipe]:
    """Each variant -> the training it is read from: variants that differ only in epochs share the longest."""
    longest: dict[tuple, int] = {}
    for variant in variants(plan):
        longest[_all_but_epochs(variant)] = max(longest.get(_all_but_epochs(variant), 0), variant.epochs)
    return {variant: dataclasses.replace(variant, epochs=longest[_all_but_epochs(variant)])
            for variant in variants(plan)}


def trainings(plan: Plan) -> list[Recipe]:
    return list(dict.fromkeys(training_of(plan).values()))


def _all_but_epochs(config: Recipe) -> tuple:
    return tuple((name, value) for name, value in dataclasses.asdict(config).items() if name != "epochs")


def held(plan: Plan) -> Recipe:
    """Where the per-dimension lines cross: the base values, or a dimension's last value when its
    values leave the base value out (grid mode)."""
    if plan.mode == "one-at-a-time":
        return plan.base
    return with_values(plan.base, {name: values[-1] for name, values in plan.vary.items()
                                   if getattr(plan.base, name) not in values})


def line(plan: Plan, name: str) -> list[Recipe]:
    """The variants along one dimension, the others held."""
    return [with_values(held(plan), {name: value}) for value in plan.vary[name]]


def describe(plan: Plan) -> str:
    """One line: what varies, how, over which seeds, and what it costs in trainings."""
    varied = " × ".join(f"{name.replace('_', ' ')} {'/'.join(map(show, values))}"
                        for name, values in plan.vary.items())
    changed = [f"{name.replace('_', ' ')} {show(getattr(plan.base, name))}" for name in DIMENSIONS
               if getattr(plan.base, name) != getattr(Recipe(), name)]
    base = f"the reference with {', '.join(changed)}" if changed else "the reference"
    return (f"{varied} ({plan.mode}; otherwise {base}), seeds 1-{plan.repeats}: {len(variants(plan))} variants "
            f"from {len(trainings(plan))} trainings per seed")
