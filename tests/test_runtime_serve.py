"""`runtime serve` as people run it: a real server process on a free loopback port, asked over HTTP.

Its answers must be the CLI's (`runtime ... --json`) for the same pictures, and every bad request a
4xx with a one-line JSON error.
"""
import json
import math
import signal
import socket
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np
import pytest
from runtime_support import SHARED_DATA, assert_one_error, digit, encoded, run_command, served, shared_folder, write

from runtime.reading import read

httpx = pytest.importorskip("httpx")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with served(tmp_path_factory.mktemp("serve")) as server:
        yield server
    assert "Traceback" not in server.log.read_text()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    """A drawn 3 on white and on grey paper, and the real photos where ../shared/data is present."""
    folder = tmp_path_factory.mktemp("pictures")
    drawn = [write(folder / "three.png", encoded(digit())),
             write(folder / "three_grey.jpg", encoded(digit(170), ".jpg"))]
    photos = sorted(path.resolve() for path in (SHARED_DATA / "handwritten_digits").glob("*.png"))
    return drawn + photos[:4]


def cli_json(*args, cwd) -> list[dict]:
    run = run_command("runtime", *args, "--json", cwd=cwd)
    return json.loads(run.stdout)


def form(paths) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("file", (path.name, path.read_bytes(), "application/octet-stream")) for path in paths]


def without_paths(entries: list[dict]) -> list[dict]:
    return [{key: value for key, value in entry.items() if key != "path"} for entry in entries]


