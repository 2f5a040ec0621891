"""`runtime serve`'s app: the networks over HTTP, on Starlette (the optional extra `[serve]`).

  GET  /                          the drawing page (runtime/serve/page/, no CDN)
  POST /predict, /embed, /greek/classify
                                  pictures as multipart field `file` (repeatable) or one picture as the
                                  raw body (image/* or application/octet-stream); one JSON entry per
                                  picture, as `runtime ... --json` prints them, or {"path", "error"}
  /v2/...                         the Open Inference Protocol (KServe v2), runtime/serve/kserve.py

Pictures are read by runtime.reading.read_many, as `runtime predict` reads files; the two networks run behind
a BatchedModel each, so requests that arrive together run as one onnxruntime call. Every error is
{"error": "<one line>"} with a 4xx status.
"""
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import anyio
import numpy as np
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from runtime.errors import InputError
from runtime.models import BatchedModel, DigitModel, EmbeddingModel, OnnxModel
from runtime.reading import Reading, read_many
from runtime.reading.decode import encoded_size
from runtime.serve import kserve
from runtime.serve.http import BodyLimit, HTTPError, error_response
from runtime.symbols import SymbolClassifier, class_list

MAX_BODY_BYTES = 16 * 1024 * 1024
MAX_FILES = 64  # pictures in one multipart request
PAGE_DIR = Path(__file__).parent / "page"
PAGE_FILES = {"/": ("index.html", "text/html; charset=utf-8"), "/page.js": ("page.js", "text/javascript"),
              "/page.css": ("page.css", "text/css")}
RAW_TYPES = ("image/", "application/octet-stream")
# Pictures are read in one thread, not Starlette's pool of 40: reading a 28x28 PNG is 1.4 ms of small numpy and
# OpenCV calls, and threads reading together mostly wait for the GIL (32 clients of POST /predict, bench.serving's
# load: 194 requests/s with the pool, 298 with one thread; with MAX_WAIT_MS 0 as well, 448 with one thread, 293
# with two). A large photo still uses both cores: OpenCV parallelises inside its own calls.
READERS = 1
# A request of one picture this small is read in the event loop itself: reading it (0.9 ms at 28x28, 1.5 ms at
# 64x64) costs less than handing it to the reader thread and back under load (32 clients of POST /predict, 10,000
# requests in 5 alternating rounds: 353 requests/s through the thread, 443 in the loop), and holds the other
# requests up no longer than that. Larger ones (a canvas of 280x280 takes 9 ms, a photo up to 1 s) go to the thread.
LOOP_PIXELS = 64 * 64


@dataclass
class Models:
    digits: DigitModel
    embedding: EmbeddingModel
    symbols: SymbolClassifier  # shares `embedding`

    def close(self) -> None:
        """Finish the batches in flight and stop the networks' batching threads."""
        for model in (self.digits, self.embedding):
            model.net.close()


def load_models(digits: Path, embedding: Path, references: Path, max_batch: int, max_wait_ms: float,
                reject_below: float | None = None) -> Models:
    """The three models of the routes, each network behind its BatchedModel (InputError for a bad file);
    `reject_below`: DigitModel's."""
    def batched(path: Path, kind: str) -> BatchedModel:  # spin_wait off: onnxruntime leaves the cores to requests
        return BatchedModel(OnnxModel(path, kind, spin_wait=False), max_batch, max_wait_ms)
    shared = EmbeddingModel(batched(embedding, "embedding"))
    return Models(DigitModel(batched(digits, "full"), reject_below=reject_below), shared,
                  SymbolClassifier(references, shared))


def create_app(models: Models, max_body: int = MAX_BODY_BYTES) -> ASGIApp:
    routes = [*(Route(path, _page_file) for path in PAGE_FILES),
              Route("/predict", _predict, methods=["POST"]), Route("/embed", _embed, methods=["POST"]),
              Route("/greek/classify", _classify, methods=["POST"]),
              *kserve.routes({"digits": models.digits.net, "embedding": models.embedding.net})]
    app = Starlette(routes=routes, exception_handlers={HTTPError: error_response, HTTPException: error_response,
                                                       Exception: error_response})
    app.state.models = models
    app.state.readers = anyio.CapacityLimiter(READERS)
    app.state.page = {route: Response(_page_bytes(name), media_type=kind) for route, (name, kind) in PAGE_FILES.items()}
    return BodyLimit(app, max_body)


async def _page_file(request: Request) -> Response:
    return request.app.state.page[request.url.path]


async def _predict(request: Request) -> JSONResponse:
    top_k = _int_option(request, "top_k", 1, 1, 10)
    digits = request.app.state.models.digits

    async def answer(batch: np.ndarray) -> list[dict]:
        return [prediction.to_json(top_k) for prediction in await digits.predict_async(batch)]
    return await _answer_each(request, answer, with_where=True)


async def _embed(request: Request) -> JSONResponse:
    embedding = request.app.state.models.embedding

    async def answer(batch: np.ndarray) -> list[dict]:
        return [{"embedding": row.tolist()} for row in await embedding.embed_async(batch)]
    return await _answer_each(request, answer)


async def _classify(request: Request) -> JSONResponse:
    k = _int_option(request, "k", None, 1, 1000)
    classifier = request.app.state.models.symbols
    if request.query_params.get("classes"):
        with _as_400():
            classifier = classifier.only(class_list(request.query_params["classes"]))

    async def answer(batch: np.ndarray) -> list[dict]:
        return [match.to_json() for match in await classifier.classify_async(batch, k)]
    return await _answer_each(request, answer)


async def _answer_each(request: Request, answer: Callable[[np.ndarray], Awaitable[list[dict]]],
                       with_where: bool = False) -> JSONResponse:
    """One entry per picture, in order: {"path": name, **its answer} or {"path": name, "error": ...}.

    `answer` maps the [N, 28, 28] readable pictures to one dict each; `with_where` adds Reading.where's keys.
    """
    names, pictures = await _read_pictures(request)
    if len(pictures) == 1 and _is_small(pictures[0]):
        readings = read_many(pictures, names)
    else:
        readings = await anyio.to_thread.run_sync(read_many, pictures, names, limiter=request.app.state.readers)
    readable = [reading.image for reading in readings if isinstance(reading, Reading)]
    with _as_400():
        answers = iter(await answer(np.stack(readable)) if readable else [])
    with_image, entries = _flag(request, "image"), []
    for name, reading in zip(names, readings):
        if isinstance(reading, InputError):
            entries.append({"path": name, "error": str(reading)})
        else:
            entries.append({"path": name, **next(answers), **(reading.where() if with_where else {}),
                            **({"image": _pixels(reading.image)} if with_image else {})})
    return JSONResponse(entries)


def _is_small(picture: bytes) -> bool:
    """Whether the picture's header says it has at most LOOP_PIXELS pixels."""
    size = encoded_size(picture)
    return size is not None and size[0] * size[1] <= LOOP_PIXELS


def _page_bytes(name: str) -> bytes:
    try:
        return (PAGE_DIR / name).read_bytes()
    except OSError:
        raise InputError(f"{PAGE_DIR / name}: missing from the installed package "
                         "(its package data must include runtime/serve/page/*)") from None


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


@contextmanager
def _as_400() -> Iterator[None]:
    """An InputError raised inside, turned into a 400 answer."""
    try:
        yield
    except InputError as error:
        raise HTTPError(400, str(error)) from None
