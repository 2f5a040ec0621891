"""The shipped graphs load in onnxruntime 1.17, the oldest release that reads their IR version (9), and
compute there what the current onnxruntime computes."""
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from runtime.onnx_model import DIGITS, EMBEDDING, OnnxModel
from runtime.preprocess import to_mnist
from runtime_support import digit

OLDEST = "onnxruntime==1.17.3"
# 1.17 has wheels for CPython 3.8-3.12 and needs numpy 1 (it was built before numpy 2)
OLDEST_PYTHON = "3.11"
TOLERANCE = 1e-5

RUN_GRAPHS = """
import sys
import numpy as np
import onnxruntime
image = np.load(sys.argv[1])
outputs = {path: onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, {"image": image})[0]
           for path in sys.argv[3:]}
np.savez(sys.argv[2], *outputs.values())
"""


def install_oldest(venv: Path) -> Path:
    """A throw-away environment holding only OLDEST and numpy 1; its python."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        pytest.skip("uv not found: it makes the throw-away environment")
    steps = [[uv, "venv", "--quiet", "--python", OLDEST_PYTHON, str(venv)],
             [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), OLDEST, "numpy<2"]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode:
            pytest.skip(f"cannot install {OLDEST}: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
    return venv / "bin" / "python"


def test_shipped_graphs_run_the_same_in_onnxruntime_1_17(tmp_path):
    python = install_oldest(tmp_path / "venv")
    image = to_mnist(digit())[None, None]  # [1, 1, 28, 28], as the runtime makes it from a picture
    np.save(tmp_path / "image.npy", image)
    graphs = [DIGITS, EMBEDDING]
    subprocess.run([python, "-c", RUN_GRAPHS, tmp_path / "image.npy", tmp_path / "out.npz", *graphs], check=True)
    oldest = np.load(tmp_path / "out.npz")
    for index, path in enumerate(graphs):
        current = OnnxModel(path).run(image[:, 0])
        assert oldest[f"arr_{index}"].shape == current.shape
        np.testing.assert_allclose(oldest[f"arr_{index}"], current, atol=TOLERANCE, rtol=0, err_msg=path.name)