def same_json(a, b) -> bool:
    """Equal JSON values, numbers within float32 rounding (the server may batch them differently)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-9)
    return a == b


def test_predict_answers_as_the_cli_with_an_entry_per_picture(client, pictures, tmp_path):
    broken = write(tmp_path / "broken.png", b"\x89PNG\r\n\x1a\n cut short")
    answer = client.post("/predict", params={"top_k": 3}, files=form([*pictures, broken]))
    assert answer.status_code == 200
    entries = answer.json()
    assert [entry["path"] for entry in entries] == [path.name for path in [*pictures, broken]]
    assert entries[-1] == {"path": "broken.png",
                           "error": "broken.png: cannot decode image (corrupt, truncated or not an image)"}
    expected = cli_json("predict", *pictures, "--top-k", "3", cwd=tmp_path)
    assert same_json(without_paths(entries[:-1]), without_paths(expected))
    assert entries[0]["digit"] == 3


def test_one_picture_as_the_raw_body_with_the_image_the_network_saw(client, pictures):
    data = pictures[1].read_bytes()
    answer = client.post("/predict?image=1", content=data, headers={"Content-Type": "image/jpeg"}).json()
    assert len(answer) == 1 and answer[0]["path"] == "body" and answer[0]["digit"] == 3
    np.testing.assert_allclose(answer[0]["image"], read(data).image, atol=5e-4)


def test_greek_classify_answers_as_the_cli(client, tmp_path):
    letters = sorted(path.resolve() for path in shared_folder("greek_new").glob("*/*.png"))[::5]
    answer = client.post("/greek/classify", params={"k": 3, "classes": "alpha,beta,gamma"}, files=form(letters))
    expected = cli_json("greek", "classify", *letters, "-k", "3", "--classes", "alpha,beta,gamma", cwd=tmp_path)
    assert same_json(without_paths(answer.json()), without_paths(expected))
    assert {entry["label"] for entry in answer.json()} <= {"alpha", "beta", "gamma"}


def test_embed_answers_as_the_cli(client, pictures, tmp_path):
    vectors = client.post("/embed", files=form(pictures)).json()
    run_command("runtime", "embed", *pictures, "-o", tmp_path / "e.npy", cwd=tmp_path)
    np.testing.assert_allclose([entry["embedding"] for entry in vectors], np.load(tmp_path / "e.npy"), rtol=1e-6)


def test_concurrent_requests_each_get_their_own_answer(client, pictures):
    """Requests arriving together run as one batch; each must still get the rows of its own picture."""
    alone = [client.post("/predict", files=form([path])).json()[0] for path in pictures]
    with ThreadPoolExecutor(32) as pool:
        together = list(pool.map(lambda i: client.post("/predict", files=form([pictures[i % len(pictures)]])).json()[0],
                                 range(64)))
    assert together == [alone[i % len(pictures)] for i in range(64)]


def test_the_drawing_page_and_its_files_are_served_offline(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<canvas id="pad"' in page.text
    for name, kind in (("/page.js", "text/javascript"), ("/page.css", "text/css")):
        served_file = client.get(name)
        assert served_file.status_code == 200 and served_file.headers["content-type"].startswith(kind)
        assert "http://" not in served_file.text and "https://" not in served_file.text
    assert "http://" not in page.text and "https://" not in page.text


INFER = "/v2/models/digits/infer"


def tensor(shape, data=None, datatype="FP32", name="image") -> dict:
    data = [0.5] * int(np.prod(shape)) if data is None else data
    return {"inputs": [{"name": name, "shape": shape, "datatype": datatype, "data": data}]}


def test_a_large_photo_on_predict_does_not_hold_up_the_kserve_route(server):
    """A large photo is read in the reader thread, off the event loop: KServe requests sent after it must
    keep being answered while it is read. Read in the loop, next to none could finish before it."""
    photo = encoded(cv2.resize(digit(220), (4000, 3000)), ".jpg")  # 12 megapixels, 0.2 MB: uploaded at once
    with httpx.Client(base_url=server.url, timeout=60) as photo_client, \
            httpx.Client(base_url=server.url, timeout=60) as infer_client, ThreadPoolExecutor(1) as pool:
        read = pool.submit(photo_client.post, "/predict", content=photo, headers={"Content-Type": "image/jpeg"})
        answered_before = 0
        while not read.done():
            assert infer_client.post(INFER, json=tensor([1, 1, 28, 28])).status_code == 200
            answered_before += not read.done()
        assert read.result().json()[0]["digit"] == 3
    assert answered_before >= 8, answered_before


BAD_REQUESTS = {
    "text body": ("POST", "/predict", {"Content-Type": "text/plain"}, b"a 3", 415, "unsupported media type"),
    "no media type": ("POST", "/embed", {}, b"\x89PNG", 415, "unsupported media type"),
    "form without file": ("POST", "/predict", {"Content-Type": "multipart/form-data; boundary=x"},
                          b'--x\r\nContent-Disposition: form-data; name="other"\r\n\r\n3\r\n--x--\r\n', 400,
                          "no field 'file'"),
    "too many files": ("POST", "/predict", {"Content-Type": "multipart/form-data; boundary=x"},
                       b'--x\r\nContent-Disposition: form-data; name="file"; filename="f.png"\r\n\r\nx\r\n' * 65
                       + b"--x--\r\n", 400, "Too many files"),
    "empty picture": ("POST", "/predict", {"Content-Type": "image/png"}, b"", 400, "empty body"),
    "top_k out of range": ("POST", "/predict?top_k=11", {"Content-Type": "image/png"}, b"x", 400, "top_k must be"),
    "unknown class": ("POST", "/greek/classify?classes=alpha,aleph", {"Content-Type": "image/png"}, b"x", 400,
                      "no class aleph"),
    "malformed JSON": ("POST", INFER, {}, b'{"inputs": [', 400, "malformed JSON"),
    "NaN in JSON": ("POST", INFER, {}, json.dumps(tensor([1, 1, 28, 28])).replace("0.5", "NaN", 1).encode(), 400,
                    "malformed JSON"),
    "wrong shape": ("POST", INFER, {}, json.dumps(tensor([1, 28, 28])).encode(), 400, "shape must be [N, 1, 28, 28]"),
    "wrong datatype": ("POST", INFER, {}, json.dumps(tensor([1, 1, 28, 28], datatype="INT64")).encode(), 400,
                       "datatype must be FP32"),
    "data of strings": ("POST", INFER, {}, json.dumps(tensor([1, 1, 28, 28], ["0"] * 784)).encode(), 400,
                        "must hold 784 numbers"),
    "too few numbers": ("POST", INFER, {}, json.dumps(tensor([2, 1, 28, 28], [0.0] * 784)).encode(), 400,
                        "must hold 1568 numbers"),
    "pixels out of range": ("POST", INFER, {}, json.dumps(tensor([1, 1, 28, 28], [1e30] * 784)).encode(), 400,
                            "in [0, 1]"),
    "binary data cut short": ("POST", INFER, {"Inference-Header-Content-Length": "118"},
                              json.dumps({"inputs": [{"name": "image", "shape": [1, 1, 28, 28], "datatype": "FP32",
                                                      "parameters": {"binary_data_size": 3136}}]}).encode()
                              + bytes(3000), 400, "binary data must be 3136 bytes"),
    "header length past the body": ("POST", INFER, {"Inference-Header-Content-Length": "99999"}, b"{}", 400,
                                    "Inference-Header-Content-Length must be"),
    "unknown input": ("POST", INFER, {}, json.dumps(tensor([1, 1, 28, 28], name="x")).encode(), 400, "unknown input"),
    "unknown model": ("POST", "/v2/models/resnet/infer", {}, json.dumps(tensor([1, 1, 28, 28])).encode(), 404,
                      "unknown model 'resnet'"),
    "unknown model metadata": ("GET", "/v2/models/resnet", {}, b"", 404, "unknown model"),
    "unknown route": ("GET", "/nothing", {}, b"", 404, "Not Found"),
    "wrong method": ("GET", "/predict", {}, b"", 405, "Method Not Allowed"),
    "announced body too large": ("POST", "/predict", {"Content-Type": "image/png"}, bytes(17 << 20), 413,
                                 "request body over"),
    "streamed body too large": ("POST", "/predict", {"Content-Type": "image/png"}, iter([bytes(1 << 20)] * 17), 413,
                                "request body over"),
}


@pytest.mark.parametrize("request_", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_bad_requests_get_a_4xx_and_one_line(client, request_):
    method, path, headers, body, status, fragment = request_
    answer = client.request(method, path, headers=headers, content=body)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    error = answer.json()["error"]
    assert fragment in error and "\n" not in error and "Traceback" not in error


def test_a_bad_picture_fails_alone(client, pictures):
    small = encoded(np.zeros((8, 8), np.uint8))
    huge = small[:16] + struct.pack(">II", 10_000, 10_000) + small[24:]  # a PNG header of 10^8 pixels
    tiny = encoded(np.zeros((4, 4), np.uint8))
    answer = client.post("/predict", files=[("file", ("huge.png", huge)), ("file", ("tiny.png", tiny)),
                                            *form(pictures[:1])])
    assert answer.status_code == 200
    huge_entry, tiny_entry, good = answer.json()
    assert huge_entry["error"] == "huge.png: image too large (10000x10000 > 40000000 pixels)"
    assert tiny_entry["error"] == "tiny.png: image too small to hold a digit (4x4)"
    assert good["digit"] == 3


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_finishes_the_requests_in_flight_and_exits_0(stop, workers, pictures, tmp_path):
    """The request's body is half sent when the signal comes: the server must still answer it."""
    data = pictures[0].read_bytes()
    head = f"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: {len(data)}\r\n\r\n"
    with served(tmp_path, "--workers", workers) as server:
        port = int(server.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
            connection.sendall(head.encode() + data[:100])
            # Once a later request is answered, the server has read this one's head: it is in flight.
            assert httpx.get(f"{server.url}/v2/health/live").status_code == 200
            server.process.send_signal(stop)
            connection.sendall(data[100:])
            reply = b""
            while chunk := connection.recv(65536):
                reply += chunk
        assert server.process.wait(timeout=30) == 0
    status, _, body = reply.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 200") and json.loads(body)[0]["digit"] == 3


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_refuses_a_bad_model_or_a_busy_port_in_one_line(workers, tmp_path):
    pytest.importorskip("starlette")
    bad = write(tmp_path / "bad.onnx", b"not a graph")
    assert_one_error(run_command("runtime", "serve", "--model", bad, "--workers", workers, cwd=tmp_path), "bad.onnx",
                     "not a usable ONNX model")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert_one_error(run_command("runtime", "serve", "--port", port, "--workers", workers, cwd=tmp_path),
                         f"127.0.0.1:{port}", "cannot listen")


def cpu_ticks(pid: int) -> int:
    """User + system CPU time a process has used, in clock ticks (Linux /proc)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_workers_share_the_port_each_answering_connections(pictures, tmp_path):
    """`--workers 2`: two server processes (beside multiprocessing's resource tracker), and new connections
    reach both, answered the same as by one server."""
    expected = cli_json("predict", pictures[0], cwd=tmp_path)
    with served(tmp_path, "--workers", "2") as server:
        children = open(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read().split()
        workers = [int(pid) for pid in children if b"spawn_main" in open(f"/proc/{pid}/cmdline", "rb").read()]
        assert len(workers) == 2
        before = [cpu_ticks(pid) for pid in workers]
        data = pictures[0].read_bytes()

        def predict_on_a_new_connection(_) -> list[dict]:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                return client.post("/predict", content=data, headers={"content-type": "image/png"}).json()
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(predict_on_a_new_connection, range(200)))
        assert all(without_paths(answer) == without_paths(expected) for answer in answers)
        assert all(cpu_ticks(pid) > ticks for pid, ticks in zip(workers, before))


def test_predict_starts_without_the_server_stack(pictures, tmp_path):
    """`runtime predict` must not import Starlette or uvicorn: its start-up stays as fast as before."""
    probe = ("import sys\nfrom runtime.cli import main\ntry:\n    main()\nfinally:\n"
             "    print(sorted({n.split('.')[0] for n in sys.modules} & {'starlette', 'uvicorn', 'multipart'}))")
    run = subprocess.run([sys.executable, "-c", probe, "predict", str(pictures[0])], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"
