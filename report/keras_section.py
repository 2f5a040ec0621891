"""Report part "The Keras twin": the network trained again in Keras 3 (JAX), beside the reference."""
import json

from keras_impl import checkpoint
from keras_impl.train import as_data, train
from plots import figures
from recipe import progress
from recipe.history import history_rows
from recipe.settings import SEED, Recipe
from report.context import Context
from runtime import atomic


def compute(context: Context, config: Recipe = SEED) -> dict:
    """Train the Keras twin with `config` (the seed recipe), save it under keras/, and draw its curves."""
    with progress.shown() as (on_batch, on_epoch):
        model, history = train(config, as_data(context.data), on_batch, on_epoch)
    path = context.out / "keras" / "model.keras"
    checkpoint.save(model, path, config.trained_with())
    rows = history_rows(history)
    atomic.write_text(path.with_suffix(".history.json"), json.dumps(rows, indent=2))
    curves = figures.training_curves(rows, context.figure("keras_training_curves.png"), "Keras 3 (JAX) twin")
    reference = json.loads(context.model_path.with_suffix(".history.json").read_text())
    return {"epochs": config.epochs, "lr": config.lr, "momentum": config.momentum, "batch_size": config.batch_size,
            "seed": config.seed, "history": rows, "reference_history": reference, "model_path": str(path),
            "figure": context.link(curves)}


def render(facts: dict) -> str:
    rows = facts["history"]
    reference = {row["epoch"]: row for row in facts["reference_history"]}
    training_seconds = sum(row["seconds"] for row in rows[1:]) / facts["epochs"]
    return "\n\n".join([
        "# The Keras twin",
        "The same network in Keras 3 on JAX (`keras_impl`): channels-last input, the same layers in the same "
        "order (conv1, conv2, conv2_drop as SpatialDropout2D, fc1, fc2), trained with the reference's recipe "
        f"({facts['epochs']} epochs, SGD lr {facts['lr']}, momentum {facts['momentum']}, batch "
        f"{facts['batch_size']}, seed {facts['seed']}). Its random start and batch order are its own, so the two "
        "runs are close, not identical. Epoch 0 is the untrained network.",
        _table(rows, reference),
        f"Keras test accuracy after {facts['epochs']} epochs: **{100 * rows[-1]['test_accuracy']:.2f}%**"
        + _beside(reference.get(rows[-1]["epoch"]))
        + f". Training took {training_seconds:.1f} s per epoch (evaluation excluded).",
        f"Saved to `{facts['model_path']}`; `keras-mnist convert` turns it into a PyTorch state_dict and back, "
        "bit-identically.",
        f"![Keras curves]({facts['figure']})",
    ])


def _table(rows: list[dict], reference: dict[int, dict]) -> str:
    lines = ["| epoch | train loss Keras | train loss PyTorch | test accuracy Keras | test accuracy PyTorch |",
             "| ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        other = reference.get(row["epoch"])
        lines.append(f"| {row['epoch']} | {row['train_loss']:.4f} | {_value(other, 'train_loss', '{:.4f}')} | "
                     f"{100 * row['test_accuracy']:.2f}% | {_value(other, 'test_accuracy', '{:.2%}')} |")
    return "\n".join(lines)


def _value(row: dict | None, key: str, style: str) -> str:
    return style.format(row[key]) if row else "–"


def _beside(row: dict | None) -> str:
    return f" (PyTorch reference: {100 * row['test_accuracy']:.2f}%)" if row else ""
