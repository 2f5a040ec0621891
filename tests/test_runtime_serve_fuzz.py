"""Property-based tests against a real `runtime serve` process: any method, path, headers and body get
a 4xx with a one-line JSON error or a valid answer; never a 5xx, never a traceback."""
import json

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from runtime_support import served

httpx = pytest.importorskip("httpx")

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PATHS = ["/", "/predict", "/predict?top_k=3&image=1", "/embed", "/greek/classify?k=2&classes=alpha,beta",
         "/v2", "/v2/health/live", "/v2/models/digits", "/v2/models/digits/infer", "/v2/models/embedding/infer",
         "/v2/models/digits/versions/2/infer", "/nothing"]
MEDIA_TYPES = ["image/png", "application/octet-stream", "application/json", "text/plain",
               "multipart/form-data; boundary=b", "multipart/form-data", "image/jpeg; charset=x"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with served(tmp_path_factory.mktemp("serve")) as server:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            yield client
    assert "Traceback" not in server.log.read_text()


def pictures() -> st.SearchStrategy[bytes]:
    return hnp.arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40))).map(
        lambda image: cv2.imencode(".png", image)[1].tobytes())


def multipart(parts: list[tuple[str, bytes]]) -> bytes:
    return b"".join(b'--b\r\nContent-Disposition: form-data; name="%s"; filename="f.png"\r\n\r\n%s\r\n'
                    % (name.encode(), data) for name, data in parts) + b"--b--\r\n"


def tensors() -> st.SearchStrategy[bytes]:
    numbers = st.one_of(st.floats(allow_nan=False), st.integers(), st.text(max_size=3), st.booleans(), st.none())
    shape = st.lists(st.integers(-2, 30), max_size=5)
    tensor = st.fixed_dictionaries({"name": st.sampled_from(["image", "x"]),
                                    "datatype": st.sampled_from(["FP32", "INT8"]),
                                    "shape": shape, "data": st.lists(numbers, max_size=40)})
    return st.fixed_dictionaries({"inputs": st.lists(tensor, max_size=2)}).map(lambda body: json.dumps(body).encode())


PARTS = st.tuples(st.sampled_from(["file", "other"]), st.one_of(pictures(), st.binary(max_size=200)))
BODIES = st.one_of(st.binary(max_size=3000), pictures(), tensors(), st.lists(PARTS, max_size=3).map(multipart))
HEADERS = st.dictionaries(st.sampled_from(["Content-Type", "Accept", "Transfer-Encoding", "X-Anything",
                                           "Inference-Header-Content-Length"]),
                          st.one_of(st.sampled_from(MEDIA_TYPES), st.text("abcdefgh;=/ -", max_size=30)), max_size=3)


@FUZZ
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]), path=st.sampled_from(PATHS), headers=HEADERS,
       body=BODIES)
def test_any_request_gets_a_4xx_or_an_answer(client, method, path, headers, body):
    headers = {key: value.strip() for key, value in headers.items()  # as far as the client lets through
               if value.strip() and (key != "Transfer-Encoding" or value == "chunked")}
    answer = client.request(method, path, headers=headers, content=body)
    assert answer.status_code < 500, answer.text
    if answer.status_code >= 400:
        error = answer.json()["error"]
        assert error and "\n" not in error and "Traceback" not in error
    elif answer.headers["content-type"] == "application/json":
        answer.json()
