"""The shipped graphs in other runtimes, each installed by uv in a throw-away environment: onnxruntime 1.17,
the oldest release that reads their IR version (9), and OpenVINO."""
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from runtime_support import digit

from runtime.models import DIGITS, EMBEDDING, OnnxModel
from runtime.reading import read

OLDEST = "onnxruntime==1.17.3"
# 1.17 has wheels for CPython 3.8-3.12 and needs numpy 1 (it was built before numpy 2)
OLDEST_PYTHON = "3.11"
TOLERANCE = 1e-5

RUN_ONNXRUNTIME = """
import sys
import numpy as np
import onnxruntime
image = np.load(sys.argv[1])
outputs = [onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, {"image": image})[0]
           for path in sys.argv[3:]]
np.savez(sys.argv[2], *outputs)
"""

RUN_OPENVINO = """
import sys
import numpy as np
import openvino
images, core = np.load(sys.argv[1]), openvino.Core()
default = core.compile_model(sys.argv[3], "CPU")
told = core.compile_model(sys.argv[3], "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
np.savez(sys.argv[2], default=default(images)[0], f32=told(images)[0],
         precision=default.get_property("INFERENCE_PRECISION_HINT").get_type_name())
"""


@pytest.fixture(scope="module")
def uv_venv(tmp_path_factory) -> Path:
    """A throw-away environment holding only OLDEST and numpy 1; its python."""
    venv = tmp_path_factory.mktemp("oldest") / "venv"
    install(["venv", "--quiet", "--python", OLDEST_PYTHON, str(venv)], "a Python environment")
    python = venv / "bin" / "python"
    install(["pip", "install", "--quiet", "--python", str(python), OLDEST, "numpy<2"], OLDEST)
    return python


def install(arguments: list[str], what: str) -> None:
    """Run uv with `arguments`; skip the test when it cannot (no uv, no package index)."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        pytest.skip("uv not found: it makes the throw-away environment")
    done = subprocess.run([uv, *arguments], capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.skip(f"cannot install {what}: {(done.stderr.strip().splitlines() or ['?'])[-1]}")


def test_shipped_graphs_run_the_same_in_onnxruntime_1_17(uv_venv, tmp_path):
    image = read(digit()).image[None, None]  # [1, 1, 28, 28], as the runtime makes it from a picture
    np.save(tmp_path / "image.npy", image)
    graphs = [DIGITS, EMBEDDING]
    subprocess.run([uv_venv, "-c", RUN_ONNXRUNTIME, tmp_path / "image.npy", tmp_path / "out.npz", *graphs], check=True)
    oldest = np.load(tmp_path / "out.npz")
    for index, path in enumerate(graphs):
        current = OnnxModel(path).run(image[:, 0])
        assert oldest[f"arr_{index}"].shape == current.shape
        np.testing.assert_allclose(oldest[f"arr_{index}"], current, atol=TOLERANCE, rtol=0, err_msg=path.name)


def test_openvino_runs_the_digits_graph_in_float32_when_told(uv_venv, mnist_data, tmp_path):
    """README: with INFERENCE_PRECISION_HINT f32 OpenVINO gives onnxruntime's log-probabilities; by default, on a
    CPU with bfloat16, it computes in bfloat16 and they differ by up to about 0.3 (printed)."""
    install(["pip", "install", "--quiet", "--python", str(uv_venv), "openvino"], "openvino")
    images = (mnist_data.test_images / np.float32(255))[:, None]
    np.save(tmp_path / "images.npy", images)
    subprocess.run([uv_venv, "-c", RUN_OPENVINO, tmp_path / "images.npy", tmp_path / "out.npz", DIGITS], check=True)
    openvino = np.load(tmp_path / "out.npz")
    current = OnnxModel(DIGITS).run(images)
    assert np.abs(openvino["f32"] - current).max() <= 1e-4
    default = np.abs(openvino["default"] - current).max()
    print(f"OpenVINO's default precision here: {openvino['precision']}; max |difference| from onnxruntime "
          f"over the {len(images)} test images: {default:.2g}")
    if openvino["precision"] == "bf16":
        assert 0.01 < default < 0.5
    else:
        assert default <= 1e-4
