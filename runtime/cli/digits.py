"""`runtime predict`, `embed`, `evaluate`, `info` and `fetch`: the digit network and its embedding on pictures,
MNIST and model files."""
import json
from pathlib import Path

import numpy as np
import typer

from runtime import atomic
from runtime.errors import InputError, report
from runtime.models import DIGITS, EMBEDDING, DigitModel, EmbeddingModel, OnnxModel
from runtime.models.contract import describe
from runtime.reading.files import read_files

DATA_DIR = Path("data/mnist")  # runtime.data.mnist.DEFAULT_DIR, without importing the downloader at start-up
IMAGES = typer.Argument(..., help="Image files or folders of images (photos, scans, drawings).")
AS_JSON = typer.Option(False, "--json", help="Print the results as JSON.")


def predict_command(
    images: list[Path] = IMAGES,
    model: Path = typer.Option(DIGITS, help="A full-network ONNX file.", show_default="the shipped digits.onnx"),
    top_k: int = typer.Option(1, "--top-k", min=1, max=10, help="Show the K most likely digits."),
    reject_below: float = typer.Option(None, "--reject-below", min=0, max=1,
                                       help="Not a digit when the best probability is below this.",
                                       show_default="the model's own threshold"),
    accept_all: bool = typer.Option(False, "--accept-all", help="Never say 'not a digit' (threshold 0)."),
    as_json: bool = AS_JSON,
) -> None:
    """Read the digit in each picture and print it with its probability, or '?' when it is not a digit.

    Probabilities are calibrated; a picture whose best probability is below the model's threshold (metadata
    `reject_below`, or --reject-below) is "not a digit", printed with its best guess (`is_digit` in --json).

    A picture holding several symbols is read at the one nearest its centre and largest; --json says
    how many it holds (`candidates`) and where the one read is (`box`: left, top, width, height as
    fractions of the picture). Unreadable files are reported on stderr, one line each, and the rest
    still processed; the exit code is then 1.
    """
    digits = DigitModel(model, reject_below=0.0 if accept_all else reject_below)
    readings, paths, failed = read_files(images)
    report(failed)
    predictions = digits.predict([reading.image for reading in readings])
    results = [{"path": str(path), **prediction.to_json(top_k), **reading.where()}
               for path, prediction, reading in zip(paths, predictions, readings)]
    if as_json:
        typer.echo(json.dumps(results, indent=2))
    for result in [] if as_json else results:
        typer.echo(f"{result['path']}: {_answer(result)}")
    if failed:
        raise typer.Exit(1)


def _answer(result: dict) -> str:
    """'7 (p=0.998)' (with the next likeliest for --top-k), or '? (not a digit; best guess 7, p = 0.41)'."""
    if not result["is_digit"]:
        return f"? (not a digit; best guess {result['digit']}, p = {result['probability']:.2f})"
    return ", ".join(f"{t['digit']} (p={t['probability']:.3f})" for t in result["top"])


def embed_command(
    images: list[Path] = IMAGES,
    out: Path = typer.Option(..., "-o", "--out",
                             help="Output file: .npy (float32 [N, 50]) or .csv (path + 50 values)."),
    model: Path = typer.Option(EMBEDDING, help="An embedding ONNX file.", show_default="the shipped embedding.onnx"),
) -> None:
    """Write the 50-d embedding (the network's dense-50 layer) of each picture, in argument order."""
    if out.suffix not in (".npy", ".csv"):
        raise InputError(f"{out}: output must end in .npy or .csv")
    embedding = EmbeddingModel(model)
    readings, paths, failed = read_files(images)
    report(failed)
    vectors = embedding.embed([reading.image for reading in readings])
    with atomic.atomic_path(out) as tmp:
        if out.suffix == ".npy":
            with tmp.open("wb") as handle:
                np.save(handle, vectors)
        else:
            header = "path," + ",".join(f"e{i}" for i in range(vectors.shape[1]))
            rows = [f"{path}," + ",".join(f"{v:.9g}" for v in row) for path, row in zip(paths, vectors)]
            tmp.write_text("\n".join([header, *rows]) + "\n")
    typer.echo(f"wrote {len(paths)} x {vectors.shape[1]} embeddings to {out}")
    if failed:
        raise typer.Exit(1)


def evaluate_command(
    model: Path = typer.Option(DIGITS, help="A full-network ONNX file.", show_default="the shipped digits.onnx"),
    data_dir: Path = typer.Option(DATA_DIR, help="Folder of the MNIST IDX files (fetched if missing)."),
    as_json: bool = AS_JSON,
) -> None:
    """Accuracy of a model on the 10,000 MNIST test images."""
    from runtime.data import mnist

    digits = DigitModel(model)
    data = mnist.load(data_dir)
    correct = int((digits.run(data.test_images / np.float32(255)).argmax(1) == data.test_labels).sum())
    result = {"model": str(model), "correct": correct, "images": len(data.test_labels),
              "accuracy": correct / len(data.test_labels)}
    typer.echo(json.dumps(result, indent=2) if as_json else
               f"test accuracy: {100 * result['accuracy']:.2f}% ({correct}/{result['images']}) for {model}")


def info_command(model: Path = typer.Argument(..., help="An ONNX file."), as_json: bool = AS_JSON) -> None:
    """Show a model's inputs, outputs and metadata (how it was made, trained and verified)."""
    info = describe(OnnxModel(model))
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    typer.echo(f"{info['path']}: {info['kind']} model")
    for role in ("inputs", "outputs"):
        for tensor in info[role]:
            typer.echo(f"  {role[:-1]:<6} {tensor['name']} {tensor['type']} {tensor['shape']}")
    for key, value in info["metadata"].items():
        typer.echo(f"  {key}: {value}")


def fetch_command(data_dir: Path = typer.Option(DATA_DIR, help="Where to put the MNIST IDX files.")) -> None:
    """Download MNIST (checked by SHA-256); nothing is fetched when the files are already there."""
    from runtime.data import mnist

    typer.echo(f"MNIST ready in {mnist.fetch(data_dir)}")
