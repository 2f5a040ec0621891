"""`runtime`: read handwritten digits and place symbols in the digit network's embedding space.

Needs only numpy, onnxruntime, OpenCV and typer; the default models ship inside the package.
"""
import json
from pathlib import Path

import numpy as np
import typer

from runtime import atomic, batching
from runtime.api import DigitModel, EmbeddingModel, where_json
from runtime.errors import InputError, report, run_cli
from runtime.greek_cli import greek
from runtime.inputs import images_of, load_images, load_readings
from runtime.onnx_model import DIGITS, EMBEDDING, GREEK_REFS, OnnxModel, describe

DATA_DIR = Path("data/mnist")  # runtime.mnist.DEFAULT_DIR, without importing the downloader at start-up

app = typer.Typer(help="Recognise handwritten digits and symbols with the exported MNIST network (ONNX).",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  rich_markup_mode="markdown")  # markdown: docstring paragraphs are reflowed
app.add_typer(greek, name="greek")
IMAGES = typer.Argument(..., help="Image files or folders of images (photos, scans, drawings).")
AS_JSON = typer.Option(False, "--json", help="Print the results as JSON.")


@app.command("predict")
def predict_command(
    images: list[Path] = IMAGES,
    model: Path = typer.Option(DIGITS, help="A full-network ONNX file.", show_default="the shipped digits.onnx"),
    top_k: int = typer.Option(1, "--top-k", min=1, max=10, help="Show the K most likely digits."),
    as_json: bool = AS_JSON,
) -> None:
    """Read the digit in each picture and print it with its probability.

    A picture holding several symbols is read at the one nearest its centre and largest; --json says
    how many it holds (`candidates`) and where the one read is (`box`: left, top, width, height as
    fractions of the picture). Unreadable files are reported on stderr, one line each, and the rest
    still processed; the exit code is then 1.
    """
    digits = DigitModel(model)
    readings, paths, failed = load_readings(images)
    report(failed)
    predictions = digits.predict(images_of(readings))
    results = [{"path": str(path), **prediction.to_json(top_k), **where_json(reading)}
               for path, prediction, reading in zip(paths, predictions, readings)]
    if as_json:
        typer.echo(json.dumps(results, indent=2))
    for result in [] if as_json else results:
        typer.echo(f"{result['path']}: " + ", ".join(f"{t['digit']} (p={t['probability']:.3f})" for t in result["top"]))
    if failed:
        raise typer.Exit(1)


@app.command("embed")
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
    pictures, paths, failed = load_images(images)
    report(failed)
    vectors = embedding.embed(pictures)
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


@app.command("evaluate")
def evaluate_command(
    model: Path = typer.Option(DIGITS, help="A full-network ONNX file.", show_default="the shipped digits.onnx"),
    data_dir: Path = typer.Option(DATA_DIR, help="Folder of the MNIST IDX files (fetched if missing)."),
    as_json: bool = AS_JSON,
) -> None:
    """Accuracy of a model on the 10,000 MNIST test images."""
    from runtime import mnist

    digits = DigitModel(model)
    data = mnist.load(data_dir)
    correct = int((digits.run(data.test_images / np.float32(255)).argmax(1) == data.test_labels).sum())
    result = {"model": str(model), "correct": correct, "images": len(data.test_labels),
              "accuracy": correct / len(data.test_labels)}
    typer.echo(json.dumps(result, indent=2) if as_json else
               f"test accuracy: {100 * result['accuracy']:.2f}% ({correct}/{result['images']}) for {model}")


@app.command("info")
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


@app.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on; 0.0.0.0 opens the server to the network."),
    port: int = typer.Option(8000, min=0, max=65535, help="TCP port (0: any free one, printed at start)."),
    model: Path = typer.Option(DIGITS, help="A full-network ONNX file.", show_default="the shipped digits.onnx"),
    embedding: Path = typer.Option(EMBEDDING, help="An embedding ONNX file.",
                                   show_default="the shipped embedding.onnx"),
    refs: Path = typer.Option(GREEK_REFS, help="Reference set from `greek fit`.",
                              show_default="the shipped generated letters alpha..omega"),
    max_batch: int = typer.Option(batching.MAX_BATCH, min=1, help="Most images run as one batch (1: no batching)."),
    max_wait_ms: float = typer.Option(batching.MAX_WAIT_MS, min=0,
                                      help="Longest wait for more requests to join a batch."),
) -> None:
    """Serve the networks over HTTP until Ctrl-C or SIGTERM: a drawing page at /, `POST /predict`,
    `/embed` and `/greek/classify` (pictures as multipart field `file`, or one as the raw body), and the
    Open Inference Protocol (KServe v2) under /v2 for the models `digits` and `embedding`.

    Needs the `[serve]` extra (Starlette, uvicorn, python-multipart).
    """
    try:  # imported here: the other commands start without Starlette and uvicorn
        from runtime import server
    except ModuleNotFoundError as missing:
        raise InputError(f"runtime serve needs the [serve] extra ({missing.name} is not installed): "
                         "pip install \"./runtime[serve]\" (in the repository)") from None
    server.serve(server.load_models(model, embedding, refs, max_batch, max_wait_ms), host, port)


@app.command("fetch")
def fetch_command(data_dir: Path = typer.Option(DATA_DIR, help="Where to put the MNIST IDX files.")) -> None:
    """Download MNIST (checked by SHA-256); nothing is fetched when the files are already there."""
    from runtime import mnist

    typer.echo(f"MNIST ready in {mnist.fetch(data_dir)}")


def main() -> None:
    run_cli(app)
