"""The Open Inference Protocol as a client nobody here wrote speaks it: NVIDIA's tritonclient[http].

It must find the server live and ready, read the models' metadata, and get from `infer` the numbers
`runtime predict --json` and `runtime embed` give for the same pictures. `infer` answers with the graph's own
output, as any V2 server of the same graph would; the calibration temperature is in the model's metadata.
"""
import json

import numpy as np
import pytest
from runtime_support import SHARED_DATA, digit, encoded, run_command, served, write

from runtime.models import calibrated
from runtime.reading import read

httpclient = pytest.importorskip("tritonclient.http", reason="needs tritonclient[http]")


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pictures")
    photos = sorted(path.resolve() for path in (SHARED_DATA / "handwritten_digits").glob("*.png"))
    return [write(folder / "three.png", encoded(digit())), *photos]


@pytest.fixture(scope="module")
def triton(tmp_path_factory):
    with served(tmp_path_factory.mktemp("serve")) as server:
        client = httpclient.InferenceServerClient(server.url.removeprefix("http://"), network_timeout=60)
        yield client
        client.close()


def infer(triton, model: str, output: str, images: np.ndarray, binary: bool = False) -> np.ndarray:
    """`binary`: tensors as raw bytes after the JSON, both ways (the binary extension); else JSON numbers."""
    image = httpclient.InferInput("image", [len(images), 1, 28, 28], "FP32")
    image.set_data_from_numpy(images[:, None].astype(np.float32), binary_data=binary)
    result = triton.infer(model, [image], outputs=[httpclient.InferRequestedOutput(output, binary_data=binary)])
    return result.as_numpy(output)


def test_health_and_metadata(triton):
    assert triton.is_server_live() and triton.is_server_ready()
    assert triton.is_model_ready("digits") and not triton.is_model_ready("resnet")
    for model, output, width in (("digits", "log_probs", 10), ("embedding", "embedding", 50)):
        metadata = triton.get_model_metadata(model)
        assert metadata["inputs"] == [{"name": "image", "datatype": "FP32", "shape": [-1, 1, 28, 28]}]
        assert metadata["outputs"] == [{"name": output, "datatype": "FP32", "shape": [-1, width]}]
        assert metadata["metadata"]["kind"] == ("full" if model == "digits" else "embedding")


def test_infer_gives_the_numbers_of_the_cli(triton, pictures, tmp_path):
    images = np.stack([read(path).image for path in pictures])
    temperature = float(triton.get_model_metadata("digits")["metadata"]["temperature"])
    probabilities = calibrated(infer(triton, "digits", "log_probs", images), temperature)
    cli = json.loads(run_command("runtime", "predict", *pictures, "--top-k", "10", "--json", cwd=tmp_path).stdout)
    expected = np.array([[row["probability"] for row in sorted(entry["top"], key=lambda t: t["digit"])]
                         for entry in cli])
    np.testing.assert_allclose(probabilities, expected, rtol=1e-5, atol=1e-12)
    assert [int(name.name[0]) for name in pictures[1:]] == list(probabilities[1:].argmax(1))
    run_command("runtime", "embed", *pictures, "-o", tmp_path / "e.npy", cwd=tmp_path)
    np.testing.assert_allclose(infer(triton, "embedding", "embedding", images), np.load(tmp_path / "e.npy"), rtol=1e-5)


def test_binary_tensors_give_the_numbers_of_json_ones(triton, pictures):
    """tritonclient's default: the tensors' bytes after the JSON, in the request and in the answer."""
    images = np.stack([read(path).image for path in pictures])
    binary = infer(triton, "digits", "log_probs", images, binary=True)
    assert binary.dtype == np.float32 and binary.shape == (len(images), 10)
    np.testing.assert_allclose(binary, infer(triton, "digits", "log_probs", images), rtol=1e-6)
    image = httpclient.InferInput("image", [1, 1, 28, 28], "FP32")
    image.set_data_from_numpy(images[:1, None])
    assert triton.infer("embedding", [image]).as_numpy("embedding").shape == (1, 50)  # outputs not named


def test_infer_errors_reach_the_client_as_one_line(triton):
    with pytest.raises(httpclient.InferenceServerException, match="shape must be") as error:
        image = httpclient.InferInput("image", [1, 28, 28], "FP32")
        image.set_data_from_numpy(np.zeros((1, 28, 28), np.float32), binary_data=False)
        triton.infer("digits", [image])
    assert "\n" not in str(error.value)
