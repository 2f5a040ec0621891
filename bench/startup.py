"""Start-up: one picture read by a whole new process, `runtime predict` against a small PyTorch script
doing the same (same preprocessing, the shipped weights as a state_dict), with each one's peak memory."""
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch

from bench.pictures import write_picture
from bench.timing import timed_process
from bench.weights import shipped_state_dict
from runtime.data import mnist

TORCH_SCRIPT = '''\
import sys

import torch

from recipe.normalisation import normalise

from runtime.reading import read
from torch_impl.model import Net

model = Net()
model.load_state_dict(torch.load(sys.argv[1], map_location="cpu", weights_only=True))
model.eval()
with torch.no_grad():
    probabilities = model(torch.from_numpy(normalise(read(sys.argv[2]).image))[None, None]).exp()[0]
digit = int(probabilities.argmax())
print(f"{sys.argv[2]}: {digit} (p={float(probabilities[digit]):.3f})")
'''


@dataclass(frozen=True)
class ProcessResult:
    command: str
    seconds: float  # median wall time of the whole process
    peak_rss_mb: float  # median of its peak resident memory
    output: str


def summary(name: str, runs: list[tuple[float, float, str]]) -> ProcessResult:
    return ProcessResult(name, statistics.median(run[0] for run in runs),
                         statistics.median(run[1] for run in runs), runs[-1][2])


def run(data: mnist.Mnist, repeats: int) -> tuple[ProcessResult, ProcessResult]:
    """(runtime predict, PyTorch script), which must read the same digit."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        picture = write_picture(tmp / "one.png", data.test_images[0])
        torch.save(shipped_state_dict(), tmp / "digits.pth")
        (tmp / "predict_torch.py").write_text(TORCH_SCRIPT)
        commands = {"runtime predict": [sys.executable, "-m", "runtime", "predict", picture.name],
                    "PyTorch script": [sys.executable, "predict_torch.py", "digits.pth", picture.name]}
        # Alternating, so that a change in the machine's load hits both; the first round warms the file cache.
        rounds = [{name: timed_process(command, tmp) for name, command in commands.items()}
                  for _ in range(1 + repeats)][1:]
    runtime, script = (summary(name, [measured[name] for measured in rounds]) for name in commands)
    if runtime.output.split(" (")[0] != script.output.split(" (")[0]:
        raise RuntimeError(f"the two read different digits: {runtime.output!r} vs {script.output!r}")
    return runtime, script
