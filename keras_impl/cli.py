"""Command line of the Keras twin: train, evaluate, and convert to and from the PyTorch reference."""
import json
from pathlib import Path

import numpy as np
import typer

from keras_impl import checkpoint
from keras_impl.convert import keras_file_to_torch_state, set_weights, torch_to_keras
from keras_impl.model import build, log_probabilities
from keras_impl.train import TrainConfig, history_rows, train
from runtime import atomic, mnist
from runtime.errors import InputError, run_cli

app = typer.Typer(help="Train and run the Keras 3 (JAX) twin of the MNIST network.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
DEFAULTS = TrainConfig()


@app.command("train")
def train_command(
    out: Path = typer.Option(Path("out/keras/model.keras"), help="Where to save the trained model."),
    epochs: int = typer.Option(DEFAULTS.epochs, min=1),
    batch_size: int = typer.Option(DEFAULTS.batch_size, min=1),
    lr: float = typer.Option(DEFAULTS.lr, min=0.0),
    momentum: float = typer.Option(DEFAULTS.momentum, min=0.0),
    seed: int = typer.Option(DEFAULTS.seed),
    train_limit: int = typer.Option(None, min=1, help="Train on the first N images only."),
    data_dir: Path = typer.Option(DEFAULTS.data_dir, help="Folder of the MNIST IDX files (fetched if missing)."),
) -> None:
    """Train the network with the reference's settings and save it with its per-epoch history."""
    config = TrainConfig(epochs=epochs, batch_size=batch_size, lr=lr, momentum=momentum, seed=seed,
                         train_limit=train_limit, data_dir=data_dir)
    model, history = train(config)
    checkpoint.save(model, out)
    atomic.write_text(out.with_suffix(".history.json"), json.dumps(history_rows(history), indent=2))
    typer.echo(f"saved {out}")


@app.command("evaluate")
def evaluate_command(
    model: Path = typer.Option(Path("out/keras/model.keras"), help="A model saved by `train` or `convert`."),
    data_dir: Path = typer.Option(DEFAULTS.data_dir),
    examples: int = typer.Option(10, min=0, help="How many test examples to print."),
) -> None:
    """Print the first test examples (outputs, index of max, label) and the test accuracy."""
    net = checkpoint.load(model)
    data = mnist.load(data_dir)
    log_probs = log_probabilities(net, data.test_images / np.float32(255))
    for index in range(examples):
        typer.echo(format_example(index, log_probs[index], int(data.test_labels[index])))
    accuracy = (log_probs.argmax(1) == data.test_labels).mean()
    typer.echo(f"test accuracy: {100 * accuracy:.2f}% on {len(data.test_labels)} images")


@app.command("convert")
def convert_command(
    source: Path = typer.Argument(..., help="A PyTorch state_dict (.pth) or a Keras model (.keras)."),
    target: Path = typer.Argument(..., help="Where to write the other kind (.keras or .pth)."),
) -> None:
    """Convert the network's weights: PyTorch .pth -> Keras .keras, or .keras -> .pth."""
    if (source.suffix, target.suffix) == (".pth", ".keras"):
        model = build()
        set_weights(model, torch_to_keras(_read_torch_state(source)))
        checkpoint.save(model, target)
    elif (source.suffix, target.suffix) == (".keras", ".pth"):
        _write_torch_state(keras_file_to_torch_state(source), target)
    else:
        raise InputError(f"convert goes .pth -> .keras or .keras -> .pth, not {source.name} -> {target.name}")
    typer.echo(f"saved {target}")


def format_example(index: int, log_probs: np.ndarray, label: int) -> str:
    """One test example as the seed report prints it (as torch-mnist evaluate does)."""
    values = ", ".join(f"{value:.2f}" for value in log_probs)
    return (f"Example {index}\nOutput values: [{values}]\n"
            f"Index of max value: {int(log_probs.argmax())}\nCorrect label of digit: {label}")


# torch is imported only when a conversion touches a .pth file.
def _read_torch_state(path: Path) -> dict[str, np.ndarray]:
    from torch_impl import checkpoint as torch_checkpoint

    return {key: value.numpy() for key, value in torch_checkpoint.load(path).state_dict().items()}


def _write_torch_state(state: dict[str, np.ndarray], path: Path) -> None:
    import torch

    from torch_impl import checkpoint as torch_checkpoint
    from torch_impl.model import Net

    net = Net()
    net.load_state_dict({key: torch.from_numpy(value) for key, value in state.items()})
    torch_checkpoint.save(net, path)


def main() -> None:
    run_cli(app)
