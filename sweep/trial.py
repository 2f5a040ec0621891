"""One training of a sweep as a value any worker can run: (framework, recipe, seed, threads).

A worker pins the trial's threads, then trains with the framework's seeded loop, so the same trial gives
the same per-epoch losses and accuracies in this process, in a worker process or on another machine."""
from dataclasses import dataclass, replace

from frameworks import named
from recipe.history import evaluated_epochs
from recipe.settings import Recipe, limited
from runtime.data import mnist
from sweep.config import DIMENSIONS, show


@dataclass(frozen=True)
class Trial:
    framework: str  # a key of frameworks.FRAMEWORKS
    config: Recipe
    seed: int
    threads: int  # intra-op threads of the framework


def train(trial: Trial, data: mnist.Mnist) -> list[dict]:
    """Per epoch {"epoch", "test_loss", "test_accuracy", "seconds"} of the trial trained on `data`
    (converted here, in the worker, to its framework's layout); imports only that framework."""
    framework = named(trial.framework)
    framework.module("threads").use_threads(trial.threads)  # first: XLA reads its threads when JAX starts
    twin = framework.module("train")
    recipe = replace(trial.config, seed=trial.seed)
    train_x, train_y, test_x, test_y = limited(recipe, twin.as_data(data))
    model = twin.seeded_model(recipe)
    epochs = twin.trained_epochs(model, recipe, train_x, train_y)
    return evaluated_epochs(epochs, lambda: twin.evaluate(model, test_x, test_y))


def describe(trial: Trial) -> str:
    """'torch dropout 0.25, epochs 7, seed 2': what differs from the reference, and the seed."""
    reference = Recipe()
    changed = [f"{name} {show(getattr(trial.config, name))}" for name in DIMENSIONS
               if getattr(trial.config, name) != getattr(reference, name)]
    return f"{trial.framework} {', '.join(changed) or 'reference'}, seed {trial.seed}"
