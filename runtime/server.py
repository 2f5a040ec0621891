"""`runtime serve`: the networks over HTTP, on Starlette and uvicorn (the optional extra `[serve]`).

  GET  /                          the drawing page (runtime/page/, no CDN)
  POST /predict, /embed, /greek/classify
                                  pictures as multipart field `file` (repeatable) or one picture as the
                                  raw body (image/* or application/octet-stream); one JSON entry per
                                  picture, as `runtime ... --json` prints them, or {"path", "error"}
  /v2/...                         the Open Inference Protocol (KServe v2), runtime/kserve.py

Everything goes through runtime.api; the two networks run behind a Batcher each, so requests that
arrive together run as one onnxruntime call. Every error is {"error": "<one line>"} with a 4xx status.
"""
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runtime import kserve
from runtime.api import DigitModel, EmbeddingModel, SymbolClassifier, class_list, read_each_symbol, where_json
from runtime.batching import Batcher
from runtime.errors import InputError
from runtime.http_errors import HTTPError

MAX_BODY_BYTES = 16 * 1024 * 1024
MAX_FILES = 64  # pictures in one multipart request
PAGE_DIR = Path(__file__).parent / "page"
PAGE_FILES = {"/": ("index.html", "text/html; charset=utf-8"), "/page.js": ("page.js", "text/javascript"),
              "/page.css": ("page.css", "text/css")}
RAW_TYPES = ("image/", "application/octet-stream")


@dataclass
class Models:
    digits: DigitModel
    embedding: EmbeddingModel
    symbols: SymbolClassifier  # shares `embedding`


def load_models(digits: Path, embedding: Path, references: Path, max_batch: int, max_wait_ms: float) -> Models:
    """The three models of the routes, each network behind its Batcher (InputError for a bad file)."""
    net = EmbeddingModel(embedding, spin_wait=False)  # onnxruntime's threads leave the cores to the requests
    models = Models(DigitModel(digits, spin_wait=False), net, SymbolClassifier(references, net))
    for model in (models.digits, models.embedding):
        model.run = Batcher(model.net.run, max_batch, max_wait_ms / 1000)
    return models


def create_app(models: Models, max_body: int = MAX_BODY_BYTES) -> ASGIApp:
    page = {route: Response(_page_file(name), media_type=kind) for route, (name, kind) in PAGE_FILES.items()}

    async def page_file(request: Request) -> Response:
        return page[request.url.path]

    async def predict(request: Request) -> JSONResponse:
        top_k = _int_option(request, "top_k", 1, 1, 10)
        names, images = await _read_pictures(request)

        def answer(batch: np.ndarray) -> list[dict]:
            return [prediction.to_json(top_k) for prediction in models.digits.predict(batch)]
        return JSONResponse(await run_in_threadpool(_entries, names, images, answer, _flag(request, "image"), True))

    async def embed(request: Request) -> JSONResponse:
        names, images = await _read_pictures(request)

        def answer(batch: np.ndarray) -> list[dict]:
            return [{"embedding": row.tolist()} for row in models.embedding.embed(batch)]
        return JSONResponse(await run_in_threadpool(_entries, names, images, answer, _flag(request, "image")))

    async def classify(request: Request) -> JSONResponse:
        k = _int_option(request, "k", None, 1, 1000)
        classifier = models.symbols
        if request.query_params.get("classes"):
            classifier = _or_400(classifier.only, class_list(request.query_params["classes"]))
        names, images = await _read_pictures(request)

        def answer(batch: np.ndarray) -> list[dict]:
            return [match.to_json() for match in classifier.classify(batch, k)]
        return JSONResponse(await run_in_threadpool(_entries, names, images, answer, _flag(request, "image")))

    routes = [*(Route(path, page_file) for path in PAGE_FILES),
              Route("/predict", predict, methods=["POST"]), Route("/embed", embed, methods=["POST"]),
              Route("/greek/classify", classify, methods=["POST"]),
              *kserve.routes({"digits": models.digits, "embedding": models.embedding})]
    app = Starlette(routes=routes, exception_handlers={HTTPError: _error_response, HTTPException: _error_response,
                                                       Exception: _error_response})
    return _BodyLimit(app, max_body)


