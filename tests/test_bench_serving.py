"""The serving benchmark end to end at tiny sizes (`python -m bench.serving --quick`), so that it cannot
rot; it needs no PyTorch, and builds the peers' environments (out/peers/) if missing. No timing is asserted: only
the rows, no errors, and the section replaced."""
import pytest
from typer.testing import CliRunner

from bench.serving import SECTION, app

pytest.importorskip("starlette", reason="runtime serve needs the [serve] extra")


def test_quick_run_writes_the_serving_section(mnist_dir, tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmarks\n\nearlier results\n")
    result = CliRunner().invoke(app, ["--quick", "--data-dir", str(mnist_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    markdown = out.read_text()
    assert markdown.startswith("# Benchmarks\n\nearlier results\n\n" + SECTION)
    rows = [line for line in markdown.splitlines() if line.startswith("| serving, 32 clients")]
    # /predict: batching on, off, 2 workers; KServe route: ours on and off, MLServer on and off, KServe's server
    assert len(rows) == 8 and all("; 0 errors;" in row for row in rows)
    assert sum("MLServer" in row for row in rows) == 2 and sum("KServe ModelServer" in row for row in rows) == 1
    assert markdown.count("| one photo:") == 3 and markdown.count("| the network alone") == 2
