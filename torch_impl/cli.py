"""Command line of the PyTorch reference: train, evaluate, predict."""
import json
from pathlib import Path

import numpy as np
import typer

from runtime import atomic, mnist
from runtime.errors import run_cli
from runtime.inputs import load_images
from torch_impl import checkpoint
from torch_impl.config import TrainConfig
from torch_impl.predict import format_example, log_probabilities
from torch_impl.train import history_rows, train

app = typer.Typer(help="Train and run the PyTorch reference MNIST network.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
DEFAULTS = TrainConfig()


@app.command("train")
def train_command(
    out: Path = typer.Option(Path("out/torch/model.pth"), help="Where to save the trained state_dict."),
    epochs: int = typer.Option(DEFAULTS.epochs, min=1),
    batch_size: int = typer.Option(DEFAULTS.batch_size, min=1),
    lr: float = typer.Option(DEFAULTS.lr, min=0.0),
    momentum: float = typer.Option(DEFAULTS.momentum, min=0.0),
    seed: int = typer.Option(DEFAULTS.seed),
    train_limit: int = typer.Option(None, min=1, help="Train on the first N images only."),
    data_dir: Path = typer.Option(DEFAULTS.data_dir, help="Folder of the MNIST IDX files (fetched if missing)."),
) -> None:
    """Train the network with the tutorial's settings and save its weights and per-epoch history."""
    config = TrainConfig(epochs=epochs, batch_size=batch_size, lr=lr, momentum=momentum, seed=seed,
                         train_limit=train_limit, data_dir=data_dir)
    model, history = train(config)
    checkpoint.save(model, out)
    atomic.write_text(out.with_suffix(".history.json"), json.dumps(history_rows(history), indent=2))
    typer.echo(f"saved {out}")


@app.command("evaluate")
def evaluate_command(
    model: Path = typer.Option(Path("out/torch/model.pth"), help="A state_dict saved by `train`."),
    data_dir: Path = typer.Option(DEFAULTS.data_dir),
    examples: int = typer.Option(10, min=0, help="How many test examples to print."),
) -> None:
    """Print the first test examples (outputs, index of max, label) and the test accuracy."""
    net = checkpoint.load(model)
    data = mnist.load(data_dir)
    log_probs = log_probabilities(net, data.test_images / 255.0)
    for index in range(examples):
        typer.echo(format_example(index, log_probs[index], int(data.test_labels[index])))
    accuracy = (log_probs.argmax(1) == data.test_labels).mean()
    typer.echo(f"test accuracy: {100 * accuracy:.2f}% on {len(data.test_labels)} images")


@app.command("predict")
def predict_command(
    images: list[Path] = typer.Argument(..., help="Pictures of handwritten digits, or folders of them."),
    model: Path = typer.Option(Path("out/torch/model.pth")),
) -> None:
    """Recognise handwritten digits in pictures (photos, scans, drawings).

    Unreadable files are reported on stderr, one line each, and the rest still processed; the exit
    code is then 1.
    """
    net = checkpoint.load(model)
    pictures, paths, failed = load_images(images)
    for path, row in zip(paths, log_probabilities(net, pictures)):
        typer.echo(f"{path}: {int(row.argmax())} (p={float(np.exp(row.max())):.3f})")
    if failed:
        raise typer.Exit(1)


def main() -> None:
    run_cli(app)
