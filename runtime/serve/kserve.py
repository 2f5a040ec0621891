"""The Open Inference Protocol (KServe v2, HTTP/REST) for the two graphs, as models `digits` and `embedding`.

  GET  /v2/health/live, /v2/health/ready, /v2                  server liveness, readiness, metadata
  GET  /v2/models/{name}, /v2/models/{name}/ready               inputs, outputs and the graph's metadata
  POST /v2/models/{name}[/versions/1]/infer                     input `image`: FP32 [N, 1, 28, 28] in [0, 1]

Tensors travel as JSON `data`, flat in row-major order (or nested), or as raw little-endian bytes
after the JSON (the protocol's binary-data extension, tritonclient's default). Inference awaits the
model's batches (BatchedModel.run_async): no thread waits for them.
"""
import importlib.metadata
import json
import math
from functools import partial

import numpy as np
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from runtime.models import BatchedModel
from runtime.models.contract import INPUT_NAME, INPUT_SHAPE, OnnxModel
from runtime.serve.http import HTTPError, json_body

VERSION = "1"  # every model has one version
PLATFORM = "onnxruntime_onnx"


def routes(models: dict[str, BatchedModel]) -> list[Route]:
    """The protocol's routes for `models` (name -> model)."""
    def of(models_endpoint):  # the endpoint with the models bound: Starlette's Route takes partials
        return partial(models_endpoint, models)
    return [Route("/v2/health/live", _live), Route("/v2/health/ready", _ready), Route("/v2", _server_metadata),
            Route("/v2/models/{name}", of(_model_metadata)), Route("/v2/models/{name}/ready", of(_model_ready)),
            Route("/v2/models/{name}/infer", of(_infer), methods=["POST"]),
            Route("/v2/models/{name}/versions/{version}/infer", of(_infer), methods=["POST"])]


async def _live(request: Request) -> JSONResponse:
    return JSONResponse({"live": True})


async def _ready(request: Request) -> JSONResponse:
    return JSONResponse({"ready": True})


async def _server_metadata(request: Request) -> JSONResponse:
    return JSONResponse({"name": "runtime", "version": importlib.metadata.version("mnist-runtime"), "extensions": []})


async def _model_metadata(models: dict[str, BatchedModel], request: Request) -> JSONResponse:
    return JSONResponse(metadata(request.path_params["name"], _model(models, request).net))


async def _model_ready(models: dict[str, BatchedModel], request: Request) -> JSONResponse:
    _model(models, request)
    return JSONResponse({"name": request.path_params["name"], "ready": True})


async def _infer(models: dict[str, BatchedModel], request: Request) -> Response:
    model = _model(models, request)
    payload, binary = _split_body(await request.body(), request.headers.get("inference-header-content-length"))
    batch = input_batch(payload, binary)
    output_name = _output_name(payload, model.net)
    outputs = await model.run_async(batch)
    answer = {"model_name": request.path_params["name"], "model_version": VERSION,
              "outputs": [{"name": output_name, "datatype": "FP32", "shape": list(outputs.shape)}]}
    if isinstance(payload.get("id"), str):
        answer["id"] = payload["id"]
    if not _wants_binary(payload):
        answer["outputs"][0]["data"] = outputs.ravel().tolist()
        return JSONResponse(answer)
    data = outputs.astype("<f4").tobytes()
    answer["outputs"][0]["parameters"] = {"binary_data_size": len(data)}
    header = json.dumps(answer).encode()
    return Response(header + data, media_type="application/octet-stream",
                    headers={"Inference-Header-Content-Length": str(len(header))})


def metadata(name: str, net: OnnxModel) -> dict:
    """The protocol's model metadata, plus the graph's own metadata (how it was made, trained, verified)."""
    def tensors(items) -> list[dict]:
        return [{"name": item.name, "datatype": "FP32", "shape": [d if isinstance(d, int) else -1 for d in item.shape]}
                for item in items]
    return {"name": name, "versions": [VERSION], "platform": PLATFORM,
            "inputs": tensors(net.session.get_inputs()), "outputs": tensors(net.session.get_outputs()),
            "metadata": net.metadata}


