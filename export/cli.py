"""Command line of the exporter: ONNX graphs from a model file, and the runtime's shipped models."""
import json
from pathlib import Path

import typer

from runtime.data.mnist import DEFAULT_DIR
from runtime.errors import InputError, run_cli
from runtime.models.contract import MODELS_DIR

app = typer.Typer(help="Export the MNIST network to ONNX for the framework-free runtime.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False, rich_markup_mode="markdown")


@app.command("graphs")
def graphs_command(
    model: Path = typer.Argument(..., help="A PyTorch state_dict (.pth) or a Keras model file (.keras)."),
    out: Path = typer.Argument(..., help="Folder for digits.onnx (full network) and embedding.onnx (dense-50)."),
    training: str = typer.Option(None, help='Settings the model was trained with, as JSON (e.g. \'{"seed": 1}\'), '
                                            "stored in the graphs' metadata (default: those the model file "
                                            "holds from its training)."),
    data_dir: Path = typer.Option(DEFAULT_DIR, help="Folder of the MNIST IDX files (fetched if missing)."),
    as_json: bool = typer.Option(False, "--json", help="Print the written files and their metadata as JSON."),
) -> None:
    """Export the full network and its dense-50 embedding from a model file as ONNX graphs.

    Each graph is checked with onnx.checker and verified against the source framework on the 10,000
    MNIST test images (max |difference| <= 1e-4, same predicted class); nothing is written otherwise.
    """
    from export.graphs import export_file
    from runtime.data import mnist

    written = export_file(model, out, mnist.load(data_dir), _parse_training(training))
    if as_json:
        typer.echo(json.dumps({kind: {"path": str(item.path), "metadata": item.metadata}
                               for kind, item in written.items()}, indent=2))
        return
    for kind, item in written.items():
        typer.echo(f"wrote {item.path} ({kind}; MNIST test accuracy {item.metadata['mnist_test_accuracy']}, "
                   f"max |difference| from {item.metadata['source_framework']} {item.metadata['parity_max_abs_diff']})")


@app.command("calibrate")
def calibrate_command(
    folder: Path = typer.Argument(..., help="A folder holding digits.onnx and embedding.onnx."),
    data_dir: Path = typer.Option(DEFAULT_DIR, help="Folder of the MNIST IDX files (fetched if missing)."),
) -> None:
    """Fit the graphs' calibration again and store it in their metadata (their weights unchanged).

    The temperature of the probabilities and the "not a digit" threshold are fitted on the last 10,000 MNIST
    training images, as `graphs` does for every export: for graphs exported before graphs had them.
    """
    from export.graphs import recalibrate_folder
    from runtime.data import mnist

    written = recalibrate_folder(folder, mnist.load(data_dir))
    fields = written["full"].metadata
    typer.echo(f"wrote {', '.join(str(item.path) for item in written.values())} (temperature "
               f"{fields['temperature']}, not a digit below p = {fields['reject_below']})")


@app.command("models")
def models_command(
    out: Path = typer.Option(MODELS_DIR, help="Where the runtime's default models live.",
                             show_default="runtime/models"),
    weights: Path = typer.Option(None, help="Skip one training: a .pth trained with the shipped recipe (the "
                                 "embedding's)."),
    digits_weights: Path = typer.Option(None, help="Skip the other: a .pth trained with the shipped digit graph's "
                                        "recipe (outlier exposure)."),
    threads: int = typer.Option(2, min=1, help="CPU threads for training."),
    data_dir: Path = typer.Option(DEFAULT_DIR, help="Folder of the MNIST IDX files (fetched if missing)."),
) -> None:
    """Regenerate the runtime's shipped models in runtime/models.

    Trains the reference network with the stronger recipe and again with outlier exposure (about 12 minutes
    on 2 free cores), exports the first's embedding and the second's digit graph, and embeds the generated
    Greek letters as the default reference set.
    """
    from export import shipped

    for path in shipped.build(out, weights, digits_weights, data_dir, threads):
        typer.echo(f"wrote {path}")


@app.command("greek-refs")
def greek_refs_command(
    out: Path = typer.Option(MODELS_DIR, help="Folder holding embedding.onnx; greek_refs.npz is written there.",
                             show_default="runtime/models"),
) -> None:
    """Rebuild only the default Greek reference set, with the embedding already shipped.

    Needed when the Greek letter generator (synthetic/greek.py) or the preprocessing changes.
    """
    from export import shipped

    typer.echo(f"wrote {shipped.rebuild_greek_references(out)}")


def _parse_training(text: str | None) -> dict | None:
    if text is None:
        return None
    try:
        settings = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"--training is not valid JSON ({error})") from None
    if not isinstance(settings, dict):
        raise InputError("--training must be a JSON object, e.g. '{\"seed\": 1}'")
    return settings


def main() -> None:
    run_cli(app)
