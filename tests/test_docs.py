"""The documentation: README short with every link resolving, the site built strictly, the tutorial executed on a
reduced setting, and the stored notebook the script it is paired with."""
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SCRIPT = ROOT / "docs" / "tutorial" / "seed_report.py"
NOTEBOOK = SCRIPT.with_suffix(".ipynb")
MKDOCS = Path(sys.executable).parent / "mkdocs"
# Markdown links and images, and HTML src/href: what a reader of README can follow.
LINK = re.compile(r"\]\(([^)\s]+)\)|(?:src|href)=\"([^\"]+)\"")


def relative_links(text: str) -> list[str]:
    targets = [a or b for a, b in LINK.findall(text)]
    return [target for target in targets if not re.match(r"[a-z]+:|#", target)]


def test_readme_is_at_most_150_lines_and_every_link_resolves():
    text = README.read_text()
    assert len(text.splitlines()) <= 150
    links = relative_links(text)
    assert len(links) >= 10
    missing = [link for link in links if not (ROOT / link.split("#")[0]).exists()]
    assert not missing, f"README links to missing files: {missing}"


def test_readme_states_the_two_commands_that_fresh_machine_runs():
    """.ci/fresh-machine runs the first two sh blocks after "## The two commands"."""
    section = README.read_text().split("## The two commands", 1)[1]
    assert re.findall(r"```sh\n(.*)\n", section)[:2] == ["make run", "make test"]


def test_readme_holds_no_measurement_history():
    """Dated measurements belong to the pages and bench/RESULTS.md, not the front page."""
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", README.read_text())


def test_site_builds_strictly_with_generated_pages(tmp_path):
    site = tmp_path / "site"
    result = subprocess.run([str(MKDOCS), "build", "--strict", "--site-dir", str(site)], cwd=ROOT, text=True,
                            capture_output=True, env=os.environ | {"NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr, result.stderr[-3000:]
    results = (ROOT / "bench" / "RESULTS.md").read_text()
    first_ratio = next(line for line in results.splitlines() if line.startswith("| training images/s"))
    cells = [cell.strip() for cell in first_ratio.strip("|").split("|")]
    benchmarks = (site / "benchmarks" / "index.html").read_text()
    assert all(html.escape(cell) in benchmarks for cell in cells[1:3]), \
        "the benchmarks page must include bench/RESULTS.md"
    assert "accuracy_batch_size.png" in (site / "results" / "sweep-seed" / "summary" / "index.html").read_text()
    assert "read_many" in (site / "reference" / "runtime" / "index.html").read_text()  # from the docstrings
    tutorial = (site / "tutorial" / "seed_report" / "index.html").read_text()
    assert "Truncated model output size" in tutorial and "data:image/png;base64" in tutorial  # executed output


def _text_outputs(notebook) -> str:
    pieces = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            pieces.append(output.get("text", "") + output.get("data", {}).get("text/markdown", ""))
    return "".join(pieces)


def _errors(notebook) -> list[str]:
    return [f"{output.ename}: {output.evalue}" for cell in notebook.cells for output in cell.get("outputs", [])
            if output.output_type == "error"]


def test_stored_notebook_is_the_script_executed():
    """The site shows docs/tutorial/seed_report.ipynb: it must be the paired script's code, run to the end."""
    jupytext = pytest.importorskip("jupytext")
    script, stored = jupytext.read(SCRIPT), jupytext.read(NOTEBOOK)
    code = [[cell.source for cell in notebook.cells if cell.cell_type == "code"] for notebook in (script, stored)]
    assert code[0] == code[1], "docs/tutorial/seed_report.ipynb is stale: run `make tutorial`"
    assert all(cell.get("outputs") for cell in stored.cells if cell.cell_type == "code"), "run `make tutorial`"
    assert not _errors(stored)


def test_tutorial_runs_on_the_reduced_setting(mnist_dir, monkeypatch, tmp_path):
    """Every cell, top to bottom, with one epoch on 10,000 images (TUTORIAL_QUICK=1): well under 3 minutes."""
    jupytext = pytest.importorskip("jupytext")
    from nbclient import NotebookClient

    monkeypatch.setenv("TUTORIAL_QUICK", "1")  # the kernel inherits this process's environment
    notebook = jupytext.read(SCRIPT)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert not _errors(notebook)
    printed = _text_outputs(notebook)
    for expected in ("quick setting: 1 epoch(s), 10000 training images", "Keras twin:\nepoch 0:",
                     "PyTorch, two draws of seed 1 equal: True", "Example 9\nOutput values:",
                     "Truncated model output size: torch.Size([1000, 20, 4, 4])",
                     "Keras truncated model output size: (1000, 4, 4, 20)", "alpha ssd: [", "correct",
                     "54 variants, 27 trainings"):
        assert expected in printed, expected
    images = sum("image/png" in output.get("data", {}) for cell in notebook.cells for output in cell.get("outputs", []))
    assert images >= 15
