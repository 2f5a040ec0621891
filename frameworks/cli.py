"""`torch-mnist` and `keras-mnist`: the same commands for either twin (train, evaluate, predict), and `convert`,
which needs both. Each twin's framework is imported when a command runs."""
import json
from pathlib import Path

import numpy as np
import typer

from frameworks import KERAS, TORCH, Framework
from frameworks.convert import convert
from recipe.history import format_example, history_rows
from recipe.settings import SEED, Recipe
from runtime import atomic
from runtime.data import mnist
from runtime.errors import report, run_cli
from runtime.reading.files import read_files


def app_for(framework: Framework) -> typer.Typer:
    """The command line of one twin."""
    app = typer.Typer(help=f"Train and run the MNIST network in {framework.title}.", no_args_is_help=True,
                      pretty_exceptions_enable=False)
    model_file = Path(f"out/{framework.name}/model{framework.suffixes[0]}")
    app.command("train")(_train(framework, model_file))
    app.command("evaluate")(_evaluate(framework, model_file))
    app.command("predict")(_predict(framework, model_file))
    app.command("convert")(convert_command)
    return app


def _train(framework: Framework, model_file: Path):
    """`train`, saving to `model_file` by default."""

    def train_command(
        out: Path = typer.Option(model_file, help="Where to save the trained model."),
        epochs: int = typer.Option(SEED.epochs, min=1),
        batch_size: int = typer.Option(SEED.batch_size, min=1),
        lr: float = typer.Option(SEED.lr, min=0.0),
        momentum: float = typer.Option(SEED.momentum, min=0.0),
        seed: int = typer.Option(SEED.seed),
        train_limit: int = typer.Option(None, min=1, help="Train on the first N images only."),
        data_dir: Path = typer.Option(SEED.data_dir, help="Folder of the MNIST IDX files (fetched if missing)."),
    ) -> None:
        """Train the network with the tutorial's settings and save it with its per-epoch history."""
        from recipe import progress  # rich: it comes with either framework's extra

        recipe = Recipe(epochs=epochs, batch_size=batch_size, lr=lr, momentum=momentum, seed=seed,
                        train_limit=train_limit, data_dir=data_dir)
        with progress.shown() as (on_batch, on_epoch):
            model, history = framework.module("train").train(recipe, on_batch=on_batch, on_epoch=on_epoch)
        framework.save(model, out, recipe.trained_with())
        atomic.write_text(out.with_suffix(".history.json"), json.dumps(history_rows(history), indent=2))
        typer.echo(f"saved {out}")

    return train_command


def _evaluate(framework: Framework, model_file: Path):
    """`evaluate`, of `model_file` by default."""

    def evaluate_command(
        model: Path = typer.Option(model_file, help="A model saved by `train` or `keras-mnist convert`."),
        data_dir: Path = typer.Option(SEED.data_dir),
        examples: int = typer.Option(10, min=0, help="How many test examples to print."),
    ) -> None:
        """Print the first test examples (outputs, index of max, label) and the test accuracy."""
        net = framework.load(model)
        data = mnist.load(data_dir)
        log_probs = framework.log_probabilities(net, data.test_images / np.float32(255))
        for index in range(examples):
            typer.echo(format_example(index, log_probs[index], int(data.test_labels[index])))
        accuracy = (log_probs.argmax(1) == data.test_labels).mean()
        typer.echo(f"test accuracy: {100 * accuracy:.2f}% on {len(data.test_labels)} images")

    return evaluate_command


def _predict(framework: Framework, model_file: Path):
    """`predict`, with `model_file` by default."""

    def predict_command(
        images: list[Path] = typer.Argument(..., help="Pictures of handwritten digits, or folders of them."),
        model: Path = typer.Option(model_file),
    ) -> None:
        """Recognise handwritten digits in pictures (photos, scans, drawings).

        Unreadable files are reported on stderr, one line each, and the rest still processed; the exit
        code is then 1.
        """
        net = framework.load(model)
        readings, paths, failed = read_files(images)
        report(failed)
        pictures = np.array([reading.image for reading in readings], np.float32).reshape(-1, 28, 28)
        for path, row in zip(paths, framework.log_probabilities(net, pictures)):
            typer.echo(f"{path}: {int(row.argmax())} (p={float(np.exp(row.max())):.3f})")
        if failed:
            raise typer.Exit(1)

    return predict_command


def convert_command(
    source: Path = typer.Argument(..., help="A PyTorch state_dict (.pth) or a Keras model (.keras)."),
    target: Path = typer.Argument(..., help="Where to write the other kind (.keras or .pth)."),
) -> None:
    """Convert the network's weights: PyTorch .pth -> Keras .keras, or .keras -> .pth."""
    convert(source, target)
    typer.echo(f"saved {target}")


torch_app, keras_app = app_for(TORCH), app_for(KERAS)


def torch_main() -> None:
    TORCH.module("train")  # first: a missing framework is named (runtime.errors.launch) before anything runs
    run_cli(torch_app)


def keras_main() -> None:
    KERAS.module("train")
    run_cli(keras_app)
