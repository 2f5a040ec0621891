"""`runtime serve` asked by KServe's own Python client (a client nobody here wrote, beside tritonclient in
test_runtime_serve_kserve.py), run from the kserve environment the serving benchmark builds (bench/peer_servers)."""
import json
import subprocess

import numpy as np
from runtime_support import served

from bench.peer_servers import PEERS, environment
from runtime.data import mnist
from runtime.models import DigitModel


def test_kserve_client_reads_what_the_runtime_computes(mnist_dir, tmp_path):
    images = (mnist.load(mnist_dir).test_images[:3] / np.float32(255))[:, None]  # [3, 1, 28, 28]
    np.save(tmp_path / "images.npy", images)
    python = environment("kserve") / "python"
    with served(tmp_path) as server:
        run = subprocess.run([python, PEERS / "kserve_client.py", server.url, tmp_path / "images.npy"],
                             capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    np.testing.assert_allclose(json.loads(run.stdout), DigitModel().run(images), atol=1e-5)
