"""`runtime serve`: the networks over HTTP (the `[serve]` extra)."""
from pathlib import Path

import typer

from runtime.errors import InputError
from runtime.models import DIGITS, EMBEDDING, GREEK_REFS
from runtime.models.batching import MAX_BATCH, MAX_WAIT_MS


def serve_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on; 0.0.0.0 opens the server to the network."),
    port: int = typer.Option(8000, min=0, max=65535, help="TCP port (0: any free one, printed at start)."),
    model: Path = typer.Option(DIGITS, help="A full-network ONNX file.", show_default="the shipped digits.onnx"),
    embedding: Path = typer.Option(EMBEDDING, help="An embedding ONNX file.",
                                   show_default="the shipped embedding.onnx"),
    refs: Path = typer.Option(GREEK_REFS, help="Reference set from `greek fit`.",
                              show_default="the shipped generated letters alpha..omega"),
    max_batch: int = typer.Option(MAX_BATCH, min=1, help="Most images run as one batch (1: no batching)."),
    max_wait_ms: float = typer.Option(MAX_WAIT_MS, min=0,
                                      help="Longest wait for more requests to join a batch."),
    reject_below: float = typer.Option(None, "--reject-below", min=0, max=1,
                                       help="POST /predict: not a digit when the best probability is below this.",
                                       show_default="the model's own threshold"),
    workers: int = typer.Option(1, min=1, max=64, help="Server processes sharing the port, each with its own "
                                                       "models and batchers."),
) -> None:
    """Serve the networks over HTTP until Ctrl-C or SIGTERM: a drawing page at /, `POST /predict`,
    `/embed` and `/greek/classify` (pictures as multipart field `file`, or one as the raw body), and the
    Open Inference Protocol (KServe v2) under /v2 for the models `digits` and `embedding`.

    Needs the `[serve]` extra (Starlette, uvicorn, python-multipart).
    """
    try:  # imported here: the other commands start without Starlette and uvicorn
        from runtime.serve.process import Settings, serve
    except ModuleNotFoundError as missing:
        raise InputError(f"runtime serve needs the [serve] extra ({missing.name} is not installed): "
                         "pip install \"./runtime[serve]\" (in the repository)") from None
    raise typer.Exit(serve(Settings(model, embedding, refs, max_batch, max_wait_ms, reject_below), host, port, workers))
