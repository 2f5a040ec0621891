"""The benchmark suite end to end at tiny sizes, so that it cannot rot. No timing is asserted: only that
the table has every row and that every ratio is a positive number."""
from pathlib import Path

from typer.testing import CliRunner

from bench import footprint
from bench.cli import app
from bench.serving import KSERVE, PREDICT
from recipe.settings import cores

COMPARISONS = [
    "training GFLOP/s: PyTorch reference / the float32 matmul ceiling",
    "training GFLOP/s: Keras/JAX twin / the float32 matmul ceiling",
    "training images/s: reference loop / classic DataLoader loop",
    "test accuracy after training: reference loop / classic DataLoader loop",
    "training images/s: Keras/JAX twin / PyTorch reference",
    *(f"inference images/s at batch {batch}: {engine} / PyTorch eager"
      for batch in (1, 64, 1000) for engine in ("onnxruntime", "Keras/JAX jitted")),
    "start-up wall time: the 0.5 s target / `runtime predict`",
    "start-up wall time: PyTorch script / `runtime predict`",
    "peak memory: PyTorch script / `runtime predict`",
    "disk: training stack venv / runtime-only venv",
    *(f"reading a {picture}: the {target} ms target / its cost" for picture, target in
      (("28x28 PNG", "0.3"), ("280x280 PNG (the page's canvas)", "0.3"), ("1 MP JPEG photo", "15"))),
    "reading a 12 MP JPEG photo: its cost / decoding it alone",
    *(f"serving {measure}" for payload in (PREDICT, KSERVE)
      for measure in (f"requests/s, {payload}: batching on / off (measured, no target)",
                      f"requests/s, {payload}: the most batching could give (network time saved)",
                      f"latency, {payload}, batching on: p99 / p50")),
    f"serving requests/s, batching on: {PREDICT} / {KSERVE}",
    f"serving requests/s, {PREDICT}: --workers 2 / --workers 1",
    f"serving requests/s, {KSERVE}: runtime serve / the best peer",
    f"serving latency p99, {KSERVE}: runtime serve / the best peer",
    "the network alone, images/s: batch 32 / batch 1",
    "one photo: `runtime predict` as a process / POST /predict to `runtime serve`",
    *(f"sweep wall time, 8 trainings on {cores()} cores: {pair}"
      for pair in (f"{cores()} bare processes (the ceiling) / processes",
                   f"{cores()} bare processes (the ceiling) / Ray", "processes / Ray", "local / processes")),
]


def table_rows(markdown: str, heading: str) -> list[list[str]]:
    """The body rows of the table under `heading`, as lists of cell texts."""
    section = markdown.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def test_quick_run_writes_every_row(mnist_dir, tmp_path):
    out = tmp_path / "RESULTS.md"
    result = CliRunner().invoke(app, ["--quick", "--skip-venv", "--train-images", "128", "--test-images", "64",
                                      "--data-dir", str(mnist_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    markdown = out.read_text()
    assert markdown in result.stdout
    ratios = table_rows(markdown, "Ratios")
    assert [row[0] for row in ratios] == COMPARISONS
    for name, ratio, _, marker in ratios:
        assert ratio.endswith("x") and float(ratio[:-1]) > 0, name
        assert marker in ("pass", "MISS", ""), name
    # the ceiling and the step's FLOPs, training, inference, start-up, footprint, sweeps, reading 4 pictures;
    # serving: 3 + 5 loads, the best peer, the network alone, the photo twice
    assert len(table_rows(markdown, "Measurements")) == 2 + 3 + 9 + 2 + 2 + 5 + 4 + 8 + 1 + 3


def test_the_runtime_only_venv_is_built_from_every_runtime_source(tmp_path):
    """`make bench` pip-installs a copy of runtime/ (the smoke run above skips it): no sub-package left out."""
    project = Path(__file__).resolve().parents[1]
    copy = footprint.runtime_sources(project, tmp_path)
    wanted = {path.relative_to(project / "runtime") for path in (project / "runtime").rglob("*.py")
              if "__pycache__" not in path.parts}
    assert {path.relative_to(copy) for path in copy.rglob("*.py")} == wanted
    assert (copy / "data" / "mnist.py").is_file() and (copy / "models" / "digits.onnx").is_file()