def serve(models: Models, host: str, port: int, max_body: int = MAX_BODY_BYTES) -> None:
    """Answer on host:port until SIGTERM or Ctrl-C, then finish the requests in flight and return."""
    listener = _listen(host, port)
    config = uvicorn.Config(create_app(models, max_body), log_level="warning", access_log=False,
                            timeout_graceful_shutdown=30)
    # uvicorn re-raises the signal that stopped it once it has shut down; with handlers of our own in
    # place beforehand that is a no-op, and the process exits 0 as after any finished job.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda *_: None)
    bound_host, bound_port = listener.getsockname()[:2]
    print(f"serving on http://{bound_host}:{bound_port} (Ctrl-C to stop)", flush=True)
    uvicorn.Server(config).run(sockets=[listener])
    for model in (models.digits, models.embedding):
        model.run.close()


def _page_file(name: str) -> bytes:
    try:
        return (PAGE_DIR / name).read_bytes()
    except OSError:
        raise InputError(f"{PAGE_DIR / name}: missing from the installed package "
                         "(its package data must include runtime/page/*)") from None


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0: any free one); InputError when the address cannot be had."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(2048)
    except (OSError, OverflowError) as error:
        raise InputError(f"cannot listen on {host}:{port} ({getattr(error, 'strerror', None) or error})") from None
    return listener


async def _read_pictures(request: Request) -> tuple[list[str], list[bytes]]:
    """(names, encoded pictures) from the multipart fields `file`, or the raw body as one picture."""
    kind = request.headers.get("content-type", "")
    if kind.startswith(RAW_TYPES):
        body = await request.body()
        if not body:
            raise HTTPError(400, "empty body: send a picture")
        return ["body"], [body]
    if not kind.startswith("multipart/form-data"):
        raise HTTPError(415, f"unsupported media type {kind or '(none)'!r}: send multipart/form-data with "
                             "field 'file', or one picture as image/* or application/octet-stream")
    async with request.form(max_files=MAX_FILES, max_fields=MAX_FILES) as form:
        files = form.getlist("file")
        if not files:
            raise HTTPError(400, "no field 'file' in the form")
        if not all(isinstance(file, UploadFile) for file in files):
            raise HTTPError(400, "field 'file' must hold files, not text")
        return [file.filename or "file" for file in files], [await file.read() for file in files]


def _entries(names: list[str], pictures: list[bytes], answer: Callable[[np.ndarray], list[dict]],
             with_image: bool, with_where: bool = False) -> list[dict]:
    """One entry per picture, in order: {"path": name, **its answer} or {"path": name, "error": ...}.

    `answer` maps the [N, 28, 28] readable pictures to one dict each; `with_where` adds where_json's keys.
    """
    readings = read_each_symbol(list(zip(names, pictures)))
    readable = [reading.image for reading in readings if not isinstance(reading, InputError)]
    answers = iter(_or_400(answer, np.stack(readable)) if readable else [])
    entries = []
    for name, reading in zip(names, readings):
        if isinstance(reading, InputError):
            entries.append({"path": name, "error": str(reading)})
        else:
            entries.append({"path": name, **next(answers), **(where_json(reading) if with_where else {}),
                            **({"image": _pixels(reading.image)} if with_image else {})})
    return entries


def _pixels(image: np.ndarray) -> list[list[float]]:
    """The 28x28 input the network saw, rows of values in [0, 1] to 3 decimals."""
    return np.round(image, 3).tolist()


def _int_option(request: Request, name: str, default: int | None, low: int, high: int) -> int | None:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit() and low <= int(text) <= high):
        raise HTTPError(400, f"{name} must be an integer from {low} to {high}, got {text[:40]!r}")
    return int(text)


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "yes")


def _or_400(function, *args):
    """function(*args), its InputError turned into a 400 answer."""
    try:
        return function(*args)
    except InputError as error:
        raise HTTPError(400, str(error)) from None


async def _error_response(request: Request, error: Exception) -> JSONResponse:
    if isinstance(error, HTTPError):
        status, message = error.status, str(error)
    elif isinstance(error, HTTPException):
        status, message = error.status_code, str(error.detail)
    else:  # a bug: still one line, never a traceback in the answer
        print(f"error: {request.method} {request.url.path}: {type(error).__name__}: {error}", file=sys.stderr)
        status, message = 500, "internal error"
    headers = {"Allow": error.headers["Allow"]} if isinstance(error, HTTPException) and error.headers else None
    return JSONResponse({"error": " ".join(message.split())}, status, headers=headers)


class _BodyLimit:
    """413 for a request body over `limit` bytes, announced (Content-Length) or streamed (chunked)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.limit:
            status = 413 if length.isdigit() else 400
            message = f"request body over {self.limit} bytes" if status == 413 else "malformed Content-Length"
            return await JSONResponse({"error": message}, status)(scope, receive, send)
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPError(413, f"request body over {self.limit} bytes")
            return message

        await self.app(scope, limited, send)