def _split_body(body: bytes, header_length: str | None) -> tuple[dict, bytes]:
    """(the JSON request, the binary data after it): the binary extension puts the JSON first, its
    length in the Inference-Header-Content-Length header, and the tensors' raw bytes after it."""
    if header_length is not None and not (header_length.isascii() and header_length.isdigit()
                                          and int(header_length) <= len(body)):
        raise HTTPError(400, f"Inference-Header-Content-Length must be a length within the body, "
                             f"got {header_length[:40]!r}")
    end = len(body) if header_length is None else int(header_length)
    payload = json_body(body[:end])
    if not isinstance(payload, dict):
        raise HTTPError(400, "the request must be a JSON object with `inputs`")
    return payload, body[end:]


def _parameters(item: dict) -> dict:
    return item["parameters"] if isinstance(item.get("parameters"), dict) else {}


def _wants_binary(payload: dict) -> bool:
    """Whether the request asks for the output as raw bytes after the JSON (the binary extension)."""
    outputs = payload.get("outputs") if isinstance(payload.get("outputs"), list) else []
    return _parameters(payload).get("binary_data_output") is True or \
        any(_parameters(output).get("binary_data") is True for output in outputs)


def input_batch(payload: dict, binary: bytes = b"") -> np.ndarray:
    """The request's one input tensor as float32 [N, 1, 28, 28], from JSON `data` or from `binary`, the
    bytes after the JSON (little-endian float32, the binary extension); HTTPError 400 for anything else."""
    inputs = payload.get("inputs")
    if not (isinstance(inputs, list) and len(inputs) == 1 and isinstance(inputs[0], dict)):
        raise HTTPError(400, f"need `inputs` holding one tensor, {INPUT_NAME!r}")
    tensor = inputs[0]
    if tensor.get("name") != INPUT_NAME:
        raise HTTPError(400, f"unknown input {str(tensor.get('name'))[:40]!r}: the input is {INPUT_NAME!r}")
    if tensor.get("datatype") != "FP32":
        raise HTTPError(400, f"datatype must be FP32, got {str(tensor.get('datatype'))[:40]!r}")
    shape = tensor.get("shape")
    want = f"shape must be [N, {', '.join(map(str, INPUT_SHAPE))}] with N >= 1, got {str(shape)[:80]}"
    if not (isinstance(shape, list) and len(shape) == 4 and all(type(d) is int for d in shape)
            and shape[0] >= 1 and tuple(shape[1:]) == INPUT_SHAPE):
        raise HTTPError(400, want)
    size = _parameters(tensor).get("binary_data_size")
    if size is not None or binary:
        if size != len(binary) or len(binary) != 4 * math.prod(shape):
            raise HTTPError(400, f"binary data must be {4 * math.prod(shape)} bytes (float32) for shape {shape}, "
                                 f"as binary_data_size says; got {len(binary)} bytes and {str(size)[:20]}")
        values = np.frombuffer(binary, "<f4")
    else:
        try:
            values = np.asarray(tensor.get("data"))
        except (ValueError, TypeError):  # ragged nesting
            values = np.asarray(None)
        if values.dtype.kind not in "iuf" or values.size != math.prod(shape):
            raise HTTPError(400, f"`data` must hold {math.prod(shape)} numbers for shape {shape}")
    batch = values.astype(np.float32).reshape(shape)
    if not (np.isfinite(batch).all() and batch.min() >= 0 and batch.max() <= 1):
        raise HTTPError(400, "pixel values must be in [0, 1], ink bright (the graphs' input contract)")
    return batch


def _model(models: dict[str, BatchedModel], request: Request) -> BatchedModel:
    name, version = request.path_params["name"], request.path_params.get("version", VERSION)
    if name not in models or version != VERSION:
        raise HTTPError(404, f"unknown model {name[:40]!r} version {version[:20]!r}: "
                             f"models {', '.join(models)}, version {VERSION}")
    return models[name]


def _output_name(payload: dict, net: OnnxModel) -> str:
    """The model's one output, checked against the request's `outputs` if it names any."""
    name = net.session.get_outputs()[0].name
    requested = payload.get("outputs", [])
    if not isinstance(requested, list) or any(not isinstance(item, dict) or item.get("name") != name
                                               for item in requested):
        raise HTTPError(400, f"unknown output requested: the model's output is {name!r}")
    return name
